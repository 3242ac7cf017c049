"""The one import/export engine of every ledger: Chinese headers, xlsx and csv (UTF-8 or GBK),
batched validation and upsert by natural key, dry run, all or nothing, an errors.xlsx report.
See docs/adr/0001-batched-import-engine.md for why it is not django-import-export."""

from .columns import CellError, Column, choice, format_date, parse_date, text
from .engine import ImportResult, RowError, run_import
from .export import run_export
from .ledger import Context, Ledger, url_if_routed
from .progress import terminal_progress
from .readers import FileRejected, open_table
from .registry import get_ledger, ledger_names, register
from .report import REASON_HEADER, errors_path, summary_lines, write_error_report

__all__ = [
    "REASON_HEADER",
    "CellError",
    "Column",
    "Context",
    "FileRejected",
    "ImportResult",
    "Ledger",
    "RowError",
    "choice",
    "errors_path",
    "format_date",
    "get_ledger",
    "ledger_names",
    "open_table",
    "parse_date",
    "register",
    "run_export",
    "run_import",
    "summary_lines",
    "terminal_progress",
    "text",
    "url_if_routed",
    "write_error_report",
]
