"""/complaints/: staff pages of 投诉举报."""

from django.urls import path

from .views import staff

app_name = "complaints"

urlpatterns = [
    path("", staff.queue, name="queue"),
]
