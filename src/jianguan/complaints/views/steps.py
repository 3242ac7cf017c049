"""The steps of an item, one form each, offered on the detail page in the states that allow them: which
service each step calls, who is offered it, and what the page says when it is done."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from jianguan.org.choices import Role

from .. import forms as f
from ..choices import TRANSITIONS, Kind, Status
from ..models import Complaint, OdrEnterprise
from ..services import handling, routing
from .common import can_edit, is_router, today


def _due(day, provisional: bool) -> str:
    return f"{day:%Y-%m-%d}" + ("（暂定）" if provisional else "") if day else "—"


def _odr_active(complaint: Complaint) -> bool:
    if not complaint.business_id:
        return False
    odr = OdrEnterprise.objects.filter(business_id=complaint.business_id).first()
    return odr is not None and odr.active_on(today())


def _can_transfer(complaint: Complaint) -> bool:
    return Status.TRANSFERRED in TRANSITIONS[Kind(complaint.kind)].get(Status(complaint.status), set())


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form: type
    run: Callable  # (actor, pk, version, data) -> Complaint
    done: Callable[[Complaint], str]
    offered: Callable[[object, Complaint], bool]
    danger: bool = False
    initial: Callable[[Complaint], dict] = field(default=lambda c: {})


def _open(c: Complaint) -> bool:
    return c.is_open


STEPS = (
    Step(
        "take", "承办", f.TakeForm,
        lambda a, pk, v, d: handling.complaint_take(actor=a, pk=pk, version=v, **d),
        lambda c: f"您已承办 {c.number}，可查看投诉举报人个人信息以便联系。",
        lambda u, c: c.is_open and c.status != Status.TRIAGE and c.handler_id != u.pk,
    ),
    Step(
        "odr-start", "转ODR企业和解", f.OdrStartForm,
        lambda a, pk, v, d: handling.odr_start(actor=a, pk=pk, version=v, **d),
        lambda c: "已转ODR企业自行和解，受理期限暂停计算。",
        lambda u, c: c.kind == Kind.COMPLAINT and c.status == Status.RECEIVED and _odr_active(c),
    ),
    Step(
        "odr-end", "登记ODR和解结果", f.OdrEndForm,
        lambda a, pk, v, d: handling.odr_end(actor=a, pk=pk, version=v, **d),
        lambda c: "企业和解成功，已办结。" if c.status == Status.CLOSED else f"和解不成，转入受理，受理期限 {_due(c.accept_due, c.accept_due_provisional)}。",
        lambda u, c: c.status == Status.ODR,
    ),
    Step(
        "accept", "受理", f.AcceptForm,
        lambda a, pk, v, d: handling.complaint_accept(actor=a, pk=pk, version=v, **d),
        lambda c: f"已受理，调解期限 {_due(c.mediation_due, c.mediation_due_provisional)}。",
        lambda u, c: c.kind == Kind.COMPLAINT and c.status == Status.RECEIVED,
    ),
    Step(
        "refuse", "不予受理", f.RefuseForm,
        lambda a, pk, v, d: handling.complaint_refuse(actor=a, pk=pk, version=v, **d),
        lambda c: f"已决定不予受理（{c.get_refusal_reason_display()}），已办结。",
        lambda u, c: c.kind == Kind.COMPLAINT and c.status == Status.RECEIVED, danger=True,
    ),
    Step(
        "pause", "暂停调解（检测鉴定）", f.PauseForm,
        lambda a, pk, v, d: handling.mediation_pause(actor=a, pk=pk, version=v, **d),
        lambda c: "调解已暂停，检测鉴定期间不计入调解期限。",
        lambda u, c: c.status == Status.ACCEPTED,
    ),
    Step(
        "resume", "恢复调解", f.ResumeForm,
        lambda a, pk, v, d: handling.mediation_resume(actor=a, pk=pk, version=v, **d),
        lambda c: f"已恢复调解，调解期限顺延至 {_due(c.mediation_due, c.mediation_due_provisional)}。",
        lambda u, c: c.status == Status.PAUSED,
    ),
    Step(
        "mediate", "调解终结", f.MediationEndForm,
        lambda a, pk, v, d: handling.mediation_end(actor=a, pk=pk, version=v, **d),
        lambda c: f"调解终结（{c.get_mediation_outcome_display()}），请于 {_due(c.notify_due, c.notify_due_provisional)} 前告知双方。",
        lambda u, c: c.status == Status.ACCEPTED,
    ),
    Step(
        "extend", "延长立案决定期限", f.ExtendForm,
        lambda a, pk, v, d: handling.filing_extend(actor=a, pk=pk, version=v, **d),
        lambda c: f"立案决定期限已延长至 {_due(c.filing_due, c.filing_due_provisional)}。",
        lambda u, c: c.kind == Kind.REPORT and c.status == Status.VERIFYING and not c.extended,
    ),
    Step(
        "decide", "立案 / 不予立案", f.DecideForm,
        lambda a, pk, v, d: handling.report_decide(actor=a, pk=pk, version=v, **d),
        lambda c: f"已作出{c.get_filing_decision_display()}决定" + (
            f"，请于 {_due(c.notify_due, c.notify_due_provisional)} 前告知举报人。" if c.status == Status.DECIDED else "，已办结。"
        ),
        lambda u, c: c.kind == Kind.REPORT and c.status == Status.VERIFYING,
    ),
    Step(
        "notify", "告知", f.NotifyForm,
        lambda a, pk, v, d: handling.parties_notify(actor=a, pk=pk, version=v, **d),
        lambda c: "已告知，办结" + ("（按时）。" if c.closed_on_time else "（超期）。"),
        lambda u, c: c.status in (Status.MEDIATED, Status.DECIDED),
    ),
    Step(
        "answer", "答复", f.AnswerForm,
        lambda a, pk, v, d: handling.inquiry_answer(actor=a, pk=pk, version=v, **d),
        lambda c: "已答复，咨询办结。",
        lambda u, c: c.kind == Kind.INQUIRY and c.status == Status.RECEIVED,
    ),
    Step(
        "assign", "分派", f.AssignForm,
        lambda a, pk, v, d: routing.complaint_assign(
            actor=a, pk=pk, version=v, subdistrict=d["subdistrict"], business=d["business_uscc"], reason=d["reason"], on=d["on"],
        ),
        lambda c: f"已分派至{c.station.name}（{c.subdistrict.name}）。",
        lambda u, c: is_router(u) and c.is_open,
        initial=lambda c: {"subdistrict": c.subdistrict_id},
    ),
    Step(
        "return", "退回分派", f.ReturnForm,
        lambda a, pk, v, d: routing.complaint_return(actor=a, pk=pk, version=v, **d),
        lambda c: f"{c.number} 已退回待分派队列。",
        lambda u, c: u.role == Role.STATION and c.status in (Status.RECEIVED, Status.VERIFYING) and not c.accepted_on,
        danger=True,
    ),
    Step(
        "transfer", "移送", f.TransferForm,
        lambda a, pk, v, d: routing.complaint_transfer(actor=a, pk=pk, version=v, **d),
        lambda c: f"已移送{c.transferred_to}，本件办结。",
        lambda u, c: _can_transfer(c), danger=True,
    ),
    Step(
        "categorize", "调整所属领域", f.CategorizeForm,
        lambda a, pk, v, d: routing.complaint_categorize(actor=a, pk=pk, version=v, **d),
        lambda c: f"所属领域已调整为“{c.get_category_display()}”。",
        lambda u, c: c.is_open,
        initial=lambda c: {"category": c.category},
    ),
)
STEP_BY_NAME = {s.name: s for s in STEPS}


def step_forms(request, complaint: Complaint, bound: dict | None = None) -> list[dict]:
    """The steps offered to this user in the item's state, each with its form (the bound one, when a
    submission failed, keeps what was typed and its errors)."""
    bound = bound or {}
    user, on = request.user, today()
    out = []
    for step in STEPS:
        offered = can_edit(user) and step.offered(user, complaint)
        if not offered and step.name not in bound:
            continue  # a refused submission (read-only account, stale state) is still shown with its message
        form = bound.get(step.name) or step.form(
            auto_id=f"{step.name}_%s", initial={"version": complaint.version, "on": on, **step.initial(complaint)}
        )
        title = "改派" if step.name == "assign" and complaint.subdistrict_id else step.title
        out.append({
            "name": step.name, "title": title, "form": form, "danger": step.danger,
            "url": reverse("complaints:act", args=[complaint.pk, step.name]),
        })
    return out


