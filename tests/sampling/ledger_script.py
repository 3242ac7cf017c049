"""An independent reckoning of a sample ledger file (抽检样品台账), sharing no code with jianguan: it reads the
workbook with openpyxl (or a CSV), the working-day calendar straight from chinesecalendar, and computes what
the work summary must say about the samples of a period.

    python tests/sampling/ledger_script.py 抽检台账.xlsx 2026-01-01 2026-12-31 [人口]

Figures for the period [start, end] (both days included), under the keys of the indicator registry:
- sampling.batches[业态], sampling.batches_by_category[食品大类]: samples whose 抽样日期 is in the period, every
  抽检类型 and whether or not the result is in;
- sampling.qualified, sampling.unqualified, sampling.judged: of those, the 监督抽检 and 评价性抽检 with the
  conclusion 合格, 不合格, or either (风险监测 makes no 合格 judgement and is left out);
- sampling.pass_rate[业态], sampling.pass_rate_by_category[食品大类]: 合格 ÷ (合格 + 不合格) × 100, two decimals
  rounded half up; None when nothing was judged;
- sampling.disposal_required: 不合格 samples whose 报告日期 is in the period; sampling.disposed_in_time: those
  whose 处置完成日期 is not after their disposal deadline; sampling.disposal_rate: the second ÷ the first × 100;
- sampling.per_thousand: batches ÷ population × 1000, two decimals (when a population is given).

The disposal deadline of a row: 报告日期 + 90 days (the report day not counted); when that day is not a
working day, the next working day (a year the calendar package does not know is taken Monday to Friday).
"""

import datetime as dt
import json
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import chinese_calendar

DISPOSAL_DAYS = 90  # SAMR Order 15: 核查处置 within 90 days of the unqualified report
JUDGED_TYPES = ("监督抽检", "评价性抽检")


try:
    from ..ledger_reading import _date, _text, read_rows  # noqa: F401  (imported by the tests)
except ImportError:  # run as a script: python tests/<app>/ledger_script.py …
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ledger_reading import _date, _text, read_rows  # noqa: F401

def _workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def disposal_deadline(report_on: dt.date) -> dt.date:
    day = report_on + dt.timedelta(days=DISPOSAL_DAYS)
    while not _workday(day):
        day += dt.timedelta(days=1)
    return day


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _type(row: dict) -> str:
    return row.get("抽检类型") or "监督抽检"  # an empty cell is 监督抽检


def figures(rows: list[dict], start: dt.date, end: dt.date, population: int | None = None) -> dict:
    """The period's figures under the indicator keys (counts as int, rates as Decimal or None)."""

    def within(text: str) -> bool:
        day = _date(text)
        return day is not None and start <= day <= end

    sampled = [row for row in rows if within(row["抽样日期"])]
    judged = [row for row in sampled if _type(row) in JUDGED_TYPES and row.get("检验结论") in ("合格", "不合格")]
    out: dict = {"sampling.batches": len(sampled), "sampling.judged": len(judged)}
    out["sampling.qualified"] = sum(1 for row in judged if row["检验结论"] == "合格")
    out["sampling.unqualified"] = len(judged) - out["sampling.qualified"]
    out["sampling.pass_rate"] = _rate(out["sampling.qualified"], len(judged))
    out["sampling.pass_rate_by_category"] = out["sampling.pass_rate"]
    for column, batches, rate in (("业态", "sampling.batches", "sampling.pass_rate"),
                                  ("食品大类", "sampling.batches_by_category", "sampling.pass_rate_by_category")):
        out.update({f"{batches}[{part}]": n for part, n in sorted(Counter(row[column] for row in sampled).items())})
        whole = Counter(row[column] for row in judged)
        good = Counter(row[column] for row in judged if row["检验结论"] == "合格")
        out.update({f"{rate}[{part}]": _rate(good[part], n) for part, n in sorted(whole.items())})
    out["sampling.batches_by_category"] = len(sampled)

    reported = [row for row in rows if row.get("检验结论") == "不合格" and within(row.get("报告日期", ""))]
    in_time = [row for row in reported
               if row.get("处置完成日期") and _date(row["处置完成日期"]) <= disposal_deadline(_date(row["报告日期"]))]
    out["sampling.disposal_required"] = len(reported)
    out["sampling.disposed_in_time"] = len(in_time)
    out["sampling.disposal_rate"] = _rate(len(in_time), len(reported))
    if population:
        out["sampling.per_thousand"] = (Decimal(len(sampled)) * 1000 / population).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
    return out


def main(argv: list[str]) -> None:
    path, start, end = argv[1], dt.date.fromisoformat(argv[2]), dt.date.fromisoformat(argv[3])
    population = int(argv[4]) if len(argv) > 4 else None
    result = figures(read_rows(path), start, end, population)
    print(json.dumps({k: str(v) if isinstance(v, Decimal) else v for k, v in result.items()}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv)
