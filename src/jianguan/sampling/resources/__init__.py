"""The sample ledger (抽检样品台账) and the quick-test ledger (快检台账) for the import/export engine.

- Samples (`jianguan import samples FILE`, `jianguan export samples FILE`, the web import): the 17 columns
  of SAMPLE_HEADERS, upsert by 抽样单编号, all or nothing. A new row becomes a sample marked `imported`; a
  known number is updated (its result and its disposal arriving later). The sampled business is linked to
  the registry when its code is registered (its subdistrict, unless the row names one, gives the station);
  业态, 食品大类 and 所属街道 are names of the reference tables. The clocks (送达, 复检, 异议, 核查处置 …) and
  the disposal status are computed by the services' set_clocks on the rules in force, one calendar for the
  file; 处置完成日期 records the disposal as the ledger says (services/ledger.py). A sample recorded or
  carried on in jianguan may only receive its result (while 待检验) and its disposal completion from a file.
  The export adds SAMPLE_EXPORT_EXTRA (送达期限, 处置期限, 期限性质, 处置状态); export → import gives 未变.
- Quick tests (`jianguan import quicktests FILE`, `jianguan export quicktests FILE`): QUICKTEST_HEADERS,
  keyed by (检测日期, 检测地点, 统一社会信用代码, 样品名称, 检测项目), so a re-import updates a result and
  never doubles a test.

Reference data is read once per file (reference tables, subdistricts, scope, the rules' first versions,
the calendar); the businesses and the items on file of a batch in one query each; nothing per row.

Modules: columns.py (headers, parsers, formatters), samples.py, quicktests.py; the writes are the
services in services/ledger.py.
"""

from jianguan.core.importing import register

from .columns import QUICKTEST_HEADERS, SAMPLE_EXPORT_EXTRA, SAMPLE_EXPORT_HEADERS, SAMPLE_HEADERS
from .quicktests import QuickTestLedger
from .samples import SampleImportLedger, SampleLedger

__all__ = [
    "QUICKTEST_HEADERS",
    "QUICKTEST_LEDGER",
    "SAMPLE_EXPORT_EXTRA",
    "SAMPLE_EXPORT_HEADERS",
    "SAMPLE_HEADERS",
    "SAMPLE_LEDGER",
    "QuickTestLedger",
    "SampleImportLedger",
    "SampleLedger",
]

SAMPLE_LEDGER = SampleLedger()
QUICKTEST_LEDGER = QuickTestLedger()

register(SAMPLE_LEDGER)
register(QUICKTEST_LEDGER)
