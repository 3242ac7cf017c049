"""/public/credit/: 信用信息查询 — no login, rate limited, read-only."""

from django.urls import path, re_path

from . import public

app_name = "credit_public"

urlpatterns = [
    path("", public.lookup, name="lookup"),
    # Last: anything else here is not found in the public layout, not in the staff one.
    re_path(r"^(?P<rest>.*)$", public.not_found, name="not_found"),
]
