"""/public/complaints/: the public submit and tracking pages (no login, rate limited)."""

from django.urls import path

from .views import public

app_name = "complaints_public"

urlpatterns = [
    path("", public.submit, name="submit"),
    path("track/", public.track, name="track"),
]
