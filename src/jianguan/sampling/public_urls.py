"""/public/sampling/: 食品安全抽检信息公告 — no login, rate limited, read-only."""

from django.urls import path, re_path

from . import public

app_name = "sampling_public"

urlpatterns = [
    path("", public.sample_list, name="list"),
    path("feed.json", public.sample_feed, name="feed"),
    # Last: anything else here is not found in the public layout, not in the staff one.
    re_path(r"^(?P<rest>.*)$", public.not_found, name="not_found"),
]
