"""The case ledger (行政处罚案件台账) for the import/export engine: historical cases in, every case out.

- Import (`jianguan import cases FILE`, the web import page): the 18 columns of IMPORT_HEADERS, upsert
  by 案件编号, all or nothing. A row becomes a case marked `imported`, its status derived from its dates
  (结案日期 → 已结案, 决定日期 → 已决定, otherwise 已立案), its decision clock computed like
  services.filing.set_decision_due (90 days + 中止天数, moved off rest days, provisional in a year whose
  calendar is not known, and then registered for `jianguan calendar refresh`), the respondent linked to
  the registry when the USCC is registered (its subdistrict gives the station) and the officers linked
  by 执法证号 when they are users here (the numbers are kept as written either way).
  A case filed and handled in jianguan itself is never changed by a file: a row that differs from it
  is refused (its steps, documents and clocks are those of the workflow).
- Export (`jianguan export cases FILE`): the same columns plus EXPORT_EXTRA, so that export → import
  gives 未变 for every row.

Batches are validated and written in bulk: reference data is read once (categories, certificates, the
calendar, the scope), the businesses and decision numbers of a batch in one query each, each version of
a rule once; nothing is queried per row.

Modules: columns.py (headers, parsers, formatters), history.py (the import), export.py (the export).
"""

from jianguan.core.importing import register

from .columns import EXPORT_EXTRA, EXPORT_HEADERS, IMPORT_HEADERS
from .export import CaseLedger
from .history import CaseImportLedger

__all__ = ["CASE_LEDGER", "EXPORT_EXTRA", "EXPORT_HEADERS", "IMPORT_HEADERS", "CaseImportLedger", "CaseLedger"]

CASE_LEDGER = CaseLedger()

register(CASE_LEDGER)
