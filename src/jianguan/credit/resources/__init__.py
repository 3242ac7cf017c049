"""Import and export of credit ledgers (registered with core's import registry on discovery).

- `annual_reports` (年度报告): 统一社会信用代码, 年度, 报送日期; upsert by (business, year); see annual.py."""

from jianguan.core.importing import register

from .annual import HEADERS as ANNUAL_REPORT_HEADERS
from .annual import AnnualReportLedger

__all__ = ["ANNUAL_REPORT_HEADERS", "ANNUAL_REPORT_LEDGER", "AnnualReportLedger"]

ANNUAL_REPORT_LEDGER = AnnualReportLedger()

register(ANNUAL_REPORT_LEDGER)
