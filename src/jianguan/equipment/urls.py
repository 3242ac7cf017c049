from django.urls import path

from . import views

app_name = "equipment"
urlpatterns = [
    path("", views.equipment_list, name="list"),
    path("export/", views.equipment_export, name="export"),
    path("<int:pk>/", views.equipment_detail, name="detail"),
    path("<int:pk>/examinations/", views.examination_create, name="examination_create"),
    path("<int:pk>/status/", views.equipment_status, name="status"),
    path("operators/<int:pk>/", views.operator_detail, name="operator"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
]
