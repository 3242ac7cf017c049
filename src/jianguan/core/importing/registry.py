"""Where ledgers are found by name. Each app registers its own ledgers in its `resources` module
(`register(LEDGER)`), discovered on first use like the indicators, so that core knows no domain app
and a later module's ledger gets the import pages, the CLI and exports without an edit here."""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

from .ledger import Ledger

_LEDGERS: dict[str, Ledger] = {}
_DISCOVERED = False


def register(ledger: Ledger, name: str = "") -> Ledger:
    """Register a ledger under `name` (default: its own name); call from the app's resources module."""
    key = name or ledger.name
    if not key:
        raise ValueError(f"{type(ledger).__name__}: a ledger needs a name to be registered")
    _LEDGERS[key] = ledger
    return ledger


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    autodiscover_modules("resources")
    _DISCOVERED = True


def ledger_names() -> list[str]:
    _discover()
    return sorted(_LEDGERS)


def get_ledger(name: str) -> Ledger:
    _discover()
    try:
        return _LEDGERS[name]
    except KeyError:
        raise LookupError(f"没有名为“{name}”的台账，可用的有：{'、'.join(ledger_names())}") from None
