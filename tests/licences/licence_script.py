"""An independent reckoning of the licence register's figures from a licence file with the headers
许可证编号, 许可种类, 统一社会信用代码, 主体名称, 主体业态, 经营项目, 发证日期, 有效期至, 状态 — openpyxl and the
standard library only, no jianguan code, so that the acceptance test compares jianguan with a second reading of
the definition (issue 16):

- a licence is valid on day D when its 发证日期 is empty or on or before D, its 有效期至 is empty or on or after D,
  and it is not 注销 or 吊销 by D. The file carries no date of a 注销 or 吊销: it takes effect on the day the file
  is read in (`ended_on`), so before that day such a licence counts as in force if its term does;
- 过期 says nothing the dates do not say: in force is by the dates;
- counted by 许可种类 and by 主体业态 as written in the file (an empty 业态 counts in the total only);
- issued in a period: 发证日期 within it, whatever happened since.
"""

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import openpyxl

HEADERS = ("许可证编号", "许可种类", "统一社会信用代码", "主体名称", "主体业态", "经营项目", "发证日期", "有效期至", "状态")
ENDED = ("注销", "吊销")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def as_date(value):
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    y, m, d = (int(x) for x in _DATE.match(str(value).strip()).groups())
    return dt.date(y, m, d)


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def read(path) -> list[dict]:
    """The rows of an .xlsx or a UTF-8 .csv, keyed by header."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    else:
        sheet = openpyxl.load_workbook(path, read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    headers = [_cell(h) for h in rows[0]]
    missing = [h for h in HEADERS if h not in headers]
    if missing:
        raise ValueError(f"missing headers: {missing}")
    out = []
    for r in rows[1:]:
        if all(_cell(c) == "" for c in r):
            continue
        row = dict(zip(headers, r, strict=False))
        out.append({
            "number": _cell(row["许可证编号"]).upper(), "kind": _cell(row["许可种类"]), "sector": _cell(row["主体业态"]),
            "issued": as_date(row["发证日期"]), "until": as_date(row["有效期至"]), "status": _cell(row["状态"]) or "有效",
        })
    return out


def valid_on(row: dict, on: dt.date, ended_on: dt.date) -> bool:
    if row["issued"] is not None and row["issued"] > on:
        return False
    if row["until"] is not None and row["until"] < on:
        return False
    return not (row["status"] in ENDED and ended_on <= on)


def valid_counts(rows: list[dict], on: dt.date, ended_on: dt.date) -> dict:
    """{"total": n, "kind": {许可种类: n}, "sector": {主体业态: n}} of the licences valid on `on`."""
    valid = [r for r in rows if valid_on(r, on, ended_on)]
    return {"total": len(valid), "kind": dict(Counter(r["kind"] for r in valid)),
            "sector": dict(Counter(r["sector"] for r in valid if r["sector"]))}


def issued_counts(rows: list[dict], start: dt.date, end: dt.date) -> dict:
    issued = [r for r in rows if r["issued"] is not None and start <= r["issued"] <= end]
    return {"total": len(issued), "kind": dict(Counter(r["kind"] for r in issued))}


def expiring(rows: list[dict], on: dt.date, days: int, ended_on: dt.date) -> int:
    last = on + dt.timedelta(days=days)
    return sum(1 for r in rows if valid_on(r, on, ended_on) and r["until"] is not None and on <= r["until"] <= last)


if __name__ == "__main__":
    import sys

    data = read(sys.argv[1])
    day = dt.date.fromisoformat(sys.argv[2]) if len(sys.argv) > 2 else dt.date.today()
    print(valid_counts(data, day, dt.date.today()))
