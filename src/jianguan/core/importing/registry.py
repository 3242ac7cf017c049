"""Where ledgers are found by name. Core never imports a domain app at import time: each ledger
is a lazy "module:attribute" string resolved on first use."""

from __future__ import annotations

from importlib import import_module

from .ledger import Ledger

_LEDGERS: dict[str, str] = {
    "businesses": "jianguan.businesses.resources:BUSINESS_LEDGER",
    "complaints": "jianguan.complaints.resources:COMPLAINT_LEDGER",
    "equipment": "jianguan.equipment.resources:EQUIPMENT_LEDGER",
    "findings": "jianguan.inspections.resources:FINDING_LEDGER",
    "inspections": "jianguan.inspections.resources:INSPECTION_LEDGER",
    "producers": "jianguan.equipment.resources:PRODUCER_LEDGER",
    "subdistricts": "jianguan.org.resources:SUBDISTRICT_LEDGER",
}


def register(name: str, target: str) -> None:
    """Register a ledger as "package.module:ATTRIBUTE" (call from the app's resources or apps)."""
    _LEDGERS[name] = target


def ledger_names() -> list[str]:
    return sorted(_LEDGERS)


def get_ledger(name: str) -> Ledger:
    try:
        target = _LEDGERS[name]
    except KeyError:
        raise LookupError(f"没有名为“{name}”的台账，可用的有：{'、'.join(ledger_names())}") from None
    module_name, _, attribute = target.partition(":")
    return getattr(import_module(module_name), attribute)
