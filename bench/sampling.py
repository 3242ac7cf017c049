"""Benchmark: the work summary's 食品安全抽检 section at 300,000 samples and 100,000 quick tests.

Makes a fresh SQLite database in a temporary directory (or uses the empty PostgreSQL database given by
--database-url), a bureau with 6 stations over 15 subdistricts and 20,000 businesses, the population
rule, then writes N samples (default 300,000) taken from 2021 to mid-July 2026 — in the order they were
taken, as a ledger grows; --shuffled scatters them — spread over the sampling types (监督抽检 75 %, 风险监测
15 %, 评价性抽检 10 %), the 9 业态, the 34 食品大类 and 食用农产品 and the subdistricts (a few without one);
about 2.5 % unqualified (most disposed, in time or late, some not yet), risk monitoring's 问题样品, results
still pending for the last weeks; and M quick tests (default 100,000), a few percent positive. Then it times

- the 食品安全抽检 section of the built-in work summary (every figure it quotes, rendered to JSON) for the
  period (default 2026H1), and the same figures computed without rendering,

against a bare scan of the samples table measured in the same run (SELECT SUM(LENGTH(sample_name)));
the quick-test table's scan is printed too. Prints JSON; the target is a ratio <= 3.

    python bench/sampling.py [--samples N] [--quicktests M] [--period 2026H1] [--repeat R] [--seed S] [--shuffled]
                             [--database-url postgres://postgres@127.0.0.1:5432/bench_sampling]
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
from pathlib import Path

from rows import insert_rows

STREETS = ["东关", "大明湖", "解放路", "甸柳", "泉城路", "趵突泉", "千佛山", "燕山", "文东", "建新", "龙洞", "智远", "姚家",
           "舜华路", "旅游路"]
FIRST, LAST = dt.date(2021, 1, 1), dt.date(2026, 7, 15)  # the ledger as it stands a fortnight after the half-year
SCANNED = ("sampling_sample", "sample_name")
SCANNED_QUICKTESTS = ("sampling_quicktest", "product")
TYPES = [("supervision", 75), ("risk", 15), ("evaluation", 10)]
FORMAT_WEIGHTS = [6, 5, 20, 22, 15, 18, 6, 4, 4]  # 生产 … 其他, in the reference table's order
ITEMS = ["农药残留"] * 6 + ["兽药残留"] * 2 + ["非法添加", "二氧化硫", "甲醛", "亚硝酸盐", "吊白块", "瘦肉精", "孔雀石绿", "克伦特罗"]
PRODUCTS = ["小白菜", "芹菜", "韭菜", "豇豆", "猪肉", "牛肉", "鸡蛋", "草鱼", "豆腐", "粉丝", "馒头", "香菇"]


def _day(rng: random.Random) -> dt.date:
    return FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days + 1))


def _by_last(day: dt.date, days: int) -> dt.date | None:
    """`day` + `days`, or None when that is after the ledger's last day (not happened yet)."""
    later = day + dt.timedelta(days=days)
    return later if later <= LAST else None


def make_samples(n: int, subdistricts: list[int], businesses, formats: list[int], categories: list[int], seed: int):
    rng = random.Random(seed)
    types, type_weights = zip(*TYPES, strict=True)
    for i in range(n):
        sampled = _day(rng)
        kind = rng.choices(types, type_weights)[0]
        business = rng.choice(businesses) if rng.random() < 0.85 else None
        sent = _by_last(sampled, rng.randrange(0, 4))
        report = _by_last(sampled, rng.randrange(12, 40)) if sent else None
        fields = {"conclusion": "pending", "disposal_status": "awaiting"}
        if report is not None:
            draw = rng.random()
            if kind == "risk":
                conclusion = "problem" if draw < 0.03 else "qualified"
            else:
                conclusion = "unqualified" if draw < 0.025 else "qualified"
            fields = {"conclusion": conclusion, "report_on": report, "disposal_status": "none"}
            if conclusion == "unqualified":
                disposed = _by_last(report, rng.choice([15, 20, 30, 45, 60, 75, 85, 90, 95, 120]))
                served = _by_last(report, rng.randrange(1, 6))
                fields.update(disposal_due=report + dt.timedelta(days=90), disposed_on=disposed, served_on=served,
                              service_due=report + dt.timedelta(days=7),
                              disposal_status="disposed" if disposed else "disposing",
                              cause="经营者未履行进货查验义务" if disposed else "")
        yield dict(
            number=f"DC{sampled.year}3701{i:08d}", sampled_on=sampled, sampling_type=kind,
            business_id=business[0] if business else None, business_name=business[1] if business else f"摊位{i}",
            business_uscc=business[2] if business else "",
            subdistrict_id=(business[3] if business else rng.choice(subdistricts)) if rng.random() > 0.02 else None,
            business_format_id=rng.choices(formats, FORMAT_WEIGHTS)[0], food_category_id=rng.choice(categories),
            sample_name=rng.choice(PRODUCTS) + f"（批次{i % 97}）", institution="济南市食品药品检验检测中心",
            sent_on=sent, send_due=sampled + dt.timedelta(days=7), report_due=sent + dt.timedelta(days=28) if sent else None,
            **fields,
        )


def make_quicktests(n: int, subdistricts: list[int], businesses, seed: int):
    rng = random.Random(seed + 1)
    for i in range(n):
        business = rng.choice(businesses) if rng.random() < 0.5 else None
        yield dict(
            tested_on=_day(rng), mode="station" if rng.random() < 0.8 else "mobile", place=f"第{i % 40}农贸市场快检室",
            business_id=business[0] if business else None, business_uscc=business[2] if business else "",
            subdistrict_id=(business[3] if business else rng.choice(subdistricts)) if rng.random() > 0.02 else None,
            product=rng.choice(PRODUCTS), item=rng.choice(ITEMS), result="positive" if rng.random() < 0.03 else "negative",
        )


def section_body(template: str) -> str:
    """The work summary's title and its 食品安全抽检 section, as shipped."""
    title, rest = template.split("\n", 1)
    return title + "\n" + "## 七、食品安全抽检" + rest.split("## 七、食品安全抽检", 1)[1].split("\n## ", 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300_000)
    parser.add_argument("--quicktests", type=int, default=100_000)
    parser.add_argument("--businesses", type=int, default=20_000)
    parser.add_argument("--period", default="2026H1")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--shuffled", action="store_true",
                        help="rows in random order instead of the order they were taken (a worst case)")
    parser.add_argument("--database-url", default="", help="an EMPTY PostgreSQL database to use instead of SQLite")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jianguan-bench-sampling-"))
    os.environ["JIANGUAN_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianguan.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jianguan.businesses.models import Business
    from jianguan.businesses.rules import with_check_digit
    from jianguan.core.indicators import compute
    from jianguan.core.models import Rule
    from jianguan.core.periods import Params
    from jianguan.org.choices import OrgKind
    from jianguan.org.models import OrgUnit, Subdistrict
    from jianguan.reports.engine import build_report, builtin_body, get_template
    from jianguan.reports.renderers import render
    from jianguan.reports.templating import check_template
    from jianguan.sampling.models import BusinessFormat, FoodCategory, QuickTest, Sample

    call_command("migrate", verbosity=0)
    if Sample.objects.exists():
        raise SystemExit("the database already holds samples: give an empty one")

    # ---- the district and its sampling ledger ------------------------------------------------
    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="历下区市场监督管理局")
    stations = [OrgUnit.objects.create(kind=OrgKind.STATION, code=f"S{i + 1}", name=f"第{i + 1}市场监管所", parent=bureau)
                for i in range(6)]
    subdistricts = [
        Subdistrict.objects.create(code=f"370102{i + 1:03d}", name=f"{name}街道", station=stations[i * 6 // len(STREETS)])
        for i, name in enumerate(STREETS)
    ]
    sub_ids = [s.pk for s in subdistricts]
    Rule.objects.create(key="region.population", label="常住人口", value="590000", unit="count", valid_from=dt.date(2021, 1, 1),
                        source_document="第七次全国人口普查公报")
    rng = random.Random(args.seed)
    with transaction.atomic():
        Business.objects.bulk_create(
            (Business(uscc=with_check_digit(f"91370102{i:09d}"), name=f"济南鲁信商贸有限公司（{i}）", entity_type="enterprise",
                      subdistrict_id=rng.choice(sub_ids), established_on=dt.date(2010, 1, 1)) for i in range(args.businesses)),
            batch_size=5000,
        )
    businesses = list(Business.objects.values_list("pk", "name", "uscc", "subdistrict_id"))
    formats = list(BusinessFormat.objects.order_by("order").values_list("pk", flat=True))
    categories = list(FoodCategory.objects.values_list("pk", flat=True))

    def ordered(rows, day: str):
        return rows if args.shuffled else sorted(rows, key=lambda r: r[day])

    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(connection, Sample, ordered(make_samples(args.samples, sub_ids, businesses, formats, categories, args.seed), "sampled_on"))
    samples_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(connection, QuickTest, ordered(make_quicktests(args.quicktests, sub_ids, businesses, args.seed), "tested_on"))
    quicktests_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ---- the section against a bare scan -------------------------------------------------------
    def median_seconds(fn) -> float:
        fn()  # warm the page cache, the template and the reference caches
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    def scan(table, column):
        def run():
            with connection.cursor() as cur:
                cur.execute(f"SELECT SUM(LENGTH({column})) FROM {table}")
                cur.fetchone()
        return run

    params = Params.build(period=args.period)
    body = section_body(builtin_body("work_summary"))
    _, used = check_template(body)
    keys = sorted(used)
    template = get_template("work_summary")
    output = {}

    def section_json():
        output["json"] = render(build_report(template, params, body=body), "json")

    floor = median_seconds(scan(*SCANNED))
    quicktest_floor = median_seconds(scan(*SCANNED_QUICKTESTS))
    section_seconds = median_seconds(section_json)
    compute_seconds = median_seconds(lambda: compute(keys, params))
    payload = json.loads(output["json"])
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "rows": {"sampling_sample": Sample.objects.count(), "sampling_quicktest": QuickTest.objects.count()},
                "period": args.period,
                "row_order": "random" if args.shuffled else "as taken",
                "setup": {"samples_seconds": round(samples_seconds, 1), "quicktests_seconds": round(quicktests_seconds, 1)},
                "section_seconds": round(section_seconds, 4),
                "compute_seconds": round(compute_seconds, 4),
                "bare_scan_seconds": round(floor, 4),
                "quicktest_scan_seconds": round(quicktest_floor, 4),
                "ratio": round(section_seconds / floor, 2),
                "compute_ratio": round(compute_seconds / floor, 2),
                "ratio_over_both_scans": round(section_seconds / (floor + quicktest_floor), 2),
                "figures": {k: v for k, v in payload["indicators"].items() if "[" not in k},
                "text": payload["text"].split("## 七、食品安全抽检", 1)[1].strip(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
