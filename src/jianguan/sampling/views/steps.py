"""The forms of a sample's page, one per step, offered in the states that allow them: which service each
calls and what the page says when it is done. The services decide; the offers only spare people forms that
would be refused anyway. Submitting one is views/actions.py."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from .. import forms as f
from .. import services
from ..choices import Conclusion, RetestOutcome
from .common import can_edit


def _due(day, provisional: bool = False) -> str:
    return (f"{day:%Y-%m-%d}" + ("（暂定）" if provisional else "")) if day else "—"


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form: type
    # (actor, sample, version, cleaned data without the version, ip, form) -> the sample
    run: Callable
    done: Callable  # (sample) -> the message shown
    offered: Callable  # (user, sample) -> bool
    danger: bool = False
    initial: Callable = field(default=lambda sample: {})
    hint: str = ""
    template: str = ""  # a form with rows of its own (the result's items) has its own fields template


def _unqualified(s) -> bool:
    return s.conclusion == Conclusion.UNQUALIFIED


def _served(s) -> bool:
    return _unqualified(s) and s.served_on is not None and s.disposed_on is None


def _send(actor, s, version, data, ip, form):
    return services.sample_send(actor=actor, sample=s, version=version, ip=ip, **data)


def _result(actor, s, version, data, ip, form):
    return services.sample_result(actor=actor, sample=s, version=version, ip=ip, report_on=data["report_on"],
                                  conclusion=data["conclusion"], institution=data["institution"], items=form.items())


def _result_done(s) -> str:
    text = f"已录入检验结论：{s.get_conclusion_display()}"
    if _unqualified(s):
        text += f"。请于 {_due(s.service_due)} 前送达被抽样单位，核查处置期限 {_due(s.disposal_due)}"
    return text + ("（期限暂定）。" if s.dues_provisional else "。")


def _serve(actor, s, version, data, ip, form):
    return services.sample_serve(actor=actor, sample=s, version=version, ip=ip, **data)


def _retest(actor, s, version, data, ip, form):
    return services.sample_retest_request(actor=actor, sample=s, version=version, ip=ip,
                                          requested_on=data["retest_requested_on"], institution=data["retest_institution"])


def _retest_result(actor, s, version, data, ip, form):
    return services.sample_retest_result(actor=actor, sample=s, version=version, ip=ip, report_on=data["retest_report_on"],
                                         outcome=data["retest_outcome"])


def _retest_done(s) -> str:
    if s.retest_outcome == RetestOutcome.OVERTURNED:
        return "已录入复检结论：复检合格，原检验结论不成立，无需核查处置。"
    return "已录入复检结论：维持原检验结论，请继续核查处置。"


def _objection(actor, s, version, data, ip, form):
    return services.sample_objection(actor=actor, sample=s, version=version, ip=ip, objection_on=data["objection_on"],
                                     outcome=data["objection_outcome"], decided_on=data["objection_decided_on"])


def _objection_initial(s) -> dict:
    if s.objection_on is None:
        return {}
    return {"objection_on": s.objection_on, "objection_outcome": s.objection_outcome, "objection_decided_on": s.objection_decided_on}


def _dispose(actor, s, version, data, ip, form):
    return services.sample_dispose(actor=actor, sample=s, version=version, ip=ip, **data)


def _dispose_initial(s) -> dict:
    return {"removed_qty": s.removed_qty, "recalled_qty": s.recalled_qty, "destroyed_qty": s.destroyed_qty,
            "qty_unit": s.qty_unit, "stopped_selling": s.stopped_selling, "cause": s.cause, "note": s.disposal_note,
            "no_case_reason": s.no_case_reason}


def _dispose_done(s) -> str:
    if s.disposed_on is None:
        return "已保存核查处置情况（处置中）。"
    on_time = s.disposal_due is None or s.disposed_on <= s.disposal_due
    return f"已完成核查处置（{s.disposed_on:%Y-%m-%d}，{'按期' if on_time else '超过处置期限'}）。"


def _open_lead(actor, s, version, data, ip, form):
    return services.sample_open_lead(actor=actor, sample=s, version=version, ip=ip, **data)


SAMPLE_STEPS: tuple[Step, ...] = (
    Step("send", "送检", f.SendForm, _send,
         lambda s: f"已登记送检，检验报告期限 {_due(s.report_due)}。",
         lambda u, s: s.sent_on is None and s.conclusion == Conclusion.PENDING),
    Step("result", "录入检验结论", f.ResultForm, _result, _result_done,
         lambda u, s: s.conclusion == Conclusion.PENDING, template="sampling/_result_fields.html",
         hint="不合格（风险监测为问题样品）的，逐项填写不合格项目、检验结果、标准值和单位。"),
    Step("serve", "送达检验结论", f.ServeForm, _serve,
         lambda s: f"已送达。复检申请期限 {_due(s.retest_due)}，异议期限 {_due(s.objection_due)}。",
         lambda u, s: _unqualified(s) and s.served_on is None),
    Step("retest", "申请复检", f.RetestRequestForm, _retest, lambda s: "已登记复检申请。",
         lambda u, s: _served(s) and s.retest_requested_on is None),
    Step("retest-result", "复检结论", f.RetestResultForm, _retest_result, _retest_done,
         lambda u, s: s.retest_requested_on is not None and not s.retest_outcome),
    Step("objection", "异议", f.ObjectionForm, _objection,
         lambda s: "已登记异议" + (f"：{s.get_objection_outcome_display()}。" if s.objection_outcome else "，待处理。"),
         lambda u, s: _served(s) and not s.objection_outcome, initial=_objection_initial),
    Step("dispose", "核查处置", f.DisposeForm, _dispose, _dispose_done,
         lambda u, s: _unqualified(s) and s.disposed_on is None, initial=_dispose_initial,
         hint="下架、召回、停止经营、销毁的数量，原因排查，移交案件线索或不移交的理由，以及处置完成日期。"),
    Step("open-lead", "移交案件线索", f.OpenLeadForm, _open_lead,
         lambda s: "已移交案件线索，立案决定期限自移交日期起算。",
         lambda u, s: _unqualified(s) and not s.lead_id, danger=True,
         hint="登记一条“抽检”来源的案件线索，由执法办案核查是否立案；每个样品只能移交一次。"),
)
STEP = {s.name: s for s in SAMPLE_STEPS}


def step_forms(request, sample, bound: dict | None = None) -> list[dict]:
    """The steps offered to this user in the sample's state, each with its form (the bound one, when a
    submission failed, keeps what was typed and its errors)."""
    bound = bound or {}
    out = []
    for step in SAMPLE_STEPS:
        offered = can_edit(request.user) and step.offered(request.user, sample)
        if not offered and step.name not in bound:
            continue  # a refused submission (read-only account, changed state) is still shown with its message
        form = bound.get(step.name) or step.form(
            actor=request.user, record=sample, auto_id=f"{step.name}_%s",
            initial={"version": sample.version, **step.initial(sample)})
        out.append({"name": step.name, "title": step.title, "form": form, "danger": step.danger, "hint": step.hint,
                    "template": step.template, "url": reverse("sampling:act", args=[sample.pk, step.name])})
    return out
