"""/food/: the grading list with explanations (food:index), the year's plan with progress (food:plan), one
grade with its factors and the override form (food:grade). Staff only; stations see their jurisdiction,
leadership reads, the food department and administrators grade and override. Both lists export to Excel."""

import datetime as dt
from io import BytesIO

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.exporting import write_table
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, parse_int
from jianguan.licences.selectors import sector_choices
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_label, subdistricts_in_scope

from . import selectors
from .choices import GRADES, DueFilter, Grade, Progress
from .services.grading import grade_override

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_decide(user) -> bool:
    return user.role in (Role.DEPARTMENT, Role.ADMIN)


def _year(request, today: dt.date) -> tuple[int, list[str]]:
    value = request.GET.get("year", "").strip()
    if not value:
        return today.year, []
    year = parse_int(value)
    if year is None or not 2000 <= year <= 2100:
        return today.year, [f"年度“{value[:10]}”无效，已显示{today.year}年度"]
    return year, []


def _as_of(year: int, today: dt.date) -> dt.date:
    """The day a year's pages are read as of: today within the year, else its first or last day."""
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def _filters(request, subdistricts, *, extra: dict) -> tuple[dict, list[str]]:
    filters, problems = {}, []
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    if value := get("grade"):
        if value in GRADES:
            filters["grade"] = value
        else:
            problems.append(f"风险等级“{value[:10]}”无效，已忽略")
    for key, label, allowed in (("station", "监管所", {s.station_id for s in subdistricts}),
                                ("subdistrict", "街道", {s.pk for s in subdistricts})):
        if value := get(key):
            pk = parse_int(value)
            if pk in allowed:
                filters[key] = pk
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    if value := get("sector"):
        if value in dict(sector_choices()):
            filters["sector"] = value
        else:
            problems.append(f"主体业态“{value[:20]}”无效，已忽略")
    for key, (label, allowed) in extra.items():
        if value := get(key):
            if value in allowed:
                filters[key] = value
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    for flag in ("overridden", "uncovered"):
        if get(flag):
            filters[flag] = True
    if q := get("q"):
        filters["q"] = q[:100]
    return filters, problems


def _context(request, subdistricts) -> dict:
    stations = sorted({(s.station.code, s.station_id, s.station.name) for s in subdistricts})
    return {"subdistricts": subdistricts, "stations": [(pk, name) for _, pk, name in stations], "sectors": sector_choices(),
            "grade_choices": Grade.choices, "grades": GRADES, "show_station": request.user.role != Role.STATION,
            "scope_label": scope_label(request.user)}


def _xlsx(headers, rows, title: str, filename: str) -> HttpResponse:
    out = BytesIO()
    write_table(out, headers, rows, fmt="xlsx", title=title)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _page(request, qs):
    page_no = page_number(request)
    start = (page_no - 1) * PAGE_SIZE
    page = list(qs[start : start + PAGE_SIZE + 1])
    return page[:PAGE_SIZE], len(page) > PAGE_SIZE, page_no


@require_GET
def grade_index(request):
    today = timezone.localdate()
    year, problems = _year(request, today)
    subdistricts = list(subdistricts_in_scope(actor=request.user).select_related("station").order_by("station__code", "code"))
    filters, more = _filters(request, subdistricts, extra={})
    run = selectors.current_run(year, today)
    qs = selectors.grade_list(actor=request.user, run=run, filters=filters)
    if request.GET.get("format") == "xlsx":
        def rows():
            for g in qs.iterator(chunk_size=2000):
                b = g.business
                yield [b.uscc, b.name, b.subdistrict.name, b.subdistrict.station.name if b.subdistrict.station_id else "",
                       g.kind.name if g.kind_id else "", g.sector.name if g.sector_id else "", g.static_points, g.dynamic_points,
                       g.points, g.computed_grade, g.grade, "是" if g.overridden else "否", g.override_reason,
                       "；".join(f"{f['label']}×{f['count']}={f['points']}分" for f in g.factors), g.graded_on.isoformat()]
        headers = ["统一社会信用代码", "名称", "所属街道", "监管所", "许可种类", "主体业态", "静态分值", "动态分值", "风险分值",
                   "计算等级", "风险等级", "人工调整", "调整理由", "评分因素", "评定日期"]
        return _xlsx(headers, rows(), "风险分级", f"{year}年度食品安全风险分级_{today.isoformat()}.xlsx")
    rows, has_next, page_no = _page(request, qs)
    return render(request, "food/index.html", {
        **_context(request, subdistricts), "year": year, "run": run, "today": today, "filters": filters,
        "problems": problems + more, "rows": rows, "has_next": has_next, "page_no": page_no,
        "distribution": selectors.grade_distribution(actor=request.user, run=run),
    })


@require_GET
def plan_index(request):
    today = timezone.localdate()
    year, problems = _year(request, today)
    on = _as_of(year, today)
    subdistricts = list(subdistricts_in_scope(actor=request.user).select_related("station").order_by("station__code", "code"))
    filters, more = _filters(request, subdistricts, extra={"progress": ("完成情况", set(Progress.values)),
                                                             "due": ("应检", set(DueFilter.values))})
    if "due" in filters and on != today:
        more.append("“本月应检”只对本年度计划有效，已忽略")
        filters.pop("due")
    plan = selectors.current_plan(year, on)
    qs = selectors.plan_list(actor=request.user, plan=plan, on=on, filters=filters)
    if request.GET.get("format") == "xlsx":
        def rows():
            for i in selectors.decorate(qs.iterator(chunk_size=2000), on):
                b = i.business
                yield [b.uscc, b.name, b.subdistrict.name, b.subdistrict.station.name if b.subdistrict.station_id else "",
                       i.food_grade.sector.name if i.food_grade.sector_id else "", i.grade, i.min_inspections, i.max_inspections,
                       i.done, i.progress_label, i.last_full.isoformat() if i.last_full else "",
                       i.full_due.isoformat() if i.full_due else "", "是" if i.full_lapsed else "否"]
        headers = ["统一社会信用代码", "名称", "所属街道", "监管所", "主体业态", "风险等级", "最低检查次数", "最高检查次数",
                   "本年已检次数", "完成情况", "最近全项检查日期", "下次全项检查期限", "两年全项检查已届满"]
        return _xlsx(headers, rows(), "检查计划", f"{year}年度食品安全监督检查计划_{on.isoformat()}.xlsx")
    rows, has_next, page_no = _page(request, qs)
    return render(request, "food/plan.html", {
        **_context(request, subdistricts), "year": year, "plan": plan, "on": on, "today": today, "filters": filters,
        "problems": problems + more, "rows": selectors.decorate(rows, on), "has_next": has_next, "page_no": page_no,
        "summary": selectors.plan_summary(actor=request.user, plan=plan, on=on),
        "progress_choices": Progress.choices, "due_choices": DueFilter.choices,
    })


def _grade_or_404(request, pk: int):
    try:
        return selectors.grade_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _grade_page(request, grade, *, error=None, form=None, status=200):
    today = timezone.localdate()
    item = None
    if grade.run.superseded_on is None:
        on = _as_of(grade.year, today)
        item = selectors.business_progress(grade.business, on)
        item = selectors.decorate([item], on)[0] if item is not None else None
    return render(request, "food/grade.html", {
        "g": grade, "business": grade.business, "item": item, "history": selectors.grade_history(grade.business),
        "can_decide": can_decide(request.user) and grade.run.superseded_on is None, "grade_choices": Grade.choices,
        "error": error, "form": form or {}, "static_total": grade.static_points, "dynamic_total": grade.dynamic_points,
    }, status=status)


@require_GET
def grade_detail(request, pk: int):
    return _grade_page(request, _grade_or_404(request, pk))


@require_POST
def grade_override_view(request, pk: int):
    grade = _grade_or_404(request, pk)
    form = {key: request.POST.get(key, "").strip() for key in ("grade", "reason", "version")}
    try:
        version = parse_int(form["version"])
        grade_override(actor=request.user, ip=client_ip(request), pk=grade.pk, version=version, grade=form["grade"],
                       reason=form["reason"])
    except DomainError as exc:
        return _grade_page(request, _grade_or_404(request, pk), error=exc, form=form,
                           status=exc.status if exc.status in (400, 403, 404, 409) else 400)
    messages.success(request, f"已将{grade.business.name}的{grade.year}年度风险等级调整为{form['grade']}级。")
    return redirect("food:grade", grade.pk)


urlpatterns = [
    path("", grade_index, name="index"),
    path("plan/", plan_index, name="plan"),
    path("grades/<int:pk>/", grade_detail, name="grade"),
    path("grades/<int:pk>/override/", grade_override_view, name="grade_override"),
]
