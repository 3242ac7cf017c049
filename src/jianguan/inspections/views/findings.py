"""The finding board (columns by state, with clocks; the overdue lists per station) and the finding
page with the rectification loop: report → re-check → closed, escalation, sealing, corrections."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianguan.campaigns import selectors as campaign_selectors
from jianguan.cases.selectors import lead_list_for_source
from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.panels import due_soon_until

from .. import selectors
from ..choices import FindingStatus, Severity
from ..forms import (
    EscalateForm,
    FindingEditForm,
    LiftForm,
    RecheckForm,
    ReportForm,
    recheck_registrar,
    refusal_for_registrar,
)
from ..models import Sealing
from ..services import findings as services
from .common import (
    CLOCK_CLASS,
    FINDING_STATUS_BADGE,
    can_edit,
    clock_of,
    finding_or_404,
    stations_for,
    today,
    with_clocks,
)

COLUMN_LIMIT = 60
OVERDUE_LIMIT = 200
BOARD_FILTERS = ("station", "severity", "campaign", "business", "status")
DUE_FILTERS = {"overdue": "已逾期", "soon": "即将到期"}  # the to-do home's links (jianguan.core.panels)


def _by_station(findings) -> list[tuple[object, list]]:
    groups: dict[int, tuple[object, list]] = {}
    for finding in findings:
        station = finding.subdistrict.station
        groups.setdefault(station.pk, (station, []))[1].append(finding)
    return sorted(groups.values(), key=lambda g: g[0].code)


def _narrowed(filters: dict) -> str:
    """The filters that came from a link (the business page, the to-do home), in words."""
    parts = []
    if filters.get("business"):
        parts.append(f"统一社会信用代码 {filters['business']} ")
    if filters.get("due"):
        parts.append(DUE_FILTERS[filters["due"]])
    if filters.get("status"):
        parts.append(f"“{FindingStatus(filters['status']).label}”")
    return "".join(parts)


def finding_board(request):
    on = today()
    filters = {key: value for key in BOARD_FILTERS if (value := request.GET.get(key, "").strip())}
    if filters.get("severity") not in (None, *Severity.values):
        filters.pop("severity")
    if filters.get("status") not in (None, *FindingStatus.values):
        filters.pop("status")
    base = selectors.finding_list(actor=request.user, filters=filters)
    if (due := request.GET.get("due", "")) in DUE_FILTERS:
        filters["due"] = due
        base = base.filter(selectors.finding_due_q(due, on=on, until=due_soon_until(on)))
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    columns = []
    for status, label in FindingStatus.choices:
        qs = base.filter(status=status)
        if status == FindingStatus.REPORTED:
            qs = qs.order_by("recheck_due", "id")
        elif status in (FindingStatus.CLOSED, FindingStatus.ESCALATED):
            qs = qs.order_by("-closed_on" if status == FindingStatus.CLOSED else "-escalated_on", "-id")
        cards = with_clocks(qs[:COLUMN_LIMIT], on)
        columns.append({"status": status, "label": label, "cards": cards, "count": counts.get(status, 0),
                        "badge": FINDING_STATUS_BADGE.get(status, "")})
    overdue = with_clocks(selectors.overdue_findings(actor=request.user, on=on).filter(
        pk__in=base.values("pk"))[:OVERDUE_LIMIT], on)
    late_rechecks = with_clocks(selectors.overdue_rechecks(actor=request.user, on=on).filter(
        pk__in=base.values("pk"))[:OVERDUE_LIMIT], on)
    return render(request, "inspections/findings.html", {
        "columns": columns,
        "overdue_groups": _by_station(overdue),
        "recheck_groups": _by_station(late_rechecks),
        "overdue_count": len(overdue),
        "recheck_count": len(late_rechecks),
        "filters": filters,
        "narrowed": _narrowed(filters),
        "severities": Severity.choices,
        "campaigns": campaign_selectors.campaign_list(actor=request.user),
        "stations": stations_for(request.user),
        "today": on,
        "column_limit": COLUMN_LIMIT,
    })


# ---------------------------------------------------------------- finding page


def _forms_for(request, finding, forms: dict) -> dict:
    on = today()
    version = {"version": finding.version}
    out = {}
    if finding.status == FindingStatus.OPEN:
        out["edit_form"] = forms.get("edit_form") or FindingEditForm(initial={
            **version, "description": finding.description, "severity": finding.severity,
            "legal_basis": finding.legal_basis, "deadline": finding.deadline,
        })
        out["report_form"] = forms.get("report_form") or ReportForm(initial={**version, "submitted_on": on})
    if finding.status == FindingStatus.REPORTED:
        registrar = recheck_registrar(finding)
        if registrar is not None and registrar.pk == request.user.pk and "recheck_form" not in forms:
            # No form that the service would refuse after filling it in: say so before.
            out["recheck_refusal"] = refusal_for_registrar()
        else:
            out["recheck_form"] = forms.get("recheck_form") or RecheckForm(actor=request.user, finding=finding, initial={
                **version, "date": max(on, finding.reported_on),
                "inspectors": [request.user] if request.user.cert_no else [],
            })
    if finding.status in (FindingStatus.OPEN, FindingStatus.REPORTED):
        out["escalate_form"] = forms.get("escalate_form") or EscalateForm(initial={**version, "on": on})
    out["lift_form"] = forms.get("lift_form") or LiftForm(initial={"lifted_on": on})
    return out


def finding_context(request, finding, **forms) -> dict:
    on = today()
    finding.clock = clock_of(finding, on)
    reports = list(finding.reports.select_related("submitted_by").prefetch_related("attachments"))
    context = {
        "finding": finding,
        "status_badge": FINDING_STATUS_BADGE.get(finding.status, ""),
        "clock": finding.clock,
        "clock_class": CLOCK_CLASS[finding.clock.state],
        "documents": list(finding.documents.select_related("issued_by")),
        "reports": reports,
        "rechecks": list(finding.rechecks.select_related("by", "inspection")),
        "case_leads": list(lead_list_for_source(f"inspections.finding:{finding.pk}")),
        "sealings": list(finding.sealings.select_related("equipment", "sealed_by", "lifted_by")),
        "can_edit": can_edit(request.user),
        "open_form": forms.pop("open_form", ""),
        "stale": forms.pop("stale", False),
        "lift_pk": forms.pop("lift_pk", None),
        "today": on,
    }
    if context["can_edit"]:
        context.update(_forms_for(request, finding, forms))
    else:
        context.update(forms)  # a refused form (read-only account) is shown with the service's message
    return context


def finding_detail(request, pk: int):
    finding = finding_or_404(request, pk)
    return render(request, "inspections/finding.html", finding_context(request, finding))


def _failed(request, finding, form_name: str, form, exc: DomainError | None = None, **more):
    stale = exc is not None and exc.code == "concurrent_edit"
    if stale:
        finding = finding_or_404(request, finding.pk)
        if "version" in form.fields:
            form.data = form.data.copy()
            form.data["version"] = str(finding.version)
    context = finding_context(request, finding, **{form_name: form}, open_form=form_name, stale=stale, **more)
    return render(request, "inspections/finding.html", context, status=409 if stale else 400)


def _back(finding, anchor: str = ""):
    return redirect(reverse("inspections:finding", args=[finding.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
def finding_edit(request, pk: int):
    finding = finding_or_404(request, pk)
    form = FindingEditForm(request.POST)
    if not form.is_valid():
        return _failed(request, finding, "edit_form", form)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.finding_update(actor=request.user, pk=finding.pk, version=version, ip=client_ip(request), **data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, finding, "edit_form", form, exc)
    messages.success(request, "已保存对问题的修改。")
    return _back(finding)


@require_POST
def finding_report(request, pk: int):
    finding = finding_or_404(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _failed(request, finding, "report_form", form)
    data = form.cleaned_data
    try:
        report = services.finding_report(
            actor=request.user, pk=finding.pk, version=data["version"], submitted_on=data["submitted_on"], text=data["text"],
            submitter_name=data["submitter_name"], files=data["attachments"], ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, finding, "report_form", form, exc)
    finding.refresh_from_db()
    due = f"，复查期限 {finding.recheck_due:%Y-%m-%d}" + ("（暂定）" if finding.recheck_due_provisional else "") if finding.recheck_due else ""
    messages.success(request, f"已登记整改报告（{report.submitted_on:%Y-%m-%d}）{due}。")
    return _back(finding)


@require_POST
def finding_recheck(request, pk: int):
    finding = finding_or_404(request, pk)
    form = RecheckForm(request.POST, actor=request.user, finding=finding)
    if not form.is_valid():
        return _failed(request, finding, "recheck_form", form)
    data = form.cleaned_data
    try:
        recheck = services.finding_recheck(
            actor=request.user, pk=finding.pk, version=data["version"], date=data["date"], passed=data["passed"],
            inspectors=list(data["inspectors"]), note=data["note"], new_deadline=data["new_deadline"], ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, finding, "recheck_form", form, exc)
    if recheck.passed:
        messages.success(request, f"复查通过，问题已整改完成（复查记录 {recheck.inspection.number}）。")
    else:
        messages.warning(request, f"复查未通过，已责令继续整改，新期限 {recheck.new_deadline:%Y-%m-%d}。")
    return _back(finding)


@require_POST
def finding_escalate(request, pk: int):
    finding = finding_or_404(request, pk)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        return _failed(request, finding, "escalate_form", form)
    data = form.cleaned_data
    try:
        finding = services.finding_escalate(
            actor=request.user, pk=finding.pk, version=data["version"], escalation=data["escalation"], on=data["on"],
            reason=data["reason"], ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, finding, "escalate_form", form, exc)
    messages.success(request, f"已升级处置：{finding.get_escalation_display()}。")
    return _back(finding)


@require_POST
def sealing_lift(request, pk: int, sealing_pk: int):
    finding = finding_or_404(request, pk)
    sealing = get_object_or_404(Sealing, pk=sealing_pk, finding=finding)
    form = LiftForm(request.POST)
    if not form.is_valid():
        return _failed(request, finding, "lift_form", form, lift_pk=sealing.pk)
    data = form.cleaned_data
    try:
        services.sealing_lift(actor=request.user, pk=sealing.pk, on=data["lifted_on"], reason=data["lift_reason"], ip=client_ip(request))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, finding, "lift_form", form, exc, lift_pk=sealing.pk)
    messages.success(request, f"已解除对设备 {sealing.equipment.reg_code} 的查封。")
    return _back(finding, "sealings")
