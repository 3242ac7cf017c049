"""/baobao/: the assignments (包保关系) with their 督导 state — the module's entry page, filtered by grade,
cadre level, station and due state (the to-do home's links) — an assignment's page with its 督导 records, the
cadre ledger with its Excel export (phones masked), and the forms that record them. Stations see their
jurisdiction; leadership reads; the services decide who may write."""

import datetime as dt
from io import BytesIO

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.exporting import write_table
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, parse_int, slice_page
from jianguan.core.panels import due_soon_until
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict
from jianguan.org.selectors import scope_label, station_list, subdistricts_in_scope

from . import selectors, services
from .choices import GRADE_LEVEL, BaobaoGrade, CadreLevel
from .rules import due_on, is_overdue

PAGE_SIZE = 50
CADRE_HEADERS = ("姓名", "层级", "工作单位", "职务", "联系电话", "所属乡镇（街道）", "在包主体数", "停用日期")


def _date(text: str, field: str, label: str, required: bool = True) -> dt.date | None:
    text = (text or "").strip()
    if not text and not required:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", f"请填写{label}（如 2026-07-10）", {"field": field}) from None


def _filters(request) -> dict:
    get = lambda key: request.GET.get(key, "").strip()[:100]  # noqa: E731
    filters = {"state": get("state") if get("state") in ("ended", "all") else "active"}
    if get("grade") in BaobaoGrade.values:
        filters["grade"] = get("grade")
    if get("level") in CadreLevel.values:
        filters["level"] = get("level")
    if get("due") in selectors.DUE_FILTERS:
        filters["due"] = get("due")
    if (station := get("station")) and request.user.role != Role.STATION:
        filters["station"] = station[:30]
    if (cadre := parse_int(get("cadre"))) is not None:
        filters["cadre"] = cadre
    if q := get("q"):
        filters["q"] = q
    return filters


def _business(uscc: str) -> Business:
    business = Business.objects.select_related("subdistrict").filter(uscc=(uscc or "").strip().upper()).first()
    if business is None:
        raise DomainError("business_not_found", f"统一社会信用代码“{(uscc or '')[:30]}”没有对应的主体", {"field": "uscc"})
    return business


def index(request):
    today = timezone.localdate()
    until = due_soon_until(today)
    filters = _filters(request)
    rows, has_next = slice_page(selectors.assignment_list(actor=request.user, filters=filters, on=today, until=until),
                                page_number(request), PAGE_SIZE)
    freq = selectors.months(today)
    grades = selectors.current_grades([a.business_id for a in rows], today)
    for a in rows:
        a.grade = grades.get(a.business_id)
        a.due = due_on(a.anchor, freq[a.cadre.level])
        a.overdue = is_overdue(a.anchor, freq[a.cadre.level], today)
        a.level_mismatch = bool(a.grade) and GRADE_LEVEL[BaobaoGrade(a.grade.grade)] != a.cadre.level
    can_write = request.user.role != Role.LEADERSHIP
    return render(request, "baobao/index.html", {
        "rows": rows, "has_next": has_next, "page_no": page_number(request), "filters": filters, "today": today,
        "coverage": selectors.coverage(actor=request.user, on=today), "grades": BaobaoGrade.choices, "levels": CadreLevel.choices,
        "due_filters": list(selectors.DUE_FILTERS.items()), "freq": freq, "scope_label": scope_label(request.user),
        "stations": [] if request.user.role == Role.STATION else station_list(), "can_write": can_write,
        "cadres": list(selectors.cadres_in_scope(request.user).filter(disabled_on__isnull=True)) if can_write else [],
    })


@require_POST
def grade_new(request):
    post = request.POST
    try:
        record = services.grade_set(actor=request.user, business=_business(post.get("uscc")), grade=post.get("grade", ""),
                                    on=_date(post.get("on"), "on", "起始日期"), reason=post.get("reason", "")[:300], ip=client_ip(request))
        messages.success(request, f"已确定“{record.business.name}”的包保等级：{record.get_grade_display()}（{record.valid_from} 起）。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("baobao:index"))


@require_POST
def assignment_new(request):
    post = request.POST
    try:
        cadre = selectors.cadre_get(actor=request.user, pk=parse_int(post.get("cadre")) or 0)
        a = services.assignment_create(actor=request.user, business=_business(post.get("uscc")), cadre=cadre,
                                       start_on=_date(post.get("start_on"), "start_on", "包保起始日期"), note=post.get("note", "")[:300],
                                       ip=client_ip(request))
        messages.success(request, f"已登记：{a.cadre.name} 包保“{a.business.name}”（{a.start_on} 起）。")
        return redirect(reverse("baobao:assignment", args=[a.pk]))
    except NotFound:
        messages.error(request, "请选择包保干部")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("baobao:index"))


def assignment_detail(request, pk: int):
    today = timezone.localdate()
    try:
        a = selectors.assignment_get(actor=request.user, pk=pk, on=today)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    freq = selectors.months(today)
    grade = selectors.current_grades([a.business_id], today).get(a.business_id)
    active = a.start_on <= today and (a.end_on is None or a.end_on >= today)
    return render(request, "baobao/assignment.html", {
        "a": a, "grade": grade, "supervisions": list(a.supervisions.select_related("recorded_by")), "today": today,
        "months": freq[a.cadre.level], "due": due_on(a.anchor, freq[a.cadre.level]) if active else None,
        "overdue": active and is_overdue(a.anchor, freq[a.cadre.level], today), "active": active,
        "can_write": request.user.role != Role.LEADERSHIP,
    })


def _back(pk: int):
    return redirect(reverse("baobao:assignment", args=[pk]))


@require_POST
def supervision_new(request, pk: int):
    post = request.POST
    try:
        choice = post.get("rectified", "")
        rectified = {"yes": True, "no": False}.get(choice)
        s = services.supervision_record(
            actor=request.user, assignment_pk=pk, on=_date(post.get("on"), "on", "督导日期"), checked=post.get("checked", "")[:2000],
            problems=post.get("problems", "")[:4000].splitlines(), rectified=rectified,
            rectified_on=_date(post.get("rectified_on"), "rectified_on", "整改完成日期", required=False), ip=client_ip(request))
        messages.success(request, f"已登记 {s.on} 的督导记录" + (f"，发现问题{s.problem_count}个。" if s.problem_count else "。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


@require_POST
def supervision_rectified(request, pk: int, sid: int):
    try:
        services.supervision_rectified(actor=request.user, pk=sid, version=parse_int(request.POST.get("version")),
                                       rectified_on=_date(request.POST.get("rectified_on"), "rectified_on", "整改完成日期"),
                                       ip=client_ip(request))
        messages.success(request, "已登记整改完成。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


@require_POST
def assignment_end(request, pk: int):
    try:
        a = services.assignment_end(actor=request.user, pk=pk, version=parse_int(request.POST.get("version")),
                                    end_on=_date(request.POST.get("end_on"), "end_on", "包保终止日期"), ip=client_ip(request))
        messages.success(request, f"包保关系已于 {a.end_on} 终止。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


def _cadre_filters(request) -> dict:
    get = lambda key: request.GET.get(key, "").strip()[:100]  # noqa: E731
    filters = {"state": "all" if get("state") == "all" else "active"}
    if get("level") in CadreLevel.values:
        filters["level"] = get("level")
    if (station := get("station")) and request.user.role != Role.STATION:
        filters["station"] = station[:30]
    if q := get("q"):
        filters["q"] = q
    return filters


def cadres(request):
    today = timezone.localdate()
    filters = _cadre_filters(request)
    qs = selectors.cadre_list(actor=request.user, filters=filters, on=today)
    if request.GET.get("export") == "xlsx":
        return _export(qs, today)
    rows, has_next = slice_page(qs, page_number(request), PAGE_SIZE)
    return render(request, "baobao/cadres.html", {
        "rows": rows, "has_next": has_next, "page_no": page_number(request), "filters": filters, "today": today,
        "levels": CadreLevel.choices, "stations": [] if request.user.role == Role.STATION else station_list(),
        "subdistricts": subdistricts_in_scope(actor=request.user).order_by("code"), "can_write": request.user.role != Role.LEADERSHIP,
        "export_query": request.GET.urlencode(),
    })


def _export(qs, today: dt.date) -> HttpResponse:
    def rows():
        for c in qs.iterator(chunk_size=2000):
            yield [c.name, c.get_level_display(), c.unit, c.post, c.masked_phone(), c.subdistrict.name if c.subdistrict else "",
                   c.active, c.disabled_on.isoformat() if c.disabled_on else ""]

    out = BytesIO()
    write_table(out, CADRE_HEADERS, rows(), fmt="xlsx", title="包保干部台账")
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"包保干部台账_{today.isoformat()}.xlsx")
    return response


def _cadre_fields(post) -> dict:
    sub = parse_int(post.get("subdistrict"))
    return {"name": post.get("name", "")[:50], "level": post.get("level", ""), "unit": post.get("unit", "")[:200],
            "post": post.get("post", "")[:100], "phone": post.get("phone", "")[:30],
            "subdistrict": Subdistrict.objects.filter(pk=sub).first() if sub else None}


@require_POST
def cadre_new(request):
    try:
        cadre = services.cadre_save(actor=request.user, ip=client_ip(request), **_cadre_fields(request.POST))
        messages.success(request, f"已登记包保干部：{cadre.name}。")
        return redirect(reverse("baobao:cadre", args=[cadre.pk]))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("baobao:cadres"))


def cadre_detail(request, pk: int):
    today = timezone.localdate()
    try:
        cadre = selectors.cadre_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    assignments = list(selectors.assignment_list(actor=request.user, filters={"cadre": cadre.pk, "state": "all"}, on=today))
    return render(request, "baobao/cadre.html", {
        "cadre": cadre, "assignments": assignments, "today": today, "levels": CadreLevel.choices,
        "subdistricts": subdistricts_in_scope(actor=request.user).order_by("code"), "can_write": request.user.role != Role.LEADERSHIP,
    })


@require_POST
def cadre_edit(request, pk: int):
    post = request.POST
    try:
        fields = _cadre_fields(post)
        if not post.get("phone", "").strip():
            fields.pop("phone")  # the form never shows the number: empty keeps it
        fields["disabled_on"] = _date(post.get("disabled_on"), "disabled_on", "停用日期", required=False)
        services.cadre_save(actor=request.user, pk=pk, version=parse_int(post.get("version")), ip=client_ip(request), **fields)
        messages.success(request, "已保存包保干部信息。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("baobao:cadre", args=[pk]))


urlpatterns = [
    path("", index, name="index"),
    path("grades/new/", grade_new, name="grade_new"),
    path("assignments/new/", assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment"),
    path("assignments/<int:pk>/supervisions/", supervision_new, name="supervision_new"),
    path("assignments/<int:pk>/supervisions/<int:sid>/rectified/", supervision_rectified, name="supervision_rectified"),
    path("assignments/<int:pk>/end/", assignment_end, name="assignment_end"),
    path("cadres/", cadres, name="cadres"),
    path("cadres/new/", cadre_new, name="cadre_new"),
    path("cadres/<int:pk>/", cadre_detail, name="cadre"),
    path("cadres/<int:pk>/edit/", cadre_edit, name="cadre_edit"),
]
