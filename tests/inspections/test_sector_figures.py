"""Figures by 主体业态 and 许可种类 (issue 16): an inspection counts under the 业态 of every licence its subject held
that day, each 业态 once; a subject counts under every kind it held when inspected. Acceptance: the figures equal
an independent script's counts (`sector_script.py`, openpyxl only) of a licence ledger and a hidden inspection
history, and every part drills into exactly the records it counts."""

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from jianguan.businesses.models import Business
from jianguan.core.indicators import compute, dimension_key, drilldown, get_indicator
from jianguan.core.periods import Params
from jianguan.inspections.choices import InspectionKind, InspectionStatus
from jianguan.inspections.services.campaigns import campaign_create
from jianguan.inspections.services.inspections import inspection_create
from jianguan.licences.choices import LicenceStatus
from jianguan.licences.models import LicenceKind, Sector
from jianguan.licences.services import licence_end, licence_save

from ..factories import BusinessFactory
from .factories import team
from .sector_script import LICENCE_HEADERS

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).with_name("sector_script.py")
TODAY = dt.date(2026, 6, 30)
KEYS = ["inspections.count_by_sector", "inspections.businesses_by_licence"]
# (kind, 业态): two kinds share 超市 and 便利店, so a subject may hold two licences of one 业态.
OFFERS = [
    ("food_business", "supermarket"), ("food_prepack_filing", "supermarket"), ("food_business", "catering_small"),
    ("food_business", "school_canteen"), ("food_prepack_filing", "convenience"), ("food_business", "convenience"),
    ("drug_retail", "drug_retail"), ("device_class2_filing", "device_trade"), ("food_small", "snack_stall"),
    ("other", None),
]
_numbers = iter(range(1, 10**6))


def d(y, m, day):
    return dt.date(y, m, day)


def licence(business, kind, sector, issued_on, valid_until=None, *, status=LicenceStatus.VALID, ended_on=None):
    """A licence as the register keeps it; a 注销/吊销 one ended through the service on its day."""
    saved = licence_save(
        actor=None, number=f"JY{next(_numbers):012d}", kind=LicenceKind.objects.get(code=kind), business=business,
        sector=Sector.objects.get(code=sector) if sector else None, items="预包装食品销售", issued_on=issued_on,
        valid_until=valid_until, status=status if status == LicenceStatus.EXPIRED else LicenceStatus.VALID,
    )
    if ended_on is not None:
        saved = licence_end(actor=None, pk=saved.pk, status=status, on=ended_on, today=TODAY)
    return saved


def inspect(business, day, inspectors, *, kind=InspectionKind.ROUTINE, status=InspectionStatus.COMPLETED, campaign=None,
            performed_by=""):
    return inspection_create(actor=None, kind=kind, business=business, date=day, inspectors=inspectors, status=status,
                             campaign=campaign, performed_by=performed_by)


def params(**kw):
    return Params.build(**{"period": "2025", **kw})


def check_drilldowns(keys, p, actor=None) -> int:
    """Each figure and each part: the drill-down lists as many records as counted, none twice."""
    values = compute(keys, p, actor)
    checked = 0
    for key in keys:
        for part in [None, *(label for _, label in get_indicator(key).dimension.pairs())]:
            records = drilldown(key, p, actor, part=part)
            pks = list(records.values_list("pk", flat=True))
            assert len(pks) == len(set(pks)), (key, part)
            assert len(pks) == values[dimension_key(key, part) if part else key], (key, part)
            checked += 1
    return checked


# ---------------------------------------------------------------- the rules, on a small world


@pytest.fixture
def world(org):
    east, west = team(org.east), team(org.west)
    shop = BusinessFactory(name="甲超市", subdistrict=org.subs["dongguan"])
    # 超市 under two licences (a food business licence and a 预包装 filing) and 药品零售: one inspection counts once
    # under 超市, once under 药品零售, once in the total.
    licence(shop, "food_business", "supermarket", d(2020, 1, 1), d(2025, 12, 31))
    licence(shop, "food_prepack_filing", "supermarket", d(2021, 3, 1))
    licence(shop, "drug_retail", "drug_retail", d(2024, 6, 1), d(2029, 5, 31))
    inspect(shop, d(2025, 3, 10), east)
    # Before the drug licence was issued (2024): not in the period anyway; on 2026-01-05 the food licence is past
    # its term, the filing still holds 超市.
    inspect(shop, d(2024, 5, 1), east)
    inspect(shop, d(2026, 1, 5), east)

    diner = BusinessFactory(name="乙餐馆", subdistrict=org.subs["xiguan"])
    # 注销 on 2025-06-30: held on 06-29, not on 06-30 (the day it ended) nor after.
    licence(diner, "food_business", "catering_small", d(2022, 1, 1), d(2026, 12, 31), status=LicenceStatus.CANCELLED,
            ended_on=d(2025, 6, 30))
    inspect(diner, d(2025, 6, 29), west)
    inspect(diner, d(2025, 6, 30), west)
    inspect(diner, d(2025, 9, 1), west)

    school = BusinessFactory(name="丙小学", subdistrict=org.subs["jinan"])
    # Issued on the inspection's day and valid to the day of another: both held.
    licence(school, "food_business", "school_canteen", d(2025, 4, 1), d(2025, 10, 8), status=LicenceStatus.EXPIRED)
    inspect(school, d(2025, 4, 1), west)
    inspect(school, d(2025, 10, 8), west)
    inspect(school, d(2025, 10, 9), west)  # past its term
    inspect(school, d(2025, 3, 31), west)  # before it was issued
    # Not counted: a self-inspection, a scheduled inspection.
    inspect(school, d(2025, 5, 1), [], kind=InspectionKind.SELF, performed_by="食堂负责人")
    inspect(school, d(2025, 5, 2), west, status=InspectionStatus.SCHEDULED)

    stall = BusinessFactory(name="丁摊点", subdistrict=org.subs["dongguan"])
    licence(stall, "other", None, d(2020, 1, 1))  # a licence naming no 业态: a kind, but no 业态
    inspect(stall, d(2025, 7, 1), east)
    unlicensed = BusinessFactory(name="戊公司", subdistrict=org.subs["jiefang"])
    inspect(unlicensed, d(2025, 7, 2), east)
    return org


def test_an_inspection_counts_under_each_sector_its_subject_held_that_day(world):
    v = compute(KEYS, params())
    assert v["inspections.count_by_sector[超市]"] == 1  # two licences of 超市: once
    assert v["inspections.count_by_sector[药品零售]"] == 1
    assert v["inspections.count_by_sector[小型餐饮]"] == 1  # 06-29 only
    assert v["inspections.count_by_sector[学校食堂]"] == 2  # the day issued and the last day
    # the shop's inspection once, the diner's, the school's two; not the stall (no 业态) nor the unlicensed
    assert v["inspections.count_by_sector"] == 4
    assert sum(v[dimension_key("inspections.count_by_sector", s)] for s in ("超市", "药品零售", "小型餐饮", "学校食堂")) == 5
    assert v["inspections.businesses_by_licence[食品经营许可证]"] == 3  # shop, diner, school
    assert v["inspections.businesses_by_licence[仅销售预包装食品备案]"] == 1
    assert v["inspections.businesses_by_licence[药品经营许可证（零售）]"] == 1
    assert v["inspections.businesses_by_licence[其他许可]"] == 1  # the stall holds a licence, of no 业态
    assert v["inspections.businesses_by_licence"] == 4
    # 2026: the shop's food licence ran out; its filing still says 超市
    later = compute(KEYS, params(period="2026"))
    assert later["inspections.count_by_sector[超市]"] == 1 and later["inspections.count_by_sector[药品零售]"] == 1
    assert later["inspections.businesses_by_licence[食品经营许可证]"] == 0


def test_drilldowns_list_exactly_the_counted_records(world, org):
    p = params()
    assert check_drilldowns(KEYS, p) > 40
    assert check_drilldowns(KEYS, params(scope="station:S2")) > 40
    assert check_drilldowns(KEYS, p, actor=org.users.east) > 40
    school = [i.date for i in drilldown("inspections.count_by_sector", p, part="学校食堂")]
    assert sorted(school) == [d(2025, 4, 1), d(2025, 10, 8)]
    # one inspection per subject, the first that counts under the part
    food = drilldown("inspections.businesses_by_licence", p, part="食品经营许可证")
    assert sorted((i.business.name, i.date) for i in food) == [
        ("丙小学", d(2025, 4, 1)), ("乙餐馆", d(2025, 6, 29)), ("甲超市", d(2025, 3, 10))]


def test_a_station_sees_its_subdistricts(world, org):
    east = compute(KEYS, params(), actor=org.users.east)
    west = compute(KEYS, params(scope="station:S2"))
    assert (east["inspections.count_by_sector"], west["inspections.count_by_sector"]) == (1, 3)
    assert east["inspections.count_by_sector[学校食堂]"] == 0 and west["inspections.count_by_sector[学校食堂]"] == 2



def test_figures_asked_together_equal_each_asked_alone(world, org):
    """The figures asked together share one pass (the period's two read the inspections once, the campaign's its
    own): the values are those of each figure computed on its own, in every scope."""
    campaign = campaign_create(actor=org.users.dept, code="SP2025", name="食品安全专项行动", start=d(2025, 6, 1),
                               end=d(2025, 10, 31), lead_department=org.dept)
    west = team(org.west)
    school = Business.objects.get(name="丙小学")
    inspect(school, d(2025, 9, 15), west, kind=InspectionKind.SPECIAL, campaign=campaign)
    every = [*KEYS, "campaign.inspections_by_sector"]
    for kw, actor in (({}, None), ({"scope": "station:S2"}, None), ({}, org.users.east)):
        p = params(as_of="2025-12-31", campaign="SP2025", **kw)
        together = compute(every, p, actor)
        alone = {}
        for key in every:
            alone.update(compute([key], p, actor))
        assert together == alone
    v = compute(every, params(as_of="2025-12-31", campaign="SP2025"))
    assert v["inspections.count_by_sector[学校食堂]"] == 3 and v["campaign.inspections_by_sector[学校食堂]"] == 1
    assert v["inspections.businesses_by_licence[食品经营许可证]"] == 3  # the school once for its three inspections

def test_campaign_figure_counts_the_campaigns_inspections_by_sector(world, org):
    campaign = campaign_create(actor=org.users.dept, code="SP2025", name="食品安全专项行动", start=d(2025, 9, 1),
                               end=d(2025, 10, 31), lead_department=org.dept)
    west = team(org.west)
    school = Business.objects.get(name="丙小学")
    inspect(school, d(2025, 9, 15), west, kind=InspectionKind.SPECIAL, campaign=campaign)
    inspect(school, d(2025, 10, 20), west, kind=InspectionKind.SPECIAL, campaign=campaign)  # past the licence's term
    p = Params.build(as_of="2025-12-31", campaign="SP2025")
    v = compute(["campaign.inspections_by_sector", "campaign.inspections"], p)
    assert v["campaign.inspections"] == 2
    assert v["campaign.inspections_by_sector"] == 1 and v["campaign.inspections_by_sector[学校食堂]"] == 1
    assert compute(["campaign.inspections_by_sector"], Params.build(as_of="2025-09-14", campaign="SP2025"))[
        "campaign.inspections_by_sector"] == 0
    assert check_drilldowns(["campaign.inspections_by_sector"], p) > 20


# ---------------------------------------------------------------- acceptance: the script, on random histories


def _write_licences(path: Path, rows: list[dict]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([*LICENCE_HEADERS, "注销（吊销）日期"])
    for r in rows:
        ws.append([r["number"], r["kind"], r["uscc"], r["name"], r["sector"], r["items"], r["issued_on"], r["valid_until"],
                   r["status"], r["ended_on"]])
    wb.save(path)


def _write_history(path: Path, rows: list[tuple[str, dt.date]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "检查日期"])
    for uscc, day in rows:
        ws.append([uscc, day])
    wb.save(path)


def _random_world(org, seed: int):
    """Subjects, each with 0–3 licences issued 2022–2026 (some expiring, some 注销/吊销 on a date, some renewed),
    and their inspections 2024–2026; returns the ledger rows and the inspection history that counts."""
    rng = random.Random(seed)
    subs = list(org.subs.values())
    inspectors = {org.east.pk: team(org.east), org.west.pk: team(org.west)}
    ledger, history = [], []

    def day_in(first, last):
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    for n in range(30):
        business = BusinessFactory(name=f"随机主体{seed}-{n}", subdistrict=rng.choice(subs))
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            kind, sector = rng.choice(OFFERS)
            issued = None if rng.random() < 0.05 else day_in(d(2022, 1, 1), d(2026, 3, 31))
            until = None if rng.random() < 0.2 else (issued or d(2023, 1, 1)) + dt.timedelta(days=rng.randrange(90, 1500))
            status, ended_on = LicenceStatus.VALID, None
            if rng.random() < 0.25:
                status = rng.choice([LicenceStatus.CANCELLED, LicenceStatus.CANCELLED, LicenceStatus.REVOKED])
                ended_on = day_in(issued or d(2022, 1, 1), min(until or TODAY, TODAY))
            elif until and until < TODAY and rng.random() < 0.5:
                status = LicenceStatus.EXPIRED
            saved = licence(business, kind, sector, issued, until, status=status, ended_on=ended_on)
            ledger.append({
                "number": saved.number, "kind": saved.kind.name, "uscc": business.uscc, "name": business.name,
                "sector": saved.sector.name if saved.sector else "", "items": saved.items, "issued_on": issued,
                "valid_until": until, "status": LicenceStatus(saved.status).label, "ended_on": saved.status_date,
            })
        team_ = inspectors[business.subdistrict.station_id]
        for _ in range(rng.randrange(0, 7)):
            day = day_in(d(2024, 1, 1), TODAY)
            roll = rng.random()
            if roll < 0.1:  # not the bureau's, or not done: in the database, not in the history
                inspect(business, day, [], kind=InspectionKind.COMMUNITY, performed_by="网格员")
            elif roll < 0.15:
                inspect(business, day, team_, status=InspectionStatus.IN_PROGRESS)
            else:
                status = InspectionStatus.ARCHIVED if roll > 0.9 else InspectionStatus.COMPLETED
                inspect(business, day, team_, kind=rng.choice([InspectionKind.ROUTINE, InspectionKind.SPECIAL]), status=status)
                history.append((business.uscc, day))
    return ledger, history


def _script(licences: Path, history: Path, start: dt.date, end: dt.date) -> dict:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(licences), str(history), "--start", start.isoformat(), "--end", end.isoformat()],
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_equal_the_scripts_count_of_a_hidden_history(org, tmp_path, seed):
    ledger, history = _random_world(org, seed)
    rng = random.Random(seed)
    rng.shuffle(history)  # the history in no particular order
    licences_file, history_file = tmp_path / "许可证台账.xlsx", tmp_path / "检查记录.xlsx"
    _write_licences(licences_file, ledger)
    _write_history(history_file, history)
    for period in ("2025", "2025H2", "2026Q1"):
        p = Params.build(period=period)
        expected = _script(licences_file, history_file, p.period.start, p.period.end)
        values = compute(KEYS, p)
        sectors = {label: values[dimension_key(KEYS[0], label)] for _, label in get_indicator(KEYS[0]).dimension.pairs()}
        kinds = {label: values[dimension_key(KEYS[1], label)] for _, label in get_indicator(KEYS[1]).dimension.pairs()}
        assert {k: v for k, v in sectors.items() if v} == expected["by_sector"], period
        assert values[KEYS[0]] == expected["total"], period
        assert {k: v for k, v in kinds.items() if v} == expected["businesses_by_kind"], period
        assert values[KEYS[1]] == expected["businesses_total"], period
        check_drilldowns(KEYS, p)
        if period == "2025":  # the history does reach the figures
            assert expected["total"] > 5 and len(expected["by_sector"]) > 2 and len(expected["businesses_by_kind"]) > 2
