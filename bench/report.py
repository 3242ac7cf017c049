"""Benchmark: rendering the built-in work summary to JSON on a district-scale ledger.

Builds the district demo (300,000 businesses, plus whatever later modules add to it) in a fresh
SQLite database, renders `work_summary` for 2026H1 to JSON, and compares the time with a bare scan
of every table the report reads — one column of every row (SELECT SUM(LENGTH(col))), measured in
the same run. Figures over one table share one pass, so the target is a ratio <= 3.

    python bench/report.py [--scale district|small] [--repeat R]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# The tables the report reads and a text column of each, for the floor.
SCANNED = {"businesses_business": "name"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="district", choices=["small", "district"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--period", default="2026H1")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="jianguan-bench-")
    os.environ["JIANGUAN_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jianguan.core.periods import Params
    from jianguan.reports.engine import build_report
    from jianguan.reports.renderers import render

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", scale=args.scale, seed=2026, stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    build_seconds = time.perf_counter() - started

    def median_seconds(fn) -> float:
        fn()  # warm the page cache and the template
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
    output = {}

    def report_json():
        report = build_report("work_summary", params)
        output["json"] = render(report, "json")

    floor = median_seconds(bare_scan)
    seconds = median_seconds(report_json)
    with connection.cursor() as cur:
        rows = {}
        for table in SCANNED:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            rows[table] = cur.fetchone()[0]
    figures = json.loads(output["json"])["indicators"]
    print(
        json.dumps(
            {
                "scale": args.scale,
                "rows": rows,
                "build_seconds": round(build_seconds, 1),
                "report_seconds": round(seconds, 4),
                "bare_scan_seconds": round(floor, 4),
                "ratio": round(seconds / floor, 2),
                "figures": {k: v for k, v in figures.items() if "[" not in k},
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
