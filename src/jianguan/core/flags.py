"""Business flags: short warnings shown beside a business's name wherever it appears (the register's list and
page, a case, an inspection, a sample) — 经营异常, 严重违法失信 …

Core and the register know nothing of the apps that know why a business is flagged; such an app registers a
function in its ``panels.py`` (discovered with the panels, see jianguan.core.panels)::

    from jianguan.core.flags import Flag, register_business_flags

    @register_business_flags("credit.lists", order=10)
    def credit_flags(ids: set[int], on: dt.date) -> dict[int, list[Flag]]: ...

Each function answers for a whole page of businesses in ONE query (or a small fixed number), never one per
business: a list page passes every id it shows at once. Templates use the ``flags`` tag library::

    {% load flags %}
    {% business_flags page.rows as flags %}                  {# once per page: objects, or ids, or key="business_id" #}
    {{ b.name }}{% flag_badges flags b.pk %}                 {# per row, no query #}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from .panels import Registry


@dataclass(frozen=True)
class Flag:
    """One warning: the short label beside the name, a CSS badge tone, and a longer title (the hover text)."""

    label: str
    tone: str = "danger"
    title: str = ""

    def __str__(self) -> str:
        return self.label


FlagFunction = Callable[[set[int], dt.date], dict[int, list[Flag]]]
flag_sources = Registry("business flags")


def register_business_flags(key: str, *, order: int = 100) -> Callable[[FlagFunction], FlagFunction]:
    return flag_sources.register(key, order=order)


def business_flags(ids: Iterable[int | None], on: dt.date | None = None) -> dict[int, list[Flag]]:
    """{business id: [Flag, …]} for the businesses among `ids` that have any flag on `on` (today), in the order
    the sources were registered; a business without flags is absent. None ids (an unregistered party) are
    ignored."""
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return {}
    on = on or timezone.localdate()
    found: dict[int, list[Flag]] = {}
    # Flags concern every viewer alike (they are what the public lists show), so no actor filters the sources.
    for entry in flag_sources.entries(None):
        for pk, flags in (entry.func(wanted, on) or {}).items():
            if flags and pk in wanted:
                found.setdefault(pk, []).extend(flags)
    return found


def flag_labels(ids: Iterable[int | None], on: dt.date | None = None) -> dict[int, list[str]]:
    """`business_flags` as plain labels, for exports and JSON."""
    return {pk: [f.label for f in flags] for pk, flags in business_flags(ids, on).items()}
