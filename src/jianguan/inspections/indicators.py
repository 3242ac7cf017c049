"""Supervision-inspection figures (seed 000: 两节期间共检查企业14家，抽查设备32台，发现隐患16条，均已整改完成).

Two families:

- Figures of a period (`inspections.*`, `findings.*`, `documents.*`, `case_leads.*`) and one stock
  (`equipment.sealed`, devices under seal, counted from this module's sealing records), scoped by the record's own subdistrict (for an inspection, the business's subdistrict
  when it was inspected; a device's figures use the device's subdistrict).
- A campaign's figures (`campaign.*`), with the campaign as parameter (`Params.campaign`, its code):
  every record of the campaign up to the as-of date, whatever the period.

Only completed or archived inspections count. The bureau's own kinds (OWN_KINDS, including 回头看,
the re-check of a finding) are counted apart from 企业自查/社区巡查/第三方巡查 (EXTERNAL_KINDS), which
are entered by or for others and carry no inspectors.

Findings on the as-of date D: 已整改 = closed (a passed re-check) by D; 已升级处置 = escalated by D;
未整改 = neither (待整改 or 待复查 on D), so 发现 = 已整改 + 未整改 + 已升级处置. 逾期未整改 = 未整改,
the deadline before D, and no rectification report on file by D (a report awaiting re-check is the
bureau's own lateness, not the operator's; a failed re-check makes the finding open again).

Distinct counts (检查户数) pick one representative record per business — the qualifying inspection
with the smallest id within the report's scope — so the drill-down lists each business once. Counts
of devices are over the devices themselves (`Equipment`, selected through the inspections), so each
device is listed once. 出动执法人员人次 is a sum; its drill-down lists the inspections summed.
"""

from django.db.models import Min, Q

from jianguan.cases.choices import LeadSource
from jianguan.cases.models import Lead
from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params
from jianguan.equipment.models import Equipment

from .choices import (
    DONE_STATUSES,
    EXTERNAL_KINDS,
    OWN_KINDS,
    DocumentKind,
    FindingStatus,
)
from .models import Document, Finding, Inspection, Sealing

# The campaign parameter (registered, and its code checked, by campaigns/indicators.py).
CAMPAIGN = ("campaign",)

# ---------------------------------------------------------------- dimensions and columns

OWN_KIND = Dimension("kind", "检查类型", tuple((k.value, k.label) for k in OWN_KINDS))
EXTERNAL_KIND = Dimension("kind", "检查类型", tuple((k.value, k.label) for k in EXTERNAL_KINDS))

INSPECTION_COLUMNS = (
    Column("检查编号", "number"),
    Column("检查类型", "get_kind_display"),
    Column("检查对象", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("所属街道", "subdistrict.name"),
    Column("检查日期", "date"),
    Column("检查人数", "inspector_count"),
    Column("检查结果", "get_result_display"),
    Column("专项行动", "campaign.name"),
    Column("状态", "get_status_display"),
)
EXTERNAL_COLUMNS = (
    Column("检查编号", "number"),
    Column("检查类型", "get_kind_display"),
    Column("检查对象", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("所属街道", "subdistrict.name"),
    Column("检查日期", "date"),
    Column("实施人", "performed_by"),
    Column("检查结果", "get_result_display"),
    Column("专项行动", "campaign.name"),
)
BUSINESS_COLUMNS = (
    Column("检查对象", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("所属街道（检查时）", "subdistrict.name"),
    Column("检查编号（其中一次）", "number"),
    Column("检查类型", "get_kind_display"),
    Column("检查日期", "date"),
)
DEVICE_COLUMNS = (
    Column("设备注册代码", "reg_code"),
    Column("设备种类", "type.name"),
    Column("使用单位", "operator.name"),
    Column("使用地点", "address"),
    Column("所属街道", "subdistrict.name"),
    Column("设备状态", "get_status_display"),
)
FINDING_COLUMNS = (
    Column("责任单位", "business.name"),
    Column("所属街道", "subdistrict.name"),
    Column("问题描述", "description"),
    Column("隐患等级", "get_severity_display"),
    Column("涉及设备", "equipment.reg_code"),
    Column("发现日期", "found_on"),
    Column("整改期限", "deadline"),
    Column("状态", "get_status_display"),
    Column("整改报告日期", "reported_on"),
    Column("整改完成日期", "closed_on"),
    Column("升级处置方式", "get_escalation_display"),
    Column("升级处置日期", "escalated_on"),
    Column("发现于检查", "inspection.number"),
)
DOCUMENT_COLUMNS = (
    Column("文号", "number"),
    Column("文书种类", "get_kind_display"),
    Column("当事单位", "business.name"),
    Column("所属街道", "subdistrict.name"),
    Column("下达日期", "issued_on"),
    Column("整改期限", "deadline"),
    Column("检查编号", "inspection.number"),
)
CASE_LEAD_COLUMNS = (
    Column("当事单位", "business.name"),
    Column("所属街道", "subdistrict.name"),
    Column("移交日期", "received_on"),
    Column("线索内容", "summary"),
    Column("来源", "source_label"),
    Column("处理状态", "get_status_display"),
)
SEALING_COLUMNS = (
    Column("设备注册代码", "equipment.reg_code"),
    Column("设备种类", "equipment.type.name"),
    Column("使用单位", "equipment.operator.name"),
    Column("所属街道", "equipment.subdistrict.name"),
    Column("查封日期", "sealed_on"),
    Column("查封理由", "reason"),
    Column("解封日期", "lifted_on"),
)


def _inspections():
    return Inspection.objects.select_related("business", "subdistrict", "campaign")


def _devices():
    return Equipment.objects.select_related("type", "operator", "subdistrict")


def _findings():
    return Finding.objects.select_related("business", "subdistrict", "equipment", "inspection")


def _documents():
    return Document.objects.select_related("business", "subdistrict", "inspection")


def _case_leads():
    """The leads that inspections handed over (those from complaints are counted by complaints)."""
    return Lead.objects.filter(source=LeadSource.INSPECTION).select_related("business", "subdistrict")


def _sealings():
    return Sealing.objects.select_related("equipment__type", "equipment__operator", "equipment__subdistrict")


# ---------------------------------------------------------------- conditions


def _scope_q(p: Params, path: str = "subdistrict") -> Q:
    if p.scope.kind == "station":
        return Q(**{f"{path}__station__code": p.scope.code})
    if p.scope.kind == "subdistrict":
        return Q(**{f"{path}__code": p.scope.code})
    return Q()


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _done_in_period(p: Params, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": DONE_STATUSES, f"{prefix}date__gte": p.period.start, f"{prefix}date__lte": p.period.end})


def _done_in_campaign(p: Params, prefix: str = "") -> Q:
    """Every completed inspection of the campaign dated up to the as-of date."""
    return Q(**{f"{prefix}campaign__code": p.campaign, f"{prefix}status__in": DONE_STATUSES, f"{prefix}date__lte": p.as_of})


OWN = Q(kind__in=OWN_KINDS)
EXTERNAL = Q(kind__in=EXTERNAL_KINDS)


def _first_per_business(base):
    """One inspection per business: the smallest id among the own-kind inspections that qualify in the
    report's scope (an uncorrelated subquery, evaluated once)."""

    def residual(p: Params) -> Q:
        first = (
            Inspection.objects.filter(base(p), OWN, _scope_q(p))
            .order_by()
            .values("business")
            .annotate(first=Min("pk"))
            .values("first")
        )
        return Q(pk__in=first)

    return residual


def _devices_inspected(base):
    """Devices inspected by an own-kind inspection that qualifies (through Inspection.equipment)."""

    def condition(p: Params) -> Q:
        inspected = Inspection.equipment.through.objects.filter(
            base(p, "inspection__"), inspection__kind__in=OWN_KINDS
        ).values("equipment_id")
        return Q(pk__in=inspected)

    return condition


def _closed_by(p: Params) -> Q:
    return Q(status=FindingStatus.CLOSED, closed_on__lte=p.as_of)


def _escalated_by(p: Params) -> Q:
    return Q(status=FindingStatus.ESCALATED, escalated_on__lte=p.as_of)


def _open_on(p: Params) -> Q:
    """Neither closed nor escalated by the date (written out, so no NOT over nullable dates)."""
    return (
        Q(status__in=(FindingStatus.OPEN, FindingStatus.REPORTED))
        | Q(status=FindingStatus.CLOSED, closed_on__gt=p.as_of)
        | Q(status=FindingStatus.ESCALATED, escalated_on__gt=p.as_of)
    )


def _overdue_on(p: Params) -> Q:
    not_reported = Q(status=FindingStatus.OPEN) | Q(reported_on__isnull=True) | Q(reported_on__gt=p.as_of)
    return _open_on(p) & Q(deadline__lt=p.as_of) & not_reported


def _sealed_on(p: Params) -> Q:
    return Q(sealed_on__lte=p.as_of) & (Q(lifted_on__isnull=True) | Q(lifted_on__gt=p.as_of))


# ---------------------------------------------------------------- registration


def _both(where, residual):
    if residual is None:
        return where
    return lambda p: where(p) & residual(p)


def _figure(key, label, unit, definition, *, uses, source, queryset, where, residual=None, columns, requires=(), **extra):
    """A figure counted in a pass that reads only the rows `where` admits; condition = where & residual."""
    return register(
        Indicator(
            key=key, label=label, unit=unit, definition=definition, uses=uses, source=source, queryset=queryset,
            condition=_both(where, residual), where=where, residual=residual, columns=columns, requires=requires,
            **extra,
        )
    )


def _kind(kinds):
    q = Q(kind__in=kinds)
    return lambda p: q


# Inspections in the period: one pass over the inspections of the period.
_INSPECTIONS = {"source": "inspections.inspection", "queryset": _inspections, "where": _done_in_period, "uses": "period"}
_figure(
    "inspections.count", "检查企业户次", "户次",
    "检查日期在统计期间内、已完成或已归档的本局监督检查（日常检查、专项检查、双随机抽查、飞行检查、体系检查、"
    "投诉举报核查、回头看）次数，同一企业检查多次计多户次；不含企业自查、社区巡查、第三方巡查。",
    residual=_kind(OWN_KINDS), dimension=OWN_KIND, columns=INSPECTION_COLUMNS, **_INSPECTIONS,
)
_figure(
    "inspections.external", "企业自查、社区巡查、第三方巡查", "次",
    "检查日期在统计期间内、已完成或已归档的企业自查、社区巡查、第三方巡查次数，与本局检查分开统计。",
    residual=_kind(EXTERNAL_KINDS), dimension=EXTERNAL_KIND, columns=EXTERNAL_COLUMNS, **_INSPECTIONS,
)
_figure(
    "inspections.inspector_visits", "出动执法人员", "人次",
    "检查日期在统计期间内、已完成或已归档的本局监督检查的检查人数之和（每次检查的执法人员各计一人次）。",
    residual=_kind(OWN_KINDS), aggregate="sum", sum_field="inspector_count", columns=INSPECTION_COLUMNS, **_INSPECTIONS,
)
_figure(
    "inspections.businesses", "检查企业户数", "户",
    "检查日期在统计期间内、已完成或已归档的本局监督检查涉及的企业户数，同一企业检查多次计一户。",
    residual=_first_per_business(_done_in_period), columns=BUSINESS_COLUMNS, **_INSPECTIONS,
)
register(
    Indicator(
        key="inspections.devices", label="抽查设备", unit="台",
        definition="检查日期在统计期间内、已完成或已归档的本局监督检查所检查的特种设备台数，同一设备检查多次计一台；"
        "按设备所在街道统计范围。",
        uses="period", source="inspections.devices", queryset=_devices, condition=_devices_inspected(_done_in_period),
        where=_devices_inspected(_done_in_period), columns=DEVICE_COLUMNS,
    )
)

# Findings found in the period, in their state on the as-of date: one pass.
_FINDINGS = {"source": "inspections.finding", "queryset": _findings, "where": _in_period("found_on"), "uses": "period",
             "columns": FINDING_COLUMNS, "unit": "条"}
_figure("findings.found", "发现隐患问题", definition="发现日期在统计期间内的隐患问题条数。", **_FINDINGS)
_figure(
    "findings.rectified", "已整改隐患",
    definition="发现日期在统计期间内、截至日期前经复查确认整改完成的隐患问题条数。", residual=_closed_by, **_FINDINGS,
)
_figure(
    "findings.open", "未整改隐患",
    definition="发现日期在统计期间内、截至日期时既未整改完成也未升级处置的隐患问题条数（含待复查）。",
    residual=_open_on, **_FINDINGS,
)
_figure(
    "findings.overdue", "逾期未整改隐患",
    definition="未整改的隐患问题中，整改期限早于截至日期、且截至日期前未提交整改报告的条数"
    "（已报告待复查的不计；复查未通过的重新计算）。",
    residual=_overdue_on, **_FINDINGS,
)
_figure(
    "findings.escalated", "升级处置隐患",
    definition="发现日期在统计期间内、截至日期前已升级处置（移交立案线索、查封设备或责令停止使用）的隐患问题条数。",
    residual=_escalated_by, **_FINDINGS,
)

# Documents issued in the period: one pass.
_DOCUMENTS = {"source": "inspections.document", "queryset": _documents, "where": _in_period("issued_on"), "uses": "period",
              "columns": DOCUMENT_COLUMNS, "unit": "份"}
_figure(
    "documents.rectification_notices", "责令整改通知书", definition="下达日期在统计期间内的责令整改通知书份数。",
    residual=lambda p: Q(kind=DocumentKind.RECTIFICATION_NOTICE), **_DOCUMENTS,
)
_figure(
    "documents.supervision_orders", "特种设备安全监察指令书", definition="下达日期在统计期间内的特种设备安全监察指令书份数。",
    residual=lambda p: Q(kind=DocumentKind.SUPERVISION_ORDER), **_DOCUMENTS,
)
_figure(
    "case_leads.opened", "移交立案线索", "条", "移交日期在统计期间内的立案线索条数（由检查或隐患升级处置移交）。",
    uses="period", source="inspections.case_lead", queryset=_case_leads, where=_in_period("received_on"),
    columns=CASE_LEAD_COLUMNS,
)
_figure(
    "equipment.sealed", "查封设备", "台", "截至日期处于查封状态（查封日期不晚于截至日期，且尚未解封或解封日期在其后）的特种设备台数。",
    uses="as_of", source="inspections.sealing", queryset=_sealings, where=_sealed_on, columns=SEALING_COLUMNS,
    scope_field="equipment__subdistrict",
)

# ---------------------------------------------------------------- a campaign's figures

_C = "截至日期前专项行动内"
_CAMPAIGN_INSPECTIONS = {"source": "inspections.campaign_inspection", "queryset": _inspections, "where": _done_in_campaign,
                         "uses": "as_of", "requires": CAMPAIGN}
_figure(
    "campaign.inspections", "检查企业户次", "户次",
    f"{_C}已完成或已归档的本局监督检查次数（含复查“回头看”），同一企业检查多次计多户次；不含企业自查、社区巡查、第三方巡查。",
    residual=_kind(OWN_KINDS), dimension=OWN_KIND, columns=INSPECTION_COLUMNS, **_CAMPAIGN_INSPECTIONS,
)
_figure(
    "campaign.external", "企业自查、社区巡查、第三方巡查", "次",
    f"{_C}已完成或已归档的企业自查、社区巡查、第三方巡查次数。",
    residual=_kind(EXTERNAL_KINDS), dimension=EXTERNAL_KIND, columns=EXTERNAL_COLUMNS, **_CAMPAIGN_INSPECTIONS,
)
_figure(
    "campaign.inspector_visits", "出动执法人员", "人次",
    f"{_C}已完成或已归档的本局监督检查的检查人数之和。",
    residual=_kind(OWN_KINDS), aggregate="sum", sum_field="inspector_count", columns=INSPECTION_COLUMNS,
    **_CAMPAIGN_INSPECTIONS,
)
_figure(
    "campaign.businesses", "检查企业户数", "户",
    f"{_C}已完成或已归档的本局监督检查涉及的企业户数，同一企业检查多次计一户。",
    residual=_first_per_business(_done_in_campaign), columns=BUSINESS_COLUMNS, **_CAMPAIGN_INSPECTIONS,
)
register(
    Indicator(
        key="campaign.devices", label="抽查设备", unit="台",
        definition=f"{_C}已完成或已归档的本局监督检查所检查的特种设备台数，同一设备检查多次计一台；按设备所在街道统计范围。",
        uses="as_of", source="inspections.campaign_devices", queryset=_devices,
        condition=_devices_inspected(_done_in_campaign), where=_devices_inspected(_done_in_campaign),
        columns=DEVICE_COLUMNS, requires=CAMPAIGN,
    )
)


def _campaign_findings(p: Params) -> Q:
    return Q(inspection__campaign__code=p.campaign, found_on__lte=p.as_of)


_CAMPAIGN_FINDINGS = {"source": "inspections.campaign_finding", "queryset": _findings, "where": _campaign_findings,
                      "uses": "as_of", "columns": FINDING_COLUMNS, "unit": "条", "requires": CAMPAIGN}
_figure("campaign.findings", "发现隐患问题", definition=f"{_C}检查发现的隐患问题条数。", **_CAMPAIGN_FINDINGS)
_figure(
    "campaign.rectified", "已整改隐患", definition=f"{_C}检查发现、截至日期前经复查确认整改完成的隐患问题条数。",
    residual=_closed_by, **_CAMPAIGN_FINDINGS,
)
_figure(
    "campaign.unrectified", "未整改隐患",
    definition=f"{_C}检查发现、截至日期时既未整改完成也未升级处置的隐患问题条数（含待复查）。",
    residual=_open_on, **_CAMPAIGN_FINDINGS,
)
_figure(
    "campaign.overdue", "逾期未整改隐患",
    definition="未整改的专项行动隐患问题中，整改期限早于截至日期、且截至日期前未提交整改报告的条数。",
    residual=_overdue_on, **_CAMPAIGN_FINDINGS,
)
_figure(
    "campaign.escalated", "升级处置隐患",
    definition=f"{_C}检查发现、截至日期前已升级处置（移交立案线索、查封设备或责令停止使用）的隐患问题条数。",
    residual=_escalated_by, **_CAMPAIGN_FINDINGS,
)


def _campaign_documents(p: Params) -> Q:
    return Q(inspection__campaign__code=p.campaign, issued_on__lte=p.as_of)


_CAMPAIGN_DOCUMENTS = {"source": "inspections.campaign_document", "queryset": _documents, "where": _campaign_documents,
                       "uses": "as_of", "columns": DOCUMENT_COLUMNS, "unit": "份", "requires": CAMPAIGN}
_figure(
    "campaign.rectification_notices", "责令整改通知书", definition=f"{_C}检查下达的责令整改通知书份数。",
    residual=lambda p: Q(kind=DocumentKind.RECTIFICATION_NOTICE), **_CAMPAIGN_DOCUMENTS,
)
_figure(
    "campaign.supervision_orders", "特种设备安全监察指令书", definition=f"{_C}检查下达的特种设备安全监察指令书份数。",
    residual=lambda p: Q(kind=DocumentKind.SUPERVISION_ORDER), **_CAMPAIGN_DOCUMENTS,
)
_figure(
    "campaign.sealed", "查封设备", "台",
    f"{_C}因检查发现的隐患查封的特种设备台数（查封日期不晚于截至日期，其后解封的也计入；同一设备查封两次计两台）。",
    uses="as_of", source="inspections.campaign_sealing", queryset=_sealings,
    where=lambda p: Q(finding__inspection__campaign__code=p.campaign, sealed_on__lte=p.as_of),
    columns=SEALING_COLUMNS, scope_field="equipment__subdistrict", requires=CAMPAIGN,
)
_figure(
    "campaign.case_leads", "移交立案线索", "条", f"{_C}检查（含隐患升级处置）移交的立案线索条数。",
    uses="as_of", source="inspections.campaign_case_lead", queryset=_case_leads,
    where=lambda p: Q(campaign__code=p.campaign, received_on__lte=p.as_of),
    columns=CASE_LEAD_COLUMNS, requires=CAMPAIGN,
)

# The figures by the subject's licences (业态, 许可种类) register themselves on import.
from . import indicators_sectors  # noqa: E402, F401
