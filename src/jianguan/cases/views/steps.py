"""The forms of a lead's page and of a case's page, one per step, offered in the states that allow them:
which service each calls, what the page says when it is done. Submitting one is views/actions.py."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from .. import forms as f
from ..choices import LeadDecision, LeadStatus
from ..services import case_file, lead_decide, lead_extend, lead_pause
from .common import can_edit


def _due(day, provisional: bool) -> str:
    return (f"{day:%Y-%m-%d}" + ("（暂定）" if provisional else "")) if day else "—"


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form: type
    # (actor, record, version, cleaned data without the version, ip) -> what the page goes to next
    run: Callable
    done: Callable  # (result) -> the message shown
    offered: Callable  # (user, record) -> bool
    danger: bool = False
    initial: Callable = field(default=lambda record: {})
    hint: str = ""
    anchor: str = ""  # the section of the page to return to


def _pending(user, lead) -> bool:
    return lead.status == LeadStatus.PENDING


def _file(actor, lead, version, data, ip):
    return case_file(actor=actor, lead_pk=lead.pk, lead_version=version, ip=ip, **data)


LEAD_STEPS = (
    Step(
        "file", "立案", f.FileForm, _file,
        lambda case: f"已立案，案件编号 {case.number}，办案期限 {_due(case.decision_due, case.decision_due_provisional)}。",
        _pending, hint="填写立案审批表：案件类别、案由、承办人员（不少于2名持有效执法证）和审批人。",
    ),
    Step(
        "not-file", "不予立案", f.NotFileForm,
        lambda a, lead, v, d, ip: lead_decide(actor=a, pk=lead.pk, version=v, decision=LeadDecision.NOT_FILE, ip=ip, **d),
        lambda lead: f"已决定不予立案（{lead.get_not_filed_reason_display()}）。",
        _pending, danger=True,
    ),
    Step(
        "transfer", "移送", f.TransferForm,
        lambda a, lead, v, d, ip: lead_decide(actor=a, pk=lead.pk, version=v, decision=LeadDecision.TRANSFER, ip=ip, **d),
        lambda lead: f"已移送{lead.transfer_body}（{lead.get_transfer_target_display()}）。",
        _pending, danger=True,
    ),
    Step(
        "extend", "延长立案期限", f.ExtendForm,
        lambda a, lead, v, d, ip: lead_extend(actor=a, pk=lead.pk, version=v, ip=ip, **d),
        lambda lead: f"立案决定期限已延长至 {_due(lead.decision_due, lead.decision_due_provisional)}。",
        lambda u, lead: _pending(u, lead) and not lead.extended,
    ),
    Step(
        "pause", "检测鉴定不计入期限", f.PauseForm,
        lambda a, lead, v, d, ip: lead_pause(actor=a, pk=lead.pk, version=v, ip=ip, **d),
        lambda lead: f"已扣除检测鉴定期间，立案决定期限顺延至 {_due(lead.decision_due, lead.decision_due_provisional)}。",
        _pending,
    ),
)

def by_name(steps) -> dict[str, Step]:
    return {s.name: s for s in steps}


def step_forms(request, record, steps, url_name: str, bound: dict | None = None) -> list[dict]:
    """The steps offered to this user in the record's state, each with its form (the bound one, when a
    submission failed, keeps what was typed and its errors)."""
    bound = bound or {}
    user = request.user
    out = []
    for step in steps:
        offered = can_edit(user) and step.offered(user, record)
        if not offered and step.name not in bound:
            continue  # a refused submission (read-only account, changed state) is still shown with its message
        form = bound.get(step.name) or step.form(
            actor=user, record=record, auto_id=f"{step.name}_%s", initial={"version": record.version, **step.initial(record)},
        )
        out.append({"name": step.name, "title": step.title, "form": form, "danger": step.danger, "hint": step.hint,
                    "url": reverse(url_name, args=[record.pk, step.name])})
    return out
