"""Export a ledger with the same headers its import reads, so export -> import round-trips."""

from __future__ import annotations

import csv
from pathlib import Path

from .ledger import Context, Ledger


def run_export(ledger: Ledger, path: str | Path, *, actor=None) -> int:
    """Write every row the actor may see to path (.xlsx or .csv by extension); return the row count."""
    path = Path(path)
    ctx = Context(actor=actor)
    ledger.prepare(ctx)
    rows = ledger.export_rows(ctx)
    count = 0
    suffix = path.suffix.lower()
    if suffix == ".csv":
        # UTF-8 with BOM: Excel opens it without garbling the Chinese, and our reader accepts it.
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(ledger.headers)
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    if suffix != ".xlsx":
        raise ValueError(f"不支持的导出格式“{suffix}”，请使用 .xlsx 或 .csv")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ledger.label or ledger.name)
    sheet.append(ledger.headers)
    for row in rows:
        # Everything as text: codes like 370102001 must not become numbers.
        sheet.append(["" if v is None else str(v) for v in row])
        count += 1
    workbook.save(path)
    return count
