"""/complaints/: staff pages of 投诉举报."""

from django.urls import include, path

from .views import actions, detail, disclosures, odr, staff

app_name = "complaints"

urlpatterns = [
    path("", staff.queue, name="queue"),
    path("records/", staff.records, name="records"),
    path("new/", staff.intake, name="intake"),
    path("triage/", staff.triage, name="triage"),
    path("disclosures/", disclosures.disclosure_log, name="disclosures"),
    path("", include("jianguan.complaints.urls_ledger")),  # import/ and export/
    path("odr/", odr.odr_list, name="odr"),
    path("odr/add/", odr.odr_add, name="odr_add"),
    path("odr/<int:pk>/leave/", odr.odr_leave, name="odr_leave"),
    path("<int:pk>/", detail.complaint_detail, name="detail"),
    path("<int:pk>/personal/", detail.complaint_personal, name="personal"),
    path("<int:pk>/<slug:step>/", actions.act, name="act"),
]
