"""/public/spotchecks/: the public pages of 双随机、一公开 (no login, rate limited)."""

from django.urls import path, re_path

from . import public

app_name = "spotchecks_public"

urlpatterns = [
    path("", public.task_list, name="tasks"),
    path("tasks/<str:number>/", public.task_detail, name="task"),
    path("tasks/<str:number>/results.csv", public.results_csv, name="results_csv"),
    path("draws/<int:pk>.json", public.draw_record, name="draw"),
    path("draws/<str:number>.json", public.draw_record_by_number, name="draw_by_number"),
    # Last: anything else here is not found in the public layout, not in the staff one.
    re_path(r"^(?P<rest>.*)$", public.not_found, name="not_found"),
]
