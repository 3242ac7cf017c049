"""An independent reckoning of a case ledger file (行政处罚案件台账), sharing no code with jianguan: it reads
the workbook with openpyxl (or a CSV), the working-day calendar straight from chinesecalendar, and
computes what the work summary must say about the cases of a period, and each row's decision deadline.

    python tests/cases/ledger_script.py 台账.xlsx 2026-01-01 2026-12-31

Figures for the period [start, end] (both days included), under the keys of the indicator registry:
- cases.filed[案件类别]: cases whose 立案日期 is in the period, by category;
- cases.penalty_amount: 罚没款 = 罚款金额 + 没收违法所得金额 of the decisions (决定日期) in the period, 元;
- cases.confiscated_value: 没收物品货值 of the decisions in the period, 元;
- cases.exempt[理由]: decisions in the period with a 不予处罚理由, by reason;
- cases.simple: 简易程序 decisions in the period;
- cases.decided: decisions in the period;
- cases.closed: cases whose 结案日期 is in the period.

The decision deadline (办案期限) of a row: 立案日期 + 90 days + 中止天数 (the filing day not counted); when
that day is not a working day, the next working day; 暂定 when any day looked at is in a year the
calendar package does not know (taken Monday to Friday).
"""

import datetime as dt
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import chinese_calendar

DECISION_DAYS = 90  # Order 2, art. 64: 90 days from filing; suspensions are not counted


try:
    from ..ledger_reading import _date, _text, read_rows  # noqa: F401  (imported by the tests)
except ImportError:  # run as a script: python tests/<app>/ledger_script.py …
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ledger_reading import _date, _text, read_rows  # noqa: F401

def _amount(text: str) -> Decimal:
    text = text.replace(",", "").removesuffix("元").strip()
    return Decimal(text) if text else Decimal("0")


def _workday(day: dt.date) -> tuple[bool, bool]:
    """(a working day?, a guess?) from the State Council's schedule as chinesecalendar carries it."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def decision_deadline(filed_on: dt.date, suspended_days: int) -> tuple[dt.date, bool]:
    """(办案期限, 暂定?)"""
    day = filed_on + dt.timedelta(days=DECISION_DAYS + suspended_days)
    working, provisional = _workday(day)
    while not working:
        day += dt.timedelta(days=1)
        working, guess = _workday(day)
        provisional |= guess
    return day, provisional


def deadlines(rows: list[dict]) -> dict[str, tuple[str, str]]:
    """案件编号 -> (办案期限 ISO, 正式 or 暂定)."""
    out = {}
    for row in rows:
        suspended = int(row.get("中止天数") or 0)
        due, provisional = decision_deadline(_date(row["立案日期"]), suspended)
        out[row["案件编号"]] = (due.isoformat(), "暂定" if provisional else "正式")
    return out


def figures(rows: list[dict], start: dt.date, end: dt.date) -> dict:
    """The period's figures under the indicator keys (money as Decimal, counts as int)."""
    def within(text: str) -> bool:
        day = _date(text)
        return day is not None and start <= day <= end

    filed = Counter(row["案件类别"] for row in rows if within(row["立案日期"]))
    decided = [row for row in rows if within(row.get("决定日期", ""))]
    exempt = Counter(row["不予处罚理由"] for row in decided if row.get("不予处罚理由"))
    out = {f"cases.filed[{category}]": n for category, n in sorted(filed.items())}
    out["cases.filed"] = sum(filed.values())
    out["cases.penalty_amount"] = sum((_amount(r.get("罚款金额", "")) + _amount(r.get("没收违法所得金额", "")) for r in decided),
                                      Decimal("0"))
    out["cases.confiscated_value"] = sum((_amount(r.get("没收物品货值", "")) for r in decided), Decimal("0"))
    out.update({f"cases.exempt[{reason}]": n for reason, n in sorted(exempt.items())})
    out["cases.exempt"] = sum(exempt.values())
    out["cases.simple"] = sum(1 for row in decided if row.get("程序类型") == "简易程序")
    out["cases.decided"] = len(decided)
    out["cases.closed"] = sum(1 for row in rows if within(row.get("结案日期", "")))
    return out


def main(argv: list[str]) -> None:
    path, start, end = argv[1], dt.date.fromisoformat(argv[2]), dt.date.fromisoformat(argv[3])
    rows = read_rows(path)
    result = {"figures": {k: str(v) if isinstance(v, Decimal) else v for k, v in figures(rows, start, end).items()},
              "deadlines": deadlines(rows)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv)
