"""/public/sampling/: 食品安全抽检信息公告 (no login, rate limited, read-only), like the penalty publication.

What is published (Order 15: the results of 监督抽检 and the disposal of unqualified food are made public):
- the results of 监督抽检 and 评价性抽检 whose report is out (报告日期 on or before today), 合格 and 不合格;
- never 风险监测: it looks for hazards and makes no 合格 judgement, its 问题样品 go to risk control, not to
  the public (the page says so); never a sample still waiting for its report.
A result the business has asked to re-test is shown with that note (the 复检 conclusion is final); one that
the 复检 or an accepted 异议 overturned is shown as 合格, with the note. Notices are grouped by the report
date (the day the result exists): the year and month filters are on it.

Each row is what a 抽检信息公告 prints: 抽样单编号, the food (name, specification, batch, 食品大类), the
sampled business (name, code, subdistrict, 业态), the stated producer, the institution, the dates, the
conclusion and, when unqualified, each item with its measured value, the standard's value and the unit,
and where the disposal (核查处置) stands. Never the officers, the case lead, the cause found, quantities or notes.

Personal data (PIPL): a sampled party that is neither in the registry nor identified by a unified social
credit code is taken to be a natural person (a stall at a market, an unregistered seller), and its name is
masked with core.masking.mask_name (张三 → 张*). A registered business — an individual business too — and
any organisation with a code (a school canteen) are public by name and code, as on the penalty pages.

The JSON feed (feed.json) gives the same records with the same filters, in pages of at most MAX_PAGE_SIZE.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from jianguan.core.masking import mask_name
from jianguan.core.paging import MAX_PAGE, page_number, parse_int
from jianguan.core.ratelimit import rate_limit
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit

from .choices import Conclusion, ObjectionOutcome, RetestOutcome, SamplingType
from .models import FoodCategory, Sample

PAGE_SIZE = 30
FEED_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
FIRST_YEAR = 2000
PUBLISHED_TYPES = (SamplingType.SUPERVISION, SamplingType.EVALUATION)
PUBLISHED_CONCLUSIONS = (Conclusion.QUALIFIED, Conclusion.UNQUALIFIED)
NOT_FOUND = "您访问的页面不存在。"


def _today() -> dt.date:
    return timezone.localdate()


def _bureau_name() -> str:
    return OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").values_list("name", flat=True).first() or "市场监督管理局"


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"sampling/public/{template}", {"bureau_name": _bureau_name(), **context}, status=status)


def _wants_json(request) -> bool:
    return request.path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(code: str, message: str, field: str, status: int = 400, **extra) -> JsonResponse:
    return _json({"code": code, "message": message, "extra": {"field": field, **extra}}, status=status)


# ---------------------------------------------------------------- what is published


def published_samples(day: dt.date | None = None):
    """The results the public sees on `day` (today): 监督抽检 and 评价性抽检 with their report out, newest first."""
    return (Sample.objects.filter(sampling_type__in=PUBLISHED_TYPES, conclusion__in=PUBLISHED_CONCLUSIONS,
                                  report_on__lte=day or _today())
            .order_by("-report_on", "-pk"))


class FilterError(Exception):
    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def parse_filters(params, today: dt.date) -> dict:
    """?year=2026&month=7&category=<食品大类编码>&conclusion=qualified|unqualified, each optional; month needs
    a year. Raises FilterError (Chinese message, the parameter's name) on anything else."""
    out = {"year": None, "month": None, "category": None, "conclusion": ""}
    year_text, month_text = params.get("year", "").strip(), params.get("month", "").strip()
    if year_text:
        year = parse_int(year_text)
        if year is None or not FIRST_YEAR <= year <= today.year:
            raise FilterError("invalid_year", f"年份须为 {FIRST_YEAR}～{today.year} 之间的整数", "year")
        out["year"] = year
    if month_text:
        month = parse_int(month_text)
        if month is None or not 1 <= month <= 12:
            raise FilterError("invalid_month", "月份须为 1～12 之间的整数", "month")
        if out["year"] is None:
            raise FilterError("month_without_year", "按月份查询时请同时选择年份", "month")
        out["month"] = month
    code = params.get("category", "").strip()[:20]
    if code:
        out["category"] = FoodCategory.objects.filter(code=code).first()
        if out["category"] is None:
            raise FilterError("invalid_category", f"食品大类编码“{code}”不存在", "category")
    conclusion = params.get("conclusion", "").strip()
    if conclusion:
        if conclusion not in PUBLISHED_CONCLUSIONS:
            raise FilterError("invalid_conclusion", "检验结论只能是 qualified（合格）或 unqualified（不合格）", "conclusion")
        out["conclusion"] = conclusion
    return out


def filtered(queryset, filters: dict):
    """The published samples of the chosen report period, 食品大类 and conclusion (a date range, not __month:
    the report-date index serves it)."""
    if filters["year"]:
        year, month = filters["year"], filters["month"]
        if month:
            first = dt.date(year, month, 1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        queryset = queryset.filter(report_on__range=(first, last))
    if filters["category"] is not None:
        queryset = queryset.filter(food_category=filters["category"])
    if filters["conclusion"]:
        queryset = queryset.filter(conclusion=filters["conclusion"])
    return queryset


def _query(filters: dict) -> dict:
    """The filters as query-string parameters (for the pager and the feed's links)."""
    params = {"year": filters["year"], "month": filters["month"],
              "category": filters["category"].code if filters["category"] is not None else None,
              "conclusion": filters["conclusion"]}
    return {k: v for k, v in params.items() if v}


def is_person(sample: Sample) -> bool:
    """Neither in the registry nor identified by a code: a natural person, whose name is not published in full."""
    return sample.business_id is None and not sample.business_uscc


def _note(sample: Sample) -> str:
    if sample.retest_outcome == RetestOutcome.OVERTURNED:
        return "经复检合格，原不合格检验结论不成立"
    if sample.objection_outcome == ObjectionOutcome.ACCEPTED:
        return "被抽样单位提出异议，经审查异议成立，原不合格检验结论撤销"
    if sample.retest_outcome == RetestOutcome.UPHELD:
        return "经复检，维持原不合格检验结论"
    if sample.retest_requested_on and sample.conclusion == Conclusion.UNQUALIFIED:
        return "被抽样单位已申请复检，以复检结论为准"
    return ""


def _disposal(sample: Sample) -> str:
    if sample.conclusion != Conclusion.UNQUALIFIED:
        return ""
    if sample.disposed_on:
        day = sample.disposed_on
        return f"已于{day.year}年{day.month}月{day.day}日完成核查处置"
    return "核查处置中"


def summary(sample: Sample) -> dict:
    """One sample as the notice prints it (see the module's docstring for what is left out)."""
    person = is_person(sample)
    unqualified = sample.conclusion == Conclusion.UNQUALIFIED
    return {
        "number": sample.number,
        "sampling_type": sample.get_sampling_type_display(),
        "food_category": sample.food_category.name,
        "sample_name": sample.sample_name,
        "specification": sample.specification,
        "batch": sample.batch,
        "business_name": mask_name(sample.business_name) if person else sample.business_name,
        "business_uscc": "" if person else sample.business_uscc,
        "business_kind": "个人（未登记）" if person else "单位或个体工商户",
        "subdistrict": sample.subdistrict.name if sample.subdistrict_id else "",
        "business_format": sample.business_format.name,
        "producer_name": sample.producer_name,
        "institution": sample.institution,
        "sampled_on": sample.sampled_on.isoformat(),
        "report_on": sample.report_on.isoformat(),
        "conclusion": sample.get_conclusion_display(),
        "unqualified": unqualified,
        # Only an unqualified result lists its items (an overturned one keeps them on record, not in public).
        "items": [{"name": i.name, "measured": i.measured, "standard": i.standard, "unit": i.unit}
                  for i in sample.items.all()] if unqualified else [],
        "note": _note(sample),
        "disposal": _disposal(sample),
    }


def _rows(queryset) -> list[dict]:
    return [summary(s) for s in queryset.select_related("food_category", "business_format", "subdistrict").prefetch_related("items")]


def _counts(queryset) -> dict:
    totals = queryset.order_by().aggregate(
        total=Count("pk"), qualified=Count("pk", filter=Q(conclusion=Conclusion.QUALIFIED)),
        unqualified=Count("pk", filter=Q(conclusion=Conclusion.UNQUALIFIED)))
    return {k: v or 0 for k, v in totals.items()}


def _years(today: dt.date) -> list[int]:
    first = published_samples(today).order_by().aggregate(first=Min("report_on"))["first"]
    start = max(first.year, FIRST_YEAR) if first else today.year
    return list(range(today.year, start - 1, -1))


# ---------------------------------------------------------------- pages


@rate_limit()
@require_safe
def sample_list(request):
    today = _today()
    error = None
    try:
        filters = parse_filters(request.GET, today)
    except FilterError as exc:
        error, filters = exc.message, parse_filters({}, today)
    samples = filtered(published_samples(today), filters)
    page = Paginator(samples, PAGE_SIZE).get_page(page_number(request))
    query = _query(filters)
    return _render(request, "list.html", {
        "page": page, "rows": _rows(page.object_list), "today": today, "error": error, "filters": filters,
        "counts": _counts(samples), "years": _years(today), "months": range(1, 13),
        "categories": FoodCategory.objects.order_by("order", "code"), "query": urlencode(query),
        "feed_url": f"{reverse('sampling_public:feed')}?{urlencode(query)}" if query else reverse("sampling_public:feed"),
    })


@rate_limit()
@require_safe
def sample_feed(request):
    """The same records as JSON: the page's filters, ?page= (from 1), ?page_size= (1–100, default 50)."""
    size_text = request.GET.get("page_size", "").strip()
    size = FEED_PAGE_SIZE if not size_text else parse_int(size_text)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        return _error("invalid_page_size", f"page_size 须为 1～{MAX_PAGE_SIZE} 之间的整数", "page_size", max=MAX_PAGE_SIZE)
    page_text = request.GET.get("page", "").strip()
    if page_text and (parse_int(page_text) is None or not 1 <= parse_int(page_text) <= MAX_PAGE):
        return _error("invalid_page", "page 须为从 1 开始的整数", "page")
    today = _today()
    try:
        filters = parse_filters(request.GET, today)
    except FilterError as exc:
        return _error(exc.code, exc.message, exc.field)
    page_no = page_number(request)
    samples = filtered(published_samples(today), filters)
    count = samples.count()
    rows = _rows(samples[(page_no - 1) * size: page_no * size])
    base, query = reverse("sampling_public:feed"), _query(filters)

    def link(n: int) -> str:
        return request.build_absolute_uri(f"{base}?{urlencode({**query, 'page': n, 'page_size': size})}")

    return _json({
        "as_of": today.isoformat(), "count": count, "page": page_no, "page_size": size,
        "filters": {**query, "category_name": filters["category"].name if filters["category"] is not None else ""},
        "next": link(page_no + 1) if page_no * size < count else None,
        "previous": link(page_no - 1) if page_no > 1 and rows else None,
        "results": rows,
    })


@rate_limit()
@require_safe
def not_found(request, rest: str = ""):
    """Any other path under /public/sampling/, answered in the public layout (the site's own 404 page is
    the staff one). The pattern matches every path, so the APPEND_SLASH redirect is made here."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except (Resolver404, Http404):
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    if _wants_json(request):
        return _json({"code": "not_found", "message": NOT_FOUND, "extra": {}}, status=404)
    return _render(request, "404.html", {"message": NOT_FOUND}, status=404)
