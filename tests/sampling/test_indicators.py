"""Sampling figures: every value equals the same samples and quick tests counted directly in Python (by
period, as-of date, station, subdistrict and part); every drill-down lists exactly the records counted;
风险监测 stays out of 合格率; 处置率 and 逾期 around the 90-day deadline; 批次/千人 with and without a
population; a campaign's samples and quick tests."""

import datetime as dt
import random
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from jianguan.campaigns.services import campaign_create
from jianguan.cases.choices import CaseStatus, LeadSource, LeadStatus
from jianguan.core.errors import DomainError
from jianguan.core.indicators import (
    all_indicators,
    clear_reference_cache,
    column_value,
    compute,
    dimension_key,
    drilldown,
    get_indicator,
)
from jianguan.core.periods import Params
from jianguan.reports.engine import build_report
from jianguan.sampling.choices import QUICKTEST_ITEMS, Conclusion, QuickTestResult, SamplingType
from jianguan.sampling.models import QuickTest, Sample
from jianguan.sampling.services.common import set_clocks

from ..cases.factories import CaseFactory, LeadFactory
from ..conftest import make_org
from ..factories import BusinessFactory
from ..reports.test_links import _check_every_figure
from .factories import QuickTestFactory, SampleFactory, category, fmt, population_rule

pytestmark = pytest.mark.django_db
D = dt.date
PREFIXES = ("sampling.", "quicktests.")
KEYS = sorted(i.key for i in all_indicators() if i.key.startswith(PREFIXES))
COUNTS = [k for k in KEYS if not get_indicator(k).is_rate]
CAMPAIGN_KEYS = ["campaign.samples", "campaign.samples_unqualified", "campaign.quicktests", "campaign.quicktests_positive"]
# Days around the third quarter of 2026: its edges, and the days just outside.
EDGES = [D(2026, 6, 30), D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 1)]
JUDGED_TYPES = (SamplingType.SUPERVISION, SamplingType.EVALUATION)
FORMATS = ["超市", "农贸市场", "餐饮", "学校食堂", "生产"]
CATEGORIES = ["蔬菜制品", "粮食加工品", "肉制品", "食用农产品", "乳制品"]
ITEMS = [*QUICKTEST_ITEMS[:4], "克伦特罗"]  # the last one is not on the list: it counts as 其他


START = D(2026, 3, 1)
SINCE = D(2020, 1, 1)


def _day(rng, span=290):
    """Mostly spread over March–December 2026, often on one of the quarter's edges."""
    return rng.choice(EDGES) if rng.random() < 0.3 else START + dt.timedelta(days=rng.randrange(span))


@pytest.fixture(scope="module")
def world(module_db, django_db_blocker):
    """About 160 samples of every type and result (some unqualified, disposed in time, late or not at
    all) and 60 quick tests, in both stations and without a subdistrict; some in a campaign. Built once
    for the module's tests (which only read it; what a test writes is undone after it), with the bureau of
    `make_org`, which it returns."""
    with django_db_blocker.unblock():
        return _build_world(make_org())


def _build_world(org):
    rng = random.Random(14)
    subs = [*org.subs.values(), None]
    businesses = {s: BusinessFactory(subdistrict=s) for s in subs if s is not None}
    campaign = campaign_create(actor=org.users.dept, code="SP2026", name="校园食品安全专项行动", start=D(2026, 3, 1),
                               end=D(2026, 12, 31), lead_department=org.dept)
    for _ in range(160):
        sub = rng.choice(subs)
        place = {"business": businesses[sub]} if sub else {"business": None, "business_name": "外地某摊位", "subdistrict": None}
        kind = rng.choice([SamplingType.SUPERVISION] * 3 + [SamplingType.RISK, SamplingType.EVALUATION])
        sampled = _day(rng)
        draw = rng.random()
        if draw < 0.1:
            conclusion = Conclusion.PENDING
        elif draw < 0.55:
            conclusion = Conclusion.QUALIFIED
        else:
            conclusion = Conclusion.PROBLEM if kind == SamplingType.RISK else Conclusion.UNQUALIFIED
        report_on = None
        if conclusion != Conclusion.PENDING:
            report_on = rng.choice([sampled + dt.timedelta(days=rng.choice([12, 25, 40])), max(sampled, rng.choice(EDGES))])
        sample = SampleFactory(
            sampled_on=sampled, sampling_type=kind, conclusion=conclusion, report_on=report_on,
            business_format=fmt(rng.choice(FORMATS)), food_category=category(rng.choice(CATEGORIES)),
            campaign=campaign if rng.random() < 0.3 else None, **place,
        )
        if conclusion == Conclusion.UNQUALIFIED and rng.random() < 0.75:
            # disposed well in time, on the deadline, a day late, or on one of the quarter's edges
            sample.disposed_on = max(report_on, rng.choice([sample.disposal_due - dt.timedelta(days=rng.randrange(80)),
                                                            sample.disposal_due, sample.disposal_due + dt.timedelta(days=1),
                                                            rng.choice(EDGES)]))
            set_clocks(sample)
            sample.save()
        if conclusion == Conclusion.UNQUALIFIED and rng.random() < 0.6:
            _hand_over(rng, sample)
    for _ in range(60):
        sub = rng.choice(subs)
        QuickTestFactory(
            tested_on=_day(rng), subdistrict=sub, business=businesses.get(sub) if rng.random() < 0.5 else None,
            item=rng.choice(ITEMS), result=QuickTestResult.POSITIVE if rng.random() < 0.25 else QuickTestResult.NEGATIVE,
            campaign=campaign if rng.random() < 0.3 else None,
        )
    return org


def _hand_over(rng, sample) -> None:
    """The sample's case lead: pending, or filed as a case that is open or closed (on a quarter's edge or not)."""
    received = sample.report_on + dt.timedelta(days=rng.choice([1, 10, 30]))
    filed = rng.random() < 0.7
    lead = LeadFactory(source=LeadSource.SAMPLING, business=sample.business, respondent_name=sample.business_name,
                       subdistrict=sample.subdistrict, received_on=received, source_ref=f"sampling.sample:{sample.pk}",
                       status=LeadStatus.FILED if filed else LeadStatus.PENDING, decided_on=received if filed else None)
    sample.lead = lead
    sample.save(update_fields=["lead"])
    if filed:
        closed_on = rng.choice([None, received + dt.timedelta(days=rng.randrange(120)), max(received, rng.choice(EDGES))])
        CaseFactory(lead=lead, business=sample.business, respondent_name=sample.business_name, subdistrict=sample.subdistrict,
                    source=LeadSource.SAMPLING, filed_on=received, closed_on=closed_on,
                    status=CaseStatus.CLOSED if closed_on else CaseStatus.INVESTIGATING)


# ---------------------------------------------------------------- the same figures in Python


def _in(day, p: Params) -> bool:
    return day is not None and p.period.start <= day <= p.period.end


def _in_scope(record, p: Params) -> bool:
    sub = record.subdistrict
    if p.scope.kind == "station":
        return sub is not None and sub.station.code == p.scope.code
    if p.scope.kind == "subdistrict":
        return sub is not None and sub.code == p.scope.code
    return True


def _item(test) -> str:
    return test.item if test.item in QUICKTEST_ITEMS else "其他"


def expected(p: Params) -> dict:
    """Each counted figure's records and each part's: picked from every sample and quick test with the
    definitions written out again."""
    samples = [s for s in Sample.objects.select_related("subdistrict__station", "business_format", "food_category", "lead__case")
               if _in_scope(s, p)]
    tests = [t for t in QuickTest.objects.select_related("subdistrict__station") if _in_scope(t, p)]
    sampled = [s for s in samples if _in(s.sampled_on, p)]
    qualified = [s for s in sampled if s.conclusion == Conclusion.QUALIFIED and s.sampling_type in JUDGED_TYPES]
    unqualified = [s for s in sampled if s.conclusion == Conclusion.UNQUALIFIED]
    reported = [s for s in samples if s.conclusion == Conclusion.UNQUALIFIED and _in(s.report_on, p)]
    period_tests = [t for t in tests if _in(t.tested_on, p)]
    handed = [s.lead for s in samples if s.lead_id and _in(s.report_on, p)]
    filed = [lead for lead in handed if lead.status == LeadStatus.FILED]
    closed = [lead for lead in filed if lead.case.status == CaseStatus.CLOSED and lead.case.closed_on <= p.as_of]

    def fmt_of(s):
        return s.business_format.name

    def cat_of(s):
        return s.food_category.name

    out = {
        "sampling.batches": (sampled, fmt_of),
        "sampling.batches_by_category": (sampled, cat_of),
        "sampling.batches_by_type": (sampled, lambda s: s.get_sampling_type_display()),
        "sampling.qualified": (qualified, fmt_of),
        "sampling.unqualified": (unqualified, fmt_of),
        "sampling.judged": (qualified + unqualified, fmt_of),
        "sampling.qualified_by_category": (qualified, cat_of),
        "sampling.judged_by_category": (qualified + unqualified, cat_of),
        "sampling.disposal_required": (reported, None),
        "sampling.disposed_in_time": ([s for s in reported if s.disposed_on and s.disposed_on <= s.disposal_due], None),
        "sampling.disposed": ([s for s in samples if s.conclusion == Conclusion.UNQUALIFIED and _in(s.disposed_on, p)], None),
        "sampling.disposal_overdue": ([s for s in samples if s.conclusion == Conclusion.UNQUALIFIED and s.disposal_due < p.as_of
                                       and (s.disposed_on is None or s.disposed_on > p.as_of)], None),
        "sampling.leads": (handed, None),
        "sampling.leads_filed": (filed, None),
        "sampling.cases_closed": (closed, None),
        "quicktests.count": (period_tests, _item),
        "quicktests.positive": ([t for t in period_tests if t.result == QuickTestResult.POSITIVE], _item),
    }
    values = {}
    for key, (records, part_of) in out.items():
        values[key] = len(records)
        if part_of:
            for _, label in get_indicator(key).dimension.pairs():
                values[dimension_key(key, label)] = sum(1 for r in records if part_of(r) == label)
    return {"values": values, "records": {k: v[0] for k, v in out.items()}}


def _rate(numerator, denominator, per=100):
    return None if not denominator else (Decimal(numerator) * per / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


PARAMS = [
    {"period": "2026Q3"},
    {"period": "2026Q3", "scope": "station:S1"},
    {"period": "2026Q3", "scope": "station:S2"},
    {"period": "2026Q3", "scope": "subdistrict:370102003"},
    {"period": "2026-09", "as_of": "2026-09-15"},
    {"period": "2026-07-01..2026-07-01", "as_of": "2026-10-01"},
    {"period": "2026"},
    {"as_of": "2027-03-01"},
]


@pytest.mark.parametrize("given", PARAMS)
def test_every_figure_equals_its_records_counted_directly(world, given):
    p = Params.build(**given)
    want = expected(p)["values"]
    values = compute(KEYS, p)
    assert {k: values[k] for k in want} == want
    assert set(COUNTS) == {k for k in want if "[" not in k}
    assert values["sampling.pass_rate"] == _rate(want["sampling.qualified"], want["sampling.judged"])
    assert values["sampling.disposal_rate"] == _rate(want["sampling.disposed_in_time"], want["sampling.disposal_required"])
    for _, label in get_indicator("sampling.pass_rate").dimension.pairs():
        assert values[f"sampling.pass_rate[{label}]"] == _rate(want[f"sampling.qualified[{label}]"], want[f"sampling.judged[{label}]"])
    for _, label in get_indicator("sampling.pass_rate_by_category").dimension.pairs():
        assert values[f"sampling.pass_rate_by_category[{label}]"] == _rate(
            want[f"sampling.qualified_by_category[{label}]"], want[f"sampling.judged_by_category[{label}]"])


def test_the_world_is_not_vacuous(world):
    """Every figure and most parts are non-zero in the quarter (and the overdue stock a few months on),
    so the comparisons above can fail."""
    p = Params.build(period="2026Q3")
    values = compute(KEYS, p)
    later = compute(["sampling.disposal_overdue"], Params.build(as_of="2027-03-01"))
    assert later["sampling.disposal_overdue"] > 0
    empty = {k: values[k] for k in KEYS if not values[k] and k not in ("sampling.per_thousand", "sampling.disposal_overdue")}
    assert not empty, empty
    assert sum(1 for k, v in values.items() if "[" in k and v) >= 40
    assert 0 < values["sampling.disposal_rate"] < 100 and 0 < values["sampling.pass_rate"] < 100
    assert values["quicktests.count[其他]"] > 0  # 克伦特罗 is not on the list
    assert values["sampling.per_thousand"] is None  # no population rule in this world
    assert Sample.objects.filter(subdistrict__isnull=True).exists() and QuickTest.objects.filter(subdistrict__isnull=True).exists()


def test_parts_add_up_and_stations_split_the_bureau(world):
    org = world
    p = Params.build(period="2026Q3")
    bureau = compute(COUNTS, p)
    for key in ("sampling.batches", "sampling.batches_by_category", "sampling.batches_by_type"):
        parts = [bureau[dimension_key(key, label)] for _, label in get_indicator(key).dimension.pairs()]
        assert sum(parts) == bureau[key] == bureau["sampling.batches"], key
    assert sum(bureau[f"quicktests.count[{i}]"] for i in QUICKTEST_ITEMS) == bureau["quicktests.count"]
    assert bureau["sampling.judged"] == bureau["sampling.qualified"] + bureau["sampling.unqualified"]
    east = compute(COUNTS, Params.build(period="2026Q3", scope="station:S1"))
    west = compute(COUNTS, Params.build(period="2026Q3", scope="station:S2"))
    records = expected(p)["records"]
    for key in COUNTS:
        outside = sum(1 for r in records[key] if r.subdistrict_id is None)
        assert east[key] + west[key] + outside == bureau[key], key
    assert any(r.subdistrict_id is None for r in records["sampling.batches"])
    # a station user asking for the bureau gets their station
    assert compute(COUNTS, p, actor=org.users.east) == east


def _pks(records):
    return sorted((r._meta.model_name, r.pk) for r in records)


@pytest.mark.parametrize("given", PARAMS[:5])
def test_every_drilldown_lists_exactly_the_records_counted(world, given):
    p = Params.build(**given)
    want = expected(p)["records"]
    values = compute(KEYS, p)
    for key in COUNTS:
        indicator = get_indicator(key)
        listed = list(drilldown(key, p))
        assert _pks(listed) == _pks(want[key]), key
        assert len(listed) == values[key], key
        for _, label in indicator.dimension.pairs() if indicator.dimension else ():
            assert drilldown(key, p, part=label).count() == values[dimension_key(key, label)], (key, label)
    # a rate drills into its numerator, part by part
    assert drilldown("sampling.pass_rate", p, part="超市").count() == values["sampling.qualified[超市]"]
    assert drilldown("sampling.disposal_rate", p).count() == values["sampling.disposed_in_time"]
    assert drilldown("sampling.per_thousand", p).count() == values["sampling.batches"]


def test_a_station_users_drilldowns(world):
    org = world
    p = Params.build(period="2026Q3")
    values = compute(COUNTS, p, actor=org.users.west)
    for key in COUNTS:
        listed = list(drilldown(key, p, actor=org.users.west))
        assert all(r.subdistrict and r.subdistrict.station_id == org.west.pk for r in listed), key
        assert len(listed) == values[key], key


def test_drill_columns_read(world):
    p = Params.build(period="2026")
    for key in COUNTS:
        indicator = get_indicator(key)
        for record in list(drilldown(key, p))[:5]:
            row = [column_value(record, c.path) for c in indicator.columns]
            assert row[0] != "", key
    record = drilldown("sampling.batches", p).first()
    assert column_value(record, "business_format.name") == record.business_format.name


def test_one_query_per_table(world, django_assert_max_num_queries):
    clear_reference_cache()
    # 业态, 食品大类 (cached after), the samples, their case leads, the quick tests, the population
    with django_assert_max_num_queries(6):
        compute(KEYS, Params.build(period="2026Q3"))
    station = Params.build(period="2026Q3", scope="station:S1")
    with django_assert_max_num_queries(4):
        compute(KEYS, station)


# ---------------------------------------------------------------- a campaign


def test_a_campaigns_samples_and_quick_tests(world):
    """Every sample and quick test linked to the campaign up to the as-of date, whatever the period."""
    as_of = D(2026, 9, 30)
    p = Params.build(period="2026Q3", as_of=as_of, campaign="SP2026")
    values = compute(CAMPAIGN_KEYS, p)
    samples = [s for s in Sample.objects.select_related("food_category") if s.campaign_id and s.sampled_on <= as_of]
    tests = [t for t in QuickTest.objects.all() if t.campaign_id and t.tested_on <= as_of]
    assert values["campaign.samples"] == len(samples) > 0
    assert values["campaign.samples_unqualified"] == sum(s.conclusion == Conclusion.UNQUALIFIED for s in samples) > 0
    assert values["campaign.quicktests"] == len(tests) > 0
    assert values["campaign.quicktests_positive"] == sum(t.result == QuickTestResult.POSITIVE for t in tests) > 0
    for name in CATEGORIES:
        assert values[f"campaign.samples[{name}]"] == sum(s.food_category.name == name for s in samples)
    for key in CAMPAIGN_KEYS:
        assert drilldown(key, p).count() == values[key], key
    station = compute(CAMPAIGN_KEYS, Params.build(period="2026Q3", scope="station:S1", campaign="SP2026"))
    assert station["campaign.samples"] == sum(1 for s in samples if s.subdistrict and s.subdistrict.station.code == "S1")


def test_campaign_figures_require_the_campaign(world):
    with pytest.raises(DomainError) as caught:
        compute(["campaign.samples"], Params.build(period="2026Q3"))
    assert caught.value.code == "missing_campaign"
    with pytest.raises(DomainError):
        drilldown("campaign.quicktests", Params.build(period="2026Q3"))
    with pytest.raises(DomainError):
        compute(["campaign.samples"], Params.build(period="2026Q3", campaign="NOPE"))


# ---------------------------------------------------------------- the reports


def test_the_work_summary_quotes_the_sampling_figures(world):
    population_rule("region.population", 120000)
    report = build_report("work_summary", Params.build(period="2026Q3"))
    v = report.values
    section = report.text.split("## 七、食品安全抽检", 1)[1]
    assert f"共完成食品抽检监测{v['sampling.batches']}批次" in section
    assert f"监督抽检{v['sampling.batches_by_type[监督抽检]']}批次" in section
    assert f"超市{v['sampling.batches[超市]']}批次" in section
    assert f"达{v['sampling.per_thousand']:.2f}批次/千人" in section
    assert f"合格{v['sampling.qualified']}批次、不合格{v['sampling.unqualified']}批次，合格率{v['sampling.pass_rate']:.2f}%" in section
    assert f"超市{v['sampling.pass_rate[超市]']:.2f}%" in section
    assert "风险监测样品不作合格判定，不计入合格率" in section
    assert f"核查处置率{v['sampling.disposal_rate']:.2f}%" in section
    assert f"超过处置期限尚未完成核查处置的{v['sampling.disposal_overdue']}批次" in section
    assert (f"不合格样品移交案件线索{v['sampling.leads']}起，已立案{v['sampling.leads_filed']}起，"
            f"截至2026年9月30日已结案{v['sampling.cases_closed']}起") in section
    assert f"完成快检{v['quicktests.count']}批次，检出阳性{v['quicktests.positive']}批次" in section
    station = build_report("work_summary", Params.build(period="2026Q3", scope="station:S1")).text.split("## 七、", 1)[1]
    assert "东关市场监管所辖区共完成食品抽检监测" in station and "批次/千人" not in station  # no station population


def test_every_sampling_figure_in_the_reports_links_to_its_records(world, client):
    population_rule("region.population", 120000)
    client.force_login(world.users.dept)
    assert _check_every_figure(client, "work_summary", {"period": "2026Q3"}) > 0
    assert _check_every_figure(client, "work_summary", {"period": "2026Q3", "scope": "station:S2"}) > 0
    assert _check_every_figure(client, "campaign_report", {"period": "2026Q3", "campaign": "SP2026"}) > 0
    page = client.get("/reports/", {"template": "work_summary", "period": "2026Q3"}).content.decode()
    keys = set(re.findall(r'data-key="((?:sampling|quicktests)\.[^"]+)"', page))
    assert {"sampling.batches", "sampling.qualified", "sampling.pass_rate", "sampling.per_thousand", "sampling.disposal_rate",
            "quicktests.count", "sampling.pass_rate[超市]", "quicktests.positive[农药残留]"} <= keys


def test_the_campaign_report_quotes_its_samples_and_quick_tests(world):
    report = build_report("campaign_report", Params.build(period="2026Q3", campaign="SP2026"))
    v = report.values
    assert (f"开展食品抽检{v['campaign.samples']}批次" in report.text
            and f"检出不合格{v['campaign.samples_unqualified']}批次；快检{v['campaign.quicktests']}批次" in report.text)
    assert f"检出阳性{v['campaign.quicktests_positive']}批次" in report.text
