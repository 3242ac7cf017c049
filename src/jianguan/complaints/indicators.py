"""投诉举报 (12315) figures (SEED-FIGURES.md, Complaints: 受理消费投诉办结率*00% (001); 受理投诉举报*余件，核查处置率100%
(004); 投诉举报办结量占应分派监管所投诉举报量的21.42%，3家ODR企业 (002); 接到投诉举报*起，已处理*起，正在处理*起 (003)).

Dates. An item belongs to the period it was registered in (received_on, Beijing date). What became of
it is judged at the END OF THE PERIOD, never later, so that a past period's figures do not change when
old items are closed afterwards: 办结率 is the share of the period's items closed by its last day, and
正在处理 the rest. 办结 (closed_on: closed, including 移送 out of the bureau) and 调解终结 are counted in the
period they happened, whatever the receipt date. ODR企业 is a stock on the as-of date.

Scope. By the item's subdistrict, which decides its handling station. An item still in the triage
queue (no subdistrict: respondent not matched, place unknown) has no station yet: it counts in the
bureau's figures only, and so does an inquiry registered without a place (an inquiry needs no
station; whoever takes the call answers it). ODR enterprises are scoped by their business's subdistrict.

Every registered record counts, suspected duplicates included: a duplicate is only flagged (疑似重复)
and is closed by its own decision (usually 不予受理), which the closed figures then count.

Five passes over the table: the period's receipts (受理, their state at the period's end, ODR, 应分派),
the period's closures, the period's mediation ends, the period's filing decisions, and the ODR register.
"""

from django.db.models import Q

from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params

from .choices import Category, FilingDecision, Kind, MediationOutcome, OdrOutcome, Status
from .models import Complaint, OdrEnterprise

KIND = Dimension("kind", "类型", tuple(Kind.choices))
CATEGORY = Dimension("category", "所属领域", tuple(Category.choices))
COMPLAINT, REPORT, INQUIRY = Kind.COMPLAINT.label, Kind.REPORT.label, Kind.INQUIRY.label
_SCOPE = "按所属街道（决定承办监管所）统计范围；待分派（尚未确定所属街道）的件和未涉及具体街道的咨询只计入全局。"

NUMBER, KIND_COL, RECEIVED_ON = Column("登记编号", "number"), Column("类型", "get_kind_display"), Column("登记日期", "received_on")
RESPONDENT = Column("被投诉举报对象", "respondent_name")
PLACE = (Column("所属街道", "subdistrict.name"), Column("承办单位", "subdistrict.station.name"))
# No complainant's name or phone: the lists are read by whoever reads the report (PIPL).
COLUMNS = (
    NUMBER, KIND_COL, Column("来源渠道", "get_channel_display"), RECEIVED_ON, RESPONDENT,
    Column("所属领域", "get_category_display"), *PLACE,
    Column("处理状态", "get_status_display"),
    Column("办结日期", "closed_on"),
)
ODR_COLUMNS = (
    NUMBER, RECEIVED_ON, RESPONDENT, *PLACE,
    Column("ODR企业", "odr_enterprise.business.name"),
    Column("转ODR日期", "odr_started_on"),
    Column("ODR结束日期", "odr_ended_on"),
    Column("ODR结果", "get_odr_outcome_display"),
)
MEDIATION_COLUMNS = (
    NUMBER, RECEIVED_ON, RESPONDENT, *PLACE,
    Column("受理日期", "accepted_on"),
    Column("调解结果", "get_mediation_outcome_display"),
    Column("调解终结日期", "mediation_ended_on"),
    Column("涉及金额（元）", "amount"),
    Column("挽回经济损失（元）", "recovered_amount"),
)
REPORT_COLUMNS = (
    NUMBER, RECEIVED_ON, RESPONDENT, Column("所属领域", "get_category_display"), *PLACE,
    Column("立案决定期限", "filing_due"),
    Column("立案决定", "get_filing_decision_display"),
    Column("决定日期", "decided_on"),
    Column("移送机关", "transferred_to"),
    Column("处理状态", "get_status_display"),
)
ODR_ENTERPRISE_COLUMNS = (
    Column("ODR企业", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("所属街道", "business.subdistrict.name"),
    Column("入驻日期", "joined_on"),
    Column("退出日期", "left_on"),
    Column("纠纷处理联系人", "contact"),
)


def _complaints():
    return Complaint.objects.select_related("subdistrict__station", "odr_enterprise__business")


def _odr_enterprises():
    return OdrEnterprise.objects.select_related("business__subdistrict")


# ---------------------------------------------------------------- conditions


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


_received = _in_period("received_on")


def _closed_by_end(p: Params) -> Q:
    """Closed (办结, or 移送) on or before the period's last day. Every close records its date."""
    return Q(closed_on__lte=p.period.end)


def _open_at_end(p: Params) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gt=p.period.end)


def _kinds(*kinds):
    q = Q(kind__in=kinds)
    return lambda p: q


_DISPATCHED = Q(kind__in=(Kind.COMPLAINT, Kind.REPORT), subdistrict__isnull=False)


def _verified_by_end(p: Params) -> Q:
    """A report verified and disposed of by the period's end: a filing decision made, or moved (移送)
    to the authority it belongs to."""
    return Q(kind=Kind.REPORT) & (
        Q(decided_on__lte=p.period.end) | Q(status=Status.TRANSFERRED, closed_on__lte=p.period.end)
    )


def _odr_settled_by_end(p: Params) -> Q:
    return Q(kind=Kind.COMPLAINT, odr_outcome=OdrOutcome.SETTLED, odr_ended_on__lte=p.period.end)


def _odr_active(p: Params) -> Q:
    # OdrEnterprise.active_on(): joined by the date, and not left before it (the leaving day still counts).
    return Q(joined_on__lte=p.as_of) & (Q(left_on__isnull=True) | Q(left_on__gte=p.as_of))


# ---------------------------------------------------------------- registration


def _both(where, residual):
    if residual is None:
        return where
    return lambda p: where(p) & residual(p)


def _figure(key, label, unit, definition, *, source, where, residual=None, uses="period", queryset=_complaints,
            columns=COLUMNS, **extra):
    """A figure counted in a pass that reads only the rows `where` admits; condition = where & residual."""
    return register(
        Indicator(
            key=key, label=label, unit=unit, definition=definition, uses=uses, source=source, queryset=queryset,
            condition=_both(where, residual), where=where, residual=residual, columns=columns, **extra,
        )
    )


def _rate(key, label, definition, numerator, denominator):
    return register(
        Indicator(key=key, label=label, unit="%", definition=definition, uses="period", aggregate="rate",
                  numerator=numerator, denominator=denominator)
    )


# The period's receipts: one pass grouped by kind and category.
_RECEIVED = {"source": "complaints.received", "where": _received}
_figure(
    "complaints.received", "受理投诉举报咨询", "件",
    f"登记日期在统计期间内的投诉、举报、咨询件数（各渠道登记的全部记录，含不予受理、移送和疑似重复件）。{_SCOPE}",
    dimension=KIND, **_RECEIVED,
)
_figure(
    "complaints.received_by_category", "受理投诉举报咨询（按领域）", "件",
    f"与“受理投诉举报咨询”为同一批记录，按所属领域（关键词自动分类，业务人员可调整）分项。{_SCOPE}",
    dimension=CATEGORY, **_RECEIVED,
)
_figure(
    "complaints.received_closed", "期内受理件中已办结", "件",
    f"登记日期在统计期间内、且在统计期间最后一日前（含当日）已办结或已移送的投诉、举报、咨询件数。{_SCOPE}",
    residual=_closed_by_end, dimension=KIND, **_RECEIVED,
)
_figure(
    "complaints.open", "正在处理", "件",
    f"登记日期在统计期间内、至统计期间最后一日仍未办结（也未移送）的投诉、举报、咨询件数，即受理件数减已办结件数。{_SCOPE}",
    residual=_open_at_end, dimension=KIND, derived=("-", "complaints.received", "complaints.received_closed"),
    **_RECEIVED,
)
_rate(
    "complaints.close_rate", "办结率",
    "办结率＝统计期间内受理的投诉、举报、咨询中至期末已办结（含移送）的件数÷统计期间内受理件数×100%，保留两位小数；"
    "期内没有受理件时不计算。",
    "complaints.received_closed", "complaints.received",
)
_figure(
    "complaints.complaints_received", "受理投诉", "件",
    f"登记日期在统计期间内的投诉件数（不含举报、咨询）。{_SCOPE}",
    residual=_kinds(Kind.COMPLAINT), derived=("[]", "complaints.received", COMPLAINT), **_RECEIVED,
)
_figure(
    "complaints.odr_settled", "前端拦截（ODR企业自行和解）", "件",
    f"登记日期在统计期间内、转被投诉的ODR企业自行和解、且至统计期间最后一日已和解成功办结的投诉件数。{_SCOPE}",
    residual=_odr_settled_by_end, columns=ODR_COLUMNS, **_RECEIVED,
)
_rate(
    "complaints.odr_share", "前端拦截率",
    "前端拦截率＝统计期间内受理的投诉中经ODR企业自行和解成功的件数÷统计期间内受理的投诉件数×100%，保留两位小数。",
    "complaints.odr_settled", "complaints.complaints_received",
)
_figure(
    "complaints.dispatched", "应分派监管所投诉举报", "件",
    f"登记日期在统计期间内、已确定所属街道（即已分派承办监管所）的投诉、举报件数（不含咨询和仍在待分派队列的件）。{_SCOPE}",
    residual=lambda p: _DISPATCHED, **_RECEIVED,
)
_figure(
    "complaints.dispatched_closed", "分派监管所投诉举报办结", "件",
    f"应分派监管所的投诉、举报中，至统计期间最后一日已办结或已移送的件数。{_SCOPE}",
    residual=lambda p: _DISPATCHED & _closed_by_end(p), **_RECEIVED,
)
_rate(
    "complaints.dispatched_closed_share", "投诉举报办结量占应分派监管所投诉举报量的比例",
    "＝统计期间内受理并分派监管所的投诉、举报中至期末已办结的件数÷统计期间内受理并分派监管所的投诉、举报件数×100%，"
    "保留两位小数。",
    "complaints.dispatched_closed", "complaints.dispatched",
)
_figure(
    "reports.received", "受理举报", "件",
    f"登记日期在统计期间内的举报件数。{_SCOPE}",
    residual=_kinds(Kind.REPORT), derived=("[]", "complaints.received", REPORT), columns=REPORT_COLUMNS, **_RECEIVED,
)
_figure(
    "reports.verified", "举报核查处置", "件",
    f"登记日期在统计期间内、至统计期间最后一日已核查并作出立案或不予立案决定、或已移送有管辖权机关的举报件数。{_SCOPE}",
    residual=_verified_by_end, columns=REPORT_COLUMNS, **_RECEIVED,
)
_rate(
    "reports.verified_rate", "举报核查处置率",
    "核查处置率＝统计期间内受理的举报中至期末已作出立案或不予立案决定（或已移送）的件数÷统计期间内受理的举报件数×100%，"
    "保留两位小数。",
    "reports.verified", "reports.received",
)

# The period's closures.
_CLOSED = {"source": "complaints.closed", "where": _in_period("closed_on")}
_figure(
    "complaints.closed", "办结投诉举报咨询", "件",
    f"办结日期在统计期间内的投诉、举报、咨询件数（含移送；不论何时登记）。{_SCOPE}",
    dimension=KIND, **_CLOSED,
)
_figure(
    "complaints.closed_on_time", "按时办结", "件",
    "办结日期在统计期间内、且各环节均未超过法定期限（投诉：受理、调解、告知；举报：立案决定、告知；移送：移送时"
    f"受理或立案决定期限未届满；咨询即时答复）的件数。{_SCOPE}",
    residual=lambda p: Q(closed_on_time=True), dimension=KIND, **_CLOSED,
)
_rate(
    "complaints.on_time_rate", "按时办结率",
    "按时办结率＝统计期间内按时办结的件数÷统计期间内办结的件数×100%，保留两位小数。",
    "complaints.closed_on_time", "complaints.closed",
)

# The period's mediation ends.
_MEDIATION = {"source": "complaints.mediation", "where": _in_period("mediation_ended_on"), "columns": MEDIATION_COLUMNS}
_figure(
    "complaints.mediations_ended", "调解终结投诉", "件",
    f"调解终结日期在统计期间内的投诉件数（调解成功、调解不成、终止调解）。{_SCOPE}",
    **_MEDIATION,
)
_figure(
    "complaints.mediated_success", "调解成功", "件",
    f"调解终结日期在统计期间内、结果为调解成功的投诉件数。{_SCOPE}",
    residual=lambda p: Q(mediation_outcome=MediationOutcome.SUCCESS), **_MEDIATION,
)
_figure(
    "complaints.recovered_amount", "挽回经济损失", "元",
    f"调解终结日期在统计期间内、调解成功的投诉登记的挽回经济损失金额之和（元）。{_SCOPE}",
    residual=lambda p: Q(mediation_outcome=MediationOutcome.SUCCESS), aggregate="sum", sum_field="recovered_amount",
    **_MEDIATION,
)
_rate(
    "complaints.mediated_success_rate", "调解成功率",
    "调解成功率＝统计期间内调解成功的投诉件数÷统计期间内调解终结的投诉件数×100%，保留两位小数。",
    "complaints.mediated_success", "complaints.mediations_ended",
)

# The period's filing decisions.
_figure(
    "reports.filed", "举报立案", "件",
    f"立案决定日期在统计期间内、决定立案（移交执法办案的立案线索）的举报件数（不论何时登记）。{_SCOPE}",
    source="reports.decided", where=_in_period("decided_on"),
    residual=lambda p: Q(kind=Kind.REPORT, filing_decision=FilingDecision.FILED), columns=REPORT_COLUMNS,
)

# The ODR register: a stock.
_figure(
    "complaints.odr_enterprises", "ODR企业", "家",
    "截至日期在册的在线消费纠纷解决（ODR）企业家数：入驻日期不晚于截至日期，且未退出或退出日期不早于截至日期；"
    "按企业所在街道统计范围。",
    uses="as_of", source="complaints.odr_enterprise", where=_odr_active, queryset=_odr_enterprises,
    columns=ODR_ENTERPRISE_COLUMNS, scope_field="business__subdistrict",
)
