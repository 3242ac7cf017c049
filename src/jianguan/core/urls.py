from django.urls import path

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("calendar/provisional/", views.provisional_deadlines, name="provisional_deadlines"),
]
