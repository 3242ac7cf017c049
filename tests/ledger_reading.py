"""Reading a ledger file the way a person checking it by hand would, sharing no code with jianguan: the rows
of a workbook (openpyxl) or a CSV as {header: cell text}, and the date spellings staff use. Shared by the
independent ledger scripts of the acceptance tests (tests/*/ledger_script.py)."""

import csv
import datetime as dt
from pathlib import Path

import openpyxl


def read_rows(path) -> list[dict]:
    """The ledger's rows as {header: cell text}: dates as ISO text, numbers as their text."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows)]
    out = []
    for values in rows:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        out.append({h: _text(v) for h, v in zip(headers, values, strict=False) if h})
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    for sep in ("-", "/", "."):
        if sep in text:
            year, month, day = text.split(sep)
            return dt.date(int(year), int(month), int(day))
    year, rest = text.split("年")
    month, rest = rest.split("月")
    return dt.date(int(year), int(month), int(rest.rstrip("日")))
