"""投诉举报台账: the import of the national 12315 platform's export and the ledger export.

No app_name: include it inside the "complaints" namespace, i.e. in jianguan/complaints/urls.py
`path("", include("jianguan.complaints.urls_ledger"))`, which puts these under /complaints/.
The import is the web import of every ledger (jianguan.core.importing.web, /imports/complaints/);
its old addresses here stay working.
"""

from django.urls import path

from jianguan.core.importing import web

from .views import ledger

urlpatterns = [
    path("import/", web.fixed(web.upload, "complaints"), name="ledger_import"),
    path("import/<uuid:token>/", web.fixed(web.preview, "complaints"), name="ledger_import_confirm"),
    path("import/<uuid:token>/errors/", web.fixed(web.errors, "complaints"), name="ledger_import_errors"),
    path("export/", ledger.export, name="ledger_export"),
]
