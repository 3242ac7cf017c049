"""An independent count of inspections by 主体业态 and of inspected subjects by 许可种类 (issue 16's acceptance).

Reads, with openpyxl only (no Django, nothing of jianguan):

- a licence ledger: .xlsx, first sheet, headers exactly 许可证编号, 许可种类, 统一社会信用代码, 主体名称, 主体业态,
  经营项目, 发证日期, 有效期至, 状态 — optionally followed by 注销（吊销）日期, the day a 注销 or 吊销 took effect
  (the import format has no such column; without it a 注销/吊销 licence counts as held on no day);
- an inspection history: .xlsx (first sheet) or .csv (UTF-8), headers 统一社会信用代码, 检查日期, one row per
  inspection that counts (completed, by the bureau).

A subject holds a licence on day D when 发证日期 is empty or on/before D, 有效期至 is empty or on/after D, and it was
not 注销/吊销 on or before D. For the inspections dated within [start, end]:

- by_sector[业态]: inspections whose subject held, that day, a licence of that 业态 — an inspection counts once
  under each 业态 its subject's licences name, once only if two licences name the same; `total`: inspections
  whose subject held a licence naming a 业态, each once;
- businesses_by_kind[许可种类]: distinct subjects inspected on a day they held a licence of that kind;
  `businesses_total`: distinct subjects inspected on a day they held any licence.

    python sector_script.py LICENCES.xlsx INSPECTIONS.xlsx|.csv --start 2025-01-01 --end 2025-12-31

prints the counts as JSON.
"""

import argparse
import csv
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook

LICENCE_HEADERS = ["许可证编号", "许可种类", "统一社会信用代码", "主体名称", "主体业态", "经营项目", "发证日期", "有效期至", "状态"]
END_DATE_HEADER = "注销（吊销）日期"
ENDED = {"注销", "吊销"}
INSPECTION_HEADERS = ["统一社会信用代码", "检查日期"]


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _rows(path: Path) -> list[list]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [row for row in csv.reader(f)]
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_licences(path: Path) -> dict[str, list[dict]]:
    """Licences by 统一社会信用代码."""
    rows = _rows(path)
    headers = [_text(h) for h in rows[0]]
    if headers[: len(LICENCE_HEADERS)] != LICENCE_HEADERS:
        raise SystemExit(f"{path}: the headers must be {'、'.join(LICENCE_HEADERS)}, found {'、'.join(headers)}")
    has_end = END_DATE_HEADER in headers[len(LICENCE_HEADERS):]
    end_at = headers.index(END_DATE_HEADER) if has_end else None
    by_holder = defaultdict(list)
    for row in rows[1:]:
        if not any(_text(v) for v in row):
            continue
        cell = dict(zip(headers, row, strict=False))
        status = _text(cell["状态"])
        ended_on = _date(row[end_at]) if has_end and end_at < len(row) else None
        by_holder[_text(cell["统一社会信用代码"]).upper()].append({
            "kind": _text(cell["许可种类"]),
            "sector": _text(cell["主体业态"]),
            "issued_on": _date(cell["发证日期"]),
            "valid_until": _date(cell["有效期至"]),
            "ended": status in ENDED,
            "ended_on": ended_on,
        })
    return by_holder


def held_on(licence: dict, day: dt.date) -> bool:
    if licence["issued_on"] is not None and licence["issued_on"] > day:
        return False
    if licence["valid_until"] is not None and licence["valid_until"] < day:
        return False
    if licence["ended"]:
        return licence["ended_on"] is not None and licence["ended_on"] > day
    return True


def read_inspections(path: Path) -> list[tuple[str, dt.date]]:
    rows = _rows(path)
    headers = [_text(h) for h in rows[0]]
    if headers[:2] != INSPECTION_HEADERS:
        raise SystemExit(f"{path}: the headers must be {'、'.join(INSPECTION_HEADERS)}")
    return [(_text(r[0]).upper(), _date(r[1])) for r in rows[1:] if r and _text(r[0])]


def count(licences: dict[str, list[dict]], inspections: list[tuple[str, dt.date]], start: dt.date, end: dt.date) -> dict:
    by_sector: dict[str, int] = defaultdict(int)
    kind_holders: dict[str, set] = defaultdict(set)
    total, holders = 0, set()
    for uscc, day in inspections:
        if not (start <= day <= end):
            continue
        held = [lic for lic in licences.get(uscc, []) if held_on(lic, day)]
        sectors = {lic["sector"] for lic in held if lic["sector"]}
        for sector in sectors:
            by_sector[sector] += 1
        total += bool(sectors)
        for lic in held:
            kind_holders[lic["kind"]].add(uscc)
        if held:
            holders.add(uscc)
    return {
        "by_sector": dict(sorted(by_sector.items())),
        "total": total,
        "businesses_by_kind": {k: len(v) for k, v in sorted(kind_holders.items())},
        "businesses_total": len(holders),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("licences", type=Path)
    parser.add_argument("inspections", type=Path)
    parser.add_argument("--start", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--end", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    result = count(read_licences(args.licences), read_inspections(args.inspections), args.start, args.end)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
