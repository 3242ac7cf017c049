"""The business import pages, included under /businesses/import/ inside the "businesses" namespace."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_upload, name="import_upload"),
    path("<uuid:token>/", import_views.import_confirm, name="import_confirm"),
    path("<uuid:token>/errors/", import_views.import_errors, name="import_errors"),
]
