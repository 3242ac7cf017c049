"""The one writer of every XLSX and CSV file the system produces: ledger exports, drill-down lists,
errors workbooks, report workbooks, public CSVs, on the web and on the command line.

A text that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
return) is written as text: in XLSX as a string cell holding exactly the text, in CSV behind an
apostrophe, the mark Excel itself uses for "this is text". Someone who types a complaint's
respondent as =HYPERLINK(...) must not get a live link into a staff member's workbook. Numbers,
dates and booleans are real values and stay so; the rule is about strings.

The CSV escape is undone on import (`csv_unescape`, used by the ledger reader), so that an export
round-trips unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell

TRIGGERS = frozenset("=+-@\t\r")
MAX_CELL_TEXT = 32_767  # Excel's own limit for one cell
SHEET_TITLE_MAX = 31  # Excel's own limit
CSV_ENCODING = "utf-8-sig"  # with BOM: Excel opens it without garbling the Chinese


# ---------------------------------------------------------------- single values


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet run this text (or show it as an error value) instead of showing it?"""
    return bool(text) and (text[0] in TRIGGERS or text in ERROR_CODES)


def xlsx_text(text: str) -> str:
    """The text an XLSX cell can hold: without the control characters the format forbids, and at
    most Excel's 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


def _csv_needs_quote(text: str) -> bool:
    # An apostrophe in front of an escaped text is escaped too, so that unescaping is exact.
    return bool(text) and (text[0] in TRIGGERS or (text[0] == "'" and _csv_needs_quote(text[1:])))


def csv_text(text: str) -> str:
    """A text as a CSV cell: behind an apostrophe when a spreadsheet would run it."""
    return "'" + text if _csv_needs_quote(text) else text


def csv_unescape(text: str) -> str:
    """The inverse of csv_text: the text an exported CSV cell stood for."""
    if text[:1] == "'" and _csv_needs_quote(text[1:]):
        return text[1:]
    return text


def _plain(value: Any) -> Any:
    """A value openpyxl can store: aware datetimes in local time, other objects as their text."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, str | int | float | Decimal | dt.date | dt.time | dt.timedelta):
        return value
    return str(value)


def _text_cell(cell: Cell) -> Cell:
    value = cell.value
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"  # text, never a formula
    return cell


def xlsx_cell(sheet, value: Any, *, font=None, fill=None, alignment=None, number_format: str | None = None) -> Cell:
    """A styled cell for a write-only sheet, its text made safe."""
    value = _plain(value)
    if isinstance(value, str):
        value = xlsx_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return _text_cell(cell)


def xlsx_row(sheet, values: Iterable[Any]) -> list:
    """A row for `sheet.append()` of a write-only sheet: plain values stay plain (they stream
    fastest), texts a spreadsheet would run become text cells, cells made by xlsx_cell pass."""
    row = list(values)
    for index, value in enumerate(row):
        if isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value) or len(value) > MAX_CELL_TEXT:
                value = row[index] = xlsx_text(value)
            if is_formula_like(value):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                row[index] = cell
        elif isinstance(value, Cell):
            _text_cell(value)
        else:
            row[index] = _plain(value)
    return row


def csv_row(values: Iterable[Any]) -> list:
    return ["" if v is None else csv_text(v) if isinstance(v, str) else v for v in values]


# ---------------------------------------------------------------- whole files


class CsvWriter:
    """csv.writer whose rows are escaped."""

    def __init__(self, stream: IO[str], **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(csv_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options) -> CsvWriter:
    return CsvWriter(stream, **options)


def csv_bytes(headers: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file (UTF-8 with BOM) in memory, for an HTTP response."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(CSV_ENCODING)


def new_workbook():
    """A write-only workbook (streams rows through a temporary file, whatever the row count)."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def sheet_title(text: str) -> str:
    forbidden = str.maketrans({ch: "_" for ch in "[]:*?/\\"})
    return (text.translate(forbidden).strip("'").strip() or "Sheet")[:SHEET_TITLE_MAX]


def write_table(
    dest: str | Path | IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Iterable[Any]],
    *,
    fmt: str | None = None,
    title: str = "Sheet",
) -> int:
    """One header row and the rows, to a path (.xlsx or .csv by its suffix) or a binary stream
    (fmt "xlsx" or "csv"); returns the number of rows written."""
    if fmt is None:
        fmt = Path(dest).suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"不支持的导出格式“{fmt}”，请使用 .xlsx 或 .csv")
    count = 0
    if fmt == "csv":
        if isinstance(dest, str | Path):
            stream = Path(dest).open("w", encoding=CSV_ENCODING, newline="")
        else:
            stream = io.TextIOWrapper(dest, encoding=CSV_ENCODING, newline="", write_through=True)
        try:
            writer = csv_writer(stream)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(row)
                count += 1
        finally:
            if isinstance(dest, str | Path):
                stream.close()
            else:
                stream.flush()
                stream.detach()  # the caller's stream stays open
        return count
    workbook = new_workbook()
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.append(xlsx_row(sheet, headers))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
        count += 1
    workbook.save(dest)
    return count
