"""The steps of a case's page, one form each, calling the workflow services (services/workflow.py, steps.py,
decision.py, execution.py), offered in the states that allow them. The services decide; the offers only
spare people forms that would be refused anyway."""

from .. import forms as f
from .. import services
from ..choices import CaseStatus, Procedure, PublicationStatus
from ..publication_rules import publication_required
from ..services import publication
from .steps import Step


def _due(day, provisional: bool = False) -> str:
    return (f"{day:%Y-%m-%d}" + ("（暂定）" if provisional else "")) if day else "—"


def _undecided(case) -> bool:
    return case.decided_on is None and case.status in (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEW,
                                                        CaseStatus.NOTIFIED)


def _suspended(case) -> bool:
    return case.suspensions.filter(end__isnull=True).exists()


def _measures(case, **kw) -> bool:
    return case.evidence.filter(measure_ended_on__isnull=True, **kw).exclude(measure="").exists()


def _call(service, **fixed):
    """A step that passes the form's fields to its service as they are named."""
    return lambda actor, case, version, data, ip: service(actor=actor, pk=case.pk, version=version, ip=ip, **fixed, **data)


def _evidence_call(service):
    return lambda actor, case, version, data, ip: service(actor=actor, version=version, ip=ip, **data)


def _proposed(case) -> dict:
    """The decision starts from what the notice proposed."""
    return {"penalty_kinds": case.proposed_penalty_kinds, "fine_amount": case.proposed_fine or "",
            "confiscated_income": case.proposed_confiscated_income or "", "confiscated_value": case.proposed_confiscated_value or ""}


def _review(actor, case, version, data, ip):
    passed = data.pop("passed") == "1"
    return services.case_review(actor=actor, pk=case.pk, version=version, ip=ip, passed=passed, **data)


def _move(to: str):
    return lambda actor, case, version, data, ip: services.case_transition(actor=actor, pk=case.pk, version=version, ip=ip, to=to,
                                                                          **data)


def _executing(case) -> bool:
    return case.status in (CaseStatus.SERVED, CaseStatus.EXECUTING) and case.executed_on is None


CASE_STEPS: tuple[Step, ...] = (
    # --- 调查取证
    Step("investigate", "开始调查取证", f.TransitionForm, _move(CaseStatus.INVESTIGATING),
         lambda c: "已开始调查取证。", lambda u, c: c.status == CaseStatus.FILED, anchor="evidence"),
    Step("evidence", "登记证据", f.EvidenceForm, _call(services.evidence_add),
         lambda e: f"已登记证据：{e.description[:30]}" + (f"，{e.get_measure_display()}处理期限 {_due(e.measure_due)}。" if e.measure else "。"),
         lambda u, c: c.status in (CaseStatus.FILED, CaseStatus.INVESTIGATING), anchor="evidence",
         hint="先行登记保存须在7个工作日内作出处理决定；查封、扣押不超过30日，经批准可延长30日。"),
    Step("measure-extend", "查封扣押延期", f.MeasureExtendForm, _evidence_call(services.evidence_measure_extend),
         lambda e: f"查封、扣押期限已延长至 {_due(e.measure_due)}。",
         lambda u, c: _measures(c, measure="seizure", measure_extended=False), anchor="evidence"),
    Step("measure-end", "措施处理", f.MeasureEndForm, _evidence_call(services.evidence_measure_end),
         lambda e: f"{e.get_measure_display()}已处理。", lambda u, c: _measures(c), anchor="evidence"),
    # --- 期限
    Step("suspend", "中止", f.SuspendForm, _call(services.suspension_start),
         lambda s: f"案件自 {s.start:%Y-%m-%d} 起中止，办案期限暂停计算。",
         lambda u, c: _undecided(c) and not _suspended(c), anchor="suspensions",
         hint="检测检验、鉴定、听证、公告、公告送达等期间不计入办案期限。"),
    Step("resume", "恢复", f.ResumeForm, _call(services.suspension_end),
         lambda s: f"已恢复计算，中止 {s.days} 日，办案期限顺延至 {_due(s.case.decision_due, s.case.decision_due_provisional)}。",
         lambda u, c: _suspended(c), anchor="suspensions"),
    Step("extend", "延长办案期限", f.CaseExtendForm, _call(services.case_extend),
         lambda c: f"办案期限已延长至 {_due(c.decision_due, c.decision_due_provisional)}。",
         lambda u, c: _undecided(c) and not c.extended, anchor="clock"),
    Step("collective", "集体讨论延期", f.CollectiveForm, _call(services.case_collective_extend),
         lambda c: f"经集体讨论，办案期限延至 {_due(c.decision_due, c.decision_due_provisional)}。",
         lambda u, c: _undecided(c) and c.extended, anchor="clock"),
    # --- 审核、告知、听证
    Step("submit-review", "提交法制审核", f.TransitionForm, _move(CaseStatus.REVIEW),
         lambda c: f"已提交法制审核，审核期限 {_due(c.review_due)}。", lambda u, c: c.status == CaseStatus.INVESTIGATING),
    Step("review", "法制审核", f.ReviewForm, _review,
         lambda c: "法制审核通过，可告知当事人。" if c.status == CaseStatus.REVIEW else "审核未通过，已退回补充调查。",
         lambda u, c: c.status == CaseStatus.REVIEW and c.reviewed_on is None),
    Step("notify", "行政处罚告知", f.NotifyForm, _call(services.case_notify),
         lambda c: f"已告知，陈述申辩期限 {_due(c.statement_due)}" + ("，当事人可要求听证。" if c.hearing_available else "。"),
         lambda u, c: c.status == CaseStatus.REVIEW and c.reviewed_on is not None, anchor="decision"),
    Step("statement", "登记陈述申辩", f.StatementForm, _call(services.case_statement),
         lambda c: "已登记陈述申辩。", lambda u, c: c.status == CaseStatus.NOTIFIED),
    Step("hearing-request", "申请听证", f.HearingRequestForm, _call(services.case_hearing_request),
         lambda c: "已登记听证申请。",
         lambda u, c: c.status == CaseStatus.NOTIFIED and c.hearing_available and not c.hearing_requested_on),
    Step("hearing-schedule", "听证通知", f.HearingScheduleForm, _call(services.case_hearing_schedule),
         lambda c: f"已通知当事人于 {_due(c.hearing_scheduled_on)} 举行听证。",
         lambda u, c: c.status == CaseStatus.NOTIFIED and c.hearing_requested_on and not c.hearing_on),
    Step("hearing-hold", "举行听证", f.HearingHoldForm, _call(services.case_hearing_hold),
         lambda c: "已登记听证。", lambda u, c: c.status == CaseStatus.NOTIFIED and c.hearing_scheduled_on and not c.hearing_on),
    Step("reinvestigate", "退回补充调查", f.TransitionForm, _move(CaseStatus.INVESTIGATING),
         lambda c: "已退回补充调查。", lambda u, c: c.status in (CaseStatus.REVIEW, CaseStatus.NOTIFIED), danger=True),
    # --- 决定
    Step("decide", "作出处罚决定", f.DecideForm, _call(services.case_decide),
         lambda c: f"已作出行政处罚决定 {c.decision_number}。", lambda u, c: c.status == CaseStatus.NOTIFIED,
         initial=_proposed, anchor="decision", hint="不得重于告知的处罚；当事人要求听证的，须举行听证后决定。"),
    Step("no-penalty", "不予行政处罚", f.NoPenaltyForm, _call(services.case_decide_no_penalty),
         lambda c: f"已作出不予行政处罚决定 {c.decision_number}（{c.get_exempt_reason_display()}）。",
         lambda u, c: c.status == CaseStatus.NOTIFIED or (c.status == CaseStatus.REVIEW and c.reviewed_on is not None),
         anchor="decision"),
    # --- 执行、结案
    Step("serve", "送达决定书", f.ServeForm, _call(services.case_serve),
         lambda c: "已送达" + (f"，缴款期限 {_due(c.payment_due)}。" if c.payment_due else "。"),
         lambda u, c: c.status == CaseStatus.DECIDED, anchor="execution"),
    Step("payment", "登记缴款", f.PaymentForm, _call(services.case_payment),
         lambda c: f"已登记缴款，累计 {c.paid_amount} 元" + (f"（含加处罚款 {c.surcharge} 元）。" if c.surcharge else "。"),
         lambda u, c: _executing(c) and c.payment_due is not None, anchor="execution"),
    Step("remind", "催告", f.RemindForm, _call(services.case_remind),
         lambda c: "已催告当事人履行。", lambda u, c: c.status == CaseStatus.SERVED and c.executed_on is None, anchor="execution"),
    Step("court", "申请法院强制执行", f.CourtForm, _call(services.case_court_apply),
         lambda c: "已登记申请人民法院强制执行。",
         lambda u, c: c.status == CaseStatus.EXECUTING and c.reminded_on and not c.court_applied_on, anchor="execution"),
    Step("executed", "执行完毕", f.ExecutedForm, _call(services.case_execution_done),
         lambda c: f"已执行完毕，结案期限 {_due(c.closing_due)}。", lambda u, c: _executing(c), anchor="execution"),
    Step("close", "结案", f.CloseForm, _call(services.case_close),
         lambda c: "已结案。", lambda u, c: c.status in (CaseStatus.SERVED, CaseStatus.EXECUTING) and c.executed_on is not None,
         anchor="execution"),
    # --- 公示（总局令第45号）
    Step("publish", "公示", f.PublishForm, _call(publication.publication_publish),
         lambda c: f"已公示，公示至 {_due(c.publish_until)}。",
         lambda u, c: c.decided_on is not None and not c.published_on and publication_required(
             procedure=c.procedure, penalty_kinds=c.penalty_kinds, exempt=c.exempt), anchor="publication",
         hint="警告、通报批评和较低数额罚款公示3个月，其他处罚公示3年。"),
    Step("withdraw", "撤下公示", f.WithdrawForm, _call(publication.publication_withdraw),
         lambda c: "公示信息已撤下。", lambda u, c: c.publication_status == PublicationStatus.SHOWN, anchor="publication",
         danger=True, hint="行政处罚决定被依法变更、撤销、确认违法或确认无效的，3个工作日内撤下。"),
    Step("end-early", "提前停止公示", f.EndEarlyForm, _call(publication.publication_end_early),
         lambda c: "已提前停止公示。", lambda u, c: c.publication_status == PublicationStatus.SHOWN, anchor="publication"),
    Step("record", "简易程序备案", f.RecordForm, _call(services.case_simple_record),
         lambda c: "已备案。", lambda u, c: c.procedure == Procedure.SIMPLE and not c.recorded_on),
    Step("transfer", "移送", f.CaseTransferForm, _call(services.case_transfer),
         lambda c: f"已移送{c.transfer_body}，本案办结。", lambda u, c: c.status in (CaseStatus.FILED, CaseStatus.INVESTIGATING),
         danger=True, hint="涉嫌犯罪的移送公安机关；不属本机关管辖的移送有管辖权的机关。"),
)
