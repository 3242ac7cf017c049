"""Benchmark: the special-equipment ledger at 1,000,000 devices — import, daily refresh, report.

Makes a fresh SQLite database in a temporary directory, a bureau with 6 stations over 15
subdistricts, 50,000 businesses (bulk-created: the operators, among them 300 elevator maintainers)
and 10 producer licences, and writes a UTF-8 CSV of N devices (default 1,000,000) with the
equipment ledger's headers: realistic type shares (elevators ~45 %, pressure vessels ~35 %,
cranes ~13 %, in-plant vehicles ~4 %, boilers ~2 %, the rest amusement devices and ropeways),
~18 % idle and ~2 % scrapped or deregistered, and a last examination for ~92 % of them whose
next due dates are spread so that some are overdue or within the warning window on the as-of date.
Then it times, each against a baseline measured in the same run:

(a) `run_import` of that CSV (read, parse, resolve catalogue/operators, examinations, estimated
    due dates, upsert, audit batch) against a bare `Equipment.objects.bulk_create` of the same
    rows, already parsed, into the emptied table;
(b) `equipment_refresh(on=...)`: the first run (every device gets its state) and the daily run of
    the next day (only the rows whose state changes are written), against a bare scan
    `SELECT SUM(LENGTH(reg_code)) FROM equipment_equipment`;
(c) `build_report("equipment_ledger", Params.build(as_of=...))` rendered to JSON, against a bare
    scan of the tables it reads (devices, examinations, producer licences).

Prints JSON; the targets are ratios <= 3 (for refresh: the daily run).

    python bench/equipment.py [--rows N] [--businesses B] [--seed S] [--as-of 2026-06-30]
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

STATIONS = ["东关", "解放路", "泉城路", "千佛山", "文东", "龙洞"]
STREETS = [
    "东关",
    "大明湖",
    "解放路",
    "甸柳",
    "泉城路",
    "趵突泉",
    "千佛山",
    "燕山",
    "文东",
    "建新",
    "龙洞",
    "智远",
    "姚家",
    "舜华路",
    "旅游路",
]
BRANDS = ["恒泰", "鑫源", "华联", "众诚", "泉润", "鲁信", "宏达", "金盛", "同福", "佳和", "瑞丰", "德顺"]
TRADES = ["物业管理", "商贸", "置业", "热力", "化工", "机械制造", "物流", "酒店管理", "医院", "学校"]

# type code, share, [(category, variety or "", weight)], the cycle in months used for the spread
TYPES = [
    (
        "3000",
        0.45,
        [
            ("3100", "3110", 70),
            ("3100", "3120", 8),
            ("3300", "3310", 12),
            ("3400", "3430", 2),
            ("3200", "", 1),
        ],
        12,
    ),
    (
        "2000",
        0.35,
        [
            ("2100", "2150", 40),
            ("2100", "2170", 30),
            ("2100", "2130", 6),
            ("2300", "", 20),
            ("2200", "2220", 3),
        ],
        36,
    ),
    (
        "4000",
        0.13,
        [
            ("4100", "", 55),
            ("4200", "", 10),
            ("4300", "", 10),
            ("4400", "", 5),
            ("4800", "", 10),
            ("4D00", "", 10),
        ],
        24,
    ),
    ("5000", 0.04, [("5100", "5110", 92), ("5200", "", 8)], 24),
    ("1000", 0.02, [("1100", "", 40), ("1200", "", 55), ("1300", "", 5)], 12),
    ("6000", 0.008, [("6100", "", 2), ("6400", "", 3), ("6600", "", 3), ("6A00", "", 2)], 12),
    ("9000", 0.002, [("9100", "", 1), ("9300", "", 1)], 12),
]
NAMES = {
    "3000": "电梯",
    "2000": "压力容器",
    "4000": "起重机械",
    "5000": "场（厂）内专用机动车辆",
    "1000": "锅炉",
    "6000": "大型游乐设施",
    "9000": "客运索道",
}


def make_businesses(n: int, subdistrict_ids: list[int]):
    from jianguan.businesses.models import Business
    from jianguan.businesses.rules import with_check_digit

    rng = random.Random(11)
    for i in range(n):
        kind, first2 = ("enterprise", "91") if i % 10 < 8 else ("individual", "92")
        yield Business(
            uscc=with_check_digit(f"{first2}370102{i:09d}"),
            name=f"济南{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司（{i}）",
            entity_type=kind,
            subdistrict_id=rng.choice(subdistrict_ids),
            established_on=dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(10000)),
        )


def make_rows(
    n: int,
    operators: list[tuple[str, str]],
    maintainers: list[str],
    streets: list[str],
    as_of: dt.date,
    seed: int,
):
    from jianguan.equipment.rules import add_months

    rng = random.Random(seed)
    cumulative, total = [], 0.0
    for entry in TYPES:
        total += entry[1]
        cumulative.append((total, entry))
    first = dt.date(2000, 1, 1).toordinal()
    for i in range(n):
        draw = rng.random() * total
        type_code, _, categories, cycle = next(e for c, e in cumulative if draw <= c)
        category, variety, _ = rng.choices(categories, weights=[w for *_, w in categories])[0]
        uscc, name = rng.choice(operators)
        street = rng.choice(streets)
        status_draw = rng.random()
        registered = dt.date.fromordinal(first + rng.randrange(9300))  # 2000 .. mid 2025
        status, status_date = "在用", ""
        if status_draw < 0.18:
            status = "停用"
        elif status_draw < 0.19:
            status = "报废"
        elif status_draw < 0.20:
            status = "注销"
        if status != "在用":
            status_date = (registered + dt.timedelta(days=rng.randrange(1, 300))).isoformat()
        exam = conclusion = next_due = ""
        # Nearly every registered device has a report: a due date estimated from a registration in
        # 2000-2025 is usually long past, and a district with one device in nine overdue is not real.
        if rng.random() < 0.99:
            # Next due dates from 12 days before the as-of date to a cycle or more after it: about 2-3 %
            # of the devices in use are overdue and 4-8 % due within 30 days.
            due = as_of + dt.timedelta(days=rng.randrange(-12, max(cycle * 30, 400)))
            exam_date = add_months(due, -cycle)
            if exam_date <= registered:
                registered = exam_date - dt.timedelta(days=rng.randrange(30, 400))
            if status_date and status_date <= registered.isoformat():
                status_date = (registered + dt.timedelta(days=rng.randrange(1, 300))).isoformat()
            if True:
                c = rng.random()
                conclusion = (
                    "合格"
                    if c < 0.955
                    else ("复检合格" if c < 0.99 else ("允许监控使用" if c < 0.995 else "不合格"))
                )
                exam, next_due = exam_date.isoformat(), due.isoformat()
        elevator = type_code == "3000"
        yield [
            f"{type_code[0]}{category[1:3]}0370102{i:010d}",
            NAMES[type_code] if i % 2 else type_code,
            category,
            variety,
            uscc,
            name,
            f"济南市历下区{street}{rng.randrange(1, 300)}号",
            street,
            f"{'梯' if elevator else '容'}1{i % 10}鲁A{i:06d}({registered.year % 100:02d})",
            registered.isoformat(),
            status,
            status_date,
            exam,
            conclusion,
            next_due,
            rng.choice(maintainers) if elevator else "",
            (as_of + dt.timedelta(days=rng.randrange(-30, 330))).isoformat()
            if elevator and rng.random() < 0.85
            else "",
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--businesses", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)

    tmp = Path(tempfile.mkdtemp(prefix="jianguan-bench-equipment-"))
    os.environ["JIANGUAN_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianguan.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from jianguan.businesses.models import Business
    from jianguan.core.importing import run_import
    from jianguan.equipment.models import Equipment, Examination, ProducerLicence
    from jianguan.equipment.resources import EQUIPMENT_HEADERS, EQUIPMENT_LEDGER
    from jianguan.equipment.services import equipment_refresh
    from jianguan.org.choices import OrgKind
    from jianguan.org.models import OrgUnit, Subdistrict

    call_command("migrate", verbosity=0)

    def checkpoint():
        # Start each timed phase with an empty write-ahead log, so neither pays for the other's writes.
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def median_seconds(fn, repeat=args.repeat, warm=True) -> float:
        if warm:
            fn()
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    def bare_scan(columns: dict[str, str]):
        def scan():
            with connection.cursor() as cur:
                for table, column in columns.items():
                    cur.execute(f"SELECT SUM(LENGTH({column})) FROM {table}")
                    cur.fetchone()

        return scan

    # ---- the district: org, operators, producers, the ledger file --------------------------
    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="历下区市场监督管理局")
    stations = [
        OrgUnit.objects.create(
            kind=OrgKind.STATION, code=f"S{i + 1}", name=f"{name}市场监管所", parent=bureau
        )
        for i, name in enumerate(STATIONS)
    ]
    streets = [f"{street}街道" for street in STREETS]
    subdistricts = [
        Subdistrict.objects.create(
            code=f"370102{i + 1:03d}", name=name, station=stations[i * len(stations) // len(streets)]
        )
        for i, name in enumerate(streets)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        Business.objects.bulk_create(
            make_businesses(args.businesses, [s.pk for s in subdistricts]), batch_size=5000
        )
    businesses_seconds = time.perf_counter() - started
    everyone = list(Business.objects.order_by("pk").values_list("uscc", "name"))
    maintainers = [uscc for uscc, _ in everyone[:300]]
    operators = everyone[300:]
    producers = Business.objects.order_by("pk")[:10]
    ProducerLicence.objects.bulk_create(
        ProducerLicence(
            business=b,
            number=f"TS3337{i:03d}-2028",
            items=["install", "repair", "maintain"],
            valid_until=dt.date(2028, 1, 1),
        )
        for i, b in enumerate(producers)
    )

    path = tmp / "equipment.csv"
    started = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(EQUIPMENT_HEADERS)
        writer.writerows(make_rows(args.rows, operators, maintainers, streets, as_of, args.seed))
    file_seconds = time.perf_counter() - started

    # ---- (a) import vs bulk_create ---------------------------------------------------------
    checkpoint()
    started = time.perf_counter()
    result = run_import(EQUIPMENT_LEDGER, path)
    import_seconds = time.perf_counter() - started
    if not result.accepted or result.created != args.rows:
        raise SystemExit(f"import failed: {result.file_error or [str(e) for e in result.errors[:5]]}")
    exams = Examination.objects.count()

    # The same rows, already parsed (outside the timing): the devices as the import stored them.
    fields = [f.attname for f in Equipment._meta.concrete_fields if not f.primary_key]
    parsed = [
        dict(zip(fields, values, strict=True))
        for values in Equipment.objects.order_by("pk").values_list(*fields)
    ]
    saved_exams = list(
        Examination.objects.values_list("equipment__reg_code", "date", "conclusion", "next_due")
    )
    Examination.objects.all()._raw_delete(Examination.objects.db)
    Equipment.objects.all()._raw_delete(Equipment.objects.db)
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic():
        Equipment.objects.bulk_create([Equipment(**values) for values in parsed])
    bulk_create_seconds = time.perf_counter() - started
    del parsed
    ids = dict(Equipment.objects.values_list("reg_code", "pk"))
    with transaction.atomic():
        Examination.objects.bulk_create(
            (
                Examination(equipment_id=ids[code], date=d, conclusion=c, next_due=n)
                for code, d, c, n in saved_exams
            ),
            batch_size=5000,
        )
    del saved_exams, ids

    # ---- (b) refresh vs a bare scan --------------------------------------------------------
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    checkpoint()
    scan_equipment = bare_scan({"equipment_equipment": "reg_code"})
    started = time.perf_counter()
    first = equipment_refresh(on=as_of - dt.timedelta(days=1))
    refresh_first_seconds = time.perf_counter() - started
    checkpoint()
    started = time.perf_counter()
    daily = equipment_refresh(on=as_of)
    refresh_daily_seconds = time.perf_counter() - started
    refresh_again_seconds = median_seconds(lambda: equipment_refresh(on=as_of), warm=False)
    equipment_floor = median_seconds(scan_equipment)

    # ---- (c) the equipment_ledger report to JSON vs a bare scan of what it reads -----------
    checkpoint()  # the refreshes above left their writes in the log; a report reads a settled ledger
    render_out: dict = {"render": None}
    try:
        from jianguan.core.periods import Params
        from jianguan.reports.engine import build_report
        from jianguan.reports.renderers import render

        params = Params.build(as_of=as_of)
        output = {}

        def report_json():
            output["json"] = render(build_report("equipment_ledger", params), "json")

        report_floor = median_seconds(
            bare_scan(
                {
                    "equipment_equipment": "reg_code",
                    "equipment_examination": "report_no",
                    "equipment_producerlicence": "number",
                }
            )
        )
        report_seconds = median_seconds(report_json)
        figures = json.loads(output["json"])["indicators"]
        render_out = {
            "render": {
                "report_seconds": round(report_seconds, 3),
                "bare_scan_seconds": round(report_floor, 4),
                "ratio": round(report_seconds / report_floor, 2),
                "figures": {k: v for k, v in figures.items() if "[" not in k},
            }
        }
    except Exception as exc:  # the template or its indicators are not there yet
        render_out = {
            "render": None,
            "render_note": f"equipment_ledger 报告无法生成：{type(exc).__name__}: {exc}",
        }

    print(
        json.dumps(
            {
                "rows": args.rows,
                "businesses": args.businesses,
                "examinations": exams,
                "setup": {
                    "businesses_seconds": round(businesses_seconds, 1),
                    "file_seconds": round(file_seconds, 1),
                },
                "import": {
                    "import_seconds": round(import_seconds, 2),
                    "rows_per_second": round(args.rows / import_seconds),
                    "bulk_create_seconds": round(bulk_create_seconds, 2),
                    "ratio": round(import_seconds / bulk_create_seconds, 2),
                },
                "refresh": {
                    "bare_scan_seconds": round(equipment_floor, 4),
                    "first_run_seconds": round(refresh_first_seconds, 3),
                    "first_run_changed": first.changed,
                    "first_run_tasks": first.tasks_opened,
                    "first_run_ratio": round(refresh_first_seconds / equipment_floor, 2),
                    "daily_seconds": round(refresh_daily_seconds, 3),
                    "daily_changed": daily.changed,
                    "daily_tasks": daily.tasks_opened,
                    "ratio": round(refresh_daily_seconds / equipment_floor, 2),
                    "unchanged_rerun_seconds": round(refresh_again_seconds, 3),
                    "unchanged_rerun_ratio": round(refresh_again_seconds / equipment_floor, 2),
                },
                **render_out,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
