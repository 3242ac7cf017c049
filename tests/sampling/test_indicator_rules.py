"""Sampling figures on small worlds built for one rule each: 风险监测 stays out of 合格率, 合格率 within each
业态, 处置率 and 逾期 around the 90-day deadline, an overturned result, 批次/千人 with and without a population,
reference rows added later. (The figures over a whole world of samples: test_indicators.py.)"""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.indicators import (
    all_indicators,
    clear_reference_cache,
    compute,
    drilldown,
    get_indicator,
)
from jianguan.core.models import Rule
from jianguan.core.periods import Params
from jianguan.sampling.choices import Conclusion, SamplingType
from jianguan.sampling.models import BusinessFormat, FoodCategory
from jianguan.sampling.services.common import set_clocks

from ..factories import BusinessFactory
from .factories import SampleFactory, fmt, population_rule

pytestmark = pytest.mark.django_db
D = dt.date
PREFIXES = ("sampling.", "quicktests.")
KEYS = sorted(i.key for i in all_indicators() if i.key.startswith(PREFIXES))
JUDGED_TYPES = (SamplingType.SUPERVISION, SamplingType.EVALUATION)


def test_risk_monitoring_counts_as_a_batch_but_not_in_the_pass_rate(org):
    b = BusinessFactory(subdistrict=org.subs["dongguan"])
    for _ in range(3):
        SampleFactory(business=b, conclusion=Conclusion.QUALIFIED)
    SampleFactory(business=b, conclusion=Conclusion.UNQUALIFIED)
    SampleFactory(business=b, sampling_type=SamplingType.EVALUATION, conclusion=Conclusion.QUALIFIED)
    # risk monitoring: a 问题样品 and a clean one; neither is 合格 or 不合格 for 合格率
    SampleFactory(business=b, sampling_type=SamplingType.RISK, conclusion=Conclusion.PROBLEM)
    SampleFactory(business=b, sampling_type=SamplingType.RISK, conclusion=Conclusion.QUALIFIED)
    SampleFactory(business=b, conclusion=Conclusion.PENDING)  # no result yet
    p = Params.build(period="2026Q3")
    values = compute(KEYS, p)
    assert values["sampling.batches"] == 8 and values["sampling.batches_by_type[风险监测]"] == 2
    assert values["sampling.batches_by_type[评价性抽检]"] == 1 and values["sampling.batches_by_type[监督抽检]"] == 5
    assert values["sampling.qualified"] == 4 and values["sampling.unqualified"] == 1 and values["sampling.judged"] == 5
    assert values["sampling.pass_rate"] == Decimal("80.00") == values["sampling.pass_rate[超市]"]
    assert values["sampling.pass_rate[餐饮]"] is None  # nothing judged there
    assert values["sampling.pass_rate_by_category[蔬菜制品]"] == Decimal("80.00")
    assert {s.sampling_type for s in drilldown("sampling.qualified", p)} == set(JUDGED_TYPES)
    assert "风险监测" in get_indicator("sampling.pass_rate").definition
    assert "不计入" in get_indicator("sampling.pass_rate").definition


def test_pass_rate_by_format_is_computed_within_each_format(org):
    b = BusinessFactory(subdistrict=org.subs["xiguan"])
    for name, good, bad in (("超市", 2, 1), ("农贸市场", 1, 2), ("餐饮", 3, 0)):
        for _ in range(good):
            SampleFactory(business=b, business_format=fmt(name), conclusion=Conclusion.QUALIFIED)
        for _ in range(bad):
            SampleFactory(business=b, business_format=fmt(name), conclusion=Conclusion.UNQUALIFIED)
    values = compute(["sampling.pass_rate"], Params.build(period="2026"))
    assert values["sampling.pass_rate"] == Decimal("66.67")
    assert values["sampling.pass_rate[超市]"] == Decimal("66.67")
    assert values["sampling.pass_rate[农贸市场]"] == Decimal("33.33")
    assert values["sampling.pass_rate[餐饮]"] == Decimal("100.00")


def test_disposal_rate_and_overdue_around_the_deadline(org):
    """Reported 2026-07-06: 90 days end on Sunday 2026-10-04, inside the National Day holiday, so the
    deadline moves to the first working day after it. Disposed on the deadline is in time; the day
    after is late. Overdue from the day after the deadline until the day before it is disposed."""
    b = BusinessFactory(subdistrict=org.subs["jiefang"])

    def reported(**kw):
        return SampleFactory(business=b, sampled_on=D(2026, 6, 20), report_on=D(2026, 7, 6), conclusion=Conclusion.UNQUALIFIED, **kw)

    on_time, next_day, late, never = reported(), reported(), reported(), reported()
    due = on_time.disposal_due
    assert due > D(2026, 10, 4) and due.weekday() < 5  # moved past the holiday
    for sample, day in ((on_time, due), (next_day, due + dt.timedelta(days=1)), (late, due + dt.timedelta(days=2))):
        sample.disposed_on = day
        set_clocks(sample)
        sample.save()
    SampleFactory(business=b, sampled_on=D(2026, 6, 20), report_on=D(2026, 7, 6), conclusion=Conclusion.QUALIFIED)
    q3 = Params.build(period="2026Q3")
    values = compute(["sampling.disposal_rate", "sampling.disposed_in_time", "sampling.disposal_required"], q3)
    assert values["sampling.disposal_required"] == 4 and values["sampling.disposed_in_time"] == 1
    assert values["sampling.disposal_rate"] == Decimal("25.00")
    assert [s.pk for s in drilldown("sampling.disposal_rate", q3)] == [on_time.pk]

    def overdue(day):
        p = Params.build(as_of=day)
        return {s.pk for s in drilldown("sampling.disposal_overdue", p)}, compute(["sampling.disposal_overdue"], p)["sampling.disposal_overdue"]

    assert overdue(due) == (set(), 0)  # the last day is not late
    assert overdue(due + dt.timedelta(days=1)) == ({late.pk, never.pk}, 2)  # `next_day` is disposed that very day
    assert overdue(due + dt.timedelta(days=2)) == ({never.pk}, 1)  # `late` is disposed that very day
    q4 = compute(["sampling.disposed"], Params.build(period="2026Q4"))
    assert q4["sampling.disposed"] == 3


def test_an_overturned_result_needs_no_disposal(org):
    b = BusinessFactory(subdistrict=org.subs["jiefang"])
    sample = SampleFactory(business=b, report_on=D(2026, 9, 10), conclusion=Conclusion.UNQUALIFIED)
    sample.conclusion = Conclusion.QUALIFIED  # 复检合格: the result no longer stands
    set_clocks(sample)
    sample.save()
    values = compute(["sampling.disposal_required", "sampling.disposal_rate", "sampling.pass_rate"], Params.build(period="2026"))
    assert values["sampling.disposal_required"] == 0 and values["sampling.disposal_rate"] is None
    assert values["sampling.pass_rate"] == Decimal("100.00")
    assert compute(["sampling.disposal_overdue"], Params.build(as_of="2027-06-30"))["sampling.disposal_overdue"] == 0


def test_per_thousand_over_the_population_of_the_scope(org):
    for name in ("dongguan", "dongguan", "dongguan", "xiguan"):
        SampleFactory(business=BusinessFactory(subdistrict=org.subs[name]), sampled_on=D(2026, 5, 1))
    SampleFactory(business=None, business_name="外地某摊位", subdistrict=None, sampled_on=D(2026, 5, 1))
    year = Params.build(period="2026")
    assert compute(["sampling.per_thousand"], year)["sampling.per_thousand"] is None  # no population: empty, no crash
    population_rule("region.population", 3000)
    population_rule("region.population", 6000, since=D(2027, 1, 1))  # not yet in force on 2026-12-31
    population_rule("region.population.S1", 1500)
    population_rule("region.population.370102003", 700)
    assert compute(["sampling.per_thousand"], year)["sampling.per_thousand"] == Decimal("1.67")  # 5 ÷ 3000 × 1000
    east = compute(["sampling.per_thousand", "sampling.batches"], Params.build(period="2026", scope="station:S1"))
    assert east == {"sampling.per_thousand": Decimal("2.00"), "sampling.batches": 3, **{
        k: v for k, v in east.items() if k.startswith("sampling.batches[")}}
    xiguan = compute(["sampling.per_thousand"], Params.build(period="2026", scope="subdistrict:370102003"))
    assert xiguan["sampling.per_thousand"] == Decimal("1.43")  # 1 ÷ 700 × 1000
    # a station or subdistrict without its own population: empty, not the bureau's
    assert compute(["sampling.per_thousand"], Params.build(period="2026", scope="station:S2"))["sampling.per_thousand"] is None
    assert compute(["sampling.per_thousand"], Params.build(period="2026", scope="subdistrict:370102001"))["sampling.per_thousand"] is None
    # the version in force on the period's last day
    SampleFactory(business=BusinessFactory(subdistrict=org.subs["xiguan"]), sampled_on=D(2027, 2, 1))
    assert compute(["sampling.per_thousand"], Params.build(period="2027Q1"))["sampling.per_thousand"] == Decimal("0.17")
    # a station user asking for the bureau gets their station's population
    assert compute(["sampling.per_thousand"], year, actor=org.users.east)["sampling.per_thousand"] == Decimal("2.00")
    assert "region.population" in get_indicator("sampling.per_thousand").definition


def test_a_population_that_is_not_a_number_leaves_the_figure_empty(org):
    SampleFactory(business=BusinessFactory(subdistrict=org.subs["dongguan"]))
    population_rule("region.population", "约三十万")
    assert compute(["sampling.per_thousand"], Params.build(period="2026"))["sampling.per_thousand"] is None
    Rule.objects.all().filter(key="region.population").update(value="0")
    assert compute(["sampling.per_thousand"], Params.build(period="2026"))["sampling.per_thousand"] is None


def test_reference_rows_added_later_are_parts_after_the_cache_is_cleared(org):
    new = FoodCategory.objects.create(code="99", name="昆虫食品", order=99)
    clear_reference_cache()
    SampleFactory(business=BusinessFactory(subdistrict=org.subs["dongguan"]), food_category=new,
                  business_format=BusinessFormat.objects.get(name="网络销售"))
    values = compute(["sampling.batches_by_category", "sampling.batches"], Params.build(period="2026"))
    assert values["sampling.batches_by_category[昆虫食品]"] == 1 == values["sampling.batches[网络销售]"]
    clear_reference_cache()



