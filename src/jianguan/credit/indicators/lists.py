"""Figures of the abnormal operations list, the serious violation list and credit repair (seed 002 and 004:
"*户企业载入经营异常名录，*户个体户标记为经营异常状态，*户移出"; 信用修复).

- `credit.abnormal_listed[主体类型]`: entries listed (企业、农民专业合作社) or marked (个体工商户) in the period, by
  列入（标记）日期 — one per entry (a business listed for two reasons counts twice, as the decisions do).
- `credit.abnormal_removed[主体类型]`: entries removed in the period (any removal: 申请移出, 补报自动恢复,
  列入严重违法失信名单), by 移出日期.
- `credit.abnormal_current[主体类型]`: entries in force on the as-of date: listed on or before it and not removed by it.
- `credit.serious_listed[主体类型]`: serious-list entries listed in the period.
- `credit.repairs[修复事项]`: repair applications granted in the period, by 决定日期.
Scope: the business's subdistrict (which decides the station).
"""

from django.db.models import Q

from jianguan.businesses.choices import EntityType
from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params

from ..choices import RepairStatus, RepairTarget
from ..models import AbnormalEntry, RepairApplication, SeriousEntry

ENTITY_TYPE = Dimension("business__entity_type", "主体类型", tuple(EntityType.choices))
TARGET = Dimension("target", "修复事项", tuple(RepairTarget.choices))
SCOPE = "business__subdistrict"
_SCOPE = "按市场主体所属街道（决定承办监管所）统计范围。"

BUSINESS = (
    Column("统一社会信用代码", "business.uscc"), Column("名称", "business.name"), Column("主体类型", "business.get_entity_type_display"),
    Column("所属街道", "business.subdistrict.name"), Column("承办监管所", "business.subdistrict.station.name"),
)
ABNORMAL_COLUMNS = (
    *BUSINESS, Column("处理方式", "get_kind_display"), Column("列入事由", "get_reason_display"), Column("未报年度", "report_year"),
    Column("列入（标记）日期", "listed_on"), Column("决定书文号", "decision.number"), Column("状态", "get_status_display"),
    Column("移出日期", "removed_on"), Column("移出原因", "get_removal_reason_display"),
)
SERIOUS_COLUMNS = (
    *BUSINESS, Column("列入依据", "get_source_display"), Column("严重违法失信行为类别", "get_category_display"),
    Column("列入日期", "listed_on"), Column("列入期满日期", "list_until"), Column("决定书文号", "decision.number"),
    Column("状态", "get_status_display"),
)
REPAIR_COLUMNS = (
    *BUSINESS, Column("修复事项", "get_target_display"), Column("申请日期", "applied_on"), Column("决定日期", "decided_on"),
    Column("决定书文号", "decision.number"),
)


def _abnormal():
    return AbnormalEntry.objects.select_related("business__subdistrict__station", "decision")


def _serious():
    return SeriousEntry.objects.select_related("business__subdistrict__station", "decision")


def _repairs():
    return RepairApplication.objects.select_related("business__subdistrict__station", "decision")


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _current(p: Params) -> Q:
    return Q(listed_on__lte=p.as_of) & (Q(removed_on__isnull=True) | Q(removed_on__gt=p.as_of))


def _figure(key, label, unit, definition, *, uses, queryset, source, where, columns, residual=None, dimension=ENTITY_TYPE):
    condition = where if residual is None else (lambda p: where(p) & residual(p))
    return register(Indicator(key=key, label=label, unit=unit, definition=definition, uses=uses, source=source, queryset=queryset,
                              condition=condition, where=where, residual=residual, scope_field=SCOPE, dimension=dimension,
                              columns=columns))


_figure("credit.abnormal_listed", "列入（标记）经营异常名录", "户",
        "列入（标记）日期在统计期间内的经营异常名录记录：企业、农民专业合作社为列入经营异常名录，个体工商户为标记为经营异常状态；"
        f"按主体类型分项，同一主体因不同事由列入的分别计数。{_SCOPE}",
        uses="period", queryset=_abnormal, source="credit.abnormal.listed", where=_in_period("listed_on"), columns=ABNORMAL_COLUMNS)
_figure("credit.abnormal_removed", "移出经营异常名录", "户",
        "移出日期在统计期间内的经营异常名录记录（申请移出、个体工商户补报年度报告自动恢复、列入严重违法失信名单时移出），"
        f"按主体类型分项。{_SCOPE}",
        uses="period", queryset=_abnormal, source="credit.abnormal.removed", where=_in_period("removed_on"), columns=ABNORMAL_COLUMNS)
_figure("credit.abnormal_current", "在列经营异常名录", "户",
        f"截至日期在列的经营异常名录记录：列入（标记）日期不晚于截至日期，且截至日期时尚未移出；按主体类型分项。{_SCOPE}",
        uses="as_of", queryset=_abnormal, source="credit.abnormal.current", where=_current, columns=ABNORMAL_COLUMNS)
_figure("credit.serious_listed", "列入严重违法失信名单", "户",
        f"列入日期在统计期间内的严重违法失信名单记录（经营异常名录届满3年转入的和严重违法失信行为处罚决定提出的），按主体类型分项。{_SCOPE}",
        uses="period", queryset=_serious, source="credit.serious.listed", where=_in_period("listed_on"), columns=SERIOUS_COLUMNS)
_figure("credit.repairs", "信用修复", "件",
        "决定日期在统计期间内、准予修复的信用修复申请（提前停止公示行政处罚信息、移出经营异常名录、提前移出严重违法失信名单），"
        f"按修复事项分项。{_SCOPE}",
        uses="period", queryset=_repairs, source="credit.repairs", where=_in_period("decided_on"),
        residual=lambda p: Q(status=RepairStatus.GRANTED), columns=REPAIR_COLUMNS, dimension=TARGET)
