"""信用风险分类 as of a date: credit.risk_class[A|B|C|D] counts the businesses existing (存续) on the date by the
effective class (computed, or a manual override) in force on it — the class periods the monthly scoring and
the overrides keep (RiskClassPeriod). A business is counted from the first scoring after it was set up."""

from django.db.models import Q

from jianguan.businesses.choices import CreditRiskClass
from jianguan.businesses.rules import market_entity_q
from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params

from ..models import RiskClassPeriod
from ..services.risk import existing_on

CLASS = Dimension("risk_class", "信用风险分类", tuple((c, c) for c in CreditRiskClass.values),
                  names=lambda: dict(CreditRiskClass.choices))
COLUMNS = (
    Column("统一社会信用代码", "business.uscc"),
    Column("名称", "business.name"),
    Column("主体类型", "business.get_entity_type_display"),
    Column("所属街道", "business.subdistrict.name"),
    Column("信用风险分类", "get_risk_class_display"),
    Column("人工调整", "overridden"),
    Column("分类起始日期", "valid_from"),
)


def _periods():
    return RiskClassPeriod.objects.select_related("business", "business__subdistrict")


def _in_force(p: Params) -> Q:
    return (Q(valid_from__lte=p.as_of) & (Q(valid_to__isnull=True) | Q(valid_to__gt=p.as_of)) & existing_on(p.as_of, "business__")
            & market_entity_q("business__"))


register(Indicator(
    key="credit.risk_class", label="信用风险分类主体数", unit="户", uses="as_of", source="credit.risk_class",
    definition="截至日期存续、且已经过信用风险评分的市场主体户数（不含其他组织），按截至日期有效的信用风险分类（人工调整的按调整后分类）分项："
               "A类（低风险）、B类（一般风险）、C类（较高风险）、D类（高风险）。分类由每月评分按本局设定的分值与分界计算，仅供内部监管使用，不公开。",
    queryset=_periods, condition=_in_force, scope_field="business__subdistrict", dimension=CLASS, columns=COLUMNS,
))
