"""/cases/: staff pages of 执法办案 (the public penalty pages are public_urls.py)."""

from django.urls import path

from .views import actions, case_pages, leads

app_name = "cases"

urlpatterns = [
    path("", case_pages.case_list, name="list"),
    path("simple/", case_pages.simple_new, name="simple"),
    path("export/", case_pages.ledger_export, name="export"),
    path("leads/", leads.lead_inbox, name="leads"),
    path("leads/new/", leads.lead_new, name="lead_new"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead"),
    path("leads/<int:pk>/<slug:step>/", actions.lead_act, name="lead_act"),
    path("documents/<int:pk>/download/", case_pages.document_download, name="document_download"),
    path("<int:pk>/", case_pages.case_detail, name="detail"),
    path("<int:pk>/<slug:step>/", actions.case_act, name="act"),
]
