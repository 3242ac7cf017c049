"""Benchmark: searching the business registry by a fragment of the name on a large district.

Builds N demo businesses (default 1,000,000) in a fresh SQLite database, then times the first page
(51 rows, as the list page asks) of name searches for a bureau-wide and a station user. The floor is
a bare scan reading the name column of every row (SELECT SUM(LENGTH(name))), measured in the same
run; a search that must read every row (a fragment that matches nothing) cannot beat it.

    python bench/search_businesses.py [--rows N] [--repeat R]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["超市", "烟酒", "恒泰超市", "王记烟酒店", "不存在的名字", "91370199"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
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

    from jianguan.businesses.selectors import business_list
    from jianguan.demo.district import build_businesses, build_org
    from jianguan.org.models import User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _, subdistricts, _ = build_org()
    build_businesses(subdistricts, args.rows, seed=7)
    build_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    def timed(fn) -> float:
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    def bare_scan():
        with connection.cursor() as cur:
            cur.execute("SELECT SUM(LENGTH(name)) FROM businesses_business")
            cur.fetchone()

    floor = timed(bare_scan)
    results = {}
    for username in ("leader", "suo3"):
        actor = User.objects.get(username=username)
        for q in QUERIES:
            seconds = timed(lambda q=q, actor=actor: list(business_list(actor=actor, filters={"q": q})[:51]))
            results[f"{username}:{q}"] = {"seconds": round(seconds, 4), "ratio_to_scan": round(seconds / floor, 2)}
    worst = max(r["ratio_to_scan"] for r in results.values())
    print(
        json.dumps(
            {
                "rows": args.rows,
                "build_seconds": round(build_seconds, 1),
                "bare_scan_seconds": round(floor, 4),
                "worst_ratio_to_scan": worst,
                "queries": results,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
