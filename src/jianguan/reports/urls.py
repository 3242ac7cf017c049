from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("drill/<str:key>/", views.drill, name="drill"),
    path("drill/<str:key>/export/", views.drill_export, name="drill_export"),
    path("indicators/", views.indicators, name="indicators"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:key>/edit/", views.template_edit, name="template_edit"),
    path("templates/<slug:key>/preview/", views.template_preview, name="template_preview"),
    path("templates/<slug:key>/restore/", views.template_restore, name="template_restore"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("snapshots/<int:pk>/verify/", views.snapshot_verify, name="snapshot_verify"),
    path("snapshots/<int:pk>/yoy/", views.snapshot_relative, {"kind": "yoy"}, name="snapshot_yoy"),
    path("snapshots/<int:pk>/mom/", views.snapshot_relative, {"kind": "mom"}, name="snapshot_mom"),
    path("compare/", views.compare, name="compare"),
]
