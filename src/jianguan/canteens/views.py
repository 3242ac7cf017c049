"""/canteens/: the canteen list (school or other, 明厨亮灶 status, station, search), a canteen's page with its
明厨亮灶 history and evaluations, and the forms that record them. Stations see their jurisdiction; leadership
reads; the services decide who may write."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, parse_int, parse_ints, slice_page
from jianguan.org.choices import Role
from jianguan.org.models import User
from jianguan.org.selectors import scope_label, station_list

from . import selectors, services
from .choices import ChangeKind, EvaluationResult, MingchuStatus, SchoolLevel

PAGE_SIZE = 50


def _date(text: str, field: str, label: str, required: bool = True) -> dt.date | None:
    text = (text or "").strip()
    if not text and not required:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", f"请填写{label}（如 2026-07-10）", {"field": field}) from None


def _version(request) -> int | None:
    return parse_int(request.POST.get("version"))


def _filters(request) -> dict:
    get = lambda key: request.GET.get(key, "").strip()[:100]  # noqa: E731
    filters = {"state": "all" if get("state") == "all" else "valid"}
    if get("kind") in selectors.KIND_FILTERS:
        filters["kind"] = get("kind")
    if get("mingchu") in MingchuStatus.values:
        filters["mingchu"] = get("mingchu")
    if (station := get("station")) and request.user.role != Role.STATION:
        filters["station"] = station[:30]
    if q := get("q"):
        filters["q"] = q
    return filters


def canteen_list(request):
    today = timezone.localdate()
    filters = _filters(request)
    rows, has_next = slice_page(selectors.canteen_list(actor=request.user, filters=filters, on=today), page_number(request), PAGE_SIZE)
    for lic in rows:
        lic.record = selectors.canteen_of(lic)
    totals = selectors.counts(actor=request.user, on=today)
    rate = round(totals["built"] * 100 / totals["total"], 2) if totals["total"] else None
    return render(request, "canteens/list.html", {
        "rows": rows, "has_next": has_next, "page_no": page_number(request), "filters": filters, "today": today,
        "totals": totals, "rate": rate, "kinds": list(selectors.KIND_FILTERS.items()), "statuses": MingchuStatus.choices,
        "stations": [] if request.user.role == Role.STATION else station_list(), "scope_label": scope_label(request.user),
    })


def canteen_detail(request, pk: int):
    try:
        licence = selectors.canteen_get(actor=request.user, licence_pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    canteen = selectors.canteen_of(licence)
    changes = list(canteen.changes.select_related("recorded_by")) if canteen else []
    evaluations = list(canteen.evaluations.select_related("inspection")) if canteen else []
    school = licence.sector.canteen == "school"
    inspectors = []
    if school and request.user.role != Role.LEADERSHIP:
        station_id = licence.business.subdistrict.station_id
        inspectors = list(User.objects.filter(org_unit_id=station_id, is_active=True).exclude(cert_no=None).exclude(cert_no="")
                          .order_by("username"))
    return render(request, "canteens/detail.html", {
        "licence": licence, "canteen": canteen, "changes": changes, "evaluations": evaluations, "school": school,
        "version": canteen.version if canteen else 0, "today": timezone.localdate(),
        "status": MingchuStatus(canteen.mingchu_status) if canteen else MingchuStatus.NONE,
        "change_kinds": ChangeKind.choices, "results": EvaluationResult.choices, "levels": SchoolLevel.choices,
        "can_write": request.user.role != Role.LEADERSHIP, "inspectors": inspectors,
    })


def _back(pk: int):
    return redirect(reverse("canteens:detail", args=[pk]))


@require_POST
def canteen_profile(request, pk: int):
    post = request.POST
    try:
        diners = post.get("diners", "").strip()
        if diners and (parse_int(diners) is None or parse_int(diners) < 0):
            raise DomainError("invalid_diners", "就餐人数应为不小于0的整数", {"field": "diners"})
        level = post.get("school_level", "")
        if level and level not in SchoolLevel.values:
            raise DomainError("invalid_level", "学段无效", {"field": "school_level"})
        services.canteen_update(actor=request.user, licence_pk=pk, version=_version(request), ip=client_ip(request),
                                school_name=post.get("school_name", "")[:200], school_level=level,
                                diners=parse_int(diners) if diners else None)
        messages.success(request, "已保存食堂信息。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


@require_POST
def canteen_mingchu(request, pk: int):
    post = request.POST
    try:
        change = services.mingchu_record(
            actor=request.user, licence_pk=pk, version=_version(request), kind=post.get("kind", ""),
            on=_date(post.get("on"), "on", "日期"), platform=post.get("platform", "")[:100], note=post.get("note", "")[:300],
            ip=client_ip(request))
        messages.success(request, f"已登记明厨亮灶{change.get_kind_display()}（{change.on}）。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


@require_POST
def canteen_evaluate(request, pk: int):
    post = request.POST
    try:
        ids = parse_ints(post.getlist("inspectors"))
        inspectors = list(User.objects.filter(pk__in=ids)) if ids else []
        evaluation = services.evaluation_record(
            actor=request.user, licence_pk=pk, on=_date(post.get("on"), "on", "评价日期"), result=post.get("result", ""),
            evaluator=post.get("evaluator", "")[:200], problems=post.get("problems", "").splitlines(),
            deadline=_date(post.get("deadline"), "deadline", "整改期限", required=False), inspectors=inspectors,
            ip=client_ip(request))
        found = len(evaluation.problem_lines)
        messages.success(request, f"已登记评价验收（{evaluation.get_result_display()}）"
                                  + (f"，{found}个问题已转为检查问题，编号 {evaluation.inspection.number}。" if found else "。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


urlpatterns = [
    path("", canteen_list, name="list"),
    path("<int:pk>/", canteen_detail, name="detail"),
    path("<int:pk>/profile/", canteen_profile, name="profile"),
    path("<int:pk>/mingchu/", canteen_mingchu, name="mingchu"),
    path("<int:pk>/evaluate/", canteen_evaluate, name="evaluate"),
]
