"""What 执法办案 contributes to the pages that gather many apps (see jianguan.core.panels): the leads and
cases of a business (一户一档), and on the to-do home the pending leads by their filing deadline and the
open cases by their decision deadline. Scoped by this app's selectors; a person is never named in full."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse

from jianguan.core.masking import mask_name
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
from .choices import CaseStatus, LeadStatus, RespondentKind

CASE_TONE = {CaseStatus.CLOSED: "", CaseStatus.TRANSFERRED: "", CaseStatus.DECIDED: "", CaseStatus.SERVED: "",
             CaseStatus.EXECUTING: "warning"}


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _name(record) -> str:
    """On the to-do home no one is shown a person's name in full (the record's page decides who may)."""
    if record.respondent_kind == RespondentKind.PERSON:
        return mask_name(record.respondent_name)
    return record.respondent_name


# ---------------------------------------------------------------- 一户一档


@register_business_panel("cases.cases", order=60)
def business_cases(actor, business, on: dt.date) -> BusinessPanel:
    cases = selectors.cases_of_business(actor=actor, business=business)
    leads = selectors.leads_of_business(actor=actor, business=business)
    case_figures = cases.order_by().aggregate(
        total=Counted("id"), open=Counted("id", filter=selectors.open_q()),
        closed=Counted("id", filter=Q(status=CaseStatus.CLOSED)),
    )
    lead_figures = leads.order_by().aggregate(total=Counted("id"), pending=Counted("id", filter=Q(status=LeadStatus.PENDING)))
    counts = [
        Count("案件", case_figures["total"], _url("cases:list", q=business.uscc)),
        Count("办理中", case_figures["open"], _url("cases:list", q=business.uscc, due="open"),
              tone="warning" if case_figures["open"] else ""),
        Count("已结案", case_figures["closed"], _url("cases:list", q=business.uscc, status=CaseStatus.CLOSED)),
        Count("线索", lead_figures["total"], _url("cases:leads", q=business.uscc)),
        Count("待核查线索", lead_figures["pending"], _url("cases:leads", q=business.uscc, status=LeadStatus.PENDING),
              tone="warning" if lead_figures["pending"] else ""),
    ]
    rows = [
        Row(text=f"{c.number} {c.cause}", url=reverse("cases:detail", args=[c.pk]), note=c.category.name,
            when=c.filed_on.isoformat(), badge=c.get_status_display(),
            tone=CASE_TONE.get(c.status, "warning"))
        for c in cases.order_by("-filed_on", "-pk")[:ROWS]
    ]
    if len(rows) < ROWS:
        rows += [
            Row(text=f"{lead.get_source_display()}线索：{lead.summary[:30]}", url=reverse("cases:lead", args=[lead.pk]),
                note="线索", when=lead.received_on.isoformat(), badge=lead.get_status_display(),
                tone="warning" if lead.status == LeadStatus.PENDING else "")
            for lead in leads.filter(status=LeadStatus.PENDING).order_by("decision_due", "pk")[:ROWS - len(rows)]
        ]
    actions = [] if actor.role == Role.LEADERSHIP else [Link("登记线索", _url("cases:lead_new", uscc=business.uscc))]
    return BusinessPanel(
        title="执法办案", total=case_figures["total"] + lead_figures["total"], unit="件", counts=counts, rows=rows,
        more_url=_url("cases:list", q=business.uscc), empty="没有涉及该主体的案件或线索。", actions=actions,
    )


# ---------------------------------------------------------------- 工作台


@register_todo("cases.leads", order=45)
def lead_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Pending leads by their filing deadline (15 working days, +15 once)."""
    qs = selectors.pending_leads(actor=actor)
    figures = due_figures(qs, "decision_due", on, until)
    rows = [
        Row(text=f"{lead.get_source_display()}线索：{_name(lead)}", url=reverse("cases:lead", args=[lead.pk]),
            note=lead.summary[:24], when=lead.decision_due.isoformat(), tone="danger" if lead.decision_due < on else "warning")
        for lead in qs.filter(decision_due__lte=until)[:ROWS]
    ]
    return Todo(
        label="待核查的案件线索", unit="条", hint="自受理之日起15个工作日内决定是否立案", rows=rows,
        overdue=Count("已逾期", figures["overdue"], _url("cases:leads", status=LeadStatus.PENDING, due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], _url("cases:leads", status=LeadStatus.PENDING, due="soon"), tone="warning"),
        open=Count("全部", figures["open"], _url("cases:leads", status=LeadStatus.PENDING)),
    )


@register_todo("cases.decisions", order=46)
def decision_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Open cases by their decision deadline (90 days from filing; a suspended case's clock stands still)."""
    qs = selectors.open_cases(actor=actor)
    figures = due_figures(qs, "running_due", on, until)
    rows = [
        Row(text=f"{c.number} {_name(c)}", url=reverse("cases:detail", args=[c.pk]), note=c.cause[:24],
            when=c.running_due.isoformat(), tone="danger" if c.running_due < on else "warning")
        for c in qs.filter(running_due__lte=until)[:ROWS]
    ]
    return Todo(
        label="办理中的案件（办案期限）", unit="件", hint="自立案之日起90日内作出处理决定，中止期间不计", rows=rows,
        overdue=Count("已逾期", figures["overdue"], _url("cases:list", due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], _url("cases:list", due="soon"), tone="warning"),
        open=Count("全部", figures["open"], _url("cases:list", due="open")),
    )
