"""Issue 16's acceptance for the register: a licence file this project has never seen — generated here with a
seeded RNG, every 许可种类 and most 业态, expired, 注销 and 吊销 licences, dates on the boundaries of the as-of
dates — imported with `jianguan import licences`, gives exactly the counts by kind and by 业态 that an
independent script (licence_script.py: openpyxl and the standard library) computes from the same file."""

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from jianguan.core.indicators import clear_reference_cache, compute, drilldown
from jianguan.core.periods import Params
from jianguan.licences.models import Licence, LicenceKind, Sector

from .. import sheets
from ..factories import BusinessFactory
from . import licence_script

pytestmark = pytest.mark.django_db

SEED = 16_2026
TERM_YEARS = 5


def _cell(rng, day):
    """Dates as files carry them: date cells, 2026/5/1, 2026年5月1日, 2026-05-01."""
    if day is None:
        return ""
    return (day, f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day.isoformat())[rng.randrange(4)]


def _plus_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def generate(rng, businesses, kinds, sectors, today, edges, n=640):
    rows = []
    for i in range(n):
        b = rng.choice(businesses)
        kind = kinds[i % len(kinds)] if i < 3 * len(kinds) else rng.choice(kinds)
        sector = "" if rng.random() < 0.08 else sectors[i % len(sectors)] if i < 2 * len(sectors) else rng.choice(sectors)
        r = rng.random()
        if r < 0.25:
            until = rng.choice(edges)  # on, before or after an as-of date
            issued = min(_plus_years(until, -TERM_YEARS), today)
        else:
            issued = today - dt.timedelta(days=rng.randint(0, 9 * 365))
            until = _plus_years(issued, TERM_YEARS) if rng.random() < 0.85 else None  # 备案、登记 have no term
        if rng.random() < 0.05:
            issued = rng.choice([e for e in edges if e <= today])
            until = None if until is None or until < issued else until
        roll = rng.random()
        if roll < 0.10:
            status = "注销"
        elif roll < 0.15:
            status = "吊销"
        elif until is not None and until < today and roll < 0.35:
            status = "过期"
        else:
            status = rng.choice(["有效", "有效", ""])
        name = b.name if rng.random() < 0.7 else ""  # the name may be left out; when given it must match
        rows.append([f"JY{3700000000 + i:010d}" if rng.random() < 0.5 else f"jy{3700000000 + i:010d}", kind, b.uscc, name,
                     sector, "预包装食品销售" if rng.random() < 0.5 else "", _cell(rng, issued), _cell(rng, until), status])
    return rows


def test_a_licence_file_never_seen_gives_the_scripts_counts_by_kind_and_sector(org, tmp_path):
    clear_reference_cache()
    rng = random.Random(SEED)
    today = timezone.localdate()
    subs = list(org.subs.values())
    businesses = [BusinessFactory(subdistrict=subs[i % len(subs)], name=f"受检主体{i}号") for i in range(160)]
    kinds = list(LicenceKind.objects.filter(disabled_on__isnull=True).values_list("name", flat=True))
    sectors = list(Sector.objects.filter(disabled_on__isnull=True).values_list("name", flat=True))
    as_of = [today, today - dt.timedelta(days=1), today + dt.timedelta(days=45), today + dt.timedelta(days=400),
             today - dt.timedelta(days=700)]
    edges = sorted({d + dt.timedelta(days=k) for d in as_of for k in (-1, 0, 1)})
    rows = generate(rng, businesses, kinds, sectors, today, edges)
    path = sheets.write_xlsx(tmp_path / "许可证.xlsx", rows, licence_script.HEADERS)

    out = io.StringIO()
    call_command("import", "licences", str(path), stdout=out)
    assert f"新增 {len(rows)}" in out.getvalue(), out.getvalue()

    data = licence_script.read(path)
    # The file has what it must exercise.
    assert {r["kind"] for r in data} == set(kinds)
    assert len({r["sector"] for r in data if r["sector"]}) == len(sectors)
    assert sum(r["status"] == "注销" for r in data) >= 30 and sum(r["status"] == "吊销" for r in data) >= 15
    assert sum(r["status"] == "过期" for r in data) >= 10
    assert sum(1 for r in data if r["until"] in as_of) >= 10

    keys = ["licences.valid", "licences.valid_by_sector", "licences.expiring"]
    totals = set()
    for on in as_of:
        want = licence_script.valid_counts(data, on, ended_on=today)
        got = compute(keys, Params.build(as_of=on))
        assert got["licences.valid"] == want["total"] == got["licences.valid_by_sector"], on
        for kind in kinds:
            assert got[f"licences.valid[{kind}]"] == want["kind"].get(kind, 0), (on, kind)
        for sector in sectors:
            assert got[f"licences.valid_by_sector[{sector}]"] == want["sector"].get(sector, 0), (on, sector)
        assert got["licences.expiring"] == licence_script.expiring(data, on, 90, ended_on=today), on
        totals.add(want["total"])
        # The drill-down lists exactly the licences counted.
        kind = max(want["kind"], key=want["kind"].get)
        numbers = {lic.number for lic in drilldown("licences.valid", Params.build(as_of=on), part=kind)}
        assert numbers == {r["number"] for r in data if r["kind"] == kind and licence_script.valid_on(r, on, today)}
    assert len(totals) == len(as_of)  # the dates give different counts, not one figure repeated

    year = today.year - 1
    want = licence_script.issued_counts(data, dt.date(year, 1, 1), dt.date(year, 12, 31))
    got = compute(["licences.issued"], Params.build(period=str(year)))
    assert got["licences.issued"] == want["total"] > 0
    for kind in kinds:
        assert got[f"licences.issued[{kind}]"] == want["kind"].get(kind, 0), kind

    # A station sees its jurisdiction: the east station's share plus the west's make the whole.
    east = compute(["licences.valid"], Params.build(as_of=today), actor=org.users.east)["licences.valid"]
    west = compute(["licences.valid"], Params.build(as_of=today), actor=org.users.west)["licences.valid"]
    assert 0 < east < east + west == licence_script.valid_counts(data, today, today)["total"]

    # Exported, the file reads the same to the script (round trip through the register).
    export = tmp_path / "导出.xlsx"
    call_command("export", "licences", str(export), stdout=io.StringIO())
    again = licence_script.read(export)
    assert len(again) == Licence.objects.count() == len(rows)
    for on in as_of:
        assert licence_script.valid_counts(again, on, today) == licence_script.valid_counts(data, on, today)
