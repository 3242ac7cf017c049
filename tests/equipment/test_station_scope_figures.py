"""A station user's report on the whole bureau is their station's report, figure for figure."""

import datetime as dt

import pytest

from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params

from ..factories import BusinessFactory
from .factories import EquipmentFactory

pytestmark = pytest.mark.django_db


def test_operator_with_devices_in_two_stations_counts_once_for_each_station(org):
    operator = BusinessFactory(subdistrict=org.subs["xiguan"])
    # Its first device (smallest id) stands in the west; the second in the east.
    EquipmentFactory(operator=operator, subdistrict=org.subs["xiguan"], registered_on=dt.date(2020, 1, 1))
    EquipmentFactory(operator=operator, subdistrict=org.subs["dongguan"], registered_on=dt.date(2020, 1, 1))
    params = Params.build(as_of="2026-08-31")
    east = compute(["equipment.operators", "equipment.registered"], params, actor=org.users.east)
    assert east["equipment.operators"] == 1 and east["equipment.registered"] == 1
    assert drilldown("equipment.operators", params, actor=org.users.east).count() == 1
    bureau = compute(["equipment.operators"], params, actor=org.users.dept)
    assert bureau["equipment.operators"] == 1


def test_unit_counts_equal_their_drill_downs_with_many_devices_per_unit(org):
    """Operators and producers are counted once each however many devices or licences they hold."""
    from .factories import producer_licence

    operators = [BusinessFactory(subdistrict=org.subs["dongguan"]) for _ in range(5)]
    for i in range(40):
        EquipmentFactory(operator=operators[i % 5], subdistrict=org.subs["dongguan" if i % 3 else "xiguan"],
                         status="idle" if i % 7 == 0 else "in_use", status_date=dt.date(2021, 1, 1) if i % 7 == 0 else None)
    for i, business in enumerate(operators[:3]):
        for j in range(3):
            producer_licence(business, f"TS{i}{j}", dt.date(2027, 1, 1) if j else dt.date(2025, 1, 1))
    params = Params.build(as_of="2026-08-31")
    values = compute(["equipment.operators", "equipment.producers"], params)
    assert values["equipment.operators"] == 5 == drilldown("equipment.operators", params).count()
    assert values["equipment.producers"] == 3 == drilldown("equipment.producers", params).count()
