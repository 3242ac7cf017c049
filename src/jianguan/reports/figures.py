"""The values a template sees: numbers that know their indicator, unit, parts and drill-down link."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from jianguan.core.indicators import Indicator, dimension_key

# What a template may ask of a figure, besides printing it.
FIGURE_ATTRS = frozenset({"value", "label", "name", "unit", "key", "parts", "nonzero_parts", "definition", "ten_thousand"})
# `.ten_thousand`: the value in 万 with two decimals, as reports write money (罚没款12.35万元).
WAN = 10000


def format_number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class Figure:
    def __init__(self, indicator: Indicator, values: dict, link: Callable | None, part: str | None = None, scale: int = 1):
        self._indicator = indicator
        self._values = values
        self._link = link
        self._part = part
        self._scale = scale
        self.key = dimension_key(indicator.key, part) if part else indicator.key
        self.value = values.get(self.key)
        self.unit = indicator.unit
        if scale != 1:
            if self.value is not None:
                self.value = (Decimal(self.value) / scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            self.unit = f"万{indicator.unit}"
        self.definition = indicator.definition
        self.label = part or indicator.label
        self.name = indicator.dimension.name_of(part) if part and indicator.dimension else self.label

    @property
    def parts(self) -> list["Figure"]:
        if self._part or not self._indicator.dimension:
            return []
        return [Figure(self._indicator, self._values, self._link, label, self._scale) for _, label in self._indicator.dimension.pairs()]

    @property
    def nonzero_parts(self) -> list["Figure"]:
        return [p for p in self.parts if p.value]

    def __getitem__(self, label: str) -> "Figure":
        if self._part or not self._indicator.dimension or label not in dict(self._indicator.dimension.pairs()).values():
            raise KeyError(label)
        return Figure(self._indicator, self._values, self._link, label, self._scale)

    @property
    def ten_thousand(self) -> "Figure":
        """The same figure in 万 (万元), two decimals; in a page it still links to its records, and
        `data-scale` tells what its number was divided by."""
        return Figure(self._indicator, self._values, self._link, self._part, WAN)

    def __str__(self) -> str:
        return format_number(self.value)

    def __html__(self) -> str:
        text = escape(format_number(self.value))
        if self._link is None:
            return str(text)
        href = escape(self._link(self._indicator.key, self._part))
        title = escape(f"{self._indicator.label}{'（' + self.name + '）' if self._part else ''}：{self.definition}")
        if self._scale != 1:
            full = format_number(self._values.get(self.key))
            return str(Markup(f'<a class="figure" href="{href}" data-key="{escape(self.key)}" data-scale="{self._scale}" '
                              f'title="{escape(full)}{escape(self._indicator.unit)}。{title}">{text}</a>'))
        return str(Markup(f'<a class="figure" href="{href}" data-key="{escape(self.key)}" title="{title}">{text}</a>'))

    def __bool__(self) -> bool:
        return bool(self.value)

    def _num(self):
        return self.value or 0

    def __eq__(self, other):
        return self._num() == (other._num() if isinstance(other, Figure) else other)

    def __lt__(self, other):
        return self._num() < (other._num() if isinstance(other, Figure) else other)

    def __gt__(self, other):
        return self._num() > (other._num() if isinstance(other, Figure) else other)

    def __le__(self, other):
        return not self > other

    def __ge__(self, other):
        return not self < other

    __hash__ = object.__hash__


class Namespace(dict):
    """`businesses.active` in a template: dotted keys as nested attribute lookups."""


def build_namespace(indicators: list[Indicator], values: dict, link: Callable | None) -> Namespace:
    root = Namespace()
    for ind in indicators:
        *path, last = ind.key.split(".")
        node = root
        for part in path:
            node = node.setdefault(part, Namespace())
        node[last] = Figure(ind, values, link)
    return root
