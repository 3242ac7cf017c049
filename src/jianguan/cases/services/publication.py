"""公示 (SAMR Order 45): publishing a penalty decision, its withdrawal when the decision is revoked,
its early end on credit repair (提前停止公示), and its end when the period runs out. Each act is a
step of the case's timeline (kind 公示) and an audited change of the case.

- `publication_publish`: within 20 working days of the decision (`publish_due`, set with the
  decision); a late publication is still made — the information must be public — and its step says
  it was late. Shown 3 months or 3 years (publication_rules), to `publish_until`.
- `publication_withdraw`: the decision was changed, revoked, found unlawful or void (变更、撤销、确认
  违法或者确认无效): the information comes down within 3 working days of that, with the reason.
- `publication_end_early`: credit repair of a 3-year publication, not before the minimum period
  (rule cases.publish_early_end_min_months), the decision performed, no later penalty of the same
  category, the other conditions attested; the reason and the approver are recorded.
- `publication_expire`: the daily job marks publications past their period as 公示期满.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.core.calendar import add_working_days
from jianguan.core.errors import DomainError
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import User

from .. import publication_rules as rules
from ..choices import CaseStatus, PublicationStatus, StepKind
from ..models import Case
from .common import check_version, check_writer, not_before, require_text, save
from .filing import add_step


def publish_due_for(decided_on: dt.date) -> dt.date:
    """公示期限: the working days of the rule in force on the decision day, after it."""
    return add_working_days(decided_on, int(rule_value("cases.publish_working_days", on=decided_on))).date


def shown_months_for(case: Case) -> int:
    """3 months (light) or 3 years, by the rules in force on the decision day."""
    on = case.decided_on
    return rules.shown_months(
        penalty_kinds=case.penalty_kinds, fine=case.fine_amount,
        light_fine_limit=Decimal(rule_value("cases.publish_light_fine_limit", on=on)),
        light_months=int(rule_value("cases.publish_light_months", on=on)), months=int(rule_value("cases.publish_months", on=on)),
    )


def is_light_case(case: Case) -> bool:
    return rules.is_light(penalty_kinds=case.penalty_kinds, fine=case.fine_amount,
                          light_fine_limit=Decimal(rule_value("cases.publish_light_fine_limit", on=case.decided_on)))


def _not_future(on: dt.date, field: str, label: str) -> None:
    if on > timezone.localdate():
        raise DomainError("future_date", f"{label}不能晚于今天", {"field": field})


def _locked(pk: int, version: int | None, actor: User | None) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("subdistrict").get(pk=pk)
    check_writer(actor, case.subdistrict)
    check_version(case, version)
    return case


def _shown(case: Case, action: str) -> None:
    if case.publication_status != PublicationStatus.SHOWN:
        state = case.get_publication_status_display()
        raise DomainError("not_shown", f"该案处罚信息当前为“{state}”，不能{action}")


@transaction.atomic
def publication_publish(*, actor: User | None, pk: int, version: int | None, on: dt.date, ip: str | None = None) -> Case:
    """公示: the decision's information goes on the public page from `on`."""
    case = _locked(pk, version, actor)
    if case.decided_on is None or case.status == CaseStatus.TRANSFERRED:
        raise DomainError("not_decided", "案件尚未作出处罚决定，不能公示")
    if not rules.publication_required(procedure=case.procedure, penalty_kinds=case.penalty_kinds, exempt=case.exempt):
        raise DomainError("not_published_kind",
                          "只有适用普通程序作出的行政处罚决定才公示；不予行政处罚、仅给予警告或简易程序当场处罚的不公示")
    if case.publication_status != PublicationStatus.NONE:
        raise DomainError("already_published", f"该案处罚信息已{case.get_publication_status_display()}（{case.published_on}），不能重复公示")
    if not case.decision_number:
        raise DomainError("no_decision_number", "处罚决定书尚无文号，不能公示")
    not_before(on, case.decided_on, "on", "公示日期", "决定日期")
    _not_future(on, "on", "公示日期")
    if case.publish_due is None:
        case.publish_due = publish_due_for(case.decided_on)
    months = shown_months_for(case)
    case.published_on, case.publish_until = on, rules.shown_until(on, months)
    case.publication_status = PublicationStatus.SHOWN
    case.publication_ended_on, case.publication_end_reason = None, ""
    period = f"{months // 12}年" if months % 12 == 0 else f"{months}个月"
    opinion = f"公示至 {case.publish_until}（公示期{period}）"
    if not rules.on_time(on, case.publish_due):
        opinion += f"；逾期公示，应于 {case.publish_due} 前公示"
    case.version += 1
    with acting(actor, ip):
        save(case)
        add_step(case, kind=StepKind.PUBLICATION, on=on, actor=actor, opinion=opinion)
    return case


@transaction.atomic
def publication_withdraw(*, actor: User | None, pk: int, version: int | None, revoked_on: dt.date, on: dt.date, reason: str,
                         approved_by: str, ip: str | None = None) -> Case:
    """撤下: the decision was changed, revoked, found unlawful or void on `revoked_on`; the information
    comes down on `on` (due within the rule's working days of the revocation; a late one is noted)."""
    case = _locked(pk, version, actor)
    _shown(case, "撤下")
    reason = require_text(reason, "reason", "撤下理由")
    approved_by = require_text(approved_by, "approved_by", "审批人")
    not_before(revoked_on, case.decided_on, "revoked_on", "决定被撤销（变更）日期", "决定日期")
    not_before(on, revoked_on, "on", "撤下日期", "决定被撤销（变更）日期")
    not_before(on, case.published_on, "on", "撤下日期", "公示日期")
    _not_future(on, "on", "撤下日期")
    due = add_working_days(revoked_on, int(rule_value("cases.withdraw_working_days", on=revoked_on))).date
    case.publication_status, case.publication_ended_on = PublicationStatus.WITHDRAWN, on
    case.publication_end_reason = reason[:300]
    opinion = f"处罚决定于 {revoked_on} 被依法变更、撤销、确认违法或确认无效，撤下公示信息（应于 {due} 前撤下）。理由：{reason}"
    if on > due:
        opinion += f"；逾期撤下，超过期限{(on - due).days}日"
    case.version += 1
    with acting(actor, ip):
        save(case)
        add_step(case, kind=StepKind.PUBLICATION, on=on, actor=actor, approved_by=approved_by, opinion=opinion)
    return case


def _same_category_penalty_after(case: Case, until: dt.date) -> Case | None:
    """A later penalty (not 不予处罚) of the same category against the same party, decided up to `until`."""
    party = Q(pk__in=[])
    if case.business_id:
        party |= Q(business_id=case.business_id)
    if case.respondent_uscc:
        party |= Q(respondent_uscc=case.respondent_uscc)
    if case.respondent_id_no:
        party |= Q(respondent_id_no=case.respondent_id_no)
    return (
        Case.objects.filter(party, category_id=case.category_id, exempt=False, decided_on__gt=case.decided_on,
                            decided_on__lte=until)
        .exclude(pk=case.pk).exclude(penalty_kinds=[]).order_by("decided_on").first()
    )


@transaction.atomic
def publication_end_early(*, actor: User | None, pk: int, version: int | None, on: dt.date, reason: str, approved_by: str,
                          attested: Iterable[str] = (), ip: str | None = None) -> Case:
    """提前停止公示 (credit repair) on the party's application, approved by `approved_by`."""
    case = _locked(pk, version, actor)
    _shown(case, "提前停止公示")
    reason = require_text(reason, "reason", "停止公示理由")
    approved_by = require_text(approved_by, "approved_by", "审批人")
    not_before(on, case.published_on, "on", "停止公示日期", "公示日期")
    _not_future(on, "on", "停止公示日期")
    if on > case.publish_until:
        raise DomainError("period_over", f"公示期已于 {case.publish_until} 届满，无需提前停止", {"field": "on"})
    if is_light_case(case):
        raise DomainError("light_not_repairable",
                          "仅受到警告、通报批评或较低数额罚款的处罚信息公示期满三个月自动停止公示，不适用提前停止公示")
    min_months = int(rule_value("cases.publish_early_end_min_months", on=case.decided_on))
    earliest = rules.early_end_from(case.published_on, min_months)
    if on < earliest:
        raise DomainError("too_early", f"公示满{min_months}个月后方可提前停止公示（{earliest} 起）", {"field": "on"})
    if case.executed_on is None and case.closed_on is None:
        raise DomainError("not_performed", "当事人尚未履行完毕处罚决定规定的义务（案件未执行完毕或结案），不能提前停止公示")
    repeat = _same_category_penalty_after(case, on)
    if repeat is not None:
        raise DomainError("repeat_penalty", f"当事人此后因同一类违法行为再次受到行政处罚（{repeat.decision_number or repeat.number}，"
                          f"{repeat.decided_on}），不能提前停止公示")
    missing = rules.missing_conditions(attested)
    if missing:
        raise DomainError("conditions_missing", f"请核实并确认：{'；'.join(missing)}", {"field": "attested"})
    case.publication_status, case.publication_ended_on = PublicationStatus.ENDED, on
    case.publication_end_reason = reason[:300]
    conditions = "；".join(rules.ATTESTED_CONDITIONS.values())
    case.version += 1
    with acting(actor, ip):
        save(case)
        add_step(case, kind=StepKind.PUBLICATION, on=on, actor=actor, approved_by=approved_by,
                 opinion=f"信用修复，提前停止公示。理由：{reason}。已核实：已履行处罚决定；未因同一类违法行为再次受到处罚；{conditions}")
    return case


@transaction.atomic
def publication_expire(*, today: dt.date | None = None) -> int:
    """公示期满: each publication whose last day has passed is marked so, with its step; returns how many."""
    today = today or timezone.localdate()
    cases = list(Case.objects.select_for_update().filter(publication_status=PublicationStatus.SHOWN, publish_until__lt=today)
                 .order_by("pk"))
    for case in cases:
        case.publication_status = PublicationStatus.EXPIRED
        case.version += 1
        save(case)
        add_step(case, kind=StepKind.PUBLICATION, on=case.publish_until + dt.timedelta(days=1), actor=None,
                 opinion=f"公示期于 {case.publish_until} 届满，停止公示")
    return len(cases)
