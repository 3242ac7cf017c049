import logging

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render

# The API authenticates its own callers (session or token) and answers 401 in JSON; the public
# portal needs no login at all. Everything else requires a signed-in user.
OPEN_PREFIXES = ("/api/", "/public/", "/static/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


# Every page: scripts only from our own static files (no inline script, no eval), so that text a user
# wrote can never run even if it reached a page unescaped. Styles may be inline (style attributes,
# per-page <style> blocks, htmx's indicator style); images from our files or data: URLs (ECharts'
# exports, the admin's and Swagger UI's icons).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


logger = logging.getLogger(__name__)
NUL_MESSAGE = "请求中含有不可处理的空字符（\\0），请检查链接或参数"
OVERFLOW_MESSAGE = "请求中的编号或数值过大，超出了可处理的范围，请检查链接或所填内容"
DATA_MESSAGE = "请求中的数据无法保存或查询（数值过大，或含有不可处理的字符），请检查链接或所填内容"


class BadInputMiddleware:
    """What an address bar or a tampered form can send that the database cannot take, answered as a
    400 in Chinese (a page, or the API's error body) instead of a 500:
    - a NUL character in the path or a query parameter, refused before any view runs (PostgreSQL
      cannot hold it in text and raises DataError wherever the value reaches a query);
    - an id past 64 bits that reached a query anyway (a form's multiple choice sends `pk IN (…)`,
      which SQLite refuses with OverflowError); the pages parse their own parameters with
      core.paging, this catches what Django's fields pass through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in vs):
            return self._refuse(request, NUL_MESSAGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return self._refuse(request, OVERFLOW_MESSAGE)
        if isinstance(exception, DataError):
            # PostgreSQL's word for the same (a bigint out of range, NUL in text that a form field let
            # through): logged, since a field that validates the value would give a better message.
            logger.warning("DataError answered as 400 on %s: %s", request.path, exception)
            return self._refuse(request, DATA_MESSAGE)
        return None

    @staticmethod
    def _refuse(request, message: str):
        if request.path.startswith("/api/"):
            body = {"code": "invalid", "message": message, "extra": {}}
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", {"message": message}, status=400)
