"""/food/: the staff pages of this app (views.py)."""

from .views import urlpatterns  # noqa: F401

app_name = "food"
