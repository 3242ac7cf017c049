"""The register's figures: valid as of a date by kind and by 业态, issued in a period, expiring within the
rule's days; each part's drill-down lists exactly the licences counted; scopes by the holder's subdistrict."""

import datetime as dt

import pytest

from jianguan.core.indicators import clear_reference_cache, compute, drilldown, get_indicator
from jianguan.core.periods import Params
from jianguan.licences.services import licence_end

from ..factories import BusinessFactory
from .factories import licence

pytestmark = pytest.mark.django_db
KEYS = ["licences.valid", "licences.valid_by_sector", "licences.issued", "licences.expiring"]


@pytest.fixture
def world(org):
    clear_reference_cache()
    east = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关学校")
    west = BusinessFactory(subdistrict=org.subs["xiguan"], name="西关药店")
    made = [
        licence(east, number="S1", sector="school_canteen", issued=dt.date(2025, 3, 1), until=dt.date(2030, 2, 28)),
        licence(east, number="S2", sector="school_canteen", issued=dt.date(2021, 1, 1), until=dt.date(2026, 3, 1)),
        licence(east, number="S3", kind="food_prepack_filing", sector="", issued=dt.date(2025, 7, 1), until=None),
        licence(west, number="D1", kind="drug_retail", sector="drug_retail", issued=dt.date(2025, 1, 10), until=dt.date(2026, 1, 10)),
        licence(west, number="D2", kind="drug_retail", sector="drug_retail", issued=dt.date(2024, 1, 1), until=dt.date(2029, 1, 1)),
    ]
    licence_end(actor=None, pk=made[4].pk, status="revoked", on=dt.date(2025, 12, 31))
    return east, west


def test_values_on_the_boundaries(world):
    got = compute(KEYS, Params.build(as_of="2025-12-31"))
    # D2 is revoked on the 31st: not valid that day. S2 ends 2026-03-01 (60 days), D1 on 2026-01-10.
    assert got["licences.valid"] == 4
    assert got["licences.valid[食品经营许可证]"] == 2 and got["licences.valid[药品经营许可证（零售）]"] == 1
    assert got["licences.valid[仅销售预包装食品备案]"] == 1
    assert got["licences.valid_by_sector[学校食堂]"] == 2 and got["licences.valid_by_sector[药品零售]"] == 1
    assert got["licences.valid_by_sector"] == 4  # S3 has no 业态: in the total only
    assert got["licences.issued"] == 3 and got["licences.issued[药品经营许可证（零售）]"] == 1  # the period: 2025
    assert got["licences.expiring"] == 2
    assert compute(["licences.valid"], Params.build(as_of="2025-12-30"))["licences.valid"] == 5
    assert compute(["licences.expiring"], Params.build(as_of="2026-01-11"))["licences.expiring"] == 1  # D1 ended
    assert compute(["licences.valid"], Params.build(as_of="2025-02-28"))["licences.valid"] == 3  # S1 not yet


def test_every_part_drills_into_exactly_its_licences(world):
    for params in (Params.build(as_of="2025-12-31"), Params.build(period="2025"), Params.build(as_of="2026-01-05")):
        values = compute(KEYS, params)
        for key in KEYS:
            ind = get_indicator(key)
            assert drilldown(key, params).count() == values[key], key
            if ind.dimension:
                for _, label in ind.dimension.pairs():
                    assert drilldown(key, params, part=label).count() == values[f"{key}[{label}]"], (key, label)


def test_scope_is_the_holders_subdistrict(org, world):
    params = Params.build(as_of="2025-12-30", scope="station:S1")
    assert compute(["licences.valid"], params)["licences.valid"] == 3
    assert {lic.number for lic in drilldown("licences.valid", params)} == {"S1", "S2", "S3"}
    assert compute(["licences.valid"], Params.build(as_of="2025-12-30"), actor=org.users.west)["licences.valid"] == 2
