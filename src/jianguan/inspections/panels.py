"""What inspections contribute to the pages that gather many apps (see jianguan.core.panels): the
inspections, findings and documents of a business (一户一档), and the to-dos of the home page —
rectifications to re-check and findings past the operator's deadline. All scoped by this app's selectors."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Max
from django.urls import reverse

from jianguan.core.panels import (
    ROWS,
    BusinessPanel,
    Count,
    Link,
    Row,
    Todo,
    due_figures,
    register_business_panel,
    register_todo,
)
from jianguan.org.choices import Role

from . import selectors
from .choices import DocumentKind, FindingStatus
from .rules import ClockState, finding_clock

INSPECTION_BADGE = {"scheduled": "", "in_progress": "moved_out", "completed": "active", "archived": "deregistered"}
FINDING_BADGE = {"open": "moved_out", "reported": "", "closed": "active", "escalated": "danger"}
CLOCK_TONE = {ClockState.OVERDUE: "danger", ClockState.DUE_SOON: "warning"}


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def findings_url(**params) -> str:
    """The finding board narrowed by the board's filters (business, status, due, station…)."""
    return _url("inspections:findings", **params)


# ---------------------------------------------------------------- 一户一档


@register_business_panel("inspections.inspections", order=20)
def business_inspections(actor, business, on: dt.date) -> BusinessPanel:
    qs = selectors.inspection_list(actor=actor).filter(business=business)
    summary = qs.order_by().aggregate(total=Counted("id"), last=Max("date"))
    rows = [
        Row(
            text=f"{i.number} {i.get_kind_display()}",
            url=reverse("inspections:detail", args=[i.pk]),
            note=i.get_result_display() if i.result else "",
            when=i.date.isoformat(),
            badge=i.get_status_display(),
            tone=INSPECTION_BADGE.get(i.status, ""),
        )
        for i in qs[:ROWS]
    ]
    actions = []
    if actor.role != Role.LEADERSHIP:
        actions.append(Link("新建检查", _url("inspections:new", business=business.uscc), primary=True))
    counts = [Count("检查记录", summary["total"], _url("inspections:list", q=business.uscc))]
    return BusinessPanel(
        title="检查记录", total=summary["total"], unit="次", counts=counts, rows=rows,
        more_url=_url("inspections:list", q=business.uscc), empty="尚无检查记录。", actions=actions,
    )


@register_business_panel("inspections.findings", order=30)
def business_findings(actor, business, on: dt.date) -> BusinessPanel:
    qs = selectors.finding_list(actor=actor).filter(business=business)
    late = selectors.finding_due_q("overdue", on=on, until=on)
    by_status = {
        status: (n, overdue)
        for status, n, overdue in qs.order_by().values_list("status").annotate(
            n=Counted("id"), overdue=Counted("id", filter=late)
        )
    }
    total = sum(n for n, _ in by_status.values())
    counts = [
        Count(label, by_status.get(value, (0, 0))[0], findings_url(business=business.uscc, status=value))
        for value, label in FindingStatus.choices
    ]
    overdue = sum(o for _, o in by_status.values())
    counts.append(Count("已逾期", overdue, findings_url(business=business.uscc, due="overdue"), tone="danger" if overdue else ""))
    rows = []
    for f in qs.order_by("-found_on", "-id")[:ROWS]:
        clock = finding_clock(f.status, f.deadline, f.recheck_due, on)
        rows.append(Row(
            text=f.description[:40], url=reverse("inspections:finding", args=[f.pk]),
            note=f"复查期限 {f.recheck_due.isoformat()}" if f.status == FindingStatus.REPORTED and f.recheck_due
            else f"整改期限 {f.deadline.isoformat()}",
            when=f.found_on.isoformat(), badge=f.get_status_display(),
            tone=CLOCK_TONE.get(clock.state, FINDING_BADGE.get(f.status, "")),
        ))
    return BusinessPanel(
        title="隐患问题", total=total, unit="条", counts=counts, rows=rows,
        more_url=findings_url(business=business.uscc), empty="没有发现的问题。",
    )


@register_business_panel("inspections.documents", order=40)
def business_documents(actor, business, on: dt.date) -> BusinessPanel:
    """The numbered 责令整改通知书 / 特种设备安全监察指令书 served on the business; each opens its inspection,
    where the document is printed."""
    qs = selectors.document_list(actor=actor).filter(business=business)
    by_kind = dict(qs.order_by().values_list("kind").annotate(n=Counted("id")))
    rows = [
        Row(
            text=f"{d.number}", url=f"{reverse('inspections:detail', args=[d.inspection_id])}#documents",
            note=f"{d.get_kind_display()}，整改期限 {d.deadline.isoformat()}", when=d.issued_on.isoformat(),
        )
        for d in qs[:ROWS]
    ]
    return BusinessPanel(
        title="执法文书", total=sum(by_kind.values()), unit="份",
        counts=[Count(label, by_kind.get(value, 0)) for value, label in DocumentKind.choices], rows=rows,
        more_url=_url("inspections:list", q=business.uscc), empty="尚未下达文书。",
    )


# ---------------------------------------------------------------- 工作台


def _finding_todo(actor, on, until, *, status: str, due_field: str, label: str, hint: str) -> Todo:
    qs = selectors.finding_list(actor=actor, filters={"status": status})
    figures = due_figures(qs, due_field, on, until)
    nearest = qs.filter(**{f"{due_field}__lte": until}).order_by(due_field, "id")[:ROWS]
    rows = []
    for f in nearest:
        due = getattr(f, due_field)
        rows.append(Row(
            text=f"{f.business.name}：{f.description[:24]}", url=reverse("inspections:finding", args=[f.pk]),
            note=f.subdistrict.station.name, when=due.isoformat(), tone="danger" if due < on else "warning",
        ))
    return Todo(
        label=label, unit="条", hint=hint, rows=rows,
        overdue=Count("已逾期", figures["overdue"], findings_url(status=status, due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], findings_url(status=status, due="soon"), tone="warning"),
        open=Count("全部", figures["open"], findings_url(status=status)),
    )


@register_todo("inspections.rechecks", order=10)
def rechecks(actor, on: dt.date, until: dt.date) -> Todo:
    return _finding_todo(
        actor, on, until, status=FindingStatus.REPORTED, due_field="recheck_due", label="待复查的整改",
        hint="经营者已报告整改，须在复查期限内复查",
    )


@register_todo("inspections.rectifications", order=20)
def rectifications(actor, on: dt.date, until: dt.date) -> Todo:
    return _finding_todo(
        actor, on, until, status=FindingStatus.OPEN, due_field="deadline", label="待整改的问题",
        hint="整改期限届满仍未报告整改的，应督促或升级处置",
    )
