"""/sampling/: staff pages of 抽检 and 快检 (the public announcements are public_urls.py)."""

from django.urls import path

from .views import actions, plans, quicktests, samples

app_name = "sampling"

urlpatterns = [
    path("", samples.sample_list, name="list"),
    path("new/", samples.sample_new, name="new"),
    path("export/", samples.ledger_export, name="export"),
    path("<int:pk>/", samples.sample_detail, name="detail"),
    path("<int:pk>/<slug:step>/", actions.sample_act, name="act"),
    path("quicktests/", quicktests.quicktest_list, name="quicktests"),
    path("quicktests/new/", quicktests.quicktest_new, name="quicktest_new"),
    path("quicktests/export/", samples.quicktest_export, name="quicktest_export"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_form, name="plan_new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plans.plan_form, name="plan_edit"),
]
