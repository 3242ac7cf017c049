"""/public/credit/: 信用信息查询 (no login, rate limited, read-only), what the national enterprise credit
publicity system (国家企业信用信息公示系统) shows for the businesses of this jurisdiction.

Search by a fragment of the name (at least two characters) or by the 18-character unified social credit code.
Per business found: its registration (name, code, type, status, established), the abnormal-list entries
decided — 列入 and 标记 — in force or removed (reason, date listed, deciding authority = the bureau, date and
reason of removal), the serious violation list entries (Order 44 category, dates), and the report years of
the annual reports filed and published. Never the computed credit risk class (internal), never a proposal
not yet decided or declined, never a listing revoked as wrongly made, never a person (legal representative).
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views.decorators.http import require_safe

from jianguan.core.paging import page_number
from jianguan.core.ratelimit import rate_limit
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit

from .selectors.public import MIN_NAME_CHARS, SearchError, public_records, public_search

PAGE_SIZE = 20
MAX_QUERY = 100  # a longer text is no name fragment; cut it rather than scan with it
NOT_FOUND = "您访问的页面不存在。"


def _today() -> dt.date:
    return timezone.localdate()


def _bureau_name() -> str:
    return OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").values_list("name", flat=True).first() or "市场监督管理局"


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"credit/public/{template}", {"bureau_name": _bureau_name(), **context}, status=status)


@rate_limit()
@require_safe
def lookup(request):
    today = _today()
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context = {"today": today, "query": query, "min_chars": MIN_NAME_CHARS, "error": "", "page": None, "records": []}
    if query:
        try:
            businesses = public_search(query)
        except SearchError as exc:
            context["error"] = exc.message
        else:
            page = Paginator(businesses, PAGE_SIZE).get_page(page_number(request))
            context.update(page=page, records=public_records(list(page.object_list), today),
                           query_string=urlencode({"q": query}))
    return _render(request, "lookup.html", context, status=400 if context["error"] else 200)


@rate_limit()
@require_safe
def not_found(request, rest: str = ""):
    """Any other path under /public/credit/, in the public layout (the site's 404 page is the staff one)."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except (Resolver404, Http404):
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _render(request, "404.html", {"message": NOT_FOUND}, status=404)
