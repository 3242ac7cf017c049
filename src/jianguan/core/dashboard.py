"""Dashboard panels: the charts on the home page, contributed by every app.

An app declares its panels in its own ``dashboard.py``::

    from jianguan.core.dashboard import register_panel

    @register_panel("businesses.by_type", "存续市场主体（按主体类型）", order=10)
    def active_by_type(actor) -> dict:
        return {"type": "pie", "categories": [...], "series": [{"name": "户数", "data": [...]}], "unit": "户"}

A panel function takes the signed-in user and returns an ECharts-friendly dict:

- ``type``: ``"bar"``, ``"pie"`` or ``"line"``;
- ``categories``: the labels (x axis, or the slices of a pie), Chinese;
- ``series``: ``[{"name": 中文名, "data": [number per category]}]`` (a pie uses the first series);
- ``unit``: the unit shown in tooltips and on the value axis (户, 家, 台, 起, 件, …);
- optional ``subtitle`` (one Chinese line under the title), ``links`` (one URL per category, or
  ``None``: a click on that bar or slice opens the records counted) and ``title`` (overrides the
  registered title, e.g. when the grouping depends on the actor's role).

Each panel must be answered by one or two set-based queries, scoped to the actor's jurisdiction,
whatever the data size. Core never imports another app at module import time: the ``<app>.dashboard``
modules of the installed ``jianguan.*`` apps are imported on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

CHART_TYPES = ("bar", "pie", "line")

PanelFunction = Callable[[Any], dict]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    order: int
    func: PanelFunction
    wide: bool = False  # spans the whole row (time series)
    visible: Callable[[Any], bool] | None = None  # None: every signed-in user

    def is_visible(self, actor) -> bool:
        return self.visible is None or bool(self.visible(actor))

    def data(self, actor) -> dict:
        raw = self.func(actor)
        validate_panel_data(self.key, raw)
        return {
            "key": self.key,
            "title": raw.get("title") or self.title,
            "wide": self.wide,
            "type": raw["type"],
            "categories": [str(c) for c in raw["categories"]],
            "series": [
                {"name": s["name"], "data": list(s["data"]), **({"color": s["color"]} if s.get("color") else {})}
                for s in raw["series"]
            ],
            "stack": bool(raw.get("stack")),
            "unit": raw.get("unit", ""),
            "subtitle": raw.get("subtitle", ""),
            "links": list(raw["links"]) if raw.get("links") else None,
        }


def validate_panel_data(key: str, data: dict) -> None:
    """A panel function's result must have the agreed shape; a mistake is a programming error."""
    if data.get("type") not in CHART_TYPES:
        raise ValueError(f"panel {key}: type must be one of {CHART_TYPES}, not {data.get('type')!r}")
    categories = data.get("categories")
    if not isinstance(categories, list | tuple):
        raise ValueError(f"panel {key}: categories must be a list")
    series = data.get("series")
    if not isinstance(series, list | tuple) or not series:
        raise ValueError(f"panel {key}: series must be a non-empty list")
    for s in series:
        if "name" not in s or len(s.get("data", ())) != len(categories):
            raise ValueError(f"panel {key}: every series needs a name and one value per category")
    links = data.get("links")
    if links is not None and len(links) != len(categories):
        raise ValueError(f"panel {key}: links must have one entry per category")


class PanelRegistry:
    def __init__(self, module_name: str = "dashboard"):
        self.module_name = module_name
        self._panels: dict[str, Panel] = {}
        self._discovered = False
        self._lock = threading.RLock()

    def register(
        self,
        key: str,
        title: str,
        *,
        order: int = 100,
        wide: bool = False,
        visible: Callable[[Any], bool] | None = None,
    ) -> Callable[[PanelFunction], PanelFunction]:
        """Decorator: register ``func(actor) -> dict`` as the panel ``key``."""

        def decorator(func: PanelFunction) -> PanelFunction:
            with self._lock:
                existing = self._panels.get(key)
                if existing is not None and existing.func.__qualname__ != func.__qualname__:
                    raise ValueError(f"dashboard panel {key!r} is already registered by {existing.func.__module__}")
                self._panels[key] = Panel(key=key, title=title, order=order, func=func, wide=wide, visible=visible)
            return func

        return decorator

    def unregister(self, key: str) -> None:
        with self._lock:
            self._panels.pop(key, None)

    def discover(self) -> None:
        """Import ``<app>.dashboard`` of every installed jianguan app, once."""
        if self._discovered:
            return
        with self._lock:
            if self._discovered:
                return
            for config in apps.get_app_configs():
                if not config.name.startswith("jianguan."):
                    continue
                module = f"{config.name}.{self.module_name}"
                # A missing module is fine; an error inside an existing one must surface.
                if importlib.util.find_spec(module) is not None:
                    importlib.import_module(module)
            self._discovered = True

    def panels(self, actor=None) -> list[Panel]:
        self.discover()
        found = sorted(self._panels.values(), key=lambda p: (p.order, p.key))
        if actor is not None:
            found = [p for p in found if p.is_visible(actor)]
        return found

    def get(self, key: str) -> Panel:
        self.discover()
        return self._panels[key]

    def data(self, actor) -> list[dict]:
        """Every panel the actor may see, computed, in display order."""
        return [panel.data(actor) for panel in self.panels(actor)]


registry = PanelRegistry()
register_panel = registry.register


def dashboard_panels(*, actor) -> list[dict]:
    return registry.data(actor)
