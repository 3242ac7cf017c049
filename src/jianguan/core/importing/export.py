"""Export a ledger with the same headers its import reads, so export -> import round-trips."""

from __future__ import annotations

from pathlib import Path

from jianguan.core.exporting import write_table

from .ledger import Context, Ledger


def _as_text(rows):
    # Everything as text: codes like 370102001 must not become numbers.
    for row in rows:
        yield ["" if v is None else str(v) for v in row]


def run_export(ledger: Ledger, path: str | Path, *, actor=None) -> int:
    """Write every row the actor may see to path (.xlsx or .csv by extension); return the row count."""
    path = Path(path)
    ctx = Context(actor=actor)
    ledger.prepare(ctx)
    return write_table(path, ledger.headers, _as_text(ledger.export_rows(ctx)), title=ledger.label or ledger.name)
