"""The web import of every ledger, included at /imports/ (namespace "imports")."""

from django.urls import path

from . import web

app_name = "imports"
urlpatterns = [
    path("", web.ledger_list, name="list"),
    path("<slug:ledger>/", web.upload, name="upload"),
    path("<slug:ledger>/<uuid:token>/", web.preview, name="preview"),
    path("<slug:ledger>/<uuid:token>/run/", web.run, name="run"),
    path("<slug:ledger>/<uuid:token>/progress/", web.progress, name="progress"),
    path("<slug:ledger>/<uuid:token>/errors/", web.errors, name="errors"),
]
