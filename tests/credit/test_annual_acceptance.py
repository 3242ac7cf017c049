"""Issue 15's acceptance: a business register and an annual-report file this project has never seen —
generated here with a seeded RNG, with the boundaries of the definition — imported through `jianguan import
businesses` and `jianguan import annual_reports`, give in `jianguan figures … --format json` exactly the 年报率
per 主体类型 that an independent script (annual_script.py: openpyxl and the standard library, no jianguan)
computes from the same files, for several as-of dates; and `jianguan credit propose --dry-run -o` proposes
exactly the script's non-filers (列入 for enterprises and cooperatives, 标记 for individual businesses)."""

import datetime as dt
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from jianguan.businesses.rules import with_check_digit
from jianguan.credit.models import AbnormalEntry

from .. import sheets
from . import annual_script

pytestmark = pytest.mark.django_db

SEED = 15_2026
YEAR = 2025
BUSINESS_HEADERS = ("统一社会信用代码", "名称", "主体类型", "法定代表人", "住所", "所属街道", "行业代码", "成立日期", "登记状态", "状态日期")
TYPE_DIGIT = {"企业": "1", "个体工商户": "2", "农民专业合作社": "3"}
ENDINGS = ("注销", "吊销", "迁出")
AS_OF = [dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2026, 9, 15),
         dt.date(2026, 12, 7)]
PROPOSE_ON = [dt.date(2026, 7, 1), dt.date(2026, 9, 15), dt.date(2026, 12, 7)]
# Days the definition turns on: the year's end, the window's end, the as-of dates, either side of each.
EDGES = sorted({d + dt.timedelta(days=k) for d in [dt.date(2025, 12, 31), dt.date(2026, 6, 30), *AS_OF] for k in (-1, 0, 1)
                if d + dt.timedelta(days=k) <= dt.date(2026, 12, 7)})


def _cell(rng, day):
    """Dates as the files carry them: date cells, 2026/5/1, 2026年5月1日, 2026-05-01."""
    return (day, f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day.isoformat())[rng.randrange(4)]


def _day(rng, start, end):
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def generate(rng, subdistricts, n=720):
    """(business rows, filing rows)."""
    businesses, filings = [], []
    for i in range(n):
        kind = rng.choices(list(TYPE_DIGIT), weights=(5, 8, 2))[0]
        uscc = with_check_digit(f"9{TYPE_DIGIT[kind]}370102{7_000_000 + i:09d}")
        roll = rng.random()
        if roll < 0.05:
            established = dt.date(2025, 12, 31)
        elif roll < 0.10:
            established = dt.date(2026, 1, 1)
        elif roll < 0.15:
            established = _day(rng, dt.date(2026, 1, 2), dt.date(2026, 11, 30))
        else:
            established = _day(rng, dt.date(2012, 1, 1), dt.date(2025, 12, 30))
        status, ended = "存续", None
        if rng.random() < 0.25:
            status = rng.choice(ENDINGS)
            ended = rng.choice(EDGES) if rng.random() < 0.6 else _day(rng, dt.date(2025, 1, 1), dt.date(2026, 12, 7))
            ended = max(ended, established)
        businesses.append([uscc, f"测试{kind}{i}号", kind, "李四", "测试路", rng.choice(subdistricts), "", _cell(rng, established),
                           status, _cell(rng, ended) if ended else ""])
        # filings: the year asked about, and other years
        for year in (2023, 2024, 2025):
            if established > dt.date(year, 12, 31) or rng.random() > 0.88:
                continue
            first, last = dt.date(year + 1, 1, 1), min(dt.date(2026, 12, 7), dt.date(year + 1, 12, 31))
            r = rng.random()
            if year == YEAR and r < 0.25:
                filed = rng.choice([d for d in EDGES if d >= first])
            elif r < 0.85:
                filed = _day(rng, first, dt.date(year + 1, 6, 30))
            else:
                filed = _day(rng, first, last)  # late filers too
            year_cell = rng.choice([year, str(year), f"{year}年度"])
            filings.append([uscc, year_cell, _cell(rng, filed)])
    rng.shuffle(filings)
    return businesses, filings


def _figures(as_of, year=YEAR):
    out = io.StringIO()
    call_command("figures", "credit.annual_report_rate", "credit.annual_reports_due", "--as-of", as_of.isoformat(),
                 "--report-year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())["indicators"]


def _same(got, want):
    return (got is None and want is None) or (got is not None and want is not None and Decimal(str(got)) == want)


def test_an_annual_report_file_never_seen_gives_the_scripts_rates_and_proposals(org, tmp_path):
    rng = random.Random(SEED)
    names = [s.name for s in org.subs.values()]
    business_rows, filing_rows = generate(rng, names)
    assert len(business_rows) >= 600
    b_path = sheets.write_xlsx(tmp_path / "市场主体.xlsx", business_rows, BUSINESS_HEADERS)
    f_path = sheets.write_xlsx(tmp_path / "年度报告.xlsx", filing_rows, ("统一社会信用代码", "年度", "报送日期"))
    out = io.StringIO()
    call_command("import", "businesses", str(b_path), stdout=out)
    assert f"新增 {len(business_rows)}" in out.getvalue(), out.getvalue()
    out = io.StringIO()
    call_command("import", "annual_reports", str(f_path), stdout=out)
    assert f"新增 {len(filing_rows)}" in out.getvalue(), out.getvalue()

    # The script reads jianguan's business export, as a person would take it.
    export = tmp_path / "导出.xlsx"
    call_command("export", "businesses", str(export), stdout=io.StringIO())
    rows, filed = annual_script.businesses(export), annual_script.filings(f_path)
    assert {r["type"] for r in rows} == set(annual_script.TYPES)
    # The ledger has what it must exercise.
    assert sum(1 for r in rows if r["established"] == dt.date(2025, 12, 31)) >= 10
    assert sum(1 for r in rows if r["established"] == dt.date(2026, 1, 1)) >= 10
    for ending in ENDINGS:
        assert sum(1 for r in business_rows if r[8] == ending) >= 20
    assert any(d > dt.date(2026, 6, 30) for (_, y), d in filed.items() if y == YEAR)
    assert {y for _, y in filed} == {2023, 2024, 2025}

    rates_seen = set()
    for as_of in AS_OF:
        want = annual_script.annual_report_rate(rows, filed, YEAR, as_of)
        got = _figures(as_of)
        assert got["credit.annual_reports_due"] == want["due"]["全部"], as_of
        assert _same(got["credit.annual_report_rate"], want["rate"]["全部"]), as_of
        for kind in annual_script.TYPES:
            assert got[f"credit.annual_reports_due[{kind}]"] == want["due"][kind], (as_of, kind)
            assert _same(got[f"credit.annual_report_rate[{kind}]"], want["rate"][kind]), (as_of, kind)
            rates_seen.add(want["rate"][kind])
    assert len(rates_seen) > 6  # the dates give different rates, not one figure repeated
    # Another report year, as of a date in its own window.
    want = annual_script.annual_report_rate(rows, filed, 2024, dt.date(2025, 5, 20))
    got = _figures(dt.date(2025, 5, 20), 2024)
    for kind in annual_script.TYPES:
        assert _same(got[f"credit.annual_report_rate[{kind}]"], want["rate"][kind]), kind

    for on in PROPOSE_ON:
        path = tmp_path / f"拟列入{on}.xlsx"
        call_command("credit", "propose", "--year", str(YEAR), "--on", on.isoformat(), "--dry-run", "-o", str(path),
                     stdout=io.StringIO())
        sheet = [[c.value for c in r] for r in load_workbook(path).active.iter_rows()]
        assert sheet[0] == ["统一社会信用代码", "名称", "主体类型", "拟处理", "事由"]
        got = {(r[0], r[3]) for r in sheet[1:]}
        assert len(got) == len(sheet) - 1
        want = annual_script.proposals(rows, filed, YEAR, on)
        assert got == want, on
        assert {"列入", "标记"} == {a for _, a in want}
    assert AbnormalEntry.objects.count() == 0  # dry runs
