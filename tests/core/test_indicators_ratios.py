"""The indicator engine's ratios: a rate with a dimension is computed part by part (each part's numerator
over the same part's denominator), a per-thousand figure divides by the population rule of the report's
scope in force on the period's last day (none → empty), and both drill into their numerator's records.
Exercised with figures registered for the test only, over the business registry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from jianguan.businesses.indicators import ENTITY_TYPE
from jianguan.businesses.models import Business
from jianguan.core import indicators as engine
from jianguan.core.indicators import Indicator, compute, drilldown, population, population_key
from jianguan.core.models import Rule
from jianguan.core.periods import Params, Scope

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _counted(key, condition, dimension=ENTITY_TYPE):
    return Indicator(key=key, label=key, unit="户", definition="测试", uses="as_of", source="test.business",
                     queryset=lambda: Business.objects.select_related("subdistrict"), condition=condition, dimension=dimension)


@pytest.fixture
def figures(monkeypatch):
    """Test figures: all businesses, those founded in 2025, their share (by entity type) and per 1,000."""
    engine._discover()
    for ind in (
        _counted("test.all", lambda p: Q()),
        _counted("test.new", lambda p: Q(established_on__year=2025)),
        _counted("test.new_flat", lambda p: Q(established_on__year=2025), dimension=None),
        Indicator(key="test.share", label="占比", unit="%", definition="测试", uses="as_of", aggregate="rate",
                  numerator="test.new", denominator="test.all", dimension=ENTITY_TYPE),
        Indicator(key="test.share_flat", label="占比", unit="%", definition="测试", uses="as_of", aggregate="rate",
                  numerator="test.new_flat", denominator="test.all"),
        Indicator(key="test.per_thousand", label="每千人", unit="批次/千人", definition="测试", uses="period",
                  aggregate="per_thousand", numerator="test.all", denominator="test.population"),
    ):
        monkeypatch.setitem(engine._REGISTRY, ind.key, ind)  # removed again after the test
        engine.register(ind)  # checked as any app's figure is checked


@pytest.fixture
def world(org):
    for sub, kind, year in [("dongguan", "enterprise", 2025), ("dongguan", "enterprise", 2020), ("dongguan", "individual", 2025),
                            ("xiguan", "individual", 2020), ("xiguan", "individual", 2020), ("xiguan", "individual", 2025),
                            ("jiefang", "enterprise", 2019)]:
        BusinessFactory(subdistrict=org.subs[sub], entity_type=kind, established_on=D(year, 3, 1))
    return org


def test_a_rate_by_parts_divides_each_part_by_the_same_part(figures, world):
    values = compute(["test.share"], Params.build(as_of="2026-06-30"))
    assert values["test.share"] == Decimal("42.86")  # 3 of 7
    assert values["test.share[企业]"] == Decimal("33.33")  # 1 of 3
    assert values["test.share[个体工商户]"] == Decimal("50.00")  # 2 of 4
    assert values["test.share[农民专业合作社]"] is None  # none at all: no rate, not 0
    p = Params.build(as_of="2026-06-30")
    assert drilldown("test.share", p, part="个体工商户").count() == 2  # the part's numerator


def test_a_rate_without_a_dimension_has_no_parts(figures, world):
    values = compute(["test.share_flat"], Params.build(as_of="2026-06-30"))
    assert values["test.share_flat"] == Decimal("42.86")
    assert not [k for k in values if k.startswith("test.share_flat[")]


def test_a_rate_by_parts_needs_its_terms_broken_down_alike(figures, world, monkeypatch):
    odd = Indicator(key="test.odd", label="占比", unit="%", definition="测试", uses="as_of", aggregate="rate",
                    numerator="test.new_flat", denominator="test.all", dimension=ENTITY_TYPE)
    monkeypatch.setitem(engine._REGISTRY, odd.key, odd)
    with pytest.raises(ValueError, match="same dimension"):
        compute(["test.odd"], Params.build(as_of="2026-06-30"))


def _population(key, value, since):
    Rule.objects.create(key=key, label="常住人口", value=str(value), unit="count", valid_from=since, source_document="测试")


def test_per_thousand_reads_the_population_of_the_scope_in_force_on_the_periods_last_day(figures, world):
    year = Params.build(period="2026")
    assert compute(["test.per_thousand"], year)["test.per_thousand"] is None  # no population rule: empty
    _population("test.population", 2000, D(2020, 1, 1))
    _population("test.population", 4000, D(2026, 12, 31))  # in force on the last day
    _population("test.population", 9000, D(2027, 1, 1))  # not yet
    _population("test.population.S2", 600, D(2020, 1, 1))
    _population("test.population.370102001", 300, D(2020, 1, 1))
    assert compute(["test.per_thousand"], year)["test.per_thousand"] == Decimal("1.75")  # 7 ÷ 4000 × 1000
    assert compute(["test.per_thousand"], Params.build(period="2026H1"))["test.per_thousand"] == Decimal("3.50")  # ÷ 2000
    west = compute(["test.per_thousand"], Params.build(period="2026", scope="station:S2"))
    assert west["test.per_thousand"] == Decimal("5.00")  # 3 ÷ 600 × 1000
    dongguan = compute(["test.per_thousand"], Params.build(period="2026", scope="subdistrict:370102001"))
    assert dongguan["test.per_thousand"] == Decimal("10.00")  # 3 ÷ 300 × 1000
    assert compute(["test.per_thousand"], Params.build(period="2026", scope="station:S1"))["test.per_thousand"] is None
    assert drilldown("test.per_thousand", year).count() == 7  # its numerator's records


def test_population_keys_and_bad_values(db):
    assert population_key("region.population", Scope("bureau")) == "region.population"
    assert population_key("region.population", Scope("station", "S1", "东关所")) == "region.population.S1"
    assert population_key("region.population", Scope("subdistrict", "370102001")) == "region.population.370102001"
    p = Params.build(period="2026H1")
    _population("test.population", "很多", D(2020, 1, 1))
    assert population("test.population", p) is None
    Rule.objects.filter(key="test.population").update(value="-5")
    assert population("test.population", p) is None
    Rule.objects.filter(key="test.population").update(value="350000")
    assert population("test.population", p) == 350000


def test_register_refuses_malformed_ratios():
    with pytest.raises(ValueError):
        engine.register(Indicator(key="test.bad", label="x", unit="批次/千人", definition="", uses="period",
                                  aggregate="per_thousand", numerator="test.all"))
    with pytest.raises(ValueError):
        engine.register(Indicator(key="test.bad", label="x", unit="批次/千人", definition="", uses="period",
                                  aggregate="per_thousand", numerator="test.all", denominator="test.population",
                                  dimension=ENTITY_TYPE))
    assert "test.bad" not in engine._REGISTRY


def test_test_figures_are_gone_after_their_tests():
    engine._discover()
    assert not [k for k in engine._REGISTRY if k.startswith("test.")]
