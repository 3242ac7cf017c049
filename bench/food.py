"""Benchmark: the figures by 主体业态 and 许可种类 at 500,000 licences and 2,000,000 inspections.

Makes a fresh SQLite database in a temporary directory (or uses the EMPTY PostgreSQL database given by --db), a
bureau with 6 stations over 15 subdistricts, S subjects (default 400,000) holding L licences (default 500,000: a
realistic mix of kinds and 业态 — food business licences for shops, restaurants and canteens, 预包装 filings, small
catering registrations, drug and device licences and filings, a few production licences — some renewed, some
注销/吊销 on a date, some past their term) and I inspections (default 2,000,000) spread over five years, a
campaign among them. Then it times, median of R runs after a warm-up, `core.indicators.compute` of
inspections.count_by_sector, inspections.businesses_by_licence (one year's period) and
campaign.inspections_by_sector (as of that year's end), against a bare scan of the tables they read (SELECT
SUM(LENGTH(col)) of the inspections and of the licences, added).

Target: ratio <= 3. Prints JSON.

    python bench/food.py [--licences L] [--subjects S] [--inspections I] [--repeat R] [--seed N]
                         [--db postgres://postgres@127.0.0.1:5432/bench_food]
"""

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rows import insert_rows

STREETS = ["东关", "大明湖", "解放路", "甸柳", "泉城路", "趵突泉", "千佛山", "燕山", "文东", "建新", "龙洞", "智远", "姚家",
           "舜华路", "旅游路"]
FIRST_DAY, LAST_DAY = dt.date(2021, 7, 1), dt.date(2026, 6, 30)  # the inspections' five years
PERIOD, AS_OF = "2025", dt.date(2025, 12, 31)
CAMPAIGN = "BENCH2025"
CAMPAIGN_DAYS = (dt.date(2025, 4, 1), dt.date(2025, 9, 30))
# (licence kind, weight, term in years or None for a filing, ((业态, weight), …))
MIX = [
    ("food_business", 50, 5, (("supermarket", 8), ("convenience", 12), ("grocery", 20), ("food_wholesale", 3),
                              ("market", 1), ("catering_large", 3), ("catering_medium", 8), ("catering_small", 30),
                              ("school_canteen", 4), ("kindergarten_canteen", 2), ("care_canteen", 1), ("unit_canteen", 4),
                              ("central_kitchen", 0.5), ("group_catering", 0.5), ("online", 4))),
    ("food_prepack_filing", 14, None, (("supermarket", 2), ("convenience", 5), ("grocery", 8), ("online", 2))),
    ("food_small", 8, 3, (("snack_stall", 1),)),
    ("food_production", 2, 5, (("food_production", 1),)),
    ("food_workshop", 2, 3, (("food_workshop", 1),)),
    ("drug_retail", 6, 5, (("drug_retail", 1),)),
    ("drug_chain", 2, 5, (("drug_chain", 1),)),
    ("drug_wholesale", 0.5, 5, (("drug_wholesale", 1),)),
    ("device_class2_filing", 6, None, (("device_trade", 1),)),
    ("medical_device", 3, 5, (("device_trade", 1),)),
    ("cosmetic_production", 0.3, 5, (("cosmetic_production", 1),)),
    ("industrial_product", 2, 5, (("industrial_production", 1),)),
    ("special_equipment", 0.5, 4, (("special_equipment", 1),)),
    ("other", 1, None, (("other", 1), (None, 1))),
]
KINDS = [("routine", 70), ("special", 10), ("random", 8), ("complaint", 5), ("follow_up", 3), ("flying", 1),
         ("self", 2), ("community", 1)]
STATUSES = [("completed", 95), ("archived", 3), ("in_progress", 2)]
SCANS = {"inspections": ("inspections_inspection", "number"), "licences": ("licences_licence", "number")}
# The licences' index the figures' look-ups read alone (business first, then every column they test): licences
# migration 0004. On a tree whose migrations lack it, the bench adds it unless --as-migrated.
LICENCE_INDEX = ("licence_held_on", ["business_id", "sector_id", "kind_id", "issued_on", "valid_until", "status", "status_date"])
KEYS = ["inspections.count_by_sector", "inspections.businesses_by_licence", "campaign.inspections_by_sector"]


def main() -> None:  # noqa: PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licences", type=int, default=500_000)
    parser.add_argument("--subjects", type=int, default=400_000)
    parser.add_argument("--inspections", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--as-migrated", action="store_true", help="do not add the proposed licences index")
    parser.add_argument("--db", default="", help="an EMPTY PostgreSQL database to use instead of SQLite")
    args = parser.parse_args()
    if args.licences < args.subjects:
        raise SystemExit("--licences must be at least --subjects (each subject holds one licence or more)")

    tmp = Path(tempfile.mkdtemp(prefix="jianguan-bench-food-"))
    os.environ["JIANGUAN_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = args.db or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianguan.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jianguan.businesses.models import Business
    from jianguan.businesses.rules import with_check_digit
    from jianguan.campaigns.models import Campaign
    from jianguan.core.indicators import compute
    from jianguan.core.periods import Params
    from jianguan.inspections.models import Inspection
    from jianguan.licences.models import Licence, LicenceKind, Sector
    from jianguan.org.choices import OrgKind
    from jianguan.org.models import OrgUnit, Subdistrict

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -400000")  # for the build only: the measurements run on a fresh connection
    if Business.objects.exists():
        raise SystemExit("the database already holds businesses: give an empty one")

    rng = random.Random(args.seed)
    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="历下区市场监督管理局")
    dept = OrgUnit.objects.create(kind=OrgKind.DEPARTMENT, code="D1", name="食品安全科", parent=bureau)
    stations = [OrgUnit.objects.create(kind=OrgKind.STATION, code=f"S{i + 1}", name=f"第{i + 1}市场监管所", parent=bureau)
                for i in range(6)]
    subs = [Subdistrict.objects.create(code=f"370102{i + 1:03d}", name=f"{name}街道", station=stations[i * 6 // len(STREETS)])
            for i, name in enumerate(STREETS)]
    sub_ids = [s.pk for s in subs]
    campaign = Campaign.objects.create(code=CAMPAIGN, name="食品安全守护专项行动", start=CAMPAIGN_DAYS[0], end=CAMPAIGN_DAYS[1],
                                       lead_department=dept)
    kind_ids = dict(LicenceKind.objects.values_list("code", "pk"))
    sector_ids = dict(Sector.objects.values_list("code", "pk"))

    def day_in(first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    # ---- subjects and their licences ----------------------------------------------------------------
    started = time.perf_counter()

    def subjects():
        for i in range(args.subjects):
            yield dict(uscc=with_check_digit(f"92370102{i:09d}"[:17]), name=f"济南泉城食品店（{i}）",
                       entity_type="individual" if rng.random() < 0.6 else "enterprise", subdistrict_id=rng.choice(sub_ids),
                       established_on=day_in(dt.date(2005, 1, 1), dt.date(2024, 12, 31)), reg_status="active",
                       updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    with transaction.atomic():
        insert_rows(connection, Business, subjects())
    holders = list(Business.objects.values_list("pk", "subdistrict_id"))
    mix_weights = [m[1] for m in MIX]
    numbers = itertools.count(1)
    today = LAST_DAY

    def licence(business_id: int, kind: tuple, issued: dt.date, sector: str | None = None) -> tuple[dict, str | None]:
        code, _, term, sectors = kind
        if sector is None:
            sector = rng.choices([s for s, _ in sectors], [w for _, w in sectors])[0]
        valid_until = _years_later(issued, term) - dt.timedelta(days=1) if term else None
        row = dict(number=f"JY{next(numbers):014d}", kind_id=kind_ids[code], business_id=business_id,
                   sector_id=sector_ids.get(sector), items="预包装食品（含冷藏冷冻食品）销售", issued_on=issued,
                   valid_until=valid_until, status="valid")
        if valid_until and valid_until < today:
            row["status"] = "expired"
        elif rng.random() < 0.08:  # 注销 (a few 吊销) on a date, often after some inspections
            row["status"] = "revoked" if rng.random() < 0.05 else "cancelled"
            row["status_date"] = day_in(issued, min(valid_until or today, today))
        return row, sector

    def licences():
        extra = args.licences - args.subjects
        for n, (pk, _) in enumerate(holders):
            kind = rng.choices(MIX, mix_weights)[0]
            issued = day_in(dt.date(2016, 1, 1), dt.date(2025, 12, 31))
            if n < extra and kind[2] and rng.random() < 0.5:
                # renewed: an earlier licence of the same kind and 业态 ran its term, the next one issued the day after
                earlier, sector = licence(pk, kind, _years_later(issued, -kind[2]))
                yield earlier
                yield licence(pk, kind, issued, sector)[0]
            elif n < extra:
                yield licence(pk, kind, issued)[0]  # and another kind (a supermarket also selling drugs or devices …)
                yield licence(pk, rng.choices(MIX, mix_weights)[0], day_in(dt.date(2016, 1, 1), dt.date(2025, 12, 31)))[0]
            else:
                yield licence(pk, kind, issued)[0]

    with transaction.atomic():
        insert_rows(connection, Licence, licences())
    licences_seconds = time.perf_counter() - started

    # ---- five years of inspections --------------------------------------------------------------------
    started = time.perf_counter()
    kinds, kind_w = zip(*KINDS, strict=True)
    statuses, status_w = zip(*STATUSES, strict=True)
    days = (LAST_DAY - FIRST_DAY).days + 1
    # Some subjects are inspected far more often than others (canteens, complaints): a skewed pick.
    weights = list(itertools.accumulate(rng.paretovariate(1.5) for _ in holders))

    def inspections():
        picks = rng.choices(holders, cum_weights=weights, k=args.inspections)
        dates = sorted(rng.randrange(days) for _ in picks)  # entered day by day
        for i, ((pk, sub), offset) in enumerate(zip(picks, dates, strict=True)):
            day = FIRST_DAY + dt.timedelta(days=offset)
            in_campaign = CAMPAIGN_DAYS[0] <= day <= CAMPAIGN_DAYS[1] and rng.random() < 0.3
            yield dict(number=f"JC{i:012d}", kind=rng.choices(kinds, kind_w)[0], business_id=pk, subdistrict_id=sub, date=day,
                       status=rng.choices(statuses, status_w)[0], inspector_count=2, result="no_problem",
                       campaign_id=campaign.pk if in_campaign else None)

    with transaction.atomic():
        insert_rows(connection, Inspection, inspections())
    inspections_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        indexes = connection.introspection.get_constraints(cur, Licence._meta.db_table).values()
        name, columns = LICENCE_INDEX
        if any(i["index"] and i["columns"][: len(columns)] == columns for i in indexes):
            licence_index = "in the migrations"
        elif args.as_migrated:
            licence_index = "none (--as-migrated)"
        else:
            cur.execute(f"CREATE INDEX {name} ON {Licence._meta.db_table} ({', '.join(columns)})")
            licence_index = f"added by the bench: {name} ({', '.join(columns)})"
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    # ---- measurements ---------------------------------------------------------------------------------
    connection.close()  # a fresh connection, with the settings' cache size
    def median_seconds(fn, repeat=args.repeat) -> float:
        fn()
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    def scan(table, column):
        with connection.cursor() as cur:
            cur.execute(f"SELECT SUM(LENGTH(CAST({column} AS TEXT))) FROM {table}")
            cur.fetchone()

    scans = {name: median_seconds(lambda n=name: scan(*SCANS[n])) for name in SCANS}
    floor = sum(scans.values())
    params = Params.build(period=PERIOD, as_of=AS_OF, campaign=CAMPAIGN)
    each = {key: median_seconds(lambda k=key: compute([k], params)) for key in KEYS}
    seconds = median_seconds(lambda: compute(KEYS, params))
    values = compute(KEYS, params)
    out = {
        "database": connection.vendor, "period": PERIOD, "as_of": AS_OF.isoformat(), "campaign": CAMPAIGN,
        "rows": {"subjects": len(holders), "licences": Licence.objects.count(), "inspections": Inspection.objects.count()},
        "setup_seconds": {"subjects_and_licences": round(licences_seconds, 1), "inspections": round(inspections_seconds, 1)},
        "licence_index": licence_index,
        "sector_figures": {"seconds": round(seconds, 4), "bare_scan_seconds": round(floor, 4), "ratio": round(seconds / floor, 2)},
        "each_figure_seconds": {k: round(v, 4) for k, v in each.items()},
        "scans": {k: round(v, 4) for k, v in scans.items()},
        "values": {k: values[k] for k in KEYS} | {
            "inspections.count_by_sector (sum of parts)": sum(v for k, v in values.items() if k.startswith(f"{KEYS[0]}[")),
            "largest parts": dict(sorted(((k, v) for k, v in values.items() if "[" in k and k.startswith(KEYS[0])),
                                         key=lambda kv: -kv[1])[:5]),
        },
    }
    print(json.dumps(out, ensure_ascii=False))


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


if __name__ == "__main__":
    main()
