"""The inspections ledgers for the import/export engine.

- `inspections`: exported as 监督检查台账 (one row per inspection); imported from the historical
  inspection file (日期, 检查类型, 统一社会信用代码 …), whose ledger the import command gets from
  `INSPECTION_LEDGER.for_run()`. Code that imports directly uses `HISTORY_LEDGER`.
- `findings`: exported as 隐患问题台账; findings are imported with their inspections.
"""

from jianguan.core.importing import register

from .exports import (
    FINDING_EXPORT_HEADERS,
    FINDING_LEDGER,
    INSPECTION_EXPORT_HEADERS,
    INSPECTION_LEDGER,
    FindingLedger,
    InspectionLedger,
)
from .history import HISTORY_HEADERS, HISTORY_LEDGER, HistoryLedger

__all__ = [
    "FINDING_EXPORT_HEADERS",
    "FINDING_LEDGER",
    "HISTORY_HEADERS",
    "HISTORY_LEDGER",
    "INSPECTION_EXPORT_HEADERS",
    "INSPECTION_LEDGER",
    "FindingLedger",
    "HistoryLedger",
    "InspectionLedger",
]

register(INSPECTION_LEDGER)
register(FINDING_LEDGER)
