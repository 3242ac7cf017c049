"""Benchmark: credit supervision at 1,000,000 businesses — the 年报率 and the monthly risk scoring.

Makes a fresh SQLite database in a temporary directory (or uses the EMPTY PostgreSQL database given by --db), a
bureau with 6 stations over 15 subdistricts, N businesses (default 1,000,000: enterprises, individual
businesses and cooperatives, a tenth of them ended, a few percent set up last year) and their annual reports
for the last three report years (about 90 % filed, mostly in the window), and modest tables the scoring reads:
abnormal-list and serious-list entries, penalty cases, samples, special equipment, complaints and findings.
Then it times, median of R runs after a warm-up,

- 年报率: `core.indicators.compute` of credit.annual_report_rate and credit.annual_reports_due for report year
  Y as of D (helper A's figures; skipped while they are not registered), against a bare scan of the businesses
  and the annual reports (SELECT SUM(LENGTH(col)) of each, added);
- the monthly scoring: `risk_score_all` on D after a first run (which gives every business its class and is
  timed once, apart), with a month's worth of new records in between — a steady-state run — against a bare scan
  of every table the scoring reads (businesses, annual reports, risk scores, overrides, class periods and the
  seven record tables), added. Between the two, a VACUUM ANALYZE on PostgreSQL (autovacuum, a month later).

Targets: ratio <= 3 for both. Prints JSON.

    python bench/credit.py [--businesses N] [--repeat R] [--seed S] [--db postgres://postgres@127.0.0.1:5432/bench_credit]
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
AS_OF = dt.date(2026, 8, 1)  # the 2025 window closed on 2026-06-30
YEAR = 2025
TYPES = [("enterprise", "1", 30), ("individual", "2", 65), ("cooperative", "3", 5)]
# table, column the bare scan reads
SCANS = {
    "businesses": ("businesses_business", "name"),
    "annual_reports": ("credit_annualreport", "filed_on"),
    "risk_scores": ("credit_riskscore", "computed_class"),
    "overrides": ("credit_riskoverride", "reason"),
    "class_periods": ("credit_riskclassperiod", "risk_class"),
    "abnormal": ("credit_abnormalentry", "reason"),
    "serious": ("credit_seriousentry", "category"),
    "cases": ("cases_case", "number"),
    "samples": ("sampling_sample", "number"),
    "equipment": ("equipment_equipment", "reg_code"),
    "complaints": ("complaints_complaint", "number"),
    "findings": ("inspections_finding", "description"),
}


def main() -> None:  # noqa: PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--db", default="", help="an EMPTY PostgreSQL database to use instead of SQLite")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="jianguan-bench-credit-"))
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
    from jianguan.cases.models import Case, CaseCategory
    from jianguan.complaints.models import Complaint
    from jianguan.core.indicators import all_indicators, compute
    from jianguan.core.periods import Params
    from jianguan.credit.models import AbnormalEntry, AnnualReport, RiskClassPeriod, RiskScore, SeriousEntry
    from jianguan.credit.services.risk import risk_score_all
    from jianguan.equipment.models import CatalogueEntry, Equipment
    from jianguan.inspections.models import Finding, Inspection
    from jianguan.org.choices import OrgKind
    from jianguan.org.models import OrgUnit, Subdistrict
    from jianguan.sampling.models import BusinessFormat, FoodCategory, Sample

    call_command("migrate", verbosity=0)
    if Business.objects.exists():
        raise SystemExit("the database already holds businesses: give an empty one")

    rng = random.Random(args.seed)
    bureau = OrgUnit.objects.create(kind=OrgKind.BUREAU, code="B", name="历下区市场监督管理局")
    stations = [OrgUnit.objects.create(kind=OrgKind.STATION, code=f"S{i + 1}", name=f"第{i + 1}市场监管所", parent=bureau)
                for i in range(6)]
    subs = [Subdistrict.objects.create(code=f"370102{i + 1:03d}", name=f"{name}街道", station=stations[i * 6 // len(STREETS)])
            for i, name in enumerate(STREETS)]
    sub_ids = [s.pk for s in subs]

    # ---- the register and its filings ------------------------------------------------------------
    started = time.perf_counter()
    kinds, digits, weights = zip(*TYPES, strict=True)

    def businesses():
        for i in range(args.businesses):
            kind = rng.choices(range(3), weights)[0]
            established = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(365 * 26 + 200))
            ended = rng.random() < 0.10
            status_date = established + dt.timedelta(days=rng.randrange(1, 3000)) if ended else None
            if status_date and status_date > AS_OF:
                status_date, ended = None, False
            yield dict(uscc=with_check_digit(f"9{digits[kind]}370102{i:08d}"), name=f"济南鲁信商贸（{i}）", entity_type=kinds[kind],
                       subdistrict_id=rng.choice(sub_ids), established_on=established,
                       reg_status=rng.choice(["deregistered", "revoked", "moved_out"]) if ended else "active", status_date=status_date,
                       updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    with transaction.atomic():
        insert_rows(connection, Business, businesses())
    rows = list(Business.objects.values_list("pk", "established_on", "subdistrict_id", "uscc", "name", "reg_status"))

    def filings():
        for pk, established, *_ in rows:
            for year in (YEAR - 2, YEAR - 1, YEAR):
                if established.year > year or rng.random() > 0.9:
                    continue
                day = dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randrange(200 if rng.random() < 0.95 else 500))
                if day <= AS_OF:
                    yield dict(business_id=pk, year=year, filed_on=day, published=True,
                               created_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))

    with transaction.atomic():
        insert_rows(connection, AnnualReport, filings())
    register_seconds = time.perf_counter() - started

    # ---- the records the scoring reads (modest) ------------------------------------------------------
    started = time.perf_counter()
    active = [r for r in rows if r[5] == "active"]
    n_small = max(50, args.businesses // 50)  # 20,000 of each at a million businesses
    category = CaseCategory.objects.first() or CaseCategory.objects.create(code="food", name="食品")
    fmt, food = BusinessFormat.objects.first(), FoodCategory.objects.first()
    elevator = CatalogueEntry.objects.get(code="3000")

    def pick():
        return rng.choice(active)

    def day_in(first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    with transaction.atomic():
        insert_rows(connection, AbnormalEntry, (
            dict(business_id=b[0], kind="list", reason="no_annual_report", report_year=YEAR - 1 - (i % 3), status="listed",
                 proposed_on=dt.date(2025, 7, 1), listed_on=dt.date(2025, 7, 10))
            for i, b in enumerate(rng.sample(active, n_small))))
        # A few escalated listings: each a serious-list entry from an abnormal entry.
        insert_rows(connection, SeriousEntry, (
            dict(business_id=business_id, source="abnormal", category="competition", abnormal_entry_id=pk, status="listed",
                 proposed_on=dt.date(2025, 8, 1), listed_on=dt.date(2025, 8, 10), list_until=dt.date(2028, 8, 10))
            for pk, business_id in AbnormalEntry.objects.values_list("pk", "business_id")[: max(5, n_small // 20)]))
        insert_rows(connection, Case, (
            dict(business_id=b[0], respondent_name=b[4], respondent_uscc=b[3], subdistrict_id=b[2], number=f"历市监立〔2025〕{i}号",
                 source="inspection", filed_on=(d := day_in(dt.date(2024, 1, 1), dt.date(2026, 6, 30))),
                 decided_on=d + dt.timedelta(days=40), category_id=category.pk, cause="销售过期食品", status="decided",
                 exempt=rng.random() < 0.1, exempt_reason="first_minor")
            for i, b in enumerate(pick() for _ in range(n_small))))
        Case.objects.filter(exempt=False).update(exempt_reason="")
        insert_rows(connection, Sample, (
            dict(number=f"DC2026{i:08d}", sampled_on=(d := day_in(dt.date(2024, 8, 1), dt.date(2026, 6, 30))), business_id=b[0],
                 business_name=b[4], business_uscc=b[3], subdistrict_id=b[2], business_format_id=fmt.pk, food_category_id=food.pk,
                 sample_name="芹菜", report_on=d + dt.timedelta(days=20),
                 conclusion="unqualified" if rng.random() < 0.03 else "qualified", disposal_status="none",
                 created_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
            for i, b in enumerate(pick() for _ in range(n_small))))
        insert_rows(connection, Equipment, (
            dict(reg_code=f"31103701{i:012d}", type_id=elevator.code, operator_id=b[0], subdistrict_id=b[2],
                 registered_on=dt.date(2018, 1, 1), status="in_use",
                 next_due=day_in(dt.date(2026, 1, 1), dt.date(2027, 6, 30)), due_state="current")
            for i, b in enumerate(pick() for _ in range(n_small))))
        insert_rows(connection, Complaint, (
            dict(number=f"TS2026{i:08d}", kind=(kind := rng.choice(["complaint", "report", "inquiry"])), channel="hotline",
                 received_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), received_on=(d := day_in(dt.date(2024, 8, 1), dt.date(2026, 7, 1))),
                 business_id=b[0], subdistrict_id=b[2], content="投诉", status="closed",
                 filing_decision="filed" if kind == "report" and rng.random() < 0.3 else "",
                 decided_on=d + dt.timedelta(days=10) if kind == "report" else None,
                 mediation_outcome="success" if kind == "complaint" and rng.random() < 0.5 else "",
                 mediation_ended_on=d + dt.timedelta(days=20) if kind == "complaint" else None)
            for i, b in enumerate(pick() for _ in range(n_small))))
        inspections = []
        for i in range(n_small):
            b = pick()
            inspections.append(Inspection(number=f"JC2026{i:08d}", business_id=b[0], subdistrict_id=b[2], kind="routine", status="completed",
                                          date=day_in(dt.date(2024, 8, 1), dt.date(2026, 7, 1)), result="ordered"))
        Inspection.objects.bulk_create(inspections, batch_size=5000)
        insert_rows(connection, Finding, (
            dict(inspection_id=ins.pk, business_id=ins.business_id, subdistrict_id=ins.subdistrict_id, description="灭火器过期",
                 found_on=ins.date, deadline=ins.date + dt.timedelta(days=15),
                 status=(s := rng.choice(["open", "closed", "closed", "closed"])),
                 closed_on=ins.date + dt.timedelta(days=rng.randrange(5, 30)) if s == "closed" else None)
            for ins in inspections))
    records_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    # ---- measurements -------------------------------------------------------------------------------
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
            cur.execute(f"SELECT SUM(LENGTH(CAST({column} AS TEXT))) FROM {table}")  # a date column too, on PostgreSQL
            cur.fetchone()

    scans = {}

    def floor(names):
        for name in names:
            scans[name] = median_seconds(lambda n=name: scan(*SCANS[n]))
        return sum(scans[n] for n in names)

    out = {"database": connection.vendor, "businesses": args.businesses, "as_of": AS_OF.isoformat(), "report_year": YEAR,
           "rows": {"annual_reports": AnnualReport.objects.count(), "each_record_table": n_small},
           "setup_seconds": {"register_and_filings": round(register_seconds, 1), "records": round(records_seconds, 1)}}

    keys = {i.key for i in all_indicators()}
    wanted = ["credit.annual_report_rate", "credit.annual_reports_due"]
    if all(k in keys for k in wanted):
        params = Params.build(as_of=AS_OF, report_year=YEAR)
        rate_floor = floor(["businesses", "annual_reports"])
        rate_seconds = median_seconds(lambda: compute(wanted, params))
        out["annual_report_rate"] = {
            "seconds": round(rate_seconds, 4), "bare_scan_seconds": round(rate_floor, 4), "ratio": round(rate_seconds / rate_floor, 2),
            "values": {k: str(v) for k, v in compute(wanted, params).items()},
        }
    else:
        out["annual_report_rate"] = "skipped: the 年报率 figures are not registered yet"

    t = time.perf_counter()
    first = risk_score_all(on=AS_OF)
    first_seconds = time.perf_counter() - t
    out["scoring_first_run"] = {"seconds": round(first_seconds, 2), "classes_changed": first.classes_changed,
                                "scores_written": first.scores_written, "counts": first.counts}
    # A month of new records before the next run: some penalties, unqualified samples, filings.
    with transaction.atomic():
        for i, b in enumerate(rng.sample(active, max(5, n_small // 100))):
            Case.objects.create(business_id=b[0], respondent_name=b[4], subdistrict_id=b[2], number=f"历市监立〔2026〕新{i}号",
                                source="inspection", filed_on=dt.date(2026, 7, 2), decided_on=dt.date(2026, 8, 20),
                                category_id=category.pk, cause="无照经营", status="decided")
    next_on = dt.date(2026, 9, 1)
    # A month passes before the next run: PostgreSQL's autovacuum has long cleared the first run's million
    # updated rows by then (without it the next runs read their dead versions), and statistics are fresh.
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    scoring_floor = floor(list(SCANS))
    runs = []
    for i in range(args.repeat):
        t = time.perf_counter()
        run = risk_score_all(on=next_on + dt.timedelta(days=i))
        runs.append(time.perf_counter() - t)
    steady = statistics.median(runs)
    out["scoring_monthly_run"] = {
        "seconds": round(steady, 4), "bare_scan_seconds": round(scoring_floor, 4), "ratio": round(steady / scoring_floor, 2),
        "counts": run.counts,
        "rows": {"risk_scores": RiskScore.objects.count(), "class_periods": RiskClassPeriod.objects.count()},
    }
    out["scans"] = {k: round(v, 4) for k, v in scans.items()}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
