"""The business import's old addresses under /businesses/import/ (names in the "businesses"
namespace), served by the web import of every ledger (jianguan.core.importing.web)."""

from django.urls import path

from jianguan.core.importing import web

urlpatterns = [
    path("", web.fixed(web.upload, "businesses"), name="import_upload"),
    path("<uuid:token>/", web.fixed(web.preview, "businesses"), name="import_confirm"),
    path("<uuid:token>/errors/", web.fixed(web.errors, "businesses"), name="import_errors"),
]
