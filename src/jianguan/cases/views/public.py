"""/public/penalties/: the penalty decisions published under Order 45 (no login, rate limited, read-only).

Shown is exactly what is published as of today: published on or before today, its period not over
(publication_rules.shown_q), never a withdrawn or early-ended one. Each decision is shown as Order 45's
information summary (行政处罚信息摘要): the decision number, the party, the type of violation and the
articles, the penalties, the deciding authority and the dates. Never an officer, the case number, its
steps or notes.

Personal data (PIPL, Order 45 art. 6): a natural person is shown by the masked name and ID number
(core.masking), also where the name appears in the 案由; a name search finds organisations only, so
that nobody can confirm that a given person was penalised by typing the name (a person's decision is
found by its number). A registered business — an individual business too — is public by its name and
code.

The JSON feed (feed.json) gives the same records, in pages of at most MAX_PAGE_SIZE.
"""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from jianguan.core.masking import mask_id_number, mask_name
from jianguan.core.paging import MAX_PAGE, page_number, parse_int
from jianguan.core.ratelimit import rate_limit
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit

from ..choices import PenaltyKind, RespondentKind
from ..models import Case
from ..publication_rules import shown_q

PAGE_SIZE = 30
FEED_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_QUERY = 60
USCC_LIKE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
NOT_FOUND = "您访问的页面不存在。"
DECISION_NOT_FOUND = "未找到该行政处罚信息：信息不存在，或已撤下、停止公示、公示期满。"
FIELDS = (
    "pk", "decision_number", "respondent_kind", "respondent_name", "respondent_uscc", "respondent_id_no", "cause",
    "violated_articles", "penalising_articles", "penalty_kinds", "fine_amount", "confiscated_income", "confiscated_value",
    "decided_on", "published_on", "publish_until", "category__name",
)


def _today():
    return timezone.localdate()


def _bureau_name() -> str:
    return OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").values_list("name", flat=True).first() or "市场监督管理局"


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"cases/public/{template}", {"bureau_name": _bureau_name(), **context}, status=status)


def _wants_json(request) -> bool:
    return request.path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _not_found(request, message: str = NOT_FOUND) -> HttpResponse:
    if _wants_json(request):
        return _json({"code": "not_found", "message": message, "extra": {}}, status=404)
    return _render(request, "404.html", {"message": message}, status=404)


# ---------------------------------------------------------------- what is shown


def shown_decisions(day=None):
    """The decisions the public sees on `day` (today), newest publication first."""
    return Case.objects.filter(shown_q(day or _today())).order_by("-published_on", "-pk")


def search(queryset, q: str):
    """名称 (organisations only), 统一社会信用代码 or 决定书文号."""
    q = (q or "").strip()[:MAX_QUERY]
    if not q:
        return queryset
    match = Q(decision_number__icontains=q) | Q(respondent_kind=RespondentKind.ORGANISATION, respondent_name__icontains=q)
    if USCC_LIKE.match(q.upper()):
        match |= Q(respondent_uscc=q.upper())
    return queryset.filter(match)


def _money(value) -> str:
    return f"{value:,.2f}"


def _scrub(text: str, person: bool, name: str, id_no: str) -> str:
    """A person's name and ID number, wherever the text repeats them, masked as in the header."""
    if not person or not text:
        return text
    for secret, masked in ((id_no, mask_id_number(id_no)), (name, mask_name(name))):
        if secret and len(secret) > 1:
            text = text.replace(secret, masked)
    return text


def summary(row: dict, authority: str) -> dict:
    """One decision as the public sees it (the 行政处罚信息摘要)."""
    person = row["respondent_kind"] == RespondentKind.PERSON
    name, id_no = row["respondent_name"], row["respondent_id_no"]
    labels = dict(PenaltyKind.choices)
    kinds = [labels.get(kind, kind) for kind in row["penalty_kinds"] or []]
    content = []
    for kind in row["penalty_kinds"] or []:
        if kind == PenaltyKind.FINE and row["fine_amount"]:
            content.append(f"罚款{_money(row['fine_amount'])}元")
        elif kind == PenaltyKind.CONFISCATE_INCOME and row["confiscated_income"]:
            content.append(f"没收违法所得{_money(row['confiscated_income'])}元")
        elif kind == PenaltyKind.CONFISCATE_PROPERTY and row["confiscated_value"]:
            content.append(f"没收非法财物（货值{_money(row['confiscated_value'])}元）")
        else:
            content.append(labels.get(kind, kind))
    return {
        "id": row["pk"],
        "decision_number": row["decision_number"],
        "respondent_kind": RespondentKind(row["respondent_kind"]).label,
        "respondent_name": mask_name(name) if person else name,
        "uscc": "" if person else row["respondent_uscc"],
        "id_number": mask_id_number(id_no) if person else "",
        "category": row["category__name"],
        "violation": _scrub(row["cause"], person, name, id_no),
        "violated_articles": _scrub(row["violated_articles"], person, name, id_no),
        "penalising_articles": _scrub(row["penalising_articles"], person, name, id_no),
        "penalty_kinds": kinds,
        "penalty_content": "；".join(content),
        "fine_amount": f"{row['fine_amount']:.2f}",
        "confiscated_income": f"{row['confiscated_income']:.2f}",
        "confiscated_value": f"{row['confiscated_value']:.2f}",
        "authority": authority,
        "decided_on": row["decided_on"].isoformat(),
        "published_on": row["published_on"].isoformat(),
        "publish_until": row["publish_until"].isoformat(),
    }


# ---------------------------------------------------------------- pages


@rate_limit()
@require_safe
def penalty_list(request):
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    today = _today()
    decisions = search(shown_decisions(today), q).values(*FIELDS)
    page = Paginator(decisions, PAGE_SIZE).get_page(page_number(request))
    authority = _bureau_name()
    return _render(request, "list.html", {
        "page": page, "rows": [summary(row, authority) for row in page], "q": q, "today": today,
    })


@rate_limit()
@require_safe
def penalty_detail(request, pk: str):
    number = parse_int(pk)
    row = shown_decisions().filter(pk=number).values(*FIELDS).first() if number else None
    if row is None:
        return _not_found(request, DECISION_NOT_FOUND)
    return _render(request, "detail.html", {"d": summary(row, _bureau_name())})


@rate_limit()
@require_safe
def penalty_feed(request):
    """The same records as JSON: ?q= (as the page), ?page= (from 1), ?page_size= (1–100, default 50)."""
    size_text = request.GET.get("page_size", "").strip()
    size = FEED_PAGE_SIZE if not size_text else parse_int(size_text)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        return _json({"code": "invalid_page_size", "message": f"page_size 须为 1～{MAX_PAGE_SIZE} 之间的整数",
                      "extra": {"field": "page_size", "max": MAX_PAGE_SIZE}}, status=400)
    page_text = request.GET.get("page", "").strip()
    if page_text and (parse_int(page_text) is None or not 1 <= parse_int(page_text) <= MAX_PAGE):
        return _json({"code": "invalid_page", "message": "page 须为从 1 开始的整数", "extra": {"field": "page"}}, status=400)
    page_no = page_number(request)
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    today = _today()
    decisions = search(shown_decisions(today), q)
    count = decisions.count()
    rows = list(decisions.values(*FIELDS)[(page_no - 1) * size: page_no * size])
    authority = _bureau_name()
    base = reverse("cases_public:feed")
    has_next = page_no * size < count

    def link(n: int) -> str:
        params = {"q": q, "page": n, "page_size": size} if q else {"page": n, "page_size": size}
        return request.build_absolute_uri(f"{base}?{urlencode(params)}")

    results = []
    for row in rows:
        item = summary(row, authority)
        item["url"] = request.build_absolute_uri(reverse("cases_public:detail", args=[row["pk"]]))
        results.append(item)
    return _json({
        "as_of": today.isoformat(), "count": count, "page": page_no, "page_size": size,
        "next": link(page_no + 1) if has_next else None, "previous": link(page_no - 1) if page_no > 1 and rows else None,
        "results": results,
    })


@rate_limit()
@require_safe
def not_found(request, rest: str = ""):
    """Any other path under /public/penalties/, answered in the public layout (the site's own 404 page
    is the staff one). The pattern matches every path, so the APPEND_SLASH redirect is made here."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except (Resolver404, Http404):
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _not_found(request)
