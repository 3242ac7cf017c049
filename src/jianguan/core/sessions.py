"""The idle timeout without a database write on every page.

Django's SESSION_SAVE_EVERY_REQUEST renews a session's expiry by saving it on each request, which makes
every page a write (on SQLite, one writer at a time for the whole site). This middleware saves a signed-in
session only when its last renewal is older than JIANGUAN_SESSION_REFRESH_SECONDS: a session then ends
after SESSION_COOKIE_AGE without activity, give or take that interval.
"""

import time

from django.conf import settings

REFRESHED_KEY = "_jianguan_refreshed"


class RefreshSessionMiddleware:
    """Goes right after SessionMiddleware, so that SessionMiddleware saves what this one marks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No key: an anonymous visitor, or a session flushed by logging out; nothing to renew.
        if session is None or session.session_key is None or session.is_empty():
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        if session.modified or now - session.get(REFRESHED_KEY, 0) >= settings.JIANGUAN_SESSION_REFRESH_SECONDS:
            session[REFRESHED_KEY] = now
        return response
