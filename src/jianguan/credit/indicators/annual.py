"""年报率 (annual-report filing rate), as the seeds quote it: "企业年报率90.95%，农民专业合作社90.94%，
个体工商户90.16%" (004). Figures registered on import (see the package).

For report year Y (params.annual_report_year: `--report-year`, else the year before the as-of date) as
of date D, per 主体类型:
- due (应报) = businesses established on or before Y-12-31 and not ended (注销, 吊销, 迁出) on or before the
  earlier of D and the window's last day (Y+1-06-30; the deadline rule read on Jan 1 of Y+1);
- filed (已报) = due businesses with a filing for Y dated on or before D;
- rate = filed ÷ due × 100, two decimals; missing (未报) = due − filed, the non-filers.

Passes: one over the businesses (due) and one over the filings of Y dated ≤ D joined to their business
(filed: the year's part of the (year, business, filed_on) covering index, so the businesses are looked up in the
register's order; each 主体类型 counted by a filter of its own, since grouping would sort every joined row); the
rate and the missing count are arithmetic on the two, so no correlated subquery per business. The missing figure's drill-down lists the non-filers.
Scope: the business's subdistrict (its station).
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q

from jianguan.businesses.indicators import ENTITY_TYPE
from jianguan.businesses.models import Business
from jianguan.core.indicators import Column, Indicator, register
from jianguan.core.periods import Params
from jianguan.core.rules import rule_value

from ..models import AnnualReport
from ..rules import due_q, filing_window_end

DEADLINE_RULE = "credit.annual_report_deadline_months"


def deadline_months(year: int) -> int:
    """The filing window of `year` as the rule in force when the window opens (Jan 1 of year+1)."""
    return int(rule_value(DEADLINE_RULE, on=dt.date(year + 1, 1, 1)))


def window_end(year: int) -> dt.date:
    return filing_window_end(year, deadline_months(year))


def due_condition(p: Params, prefix: str = "") -> Q:
    year = p.annual_report_year
    return due_q(year=year, as_of=p.as_of, deadline_months=deadline_months(year), prefix=prefix)


def _filed_where(p: Params) -> Q:
    return Q(year=p.annual_report_year, filed_on__lte=p.as_of)


def _filed_condition(p: Params) -> Q:
    return _filed_where(p) & due_condition(p, prefix="business__")


def _missing_condition(p: Params) -> Q:
    filed = AnnualReport.objects.filter(business=OuterRef("pk"), year=p.annual_report_year, filed_on__lte=p.as_of)
    return due_condition(p) & ~Exists(filed)


def _businesses():
    return Business.objects.select_related("subdistrict__station")


def _reports():
    # The business's type under the dimension's own name, so that due and filed share one dimension.
    return AnnualReport.objects.select_related("business__subdistrict__station").annotate(entity_type=F("business__entity_type"))


_PLACE = (Column("所属街道", "subdistrict.name"), Column("监管所", "subdistrict.station.name"))
BUSINESS_COLUMNS = (
    Column("统一社会信用代码", "uscc"),
    Column("名称", "name"),
    Column("主体类型", "get_entity_type_display"),
    *_PLACE,
    Column("成立日期", "established_on"),
    Column("登记状态", "get_reg_status_display"),
    Column("状态日期", "status_date"),
)
REPORT_COLUMNS = (
    Column("统一社会信用代码", "business.uscc"),
    Column("名称", "business.name"),
    Column("主体类型", "business.get_entity_type_display"),
    Column("所属街道", "business.subdistrict.name"),
    Column("监管所", "business.subdistrict.station.name"),
    Column("年度", "year"),
    Column("报送日期", "filed_on"),
)

_YEAR = "年报年度为“年报年度”参数（缺省为截至日期的上一年）"
_DUE = ("成立日期不晚于年报年度12月31日、且未在截至日期与报送期限末日（次年6月30日，按次年1月1日施行的报送期限规则）"
        "两者中较早一日或之前注销、吊销或迁出的市场主体（不含其他组织）")
_SCOPE = "按市场主体所属街道（监管所辖区）统计范围"

DUE = register(Indicator(
    key="credit.annual_reports_due", label="应报年度报告市场主体", unit="户", uses="as_of",
    definition=f"{_DUE}，按主体类型分项；{_YEAR}。{_SCOPE}。",
    source="credit.annual_due", queryset=_businesses, condition=due_condition, where=due_condition,
    dimension=ENTITY_TYPE, columns=BUSINESS_COLUMNS,
))
FILED = register(Indicator(
    key="credit.annual_reports_filed", label="已报年度报告市场主体", unit="户", uses="as_of",
    definition=f"应报年度报告的市场主体中，该年度的年度报告报送日期不晚于截至日期的，按主体类型分项；{_YEAR}。{_SCOPE}。",
    source="credit.annual_filed", queryset=_reports, condition=_filed_condition, where=_filed_where,
    residual=lambda p: due_condition(p, prefix="business__"), scope_field="business__subdistrict",
    dimension=ENTITY_TYPE, parts_by_filter=True, columns=REPORT_COLUMNS,
))
MISSING = register(Indicator(
    key="credit.annual_reports_missing", label="未报年度报告市场主体", unit="户", uses="as_of",
    definition=f"应报年度报告的市场主体中，截至日期前（含当日）尚未报送该年度年度报告的，即应报减已报，按主体类型分项；"
               f"{_YEAR}。{_SCOPE}。",
    queryset=_businesses, condition=_missing_condition, derived=("-", DUE.key, FILED.key),
    dimension=ENTITY_TYPE, columns=BUSINESS_COLUMNS,
))
RATE = register(Indicator(
    key="credit.annual_report_rate", label="年报率", unit="%", uses="as_of", aggregate="rate",
    definition=f"年报率＝已报年度报告市场主体÷应报年度报告市场主体×100%，保留两位小数，按主体类型分别计算；应报为{_DUE}，"
               f"已报为其中该年度报告报送日期不晚于截至日期的；{_YEAR}。{_SCOPE}。",
    numerator=FILED.key, denominator=DUE.key, dimension=ENTITY_TYPE,
))
