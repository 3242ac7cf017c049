"""/canteens/: the staff pages of this app."""

from .views import urlpatterns  # noqa: F401

app_name = "canteens"
