"""What 信用监管 contributes to the pages that gather many apps (see jianguan.core.panels and jianguan.core.flags):

- 一户一档: the business's credit panel — annual reports by year, abnormal-list entries, serious-list entries,
  repair applications, and the credit risk class with the factors that made it and any manual override (the
  class is internal: staff pages only, never the public look-up);
- 工作台: proposals awaiting a decision (by decision_due, 10 working days), repair and removal applications
  awaiting a decision (by due), serious-list candidates: abnormal listings reaching the escalation (36 months)
  without a serious-list proposal, and penalty decisions flagged as 严重违法失信行为. Decisions are the bureau's (check_decider), so these are shown to the
  departments, the administrator and leadership, not to stations;
- the flags beside a business's name: 经营异常 (listed or marked now), 严重违法失信 (listed now).

Links go to the credit pages by URL name, with the filters that list exactly the counted records.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from jianguan.core.flags import register_business_flags
from jianguan.core.panels import (
    ROWS,
    BusinessPanel,
    Count,
    Row,
    Todo,
    due_figures,
    register_business_panel,
    register_todo,
)
from jianguan.core.rules import rule_value
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_q

from .choices import EntryStatus, RepairStatus
from .models import AbnormalEntry, AnnualReport, RepairApplication, RiskOverride, RiskScore, SeriousEntry
from .rules import add_months
from .selectors.public import flags_on
from .services.serious import case_candidates

ESCALATION_RULE = "credit.abnormal_escalation_months"
ENTRY_TONE = {EntryStatus.PROPOSED: "warning", EntryStatus.LISTED: "danger", EntryStatus.DECLINED: "", EntryStatus.REMOVED: ""}
REPAIR_TONE = {RepairStatus.PENDING: "warning", RepairStatus.GRANTED: "", RepairStatus.REFUSED: ""}


def page_url(name: str, *args, **params) -> str:
    base = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def deciders(actor) -> bool:
    """Who sees the credit to-dos: those who decide (departments, administrators) and leadership (overview)."""
    return actor.role != Role.STATION


# ---------------------------------------------------------------- flags beside the name


@register_business_flags("credit.lists", order=10)
def credit_flags(ids: set[int], on: dt.date):
    return flags_on(ids, on)


# ---------------------------------------------------------------- 一户一档


def _factors_note(factors: list[dict]) -> str:
    parts = [f"{f.get('label', f.get('key', ''))} {f.get('points', 0)}分" for f in factors or [] if f.get("points")]
    return "；".join(parts) if parts else "无扣分因素"


def _risk_row(business, score: RiskScore | None, override: RiskOverride | None) -> Row | None:
    if score is None and override is None:
        return None
    url = page_url("credit:risk_business", business.pk)
    if override is not None:
        computed = f"；计算分类 {score.computed_class} 类（{score.points} 分）" if score else ""
        return Row(text=f"信用风险分类：{override.risk_class} 类（人工调整）", url=url,
                   note=f"调整理由：{override.reason}{computed}", when=override.set_on.isoformat(), badge="人工调整", tone="warning")
    return Row(text=f"信用风险分类：{score.computed_class} 类（{score.points} 分）", url=url, note=_factors_note(score.factors),
               when=score.scored_on.isoformat(), badge=f"{score.computed_class} 类",
               tone="danger" if score.computed_class in ("C", "D") else "")


@register_business_panel("credit.record", order=70)
def business_credit(actor, business, on: dt.date) -> BusinessPanel:
    """The business page is already scoped to the viewer (the register's selector); everything here is of
    that one business, a few rows per kind in one query each."""
    years = list(AnnualReport.objects.filter(business=business).order_by("-year").values_list("year", "filed_on"))
    abnormal = list(AbnormalEntry.objects.filter(business=business).order_by("-proposed_on", "-pk"))
    serious = list(SeriousEntry.objects.filter(business=business).order_by("-proposed_on", "-pk"))
    repairs = list(RepairApplication.objects.filter(business=business).order_by("-applied_on", "-pk"))
    score = RiskScore.objects.filter(business=business).first()
    override = RiskOverride.objects.filter(business=business, ended_on__isnull=True).first()

    listed = sum(e.status == EntryStatus.LISTED for e in abnormal)
    proposed = sum(e.status == EntryStatus.PROPOSED for e in abnormal)
    serious_listed = sum(e.status == EntryStatus.LISTED for e in serious)
    pending = sum(r.status == RepairStatus.PENDING for r in repairs)
    q = business.uscc
    counts = [
        Count("年度报告", len(years), None),
        Count("经营异常在列", listed, page_url("credit:entries", q=q, status=EntryStatus.LISTED), tone="danger" if listed else ""),
        Count("待决定", proposed, page_url("credit:index", q=q), tone="warning" if proposed else ""),
        Count("严重违法失信在列", serious_listed, page_url("credit:serious", q=q, status=EntryStatus.LISTED),
              tone="danger" if serious_listed else ""),
        Count("信用修复待决定", pending, page_url("credit:repairs", q=q, status=RepairStatus.PENDING), tone="warning" if pending else ""),
    ]
    dated = [
        (e.listed_on or e.proposed_on, Row(
            text=f"{e.get_kind_display()}：{e.get_reason_display()}" + (f"（{e.report_year}年度）" if e.report_year else ""),
            url=page_url("credit:entries", q=q), when=(e.listed_on or e.proposed_on).isoformat(),
            note=(f"{e.removed_on.isoformat()} {e.get_removal_reason_display()}" if e.removed_on else
                  f"决定期限 {e.decision_due.isoformat()}" if e.status == EntryStatus.PROPOSED and e.decision_due else ""),
            badge=e.get_status_display(), tone=ENTRY_TONE.get(e.status, "")))
        for e in abnormal
    ] + [
        (e.listed_on or e.proposed_on, Row(
            text=f"严重违法失信名单：{e.get_category_display()}", url=page_url("credit:serious", q=q),
            when=(e.listed_on or e.proposed_on).isoformat(),
            note=(f"{e.removed_on.isoformat()} {e.get_removal_reason_display()}" if e.removed_on else
                  f"期满 {e.list_until.isoformat()}" if e.list_until else e.get_source_display()),
            badge=e.get_status_display(), tone=ENTRY_TONE.get(e.status, "")))
        for e in serious
    ] + [
        (r.applied_on, Row(
            text=f"信用修复：{r.get_target_display()}", url=page_url("credit:repairs", q=q), when=r.applied_on.isoformat(),
            note=f"决定期限 {r.due.isoformat()}" if r.status == RepairStatus.PENDING and r.due else (r.refusal_reason or ""),
            badge=r.get_status_display(), tone=REPAIR_TONE.get(r.status, "")))
        for r in repairs
    ]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    rows = [row for row in (_risk_row(business, score, override),) if row is not None]
    if years:
        rows.append(Row(text="年度报告：" + "、".join(f"{y}年度" for y, _ in years[:6]) + ("等" if len(years) > 6 else ""),
                        url=None, note=f"最近一次报送 {years[0][1].isoformat()}", when=str(years[0][0])))
    rows += [row for _, row in dated[:ROWS]]
    total = len(abnormal) + len(serious) + len(repairs)
    return BusinessPanel(
        title="信用监管", total=total, unit="条", counts=counts, rows=rows,
        more_url=page_url("credit:entries", q=q) if total else None,
        empty="没有该主体的年度报告、经营异常名录、严重违法失信名单或信用修复记录。",
    )


# ---------------------------------------------------------------- 工作台


def escalation_cutoff(on: dt.date, months: int) -> dt.date:
    """The latest listing date that has reached the escalation on `on`: the same cut-off as the serious-list
    candidates (services.serious.abnormal_candidates), so that the to-do counts what that page lists."""
    return add_months(on, -months)


def escalation_candidates(actor, on: dt.date):
    """Abnormal listings still in force from which no serious-list entry was ever proposed (a declined one
    is not proposed again: a person has decided), as the serious-list candidates."""
    entered = SeriousEntry.objects.filter(abnormal_entry=OuterRef("pk"))
    return (AbnormalEntry.objects.filter(scope_q(actor=actor, subdistrict_field="business__subdistrict"),
                                         status=EntryStatus.LISTED, listed_on__isnull=False)
            .filter(~Exists(entered)).select_related("business"))


@register_todo("credit.proposals", order=55, visible=deciders)
def proposal_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Proposals to list or mark awaiting a decision, by their decision deadline (10 working days)."""
    qs = (AbnormalEntry.objects.filter(scope_q(actor=actor, subdistrict_field="business__subdistrict"),
                                       status=EntryStatus.PROPOSED).select_related("business").order_by("decision_due", "pk"))
    figures = due_figures(qs, "decision_due", on, until)
    rows = [
        Row(text=f"{e.business.name}：{e.get_kind_display()}", url=page_url("credit:index", q=e.business.uscc),
            note=e.get_reason_display(), when=e.decision_due.isoformat(), tone="danger" if e.decision_due < on else "warning")
        for e in qs.filter(decision_due__lte=until)[:ROWS]
    ]
    return Todo(
        label="待决定的经营异常名录列入（标记）", unit="户", hint="自提出之日起10个工作日内作出列入（标记）或不予列入的决定", rows=rows,
        overdue=Count("已逾期", figures["overdue"], page_url("credit:index", due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], page_url("credit:index", due="soon"), tone="warning"),
        open=Count("全部", figures["open"], page_url("credit:index")),
    )


@register_todo("credit.repairs", order=56, visible=deciders)
def repair_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Repair applications (移出经营异常名录 within 5 working days, the others within 15) awaiting a decision."""
    qs = (RepairApplication.objects.filter(scope_q(actor=actor, subdistrict_field="business__subdistrict"),
                                           status=RepairStatus.PENDING).select_related("business").order_by("due", "pk"))
    figures = due_figures(qs, "due", on, until)
    rows = [
        Row(text=f"{r.business.name}：{r.get_target_display()}", url=page_url("credit:repairs", q=r.business.uscc),
            note=f"申请日期 {r.applied_on.isoformat()}", when=r.due.isoformat(), tone="danger" if r.due < on else "warning")
        for r in qs.filter(due__lte=until)[:ROWS]
    ]
    pending = RepairStatus.PENDING
    return Todo(
        label="待决定的信用修复（移出）申请", unit="件", hint="移出经营异常名录申请5个工作日内、其他信用修复申请15个工作日内作出决定",
        rows=rows,
        overdue=Count("已逾期", figures["overdue"], page_url("credit:repairs", status=pending, due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], page_url("credit:repairs", status=pending, due="soon"), tone="warning"),
        open=Count("全部", figures["open"], page_url("credit:repairs", status=pending)),
    )


@register_todo("credit.escalations", order=57, visible=deciders)
def escalation_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Abnormal listings reaching 36 months in force: a person proposes them for the serious violation list.
    Overdue: reached before today; due soon: reached from today to the end of the window; all: both."""
    months = int(rule_value(ESCALATION_RULE, on=on))
    reached, soon_end = escalation_cutoff(on - dt.timedelta(days=1), months), escalation_cutoff(until, months)
    qs = escalation_candidates(actor, on).filter(listed_on__lte=soon_end).order_by("listed_on", "pk")
    figures = qs.order_by().aggregate(open=Counted("id"), overdue=Counted("id", filter=Q(listed_on__lte=reached)))
    figures["soon"] = figures["open"] - figures["overdue"]
    # Penalty decisions flagged as 严重违法失信行为 are candidates from their decision: due at once.
    cases = case_candidates(on).filter(scope_q(actor=actor, subdistrict_field="business__subdistrict"))
    flagged = cases.count()
    figures["overdue"] += flagged
    figures["open"] += flagged
    rows = [
        Row(text=f"{c.business.name}：处罚决定{c.decision_number or c.number}", url=page_url("credit:serious", q=c.business.uscc),
            note=c.get_serious_category_display(), when=c.decided_on.isoformat(), tone="danger")
        for c in cases[:ROWS]
    ] + [
        Row(text=f"{e.business.name}：{e.get_reason_display()}", url=page_url("credit:serious", q=e.business.uscc),
            note=f"列入日期 {e.listed_on.isoformat()}", when=add_months(e.listed_on, months).isoformat(),
            tone="danger" if e.listed_on <= reached else "warning")
        for e in qs[:ROWS]
    ]
    rows = rows[:ROWS]
    return Todo(
        label="待提出严重违法失信名单（经营异常届满3年、处罚认定）", unit="户",
        hint=f"列入经营异常名录满{months}个月仍未移出的，以及处罚决定认定为严重违法失信行为的，由局业务科室决定是否列入严重违法失信名单",
        rows=rows,
        overdue=Count("已届满", figures["overdue"], page_url("credit:serious", candidates="overdue"), tone="danger"),
        due_soon=Count("即将届满", figures["soon"], page_url("credit:serious", candidates="soon"), tone="warning"),
        open=Count("全部", figures["open"], page_url("credit:serious", candidates="all")),
    )
