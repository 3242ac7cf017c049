"""投诉举报台账: the import of the national 12315 platform's export and the ledger export.

No app_name: include it inside the "complaints" namespace, i.e. in jianguan/complaints/urls.py
`path("", include("jianguan.complaints.urls_ledger"))`, which puts these under /complaints/.
"""

from django.urls import path

from .views import ledger

urlpatterns = [
    path("import/", ledger.import_upload, name="ledger_import"),
    path("import/<uuid:token>/", ledger.import_confirm, name="ledger_import_confirm"),
    path("import/<uuid:token>/errors/", ledger.import_errors, name="ledger_import_errors"),
    path("export/", ledger.export, name="ledger_export"),
]
