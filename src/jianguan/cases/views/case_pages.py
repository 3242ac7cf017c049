"""Case pages: the list (open cases first, the nearest decision deadline first, overdue in red) and the
case's page — the clock, the respondent, the timeline of steps, evidence, suspensions, documents, the
decision and its execution, and the forms of the steps allowed now."""

import io
import os
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from jianguan.businesses.models import Business
from jianguan.core import documents as engine
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.importing import run_export
from jianguan.core.middleware import client_ip
from jianguan.core.panels import due_soon_until
from jianguan.org.choices import Role
from jianguan.org.selectors import station_list

from .. import selectors, services
from ..choices import CaseStatus, PenaltyKind, Procedure
from ..forms import SimpleForm
from ..models import Case, CaseCategory
from ..resources import CASE_LEDGER
from .case_steps import CASE_STEPS
from .common import (
    CASE_BADGE,
    can_edit,
    case_clock,
    case_or_404,
    decorate_cases,
    page_number,
    parse_int,
    respondent,
    source_url,
    status_of,
    today,
)
from .steps import step_forms

DUE_FILTERS = {"overdue": "已逾期", "soon": "即将到期", "open": "办理中"}
YEARS_BACK = 10


def _filters(request, on) -> tuple[dict, list[str]]:
    """The list's filters from the query string; a value that means nothing is said and left out."""
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    filters, problems = {}, []
    for key, allowed, label in (
        ("status", CaseStatus.values, "状态"), ("procedure", Procedure.values, "程序类型"), ("due", DUE_FILTERS, "期限"),
    ):
        if value := get(key):
            if value in allowed:
                filters[key] = value
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    if (category := get("category")) and CaseCategory.objects.filter(code=category).exists():
        filters["category"] = category
    if (station := get("station")) and request.user.role != Role.STATION:
        filters["station"] = station[:30]
    if year := get("year"):
        number = parse_int(year)
        if number is not None and 1990 <= number <= on.year + 1:
            filters["year"] = number
        else:
            problems.append(f"年度“{year[:20]}”无效，已忽略")
    if q := get("q"):
        filters["q"] = q[:100]
    if get("mine") == "1":
        filters["mine"] = True
    return filters, problems


def case_list(request):
    on = today()
    filters, problems = _filters(request, on)
    qs = selectors.case_list(actor=request.user, filters={**filters, "on": on, "until": due_soon_until(on)})
    page_no = page_number(request)
    rows, has_next = selectors.case_page(selectors.with_viewer(qs, request.user), page_no, 50)
    open_cases = selectors.open_cases(actor=request.user)
    return render(request, "cases/cases.html", {
        "rows": decorate_cases(rows, request.user, on),
        "has_next": has_next,
        "page_no": page_no,
        "filters": filters,
        "problems": problems,
        "due_label": DUE_FILTERS.get(filters.get("due", ""), ""),
        "statuses": CaseStatus.choices,
        "procedures": Procedure.choices,
        "categories": CaseCategory.objects.all(),
        "stations": [] if request.user.role == Role.STATION else station_list(),
        "years": list(range(on.year, on.year - YEARS_BACK, -1)),
        "open_count": open_cases.count(),
        "overdue_count": open_cases.filter(running_due__lt=on).count(),
        "can_edit": can_edit(request.user),
        "today": on,
        "tab": "cases",
    })


def _timeline(case: Case) -> list:
    labels = dict(CaseStatus.choices)
    steps = list(case.steps.select_related("actor").order_by("on", "pk"))
    for step in steps:
        step.old_label, step.new_label = labels.get(step.old_status, step.old_status), labels.get(step.new_status, step.new_status)
    return steps


def render_case(request, case: Case, *, bound: dict | None = None, open_step: str = "", error=None, stale: bool = False,
                status: int = 200):
    on = today()
    suspensions = list(case.suspensions.select_related("created_by"))
    suspended_now = any(s.end is None for s in suspensions)
    officers = list(case.officers.select_related("org_unit").order_by("full_name", "username"))
    visible = selectors.may_see_personal(request.user) or request.user.pk in {u.pk for u in officers}
    evidence = list(case.evidence.select_related("created_by"))
    for item in evidence:
        item.late = bool(item.measure and item.measure_due and not item.measure_ended_on and item.measure_due < on)
    return render(request, "cases/case.html", {
        "case": case,
        "badge": CASE_BADGE.get(case.status, ""),
        "who": respondent(case, visible),
        "clock": case_clock(case, on, due_soon_until(on), suspended_now),
        "officers": officers,
        "lead_source_url": source_url(case.lead.source_ref) if case.lead_id else None,
        "timeline": _timeline(case),
        "evidence": evidence,
        "suspensions": suspensions,
        "documents": selectors.documents_of(case),
        "penalties": [PenaltyKind(k).label for k in case.penalty_kinds or [] if k in PenaltyKind.values],
        "campaigns": list(case.campaigns.all()) if hasattr(case, "campaigns") else [],
        "steps": step_forms(request, case, CASE_STEPS, "cases:act", bound),
        "open_step": open_step,
        "error": error,
        "stale": stale,
        "can_edit": can_edit(request.user),
        "today": on,
        "tab": "cases",
    }, status=status)


def case_detail(request, pk: int):
    return render_case(request, case_or_404(request, pk))


def document_download(request, pk: int):
    """An issued document of a case or lead (立案审批表, 处罚决定书…): the kept Word file, checked against
    the hash recorded when it was issued."""
    try:
        issued = selectors.document_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        content = engine.stored_bytes(issued)
    except DomainError as exc:
        messages.error(request, exc.message)
        label, _, raw = issued.owner_ref.partition(":")
        return redirect("cases:detail" if label == "cases.case" else "cases:lead", int(raw))
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=engine.download_name(issued),
                        content_type=engine.DOCX_TYPE)


def simple_new(request):
    """简易程序: decided on the spot, recorded here the same day (备案 within 7 working days on its page)."""
    if not can_edit(request.user):
        return render(request, "cases/simple_new.html", {"read_only": True, "tab": "cases"}, status=403)
    if request.method != "POST":
        return render(request, "cases/simple_new.html", {"form": SimpleForm(actor=request.user), "tab": "cases"})
    form = SimpleForm(request.POST, actor=request.user)
    if not form.is_valid():
        return render(request, "cases/simple_new.html", {"form": form, "tab": "cases"}, status=400)
    data = dict(form.cleaned_data)
    uscc = data["respondent_uscc"].strip().upper()
    try:
        case = services.case_simple(actor=request.user, ip=client_ip(request),
                                    business=Business.objects.filter(uscc=uscc).first() if uscc else None,
                                    **{**data, "respondent_uscc": uscc})
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "cases/simple_new.html", {"form": form, "error": exc, "tab": "cases"}, status=status_of(exc))
    messages.success(request, f"已登记简易程序处罚决定 {case.number}，请于 {case.record_due:%Y-%m-%d} 前备案。")
    return redirect("cases:detail", case.pk)


def ledger_export(request):
    """导出台账: every case this user may see (their jurisdiction), in the ledger's columns with the
    decision deadline and its nature, a person's name masked unless permitted; formula-safe (core)."""
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    fd, name = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(fd)
    path = Path(name)
    try:
        run_export(CASE_LEDGER, path, actor=request.user)
        handle = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename=f"行政处罚案件台账_{today():%Y%m%d}.{fmt}")
