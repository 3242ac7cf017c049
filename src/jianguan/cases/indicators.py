"""Enforcement figures (执法办案): the seeds' "查办各类案件*件，罚没款*万元" (001, 004), "立案*件" per domain and per
campaign (003, 004), "免予处罚/不予处罚*件" (001, 004) and "移送公安*件" (001).

Dates. A lead counts in the period it was received (received_on) and in the period it was decided
(decided_on: 立案 — the filing day of its case —, 不予立案, 移送). A case counts in the period of each of its
acts: filing (filed_on), decision (decided_on: a 行政处罚决定 or a 不予行政处罚决定), hearing (hearing_on),
transfer (transferred_on), closing (closed_on), and its publication by the deadline of that publication
(publish_due). Stocks on the as-of date: 在办 = filed by then and neither decided, closed nor transferred
by then; 超期 = 在办 with the decision deadline (办案期限, as now recorded: 90 days + suspended days, +30
when extended) before the as-of date, unless suspended (中止) on it — a suspended clock stands still.

Each lead counts once, by its source: `leads.received[来源]`. The inspection section's 移交立案线索 is its
监督检查 part; the complaints' 举报立案 counts the same complaints as its 投诉举报 part, from their side.

Money. 罚没款 = 罚款 + 没收违法所得 of the decisions of the period, in 元 (the work summary prints 万元);
没收物品货值 is summed apart.

Scope. By the respondent's subdistrict when the lead or case was opened, which decides the station. A
lead or case without one (a respondent outside the district, a person without an address here) belongs
to the bureau's departments: it counts in the bureau's figures only.

Passes: one over the leads (the period's receipts and decisions), one over the cases (the period's acts
and the stock on the as-of date), one over a campaign's cases. 移送 adds the leads' transfers and the
cases' transfers (a transferred lead has no case, so nothing is counted twice); its drill-down lists
the leads, then the cases.
"""

import time

from django.db import models
from django.db.models import CharField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Left, Length, Repeat

from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params

from .choices import (
    CaseStatus,
    LeadSource,
    LeadStatus,
    NoPenaltyReason,
    Procedure,
    RespondentKind,
    TransferTarget,
)
from .models import Case, CaseCategory, Lead, Suspension

CAMPAIGN = ("campaign",)
_SCOPE = "按当事人所属街道（决定承办监管所）统计范围；没有所属街道的（辖区外当事人等，由稽查等科室办理）只计入全局。"

# ---------------------------------------------------------------- dimensions

SOURCE = Dimension("source", "线索来源", tuple(LeadSource.choices))
NOT_FILED_REASON = Dimension("not_filed_reason", "不予立案理由", tuple(NoPenaltyReason.choices))
EXEMPT_REASON = Dimension("exempt_reason", "不予处罚理由", tuple(NoPenaltyReason.choices))
TRANSFER_TARGET = Dimension("transfer_target", "移送对象", tuple(TransferTarget.choices))

_CATEGORIES_TTL = 60.0
_categories_cache: tuple[float, tuple[tuple[int, str], ...]] | None = None


def _categories() -> tuple[tuple[int, str], ...]:
    """(pk, name) of every 案件类别 in the reference table's order, disabled ones too (old cases keep
    theirs); cached briefly so that rendering a report's parts costs no query per part."""
    global _categories_cache
    now = time.monotonic()
    if _categories_cache is None or now - _categories_cache[0] > _CATEGORIES_TTL:
        rows = CaseCategory.objects.order_by("order", "code").values_list("pk", "name")
        _categories_cache = (now, tuple(rows))
    return _categories_cache[1]


def clear_category_cache() -> None:
    global _categories_cache
    _categories_cache = None


# Grouped by `category_key` (the category's id + 0, see _cases), not the foreign key's column: grouped by
# that column, SQLite walks the whole table in its index's order instead of reading the period's rows
# through the date indexes (5 times slower at 200,000 cases).
CATEGORY = Dimension("category_key", "案件类别", choices=_categories)

# ---------------------------------------------------------------- records and columns

# A natural person's name is shown masked (张*) in every list a report links to: whoever reads the
# report reads the list (PIPL); the case page shows it in full to those who may see it.
_RESPONDENT = models.Case(
    When(respondent_kind=RespondentKind.PERSON,
         then=Concat(Left("respondent_name", 1), Repeat(Value("*"), Length("respondent_name") - 1))),
    default=F("respondent_name"), output_field=CharField(),
)


def _leads():
    # transferred_on: the day a transferred lead was decided, so that one column reads on leads and cases.
    return Lead.objects.select_related("subdistrict__station").annotate(
        respondent=_RESPONDENT,
        transferred_on=models.Case(When(status=LeadStatus.TRANSFERRED, then=F("decided_on")), default=None),
    )


def _cases():
    return Case.objects.select_related("subdistrict__station", "category").annotate(
        respondent=_RESPONDENT, penalty=F("fine_amount") + F("confiscated_income"),
        category_key=ExpressionWrapper(F("category_id") + 0, output_field=IntegerField()),
    )


RESPONDENT_COLUMNS = (
    Column("当事人", "respondent"),
    Column("统一社会信用代码", "respondent_uscc"),
    Column("所属街道", "subdistrict.name"),
    Column("承办监管所", "subdistrict.station.name"),
)
LEAD_COLUMNS = (
    Column("线索来源", "get_source_display"),
    Column("来源记录", "source_label"),
    Column("受理日期", "received_on"),
    *RESPONDENT_COLUMNS,
    Column("立案决定期限", "decision_due"),
    Column("状态", "get_status_display"),
    Column("决定日期", "decided_on"),
    Column("不予立案理由", "get_not_filed_reason_display"),
    Column("移送对象", "get_transfer_target_display"),
    Column("接收机关", "transfer_body"),
)
CASE_COLUMNS = (
    Column("案件编号", "number"),
    Column("立案日期", "filed_on"),
    Column("案件类别", "category.name"),
    Column("案由", "cause"),
    *RESPONDENT_COLUMNS,
    Column("程序类型", "get_procedure_display"),
    Column("状态", "get_status_display"),
    Column("办案期限", "decision_due"),
    Column("决定日期", "decided_on"),
    Column("处罚决定书文号", "decision_number"),
    Column("罚没款（元）", "penalty"),
    Column("没收物品货值（元）", "confiscated_value"),
    Column("不予处罚理由", "get_exempt_reason_display"),
    Column("听证日期", "hearing_on"),
    Column("结案日期", "closed_on"),
)
PUBLICATION_COLUMNS = (
    Column("案件编号", "number"),
    Column("处罚决定书文号", "decision_number"),
    *RESPONDENT_COLUMNS,
    Column("决定日期", "decided_on"),
    Column("公示期限", "publish_due"),
    Column("公示日期", "published_on"),
    Column("公示状态", "get_publication_status_display"),
)
TRANSFER_COLUMNS = (  # read on leads and on cases alike (a lead has no case number)
    Column("线索来源", "get_source_display"),
    Column("案件编号", "number"),
    *RESPONDENT_COLUMNS,
    Column("移送日期", "transferred_on"),
    Column("移送对象", "get_transfer_target_display"),
    Column("接收机关", "transfer_body"),
)

# ---------------------------------------------------------------- conditions


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _status(*statuses):
    q = Q(status__in=statuses)
    return lambda p: q


def _open_on(p: Params) -> Q:
    """Filed by the date and neither decided, closed nor transferred by it (written out: no NOT over
    nullable dates)."""
    return (
        Q(filed_on__lte=p.as_of)
        & (Q(decided_on__isnull=True) | Q(decided_on__gt=p.as_of))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=p.as_of))
        & (Q(transferred_on__isnull=True) | Q(transferred_on__gt=p.as_of))
    )


def _open_where(p: Params) -> Q:
    """An index-friendly superset of the cases open on the date: not decided by then. (Not the status:
    the planner reckons each status holds an equal share of the table and would scan it all.)"""
    return Q(decided_on__isnull=True) | Q(decided_on__gt=p.as_of)


def _overdue_on(p: Params) -> Q:
    suspended = Suspension.objects.filter(case=OuterRef("pk"), start__lte=p.as_of).filter(
        Q(end__isnull=True) | Q(end__gt=p.as_of)
    )
    return _open_on(p) & Q(decision_due__lt=p.as_of) & ~Exists(suspended)


def _on_time(p: Params) -> Q:
    return Q(published_on__isnull=False, published_on__lte=F("publish_due"))


# ---------------------------------------------------------------- registration


def _both(where, residual):
    if residual is None:
        return where
    return lambda p: where(p) & residual(p)


def _figure(key, label, unit, definition, *, source, queryset, where, residual=None, uses="period", columns, **extra):
    """A figure counted in a pass that reads only the rows `where` admits; condition = where & residual."""
    return register(
        Indicator(
            key=key, label=label, unit=unit, definition=definition, uses=uses, source=source, queryset=queryset,
            condition=_both(where, residual), where=where, residual=residual, columns=columns, **extra,
        )
    )


# The leads: receipts and decisions of the period, one pass.
_LEADS = {"source": "cases.lead", "queryset": _leads, "columns": LEAD_COLUMNS}
_decided = _in_period("decided_on")
_figure(
    "leads.received", "受理案件线索", "条",
    f"受理日期在统计期间内的案件线索条数，按来源（投诉举报、监督检查、抽检、移送、上级交办、其他）分项，每条线索只计入"
    f"一个来源。{_SCOPE}",
    where=_in_period("received_on"), dimension=SOURCE, **_LEADS,
)
_figure(
    "leads.filed", "线索立案", "条",
    f"统计期间内决定立案（立案日期在期间内）的案件线索条数（不论何时受理）。{_SCOPE}",
    where=_decided, residual=_status(LeadStatus.FILED), **_LEADS,
)
_figure(
    "leads.not_filed", "线索不予立案", "条",
    f"统计期间内决定不予立案的案件线索条数（不论何时受理），按不予立案理由分项。{_SCOPE}",
    where=_decided, residual=_status(LeadStatus.NOT_FILED), dimension=NOT_FILED_REASON, **_LEADS,
)
_figure(
    "leads.transferred", "线索移送", "条",
    f"统计期间内核查后决定移送公安机关或其他行政机关的案件线索条数（不论何时受理），按移送对象分项。{_SCOPE}",
    where=_decided, residual=_status(LeadStatus.TRANSFERRED), dimension=TRANSFER_TARGET, **_LEADS,
)

# The cases: the period's acts and the stock on the as-of date, one pass.
_CASES = {"source": "cases.case", "queryset": _cases, "columns": CASE_COLUMNS}
_decisions = _in_period("decided_on")
_figure(
    "cases.filed", "立案", "件", definition=f"立案日期在统计期间内的行政处罚案件件数（含简易程序），按案件类别分项。{_SCOPE}",
    where=_in_period("filed_on"), dimension=CATEGORY, **_CASES,
)
_figure(
    "cases.decided", "作出决定", "件", definition=f"决定日期在统计期间内的案件件数：作出行政处罚决定或不予行政处罚决定的，含简易程序。{_SCOPE}",
    where=_decisions, **_CASES,
)
_figure(
    "cases.simple", "简易程序处罚", "件", definition=f"决定日期在统计期间内、适用简易程序（当场作出行政处罚决定）的案件件数。{_SCOPE}",
    where=_decisions, residual=lambda p: Q(procedure=Procedure.SIMPLE), **_CASES,
)
_figure(
    "cases.exempt", "不予行政处罚", "件", definition=f"决定日期在统计期间内、作出不予行政处罚决定（含首违不罚）的案件件数，按理由分项。{_SCOPE}",
    where=_decisions, residual=lambda p: Q(exempt=True), dimension=EXEMPT_REASON, **_CASES,
)
_figure(
    "cases.penalty_amount", "罚没款", "元",
    f"决定日期在统计期间内的行政处罚决定的罚款与没收违法所得金额之和（元），按决定金额计，不论是否已缴纳。{_SCOPE}",
    where=_decisions, aggregate="sum", sum_field="penalty", **_CASES,
)
_figure(
    "cases.confiscated_value", "没收物品货值", "元",
    f"决定日期在统计期间内的行政处罚决定没收的非法财物货值之和（元），不计入罚没款。{_SCOPE}",
    where=_decisions, aggregate="sum", sum_field="confiscated_value", **_CASES,
)
_figure(
    "cases.hearings", "举行听证", "件", definition=f"听证日期在统计期间内的案件件数（当事人申请并举行了听证）。{_SCOPE}",
    where=_in_period("hearing_on"), **_CASES,
)
_figure(
    "cases.closed", "结案", "件", definition=f"结案日期在统计期间内的案件件数（不论何时立案）。{_SCOPE}",
    where=_in_period("closed_on"), **_CASES,
)
_figure(
    "cases.transferred_filed", "立案后移送", "件", definition=f"移送日期在统计期间内、立案后移送公安机关或其他行政机关的案件件数，按移送对象分项。{_SCOPE}",
    where=_in_period("transferred_on"), residual=_status(CaseStatus.TRANSFERRED), dimension=TRANSFER_TARGET,
    **{**_CASES, "columns": TRANSFER_COLUMNS},
)
_figure(
    "cases.open", "在办案件", "件", uses="as_of",
    definition=f"截至日期时已立案、尚未作出决定、未结案也未移送的案件件数。{_SCOPE}",
    where=_open_where, residual=_open_on, **_CASES,
)
_figure(
    "cases.overdue", "超期未决案件", "件", uses="as_of",
    definition="在办案件中，办案期限（立案之日起90日，加中止天数，经批准延长的再加30日及集体讨论决定的天数，"
    f"遇节假日顺延；按案件当前记录的期限）早于截至日期、且截至日期当天未处于中止状态的件数。{_SCOPE}",
    where=_open_where, residual=_overdue_on, **_CASES,
)
_PUBLICATION = {**_CASES, "where": _in_period("publish_due"), "columns": PUBLICATION_COLUMNS}
_figure(
    "cases.publications_due", "应公示处罚决定", "件",
    definition=f"公示期限（作出决定之日起20个工作日）在统计期间内的行政处罚决定件数。{_SCOPE}", **_PUBLICATION,
)
_figure(
    "cases.published_on_time", "按时公示处罚决定", "件",
    definition=f"公示期限在统计期间内、且公示日期不晚于公示期限的行政处罚决定件数。{_SCOPE}", residual=_on_time, **_PUBLICATION,
)
register(
    Indicator(
        key="cases.published_on_time_rate", label="行政处罚信息按时公示率", unit="%",
        definition="按时公示率＝公示期限在统计期间内的行政处罚决定中按时公示的件数÷公示期限在统计期间内的行政处罚决定件数"
        "×100%，保留两位小数；期间内没有应公示的决定时不计算。",
        uses="period", aggregate="rate", numerator="cases.published_on_time", denominator="cases.publications_due",
    )
)
# 移送: the leads' transfers plus the cases', over two tables; the drill-down lists both.
register(
    Indicator(
        key="cases.transferred", label="移送公安机关及其他行政机关", unit="件",
        definition="统计期间内移送公安机关或其他行政机关的件数：核查后决定移送的线索（决定日期在期间内）加立案后移送的案件"
        f"（移送日期在期间内），每件只计一次；按移送对象分项。{_SCOPE}",
        uses="period", derived=("+", "leads.transferred", "cases.transferred_filed"), dimension=TRANSFER_TARGET,
        columns=TRANSFER_COLUMNS,
    )
)

# A campaign's cases: every case linked to the campaign, filed up to the as-of date, whatever the period.
_C = "截至日期前专项行动内"


def _campaign_cases(p: Params) -> Q:
    return Q(campaigns__code=p.campaign, filed_on__lte=p.as_of)


_CAMPAIGN = {"source": "cases.campaign_case", "queryset": _cases, "where": _campaign_cases, "uses": "as_of",
             "columns": CASE_COLUMNS, "requires": CAMPAIGN}
_figure(
    "campaign.cases_filed", "立案查处案件", "件", f"{_C}立案（立案日期不晚于截至日期）、关联该专项行动的案件件数，按案件类别分项。{_SCOPE}",
    dimension=CATEGORY, **_CAMPAIGN,
)
_figure(
    "campaign.penalty_amount", "罚没款", "元",
    f"{_C}立案、关联该专项行动、且截至日期前作出行政处罚决定的案件的罚款与没收违法所得金额之和（元）。{_SCOPE}",
    residual=lambda p: Q(decided_on__lte=p.as_of), aggregate="sum", sum_field="penalty", **_CAMPAIGN,
)
