"""The special-equipment ledger's figures on a ledger with known counts per type and status."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.indicators import all_indicators, compute, dimension_key, drilldown
from jianguan.core.periods import Params
from jianguan.equipment import indicators as equipment_indicators
from jianguan.equipment.models import CatalogueEntry, Examination

from ..factories import BusinessFactory, UserFactory
from .factories import EquipmentFactory, producer_licence

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 8, 31)
# The device ledger's own figures (the producers' from their licences, in the licence register); equipment.sealed
# is counted from the inspections module's sealings.
EQUIPMENT_KEYS = [
    i.key
    for i in all_indicators()
    if i.key.startswith("equipment.")
    and (i.queryset is None or i.queryset().model._meta.app_label in ("equipment", "licences"))
]


def device(type_code, operator, subdistrict, *, status="in_use", status_date=None, registered_on=dt.date(2020, 5, 1), **extra):
    return EquipmentFactory(
        type=CatalogueEntry.objects.get(code=type_code),
        category=None,
        operator=operator,
        subdistrict=subdistrict,
        status=status,
        status_date=status_date,
        registered_on=registered_on,
        next_due=extra.pop("next_due", dt.date(2027, 6, 30)),
        **extra,
    )


def exam(equipment, date, next_due):
    return Examination.objects.create(equipment=equipment, date=date, conclusion="passed", next_due=next_due)


def build_ledger(org):
    """13 registered devices on 2026-08-31: 锅炉 3 (1 idle), 压力容器 3, 电梯 5 (1 idle), 大型游乐设施 2 (both idle);
    no 起重机械. 2 producers, 4 operators."""
    east, east2, west = org.subs["dongguan"], org.subs["jiefang"], org.subs["xiguan"]
    op = SimpleNamespace(
        factory=BusinessFactory(name="泉城化工有限公司", subdistrict=east),
        plant=BusinessFactory(name="历下热力有限公司", subdistrict=east),
        mall=BusinessFactory(name="恒隆广场有限公司", subdistrict=west),  # elevators in two stations
        park=BusinessFactory(name="趵突泉游乐园有限公司", subdistrict=west),
        gone=BusinessFactory(name="已报废设备单位", subdistrict=west),
    )
    d = SimpleNamespace()
    # 锅炉: two in use — one of them idle only since after the as-of date — and one idle.
    d.boiler = device("1000", op.factory, east)
    d.boiler_later_idle = device("1000", op.factory, east, status="idle", status_date=dt.date(2026, 9, 10))
    d.boiler_idle = device("1000", op.factory, east, status="idle", status_date=dt.date(2026, 3, 1), next_due=dt.date(2026, 4, 1))
    # 压力容器: three in use, one of them overdue; one scrapped before the date; one registered after it.
    d.vessel_overdue = device("2000", op.plant, east2, next_due=dt.date(2026, 8, 1))
    d.vessel = device("2000", op.plant, east2)
    d.vessel_scrapped_later = device("2000", op.plant, east2, status="scrapped", status_date=dt.date(2026, 9, 1))
    d.vessel_scrapped = device("2000", op.gone, west, status="scrapped", status_date=dt.date(2026, 5, 1))
    d.vessel_new = device("2000", op.gone, west, registered_on=dt.date(2026, 9, 5))
    # 电梯: four in use (two insured, one expired the day before, one never insured), one idle.
    d.lift_on_time = device("3000", op.mall, east, insurance_until=dt.date(2026, 12, 31), next_due=dt.date(2027, 3, 1))
    d.lift_late = device("3000", op.mall, west, insurance_until=AS_OF, next_due=dt.date(2027, 4, 15))
    d.lift_expired = device("3000", op.mall, west, insurance_until=dt.date(2026, 8, 30))
    d.lift_uninsured = device("3000", op.mall, west)
    d.lift_idle = device("3000", op.mall, west, status="idle", status_date=dt.date(2026, 1, 15), insurance_until=dt.date(2027, 1, 1))
    # 大型游乐设施: all idle.
    d.ride1 = device("6000", op.park, west, status="idle", status_date=dt.date(2025, 11, 1))
    d.ride2 = device("6000", op.park, west, status="idle", status_date=dt.date(2025, 11, 1))

    # Examinations due in 2026-01-01..2026-08-31: on time (on the due date itself), late, never re-examined;
    # the idle elevator's due date and a later due date do not count.
    exam(d.lift_on_time, dt.date(2025, 3, 1), dt.date(2026, 3, 1))
    exam(d.lift_on_time, dt.date(2026, 3, 1), dt.date(2027, 3, 1))
    exam(d.lift_late, dt.date(2025, 4, 1), dt.date(2026, 4, 1))
    exam(d.lift_late, dt.date(2026, 4, 15), dt.date(2027, 4, 15))
    exam(d.vessel_overdue, dt.date(2023, 8, 1), dt.date(2026, 8, 1))
    exam(d.lift_idle, dt.date(2025, 6, 1), dt.date(2026, 6, 1))
    exam(d.vessel, dt.date(2024, 6, 30), dt.date(2027, 6, 30))

    # Producers: one with two valid licences, one valid exactly to the date, one expired, one not yet valid.
    producers = [BusinessFactory(name=f"生产单位{n}", subdistrict=east if n < 2 else west) for n in range(4)]
    producer_licence(producers[0], "TS3137001-2027", dt.date(2027, 1, 1))
    producer_licence(producers[0], "TS3337002-2028", dt.date(2028, 1, 1), valid_from=dt.date(2024, 1, 1))
    producer_licence(producers[1], "TS3137003-2026", AS_OF)
    producer_licence(producers[2], "TS3137004-2026", dt.date(2026, 8, 30))
    producer_licence(producers[3], "TS3137005-2030", dt.date(2030, 1, 1), valid_from=dt.date(2026, 9, 1))
    return SimpleNamespace(op=op, d=d)


EXPECTED = {
    "equipment.producers": 2,
    "equipment.operators": 4,
    "equipment.registered": 13,
    "equipment.registered[1000]": 3,
    "equipment.registered[2000]": 3,
    "equipment.registered[3000]": 5,
    "equipment.registered[4000]": 0,
    "equipment.registered[6000]": 2,
    "equipment.in_use": 9,
    "equipment.in_use[1000]": 2,
    "equipment.in_use[2000]": 3,
    "equipment.in_use[3000]": 4,
    "equipment.in_use[6000]": 0,
    "equipment.idle": 4,
    "equipment.idle[1000]": 1,
    "equipment.idle[3000]": 1,
    "equipment.idle[6000]": 2,
    "equipment.overdue": 1,
    "equipment.overdue[2000]": 1,
    "equipment.exam_subject": 9,
    "equipment.exam_current": 8,
    "equipment.exam_rate": Decimal("88.89"),
    "equipment.exam_due": 3,
    "equipment.exam_on_time": 1,
    "equipment.exam_rate_period": Decimal("33.33"),
    "equipment.elevators_in_use": 4,
    "equipment.elevators_insured": 2,
    "equipment.elevator_insured_rate": Decimal("50.00"),
}


@pytest.fixture
def ledger(org):
    equipment_indicators.clear_type_cache()
    return build_ledger(org)


def test_figures_on_a_known_ledger(ledger):
    values = compute(EQUIPMENT_KEYS, Params.build(as_of=AS_OF))
    assert {k: values[k] for k in EXPECTED} == EXPECTED


def test_type_dimension_uses_codes_named_from_the_catalogue():
    pairs = equipment_indicators.TYPE.pairs()
    codes = [code for code, _ in pairs]
    assert codes[:3] == ["1000", "2000", "3000"] and all(code == label for code, label in pairs)
    assert "7000" not in codes and "F000" not in codes  # never registered for use
    assert equipment_indicators.TYPE.name_of("3000") == "电梯"
    assert equipment_indicators.TYPE.name_of("5000") == "场（厂）内专用机动车辆"


@pytest.mark.parametrize(
    ("day", "in_use", "idle"),
    [
        (dt.date(2026, 9, 9), 9, 4),  # the boiler's idle status dates from 9-10: in use the day before
        (dt.date(2026, 9, 10), 8, 5),
        (dt.date(2026, 4, 30), 10, 4),  # the vessel scrapped on 5-1 was in use
        (dt.date(2026, 2, 28), 11, 3),  # the boiler went idle on 3-1
    ],
)
def test_status_on_a_date(ledger, day, in_use, idle):
    values = compute(["equipment.in_use", "equipment.idle", "equipment.registered"], Params.build(as_of=day))
    assert (values["equipment.in_use"], values["equipment.idle"]) == (in_use, idle)
    assert values["equipment.registered"] == in_use + idle


def test_scope_counts_devices_where_they_are_and_operators_once_per_scope(ledger, org):
    east = compute(EQUIPMENT_KEYS, Params.build(as_of=AS_OF, scope="station:S1"))
    west = compute(EQUIPMENT_KEYS, Params.build(as_of=AS_OF, scope="station:S2"))
    assert (east["equipment.registered"], west["equipment.registered"]) == (7, 6)
    # The mall's elevators stand in both stations: it is an operator of each, and of the bureau once.
    assert (east["equipment.operators"], west["equipment.operators"]) == (3, 2)
    assert (east["equipment.producers"], west["equipment.producers"]) == (2, 0)
    one = compute(["equipment.operators"], Params.build(as_of=AS_OF, scope="subdistrict:370102003"))
    assert one["equipment.operators"] == 2


def _check_drilldowns(params, actor=None):
    values = compute(EQUIPMENT_KEYS, params, actor)
    checked = 0
    for ind in all_indicators():
        if ind.key not in EQUIPMENT_KEYS or ind.is_rate:
            continue
        assert drilldown(ind.key, params, actor).count() == values[ind.key], ind.key
        checked += 1
        for _, label in ind.dimension.pairs() if ind.dimension else ():
            key = dimension_key(ind.key, label)
            assert drilldown(ind.key, params, actor, part=label).count() == values[key], key
    return checked


@pytest.mark.parametrize("scope", [None, "station:S1", "station:S2", "subdistrict:370102003"])
def test_drilldowns_list_exactly_the_counted_records(ledger, scope):
    assert _check_drilldowns(Params.build(as_of=AS_OF, scope=scope)) == 12
    assert _check_drilldowns(Params.build(period="2026H1", scope=scope)) == 12


def test_station_user_drilldowns(ledger, org):
    assert _check_drilldowns(Params.build(as_of=AS_OF, scope="station:S2"), actor=org.users.west) == 12


def test_distinct_units_are_listed_once(ledger):
    params = Params.build(as_of=AS_OF)
    operators = list(drilldown("equipment.operators", params).values_list("operator__name", flat=True))
    assert sorted(operators) == sorted(["泉城化工有限公司", "历下热力有限公司", "恒隆广场有限公司", "趵突泉游乐园有限公司"])
    producers = list(drilldown("equipment.producers", params).values_list("business__name", flat=True))
    assert sorted(producers) == ["生产单位0", "生产单位1"]


def test_exam_rate_period_on_time_versus_late(ledger):
    on_time = drilldown("equipment.exam_rate_period", Params.build(as_of=AS_OF))
    assert [(e.equipment_id, e.next_due) for e in on_time] == [(ledger.d.lift_on_time.pk, dt.date(2026, 3, 1))]
    due = drilldown("equipment.exam_due", Params.build(as_of=AS_OF)).order_by("next_due")
    assert [e.equipment_id for e in due] == [ledger.d.lift_on_time.pk, ledger.d.lift_late.pk, ledger.d.vessel_overdue.pk]
    first_quarter = compute(["equipment.exam_rate_period"], Params.build(period="2026Q1"))
    assert first_quarter["equipment.exam_rate_period"] == Decimal("100.00")
    empty = compute(["equipment.exam_rate_period"], Params.build(period="2025Q1"))
    assert empty["equipment.exam_rate_period"] is None


def test_every_drill_column_reads(ledger):
    from jianguan.core.indicators import column_value, get_indicator

    params = Params.build(as_of=AS_OF)
    for key in EQUIPMENT_KEYS:
        ind = get_indicator(key)
        if ind.is_rate:
            continue
        assert ind.columns, key
        for record in drilldown(key, params)[:3]:
            row = [column_value(record, c.path) for c in ind.columns]
            assert row[0] != "", key


def _more_devices(org, n):
    operator = BusinessFactory(subdistrict=org.subs["dongguan"])
    for i in range(n):
        device(("1000", "2000", "3000", "4000")[i % 4], operator, org.subs["dongguan" if i % 2 else "xiguan"],
               insurance_until=AS_OF, next_due=dt.date(2026, 8, 1) if i % 7 == 0 else dt.date(2027, 1, 1))


@pytest.mark.parametrize("size", [10, 200])
def test_every_equipment_figure_in_a_constant_number_of_queries(org, django_assert_max_num_queries, size):
    build_ledger(org)
    _more_devices(org, size)
    equipment_indicators.clear_type_cache()
    params = Params.build(as_of=AS_OF)
    # Devices (one grouped pass for every figure but the operators), operators, producers, examinations,
    # and the catalogue's types when not cached.
    with django_assert_max_num_queries(5):
        values = compute(EQUIPMENT_KEYS, params)
    assert values["equipment.registered"] == 13 + size
    with CaptureQueriesContext(connection) as ctx:
        compute(EQUIPMENT_KEYS, params, UserFactory(username="suo", role="station", org_unit=org.east))
    device_passes = [q["sql"] for q in ctx.captured_queries if 'FROM "equipment_equipment"' in q["sql"]]
    assert len(device_passes) == 2, device_passes  # the grouped pass and the distinct operators
