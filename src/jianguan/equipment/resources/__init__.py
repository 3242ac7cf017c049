"""The special-equipment ledgers for the import/export engine: devices (特种设备台账, with their
latest periodic examination) and producer licences (特种设备生产单位).

Nothing is looked up per row. Parsers only validate a cell and note the credit codes and
registration codes they saw; the first clean_row() of each batch (the engine parses a whole batch
before checking any of its rows) resolves all of them at once: one query for the businesses by
USCC, one for the examinations already on file for the batch's devices. Catalogue entries,
subdistricts and the examination-cycle rules are loaded once per import.
"""


from jianguan.core.importing import register

from .common import EQUIPMENT_HEADERS, PRODUCER_HEADERS, NewOperator, entity_type_from_uscc
from .devices import EQUIPMENT_LEDGER, EquipmentLedger
from .producers import PRODUCER_LEDGER, ProducerLedger

__all__ = [
    "EQUIPMENT_HEADERS",
    "EQUIPMENT_LEDGER",
    "PRODUCER_HEADERS",
    "PRODUCER_LEDGER",
    "EquipmentLedger",
    "NewOperator",
    "ProducerLedger",
    "entity_type_from_uscc",
]

register(EQUIPMENT_LEDGER)
register(PRODUCER_LEDGER)
