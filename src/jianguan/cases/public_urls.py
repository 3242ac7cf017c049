"""/public/penalties/: the published penalty decisions (Order 45) — no login, rate limited, read-only."""

from django.urls import path, re_path

from .views import public

app_name = "cases_public"

urlpatterns = [
    path("", public.penalty_list, name="list"),
    # The id as text: a number too big for the database is a 404, not an error (core.paging.parse_int).
    re_path(r"^(?P<pk>[0-9]{1,30})/$", public.penalty_detail, name="detail"),
    path("feed.json", public.penalty_feed, name="feed"),
    # Last: anything else here is not found in the public layout, not in the staff one.
    re_path(r"^(?P<rest>.*)$", public.not_found, name="not_found"),
]
