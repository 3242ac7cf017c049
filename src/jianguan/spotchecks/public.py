"""The public side of 双随机、一公开 (no login, rate limited, read-only).

What the public sees of a task follows the draw's protocol (docs/draw.md):
- from locking on: the commitment, the two pools' digests and sizes, the ratios and the team size, so
  that anyone can later check that the draw used exactly what was announced; never the secret;
- after the draw: the secret, the witness's text and name, the time, the drawn objects with the
  departments or stations of each team (no credit risk class, no inspector names or certificate
  numbers on the page), and the draw record itself as JSON for `jianguan verify-draw`, naming strata
  and inspectors by the labels fixed at locking (labels.py): a class is internal and a conflict
  declaration is personal data. A record drawn before labels existed is for staff only;
- once published: each object's result and dates, and the results as CSV for the national credit
  publicity system.
A task voided while still a draft was never announced, so it is not shown; any other voided task is,
with the reason.

Whatever is not found under /public/spotchecks/ — an unknown task number or record, or any other
path — is answered in this public layout (or as the API's error JSON when JSON was asked for): the
site's own 404 page is the staff layout, whose links all lead to the login.
"""

import json
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from jianguan.core.exporting import csv_bytes
from jianguan.core.paging import parse_int
from jianguan.core.ratelimit import rate_limit
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit, User

from .choices import TaskStatus
from .models import Plan, Task

PAGE_SIZE = 30
OBJECTS_PAGE_SIZE = 100
HEAVY = ("pool_snapshot", "inspector_snapshot", "record")  # a city's pool is millions of entries
CSV_HEADERS = ("任务编号", "抽查事项", "统一社会信用代码", "市场主体名称", "抽查结果", "结果日期", "公示日期", "检查实施机关")
PUBLIC_STATUSES = [(s.value, s.label) for s in TaskStatus if s != TaskStatus.DRAFT]


class JSONArrayLength(Func):
    """The length of a JSON array column, counted by the database instead of loading the array."""

    function = "JSON_ARRAY_LENGTH"  # SQLite
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def snapshot_sizes(task: Task) -> tuple[int, int]:
    """How many objects and inspectors were frozen at locking. The snapshots never change once locked,
    so the sizes are cached: a city's pool snapshot is tens of megabytes, not to be read per page view."""
    if task.locked_at is None:
        return 0, 0
    key = f"spotchecks:public:sizes:{task.pk}:{task.pool_digest}:{task.inspector_digest}"
    sizes = cache.get(key)
    if sizes is None:
        row = Task.objects.filter(pk=task.pk).values_list(
            JSONArrayLength("pool_snapshot"), JSONArrayLength("inspector_snapshot")
        ).first()
        sizes = (row[0] or 0, row[1] or 0) if row else (0, 0)
        cache.set(key, sizes, timeout=None)
    return sizes


def public_tasks():
    """Every task from its locking on (a draft, or a draft voided before it was ever locked, is internal)."""
    return Task.objects.exclude(status=TaskStatus.DRAFT).exclude(status=TaskStatus.VOIDED, locked_at__isnull=True)


def _bureau_name() -> str:
    return OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").values_list("name", flat=True).first() or "市场监督管理局"


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"spotchecks/public/{template}", {"bureau_name": _bureau_name(), **context}, status=status)


# ---------------------------------------------------------------- not found, in the public layout

NOT_FOUND = "您访问的页面不存在。"


class PublicNotFound(Http404):
    """A 404 whose message is written for the public (Django's own, like get_object_or_404's, is not)."""


def not_found_response(request, message: str = NOT_FOUND) -> HttpResponse:
    if request.path.endswith(".json") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"code": "not_found", "message": message, "extra": {}}, status=404, json_dumps_params={"ensure_ascii": False},
        )
    return _render(request, "404.html", {"message": message}, status=404)


def public_page(view):
    """Answer a view's 404 with the public page; only PublicNotFound's message is shown as it is."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PublicNotFound as exc:
            return not_found_response(request, str(exc))
        except Http404:
            return not_found_response(request)

    return wrapped


def _get_task(queryset, **lookup) -> Task:
    task = queryset.filter(**lookup).first()
    if task is None:
        raise PublicNotFound("未找到该抽查任务。任务编号有误，或任务尚未公布（任务锁定后才公开）。")
    return task


@rate_limit()
@require_safe
def not_found(request, rest: str = ""):
    """Any other path under /public/spotchecks/. The pattern matches every path, which would stop
    CommonMiddleware's APPEND_SLASH redirect, so that redirect is made here."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return not_found_response(request)


def percent(text: str) -> str:
    """"0.05" → "5"; the ratio is a decimal string, kept exact."""
    try:
        return format((Decimal(text) * 100).normalize(), "f")
    except (InvalidOperation, TypeError):
        return str(text)


def _units_of(team: list[str], unit_of: dict[str, str | None]) -> list[str]:
    """The departments or stations of a team, each once, in team order; never names or numbers."""
    seen: list[str] = []
    for cert in team:
        unit = unit_of.get(cert) or "其他单位"
        if unit not in seen:
            seen.append(unit)
    return seen


@rate_limit()
@public_page
@require_safe
def task_list(request):
    tasks = (
        public_tasks().defer(*HEAVY).select_related("plan__department").prefetch_related("departments")
        .order_by("-start", "-number")
    )
    year, status, q = request.GET.get("year", ""), request.GET.get("status", ""), request.GET.get("q", "").strip()[:50]
    if (year_no := parse_int(year)) is not None:
        tasks = tasks.filter(plan__year=year_no)
    if status in dict(PUBLIC_STATUSES):
        tasks = tasks.filter(status=status)
    if q:
        tasks = tasks.filter(Q(number__icontains=q) | Q(name__icontains=q))
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    years = Plan.objects.filter(tasks__in=public_tasks()).values_list("year", flat=True).distinct().order_by("-year")
    return _render(request, "list.html", {
        "page": page, "years": list(years), "statuses": PUBLIC_STATUSES, "year": year, "status": status, "q": q,
    })


@rate_limit()
@public_page
@require_safe
def task_detail(request, number: str):
    task = _get_task(public_tasks().defer(*HEAVY).select_related("plan__department"), number=number)
    drawn = task.drawn_at is not None
    pool_count, inspector_count = snapshot_sizes(task)
    context = {
        "task": task,
        "pool_count": pool_count,
        "inspector_count": inspector_count,
        "drawn": drawn,
        "items": list(task.items.order_by("code")),
        "departments": list(task.departments.order_by("code")) or [task.plan.department],
        "ratios": public_ratios(task),
        "record_public": bool(task.labels),
    }
    if drawn:
        objects = task.drawn.select_related("business").order_by("order")
        page = Paginator(objects, OBJECTS_PAGE_SIZE).get_page(request.GET.get("page"))
        certificates = {c for obj in page for c in obj.team}
        unit_of = dict(User.objects.filter(cert_no__in=certificates).values_list("cert_no", "org_unit__name"))
        context.update({
            "page": page,
            "rows": [(obj, _units_of(obj.team, unit_of)) for obj in page],
            "drawn_count": page.paginator.count,
            "published_count": task.drawn.filter(published_on__isnull=False).count(),
        })
    return _render(request, "detail.html", context)


def public_ratios(task: Task) -> list[tuple[str, str]]:
    """The ratios as the public record names them: by stratum label, never by credit risk class. A task
    locked before labels existed keys its ratios by class, so the public page lists none for it."""
    if not task.labels:
        return []
    by_label = {label: task.ratios[s] for s, label in task.labels["strata"].items() if s in (task.ratios or {})}
    return [(label, percent(r)) for label, r in sorted(by_label.items())]


def _record_response(task: Task) -> HttpResponse:
    if task.drawn_at is None or task.record is None:
        raise PublicNotFound(f"任务 {task.number} 尚未抽取，抽取后才有抽取记录。")
    if not task.labels:
        # Drawn before the labels: its record names credit risk classes and conflict declarations.
        raise PublicNotFound(f"任务 {task.number} 的抽取记录含内部信息（信用风险分类、回避声明），不对外公开；如需复核，请向实施部门申请。")
    response = HttpResponse(json.dumps(task.record, ensure_ascii=False), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, f"{task.number}-draw.json")
    return response


@rate_limit()
@public_page
@require_safe
def draw_record(request, pk: int):
    """The draw record exactly as stored, for `jianguan verify-draw`; 404 before the draw."""
    return _record_response(_get_task(public_tasks().only("pk", "number", "drawn_at", "record", "labels"), pk=pk))


@rate_limit()
@public_page
@require_safe
def draw_record_by_number(request, number: str):
    """The same record, addressed by the task's number (as docs/draw.md writes it)."""
    return _record_response(_get_task(public_tasks().only("pk", "number", "drawn_at", "record", "labels"), number=number))


@rate_limit()
@public_page
@require_safe
def results_csv(request, number: str):
    """Published results for the national credit publicity system: UTF-8 with BOM, one row per drawn object."""
    task = _get_task(public_tasks().defer(*HEAVY).filter(drawn_at__isnull=False), number=number)
    items = "、".join(task.items.order_by("code").values_list("name", flat=True))
    authority = _bureau_name()
    published = task.drawn.filter(published_on__isnull=False).select_related("business").order_by("order")
    rows = (
        [task.number, items, obj.business.uscc, obj.business.name, obj.get_result_display(),
         obj.result_on.isoformat() if obj.result_on else "", obj.published_on.isoformat(), authority]
        for obj in published.iterator(chunk_size=2000)
    )
    # The core writer: a business name that reads as a formula stays text (an apostrophe in front).
    response = HttpResponse(csv_bytes(CSV_HEADERS, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{task.number}-results.csv")
    return response
