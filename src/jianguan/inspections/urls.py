from django.urls import path

from .views import campaigns, checklists, detail, documents, findings, inspections, queue

app_name = "inspections"
urlpatterns = [
    path("", inspections.inspection_list, name="list"),
    path("new/", inspections.inspection_new, name="new"),
    path("new/lookup/", inspections.business_lookup, name="business_lookup"),
    path("<int:pk>/", detail.inspection_detail, name="detail"),
    path("<int:pk>/items/", detail.record_items, name="record_items"),
    path("<int:pk>/attachments/", detail.upload, name="upload"),
    path("<int:pk>/complete/", detail.complete, name="complete"),
    path("<int:pk>/documents/", detail.document_create, name="document_create"),
    path("<int:pk>/amend/", detail.amend, name="amend"),
    path("<int:pk>/archive/", detail.archive, name="archive"),
    path("<int:pk>/tasks/<int:task_pk>/close/", detail.close_task, name="close_task"),
    path("attachments/<int:pk>/", detail.attachment_file, name="attachment"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("findings/", findings.finding_board, name="findings"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding"),
    path("findings/<int:pk>/edit/", findings.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/report/", findings.finding_report, name="finding_report"),
    path("findings/<int:pk>/recheck/", findings.finding_recheck, name="finding_recheck"),
    path("findings/<int:pk>/escalate/", findings.finding_escalate, name="finding_escalate"),
    path("findings/<int:pk>/sealings/<int:sealing_pk>/lift/", findings.sealing_lift, name="sealing_lift"),
    path("queue/", queue.work_queue, name="queue"),
    path("queue/tasks/<int:pk>/inspect/", queue.task_inspect, name="task_inspect"),
    path("checklists/", checklists.checklist_list, name="checklists"),
    path("checklists/new/", checklists.checklist_edit, name="checklist_new"),
    path("checklists/<str:code>/", checklists.checklist_detail, name="checklist"),
    path("checklists/<str:code>/revise/", checklists.checklist_edit, name="checklist_revise"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_edit, name="campaign_new"),
    path("campaigns/<str:code>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<str:code>/edit/", campaigns.campaign_edit, name="campaign_edit"),
]
