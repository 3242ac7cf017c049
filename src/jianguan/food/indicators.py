"""Figures of food risk grading and of the yearly plan (issue 16; seed 004: "食品生产企业风险等级评定*家").

- `food.risk_grade[A|B|C|D]`: the grades in force on the as-of date — of the grading run of the as-of date's year
  made on or before it and not yet superseded by a later run.
- `food.plan_due` / `food.plan_inspections_done` / `food.plan_done_rate`: the minimum inspections due in the
  plan in force on the as-of date, the plan inspections done from 1 January to the as-of date counted at most
  up to each business's minimum (so that one business inspected more often does not hide another), and the
  ratio of the two.
- `food.businesses` / `food.fully_inspected` / `food.two_year_coverage`: food businesses on the as-of date, those
  with a full inspection in the 24 months (rule `food.plan.full_inspection_months`) to it, and the ratio.
What counts as a food business, a plan inspection and a full inspection: conditions.py.
"""

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan

from jianguan.businesses.models import Business
from jianguan.core.indicators import Column, Dimension, Indicator, register
from jianguan.core.periods import Params
from jianguan.core.rules import rule_value
from jianguan.inspections.models import Inspection

from .choices import Grade
from .conditions import food_business_q, full_inspections, plan_inspection_q, plan_inspections, year_start
from .models import FoodGrade, PlanItem, grades_in_force_q, plan_in_force_q
from .rules import add_months

GRADE = Dimension("grade", "风险等级", tuple((g, g) for g in Grade.values), names=lambda: dict(Grade.choices))
SCOPE = "business__subdistrict"
_SCOPE = "按主体所属街道（承担检查的监管所）统计范围。"
BUSINESS = (
    Column("统一社会信用代码", "business.uscc"), Column("名称", "business.name"), Column("所属街道", "business.subdistrict.name"),
    Column("监管所", "business.subdistrict.station.name"),
)
GRADE_COLUMNS = (
    *BUSINESS, Column("许可种类", "kind.name"), Column("主体业态", "sector.name"), Column("风险分值", "points"),
    Column("风险等级", "get_grade_display"), Column("人工调整", "overridden"), Column("评定日期", "graded_on"),
)
PLAN_COLUMNS = (
    *BUSINESS, Column("风险等级", "grade"), Column("最低检查次数", "min_inspections"), Column("最高检查次数", "max_inspections"),
    Column("计划编制日期", "run.built_on"),
)
INSPECTION_COLUMNS = (
    Column("检查编号", "number"), *BUSINESS, Column("检查类型", "get_kind_display"), Column("检查日期", "date"),
    Column("检查结果", "get_result_display"),
)
BUSINESS_COLUMNS = (
    Column("统一社会信用代码", "uscc"), Column("名称", "name"), Column("主体类型", "get_entity_type_display"),
    Column("所属街道", "subdistrict.name"), Column("监管所", "subdistrict.station.name"),
)
_PLAN_INSPECTION = ("计划内检查：已完成（已归档）的本局日常检查、专项检查、双随机抽查、飞行检查、体系检查，不含查无下落；"
                    "投诉举报核查、回头看及企业自查、社区巡查、第三方巡查不计入。")
_FULL = "全项检查：使用检查表且检查表每一项均有结论（符合、不符合、不适用或合理缺项）的计划内检查。"
_FOOD = "食品生产经营者：截至日期持有有效食品类许可证（含备案、登记），且未注销、吊销或迁出的主体。"


def _grades():
    return FoodGrade.objects.select_related("business__subdistrict__station", "kind", "sector")


def _plan_items():
    return PlanItem.objects.select_related("business__subdistrict__station", "run")


def _inspections():
    return Inspection.objects.select_related("business__subdistrict__station")


def _businesses():
    return Business.objects.select_related("subdistrict__station")


def _done_within_minimum(p: Params) -> Q:
    """Plan inspections of the year to the as-of date, of a business in the plan in force, that come (by date,
    then number) before its minimum is reached."""
    on = p.as_of
    earlier = (plan_inspections(year_start(on), on).filter(business=OuterRef("business"))
               .filter(Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), pk__lt=OuterRef("pk")))
               .order_by().values("business").annotate(n=Count("pk")).values("n")[:1])
    minimum = PlanItem.objects.filter(plan_in_force_q(on), business=OuterRef("business")).values("min_inspections")[:1]
    rank = Coalesce(Subquery(earlier, output_field=IntegerField()), 0)
    return plan_inspection_q() & Q(LessThan(rank, Subquery(minimum, output_field=IntegerField())))


def _in_year(p: Params) -> Q:
    return Q(date__gte=year_start(p.as_of), date__lte=p.as_of)


def _covered(p: Params) -> Q:
    months = int(rule_value("food.plan.full_inspection_months", on=p.as_of))
    start: dt.date = add_months(p.as_of, -months)
    return food_business_q(p.as_of) & Q(Exists(full_inspections(start, p.as_of).filter(business=OuterRef("pk"))))


register(Indicator(
    key="food.risk_grade", label="食品安全风险分级主体数", unit="户", uses="as_of", source="food.risk_grade",
    definition="截至日期所在年度、截至日期前最近一次（未被替代的）风险分级评定的食品生产经营者户数，按风险等级分项："
               "A级（低风险）、B级（一般风险）、C级（较高风险）、D级（高风险）；人工调整的按调整后等级。"
               f"分值与分界为“食品风险分级”规则（部分为本局工作取值，待核实）。{_SCOPE}",
    queryset=_grades, condition=lambda p: grades_in_force_q(p.as_of), scope_field=SCOPE, dimension=GRADE, columns=GRADE_COLUMNS,
))
register(Indicator(
    key="food.plan_due", label="年度检查计划应检次数（最低频次）", unit="次", uses="as_of", source="food.plan_due",
    definition="截至日期有效的本年度食品安全监督检查计划中，各主体按风险等级的最低检查次数之和"
               f"（A级1次、B级1次、C级2次、D级3次，为“年度检查计划”规则）。{_SCOPE}",
    queryset=_plan_items, condition=lambda p: plan_in_force_q(p.as_of), scope_field=SCOPE, aggregate="sum",
    sum_field="min_inspections", columns=PLAN_COLUMNS,
))
register(Indicator(
    key="food.plan_inspections_done", label="年度检查计划已完成检查次数", unit="次", uses="as_of",
    source="food.plan_inspections_done",
    definition="本年1月1日至截至日期、对截至日期有效的年度检查计划内主体实施的计划内检查次数，每个主体最多计至其最低检查次数"
               f"（按检查日期、检查编号先后取前若干次）。{_PLAN_INSPECTION}{_SCOPE}",
    queryset=_inspections, condition=lambda p: _in_year(p) & _done_within_minimum(p), where=_in_year, scope_field=SCOPE,
    columns=INSPECTION_COLUMNS,
))
register(Indicator(
    key="food.plan_done_rate", label="年度检查计划完成率", unit="%", uses="as_of", aggregate="rate",
    numerator="food.plan_inspections_done", denominator="food.plan_due",
    definition="年度检查计划已完成检查次数（每个主体最多计至其最低检查次数）÷ 计划应检次数（最低频次之和）× 100%，保留两位小数。",
))
register(Indicator(
    key="food.businesses", label="食品生产经营者", unit="户", uses="as_of", source="food.businesses",
    definition=f"{_FOOD}按主体所属街道统计范围。", queryset=_businesses, condition=lambda p: food_business_q(p.as_of),
    scope_field="subdistrict", columns=BUSINESS_COLUMNS,
))
register(Indicator(
    key="food.fully_inspected", label="两年内接受全项检查的食品生产经营者", unit="户", uses="as_of", source="food.fully_inspected",
    definition=f"截至日期前24个月内（规则 food.plan.full_inspection_months）至少接受过一次全项检查的食品生产经营者户数。{_FULL}{_FOOD}",
    queryset=_businesses, condition=_covered, scope_field="subdistrict", columns=BUSINESS_COLUMNS,
))
register(Indicator(
    key="food.two_year_coverage", label="食品生产经营者两年全项检查覆盖率", unit="%", uses="as_of", aggregate="rate",
    numerator="food.fully_inspected", denominator="food.businesses",
    definition="两年内接受全项检查的食品生产经营者 ÷ 食品生产经营者 × 100%，保留两位小数。",
))
