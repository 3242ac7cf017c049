"""Panels of the pages that gather many apps: the one-stop business page (一户一档) and the to-do home (工作台).

Core and the business register know nothing of the apps above them; each app contributes in its own
``panels.py``::

    from jianguan.core.panels import Count, Row, BusinessPanel, Todo, register_business_panel, register_todo

    @register_business_panel("inspections.findings", order=30)
    def findings(actor, business, on) -> BusinessPanel | None: ...

    @register_todo("inspections.rechecks", order=10)
    def rechecks(actor, on, until) -> Todo | None: ...

    @register_figures("businesses.active", order=10)
    def active(actor) -> Figures: ...

A later module (cases, sampling, credit) adds its panels the same way, with no edit to the pages.

Every function receives the signed-in user and must scope what it counts with its own app's selectors
(a station sees its jurisdiction only). It must be cheap whatever the data size: counts in one grouped
query and the latest (or nearest) few rows in one more. ``None`` leaves the panel out (e.g. a role the
item does not concern).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse

from jianguan.org.choices import Role

from .errors import DomainError
from .models import ProvisionalDeadline
from .rules import rule_value

logger = logging.getLogger(__name__)

# The number of days ahead that counts as 即将到期 on the to-do home and in the lists it links to
# (a versioned rule, seeded by the businesses app's migration 0007).
DUE_SOON_RULE = "workbench.due_soon_days"
ROWS = 5  # the latest (or nearest) few rows a panel shows before linking to its full list


@dataclass(frozen=True)
class Count:
    """One figure with the list of exactly the records it counts (None: no list to open)."""

    label: str
    n: int
    url: str | None = None
    tone: str = ""  # "danger" (overdue), "warning" (due soon) or "" — a CSS badge class


@dataclass(frozen=True)
class Row:
    """One record shown in a panel: its title (linked), a short note and a date or state."""

    text: str
    url: str | None = None
    note: str = ""
    when: str = ""
    badge: str = ""
    tone: str = ""


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class BusinessPanel:
    title: str
    total: int
    unit: str
    counts: list[Count] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    more_url: str | None = None  # the full filtered list (with every detail), offered whenever there are records
    empty: str = "暂无记录。"
    actions: list[Link] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return bool(self.more_url) and self.total > len(self.rows)

    @property
    def show_list_link(self) -> bool:
        return bool(self.more_url) and self.total > 0


@dataclass(frozen=True)
class Todo:
    """A kind of work with deadlines: how many are overdue, how many fall due within the window,
    how many are open in all, each count linking to the list of exactly those records."""

    label: str
    unit: str
    overdue: Count
    due_soon: Count
    open: Count
    rows: list[Row] = field(default_factory=list)  # the nearest few deadlines
    hint: str = ""

    @property
    def counts(self) -> list[tuple[str, Count]]:
        return [("overdue", self.overdue), ("soon", self.due_soon), ("open", self.open)]


@dataclass(frozen=True)
class Figures:
    """A row of headline figures on the home page (the bureau's, for the leader), each linked."""

    title: str
    unit: str
    counts: list[Count]


@dataclass(frozen=True)
class _Entry:
    key: str
    order: int
    func: Callable[..., Any]
    visible: Callable[[Any], bool] | None = None


class Registry:
    """Functions registered by key, in order; the ``panels`` modules of the jianguan apps are imported
    on first use, so that core never imports an app above it."""

    _discovered = False
    _lock = threading.RLock()

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, _Entry] = {}

    def register(self, key: str, *, order: int = 100, visible: Callable[[Any], bool] | None = None) -> Callable:
        def decorator(func):
            existing = self._entries.get(key)
            if existing is not None and existing.func.__qualname__ != func.__qualname__:
                raise ValueError(f"{self.name} {key!r} is already registered by {existing.func.__module__}")
            self._entries[key] = _Entry(key=key, order=order, func=func, visible=visible)
            return func

        return decorator

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def entries(self, actor) -> list[_Entry]:
        discover()
        found = sorted(self._entries.values(), key=lambda e: (e.order, e.key))
        return [e for e in found if e.visible is None or e.visible(actor)]

    def collect(self, actor, *args) -> list[tuple[str, Any]]:
        """(key, result) of every entry the actor may see, in order; entries answering None are left out."""
        results = []
        for entry in self.entries(actor):
            result = entry.func(actor, *args)
            if result is not None:
                results.append((entry.key, result))
        return results


def discover() -> None:
    """Import ``<app>.panels`` of every installed jianguan app, once."""
    if Registry._discovered:
        return
    with Registry._lock:
        if Registry._discovered:
            return
        for config in apps.get_app_configs():
            if not config.name.startswith("jianguan."):
                continue
            module = f"{config.name}.panels"
            # A missing module is fine; an error inside an existing one must surface.
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        Registry._discovered = True


business_panels = Registry("business panel")
todos = Registry("to-do item")
figures = Registry("home figures")

register_business_panel = business_panels.register
register_todo = todos.register
register_figures = figures.register


def due_soon_window(on: dt.date) -> tuple[dt.date, str]:
    """The last day that counts as 即将到期 when today is `on` (today itself included), and what is wrong
    with the rule if it has no version in force: then only today counts, and the home page says why,
    rather than every page that gathers work failing."""
    try:
        return on + dt.timedelta(days=int(rule_value(DUE_SOON_RULE, on=on))), ""
    except DomainError as exc:
        if exc.code != "rule_missing":
            raise
        logger.warning("rule %s missing on %s: due-soon window is today only", DUE_SOON_RULE, on)
        return on, exc.message


def due_soon_until(on: dt.date) -> dt.date:
    return due_soon_window(on)[0]


def business_page_panels(*, actor, business, on: dt.date) -> list[tuple[str, BusinessPanel]]:
    return business_panels.collect(actor, business, on)


def todo_items(*, actor, on: dt.date, until: dt.date) -> list[tuple[str, Todo]]:
    return todos.collect(actor, on, until)


def home_figures(*, actor) -> list[tuple[str, Figures]]:
    return figures.collect(actor)


# ---------------------------------------------------------------- core's own to-do


def due_figures(qs, due_field: str, on: dt.date, until: dt.date) -> dict[str, int]:
    """One query for a to-do's three counts: all open items, those past `due_field`, and those due
    from `on` to `until`."""
    return qs.order_by().aggregate(
        open=Counted("id"),
        overdue=Counted("id", filter=Q(**{f"{due_field}__lt": on})),
        soon=Counted("id", filter=Q(**{f"{due_field}__gte": on, f"{due_field}__lte": until})),
    )


def _is_admin(actor) -> bool:
    return actor.role == Role.ADMIN or actor.is_superuser


@register_todo("core.provisional", order=90, visible=_is_admin)
def provisional_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Deadlines counted on plain weekdays because their year's calendar is missing: the administrator
    enters the calendar (then `jianguan calendar refresh`) before they fall due."""
    qs = ProvisionalDeadline.objects.filter(resolved_at__isnull=True)
    figures = due_figures(qs, "due", on, until)
    url = reverse("provisional_deadlines")
    return Todo(
        label="暂定期限待重算", unit="项", hint="所在年度尚无工作日历，请录入日历后重算",
        overdue=Count("已逾期", figures["overdue"], f"{url}?due=overdue", tone="danger"),
        due_soon=Count("即将到期", figures["soon"], f"{url}?due=soon", tone="warning"),
        open=Count("全部", figures["open"], url),
    )
