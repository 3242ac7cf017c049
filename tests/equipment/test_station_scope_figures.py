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
