from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/provisional/", views.provisional_deadlines, name="provisional_deadlines"),
]
