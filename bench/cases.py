"""Benchmark: the work summary's 执法办案 section at 200,000 cases and 300,000 leads.

Makes a fresh SQLite database in a temporary directory, a bureau with 6 stations over 15
subdistricts and 20,000 businesses, then bulk-creates N leads (default 300,000) and M cases (default
200,000) received or filed from 2021 to mid-July 2026 (written with executemany, in the order they were
received or filed, as a ledger grows; --shuffled scatters them), in every state a year of enforcement leaves:
leads from every source, most decided (立案, 不予立案 with its reasons, 移送); cases mostly decided and
closed, some open (a few suspended, some past their deadline), 简易程序, 不予行政处罚, transfers, hearings,
publications on time or late, a few without a subdistrict (bureau-wide only). Then it times

- the 执法办案 section of the built-in work summary (every figure it quotes, rendered to JSON) for the
  period (default 2026H1), and the same figures computed without rendering,

each against a bare scan of the two tables measured in the same run (SELECT SUM(LENGTH(col)) over
each table). Prints JSON; the target is a ratio <= 3.

    python bench/cases.py [--leads N] [--cases M] [--period 2026H1] [--repeat R] [--seed S] [--shuffled]
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

STREETS = ["东关", "大明湖", "解放路", "甸柳", "泉城路", "趵突泉", "千佛山", "燕山", "文东", "建新", "龙洞", "智远", "姚家",
           "舜华路", "旅游路"]
FIRST, LAST = dt.date(2021, 1, 1), dt.date(2026, 7, 15)  # the ledger as it stands a fortnight after the half-year
SCANNED = {"cases_lead": "respondent_name", "cases_case": "respondent_name"}
# Shares of each lead source, category weight, and state.
SOURCES = [("complaint", 45), ("inspection", 35), ("sampling", 8), ("transfer", 5), ("assigned", 4), ("other", 3)]
CATEGORY_WEIGHTS = {"food": 30, "drug": 5, "cosmetic": 3, "device": 3, "special_equipment": 4, "product_quality": 8,
                    "metrology": 3, "price": 7, "advertising": 8, "unfair_competition": 3, "trademark": 5,
                    "online_trade": 6, "consumer_rights": 8, "registration": 5, "other": 2}
REASONS = ["no_violation", "minor_corrected", "first_minor", "no_fault", "time_barred"]


def _day(rng: random.Random) -> dt.date:
    return FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days + 1))


def _before(day: dt.date, days: int) -> dt.date | None:
    """`day` + `days`, or None when that is after the ledger's last day (not happened yet)."""
    later = day + dt.timedelta(days=days)
    return later if later <= LAST else None


def make_leads(n: int, subdistricts: list[int], businesses: list[tuple[int, str, str, int]], seed: int):
    rng = random.Random(seed)
    sources, weights = zip(*SOURCES, strict=True)
    for i in range(n):
        received = _day(rng)
        business = rng.choice(businesses) if rng.random() < 0.85 else None
        draw = rng.random()
        decided = _before(received, rng.choice([2, 5, 10, 15, 21, 28]))
        status, fields = "pending", {}
        if decided is not None:
            if draw < 0.55:
                status = "filed"
            elif draw < 0.93:
                status, fields = "not_filed", {"not_filed_reason": rng.choice(REASONS)}
            else:
                status, fields = "transferred", {"transfer_target": "police" if rng.random() < 0.4 else "agency",
                                                 "transfer_body": "历下区公安分局"}
        yield dict(
            source=rng.choices(sources, weights)[0], received_on=received, summary=f"线索内容{i}",
            business_id=business[0] if business else None, respondent_name=business[1] if business else f"当事人{i}",
            respondent_uscc=business[2] if business else "", respondent_kind="organisation" if business else "person",
            subdistrict_id=(business[3] if business else rng.choice(subdistricts)) if rng.random() > 0.03 else None,
            status=status, decided_on=decided if status != "pending" else None,
            decision_due=received + dt.timedelta(days=21), source_ref=f"bench.record:{i}", **fields,
        )


def make_cases(n: int, subdistricts: list[int], businesses, categories: dict[str, int], seed: int):
    rng = random.Random(seed)
    codes = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in codes]
    for i in range(n):
        filed = _day(rng)
        business = rng.choice(businesses) if rng.random() < 0.9 else None
        simple = rng.random() < 0.2
        fields = {}
        draw = rng.random()
        decided = filed if simple else _before(filed, rng.choice([20, 45, 60, 80, 88, 100, 130]))
        status = "investigating"
        if draw < 0.01:
            transferred = _before(filed, rng.randrange(5, 60))
            if transferred:
                status = "transferred"
                fields.update(transferred_on=transferred, transfer_target="police" if rng.random() < 0.6 else "agency",
                              transfer_body="历下区公安分局")
        elif decided is not None:
            status = "decided"
            fields["decided_on"] = decided
            fields["decision_number"] = f"济历市监处罚〔{decided.year}〕{i}号"
            if not simple and rng.random() < 0.06:
                fields.update(exempt=True, exempt_reason=rng.choice(REASONS[1:]))
            else:
                fine = Decimal(rng.choice([200, 500, 2000, 5000, 10000, 30000, 50000, 200000])) + Decimal(rng.randrange(100)) / 100
                fields.update(fine_amount=fine, penalty_kinds=["fine"])
                if rng.random() < 0.3:
                    fields["confiscated_income"] = Decimal(rng.randrange(100, 500000)) / 100
                if rng.random() < 0.1:
                    fields["confiscated_value"] = Decimal(rng.randrange(100, 900000)) / 100
                fields["publish_due"] = decided + dt.timedelta(days=28)
                published = _before(decided, rng.choice([3, 10, 20, 27, 35]))
                if published:
                    fields.update(published_on=published, publication_status="shown")
                if not simple and rng.random() < 0.03:
                    fields["hearing_on"] = decided - dt.timedelta(days=10)
            closed = _before(decided, rng.choice([20, 40, 60]))
            if closed:
                status, fields["closed_on"] = "closed", closed
        elif rng.random() < 0.5:
            status = rng.choice(["filed", "review", "notified"])
        yield dict(
            number=f"济历市监立〔{filed.year}〕{i + 1}号", source=rng.choice(SOURCES)[0], filed_on=filed,
            category_id=categories[rng.choices(codes, weights)[0]], cause=f"案由{i}",
            procedure="simple" if simple else "general",
            business_id=business[0] if business else None, respondent_name=business[1] if business else f"当事人{i}",
            respondent_uscc=business[2] if business else "", respondent_kind="organisation" if business else "person",
            subdistrict_id=(business[3] if business else rng.choice(subdistricts)) if rng.random() > 0.02 else None,
            status=status, decision_due=filed + dt.timedelta(days=90), **fields,
        )


def fast_insert(connection, model, rows, batch: int = 20_000) -> None:
    """Rows (dicts of field values) written with executemany: the ledger in minutes, not hours
    (bulk_create prepares every value through the fields, about 0.4 ms a row). Fields left out take
    their defaults; values are stored as Django stores them on SQLite."""
    import itertools

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    now = dt.datetime(2026, 7, 15, 8, 0)
    names = [f.attname for f in fields]
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(chr(34) + f.column + chr(34) for f in fields)}) '
           f'VALUES ({", ".join("%s" for _ in fields)})')

    def stored(value):
        if isinstance(value, dt.datetime):
            return value.isoformat(" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, list | dict):
            return json.dumps(value)
        return value

    def row(given: dict) -> tuple:
        values = {**defaults, "created_at": now, **{(k + "_id" if k in ("business", "category", "subdistrict") else k): v
                                                   for k, v in given.items()}}
        return tuple(stored(values[name]) for name in names)

    rows = iter(rows)
    with connection.cursor() as cur:
        while chunk := [row(r) for r in itertools.islice(rows, batch)]:
            cur.executemany(sql, chunk)


def section_body(template: str) -> str:
    """The work summary's title and its 执法办案 section, as shipped."""
    title, rest = template.split("\n", 1)
    return title + "\n" + "## 六、执法办案" + rest.split("## 六、执法办案", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--businesses", type=int, default=20_000)
    parser.add_argument("--period", default="2026H1")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--shuffled", action="store_true",
                        help="rows in random order instead of the order they were received or filed (a worst case)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jianguan-bench-cases-"))
    os.environ["JIANGUAN_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianguan.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jianguan.businesses.models import Business
    from jianguan.businesses.rules import with_check_digit
    from jianguan.cases.choices import SuspensionReason
    from jianguan.cases.models import Case, CaseCategory, Lead, Suspension
    from jianguan.core.indicators import compute
    from jianguan.core.periods import Params
    from jianguan.org.choices import OrgKind
    from jianguan.org.models import OrgUnit, Subdistrict
    from jianguan.reports.engine import build_report, builtin_body, get_template
    from jianguan.reports.renderers import render
    from jianguan.reports.templating import check_template

    call_command("migrate", verbosity=0)

    # ---- the district and its enforcement ledger ---------------------------------------------
    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="历下区市场监督管理局")
    stations = [OrgUnit.objects.create(kind=OrgKind.STATION, code=f"S{i + 1}", name=f"第{i + 1}市场监管所", parent=bureau)
                for i in range(6)]
    subdistricts = [
        Subdistrict.objects.create(code=f"370102{i + 1:03d}", name=f"{name}街道", station=stations[i * 6 // len(STREETS)])
        for i, name in enumerate(STREETS)
    ]
    sub_ids = [s.pk for s in subdistricts]

    def ordered(rows, day: str):
        return rows if args.shuffled else sorted(rows, key=lambda r: r[day])
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with transaction.atomic():
        Business.objects.bulk_create(
            (Business(uscc=with_check_digit(f"91370102{i:09d}"), name=f"济南鲁信商贸有限公司（{i}）", entity_type="enterprise",
                      subdistrict_id=rng.choice(sub_ids), established_on=dt.date(2010, 1, 1)) for i in range(args.businesses)),
            batch_size=5000,
        )
    businesses = list(Business.objects.values_list("pk", "name", "uscc", "subdistrict_id"))
    categories = dict(CaseCategory.objects.values_list("code", "pk"))
    with transaction.atomic():
        # In the order they were received, as a ledger grows (and as a historical ledger is imported):
        # a period's rows then lie close together. --shuffled scatters them (every row read is a seek).
        fast_insert(connection, Lead, ordered(make_leads(args.leads, sub_ids, businesses, args.seed), "received_on"))
    leads_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        fast_insert(connection, Case, ordered(make_cases(args.cases, sub_ids, businesses, categories, args.seed), "filed_on"))
        open_ids = list(Case.objects.filter(decided_on__isnull=True, closed_on__isnull=True, transferred_on__isnull=True)
                        .values_list("pk", "filed_on"))
        Suspension.objects.bulk_create(
            Suspension(case_id=pk, reason=SuspensionReason.TESTING, start=filed + dt.timedelta(days=10),
                       end=None if k % 2 else filed + dt.timedelta(days=40))
            for k, (pk, filed) in enumerate(open_ids[::20])
        )
    cases_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ---- the section against a bare scan -------------------------------------------------------
    def median_seconds(fn) -> float:
        fn()  # warm the page cache, the template and the category cache
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    def bare_scan():
        with connection.cursor() as cur:
            for table, column in SCANNED.items():
                cur.execute(f"SELECT SUM(LENGTH({column})) FROM {table}")
                cur.fetchone()

    params = Params.build(period=args.period)
    body = section_body(builtin_body("work_summary"))
    _, used = check_template(body)
    keys = sorted(used)
    template = get_template("work_summary")
    output = {}

    def section_json():
        output["json"] = render(build_report(template, params, body=body), "json")

    floor = median_seconds(bare_scan)
    section_seconds = median_seconds(section_json)
    compute_seconds = median_seconds(lambda: compute(keys, params))
    payload = json.loads(output["json"])
    with connection.cursor() as cur:
        rows = {}
        for table in SCANNED:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            rows[table] = cur.fetchone()[0]
    print(
        json.dumps(
            {
                "rows": rows,
                "period": args.period,
                "row_order": "random" if args.shuffled else "as received or filed",
                "setup": {"leads_seconds": round(leads_seconds, 1), "cases_seconds": round(cases_seconds, 1)},
                "section_seconds": round(section_seconds, 4),
                "compute_seconds": round(compute_seconds, 4),
                "bare_scan_seconds": round(floor, 4),
                "ratio": round(section_seconds / floor, 2),
                "compute_ratio": round(compute_seconds / floor, 2),
                "figures": {k: v for k, v in payload["indicators"].items() if "[" not in k},
                "text": payload["text"].split("## 六、执法办案", 1)[1].strip(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
