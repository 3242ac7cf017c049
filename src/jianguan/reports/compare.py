"""Two reports' figures side by side: each indicator's two values and their difference.

Pure functions over value dicts (`{KEY or KEY[维度值]: number}`), as kept in snapshots (numbers
as strings) or computed by the engine (int / Decimal). No database.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


@dataclass(frozen=True)
class Row:
    key: str
    base: Decimal | None  # the earlier / reference report (a)
    current: Decimal | None  # the report compared with it (b)
    diff: Decimal | None  # current - base
    pct: Decimal | None  # diff / base × 100, two decimals; None when base is 0 or missing
    is_part: bool

    @property
    def changed(self) -> bool:
        return self.base != self.current

    @property
    def direction(self) -> str:
        if self.diff is None or self.diff == 0:
            return "same" if not self.changed else "changed"
        return "up" if self.diff > 0 else "down"

    @property
    def indicator_key(self) -> str:
        return self.key.split("[", 1)[0]

    @property
    def part(self) -> str:
        return self.key[len(self.indicator_key) + 1 : -1] if self.is_part else ""


def to_number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def compare_values(base: dict, current: dict, order: list[str] | None = None) -> list[Row]:
    """One row per key of either dict: indicators in key order, each total before its parts; the parts
    in the order given (e.g. the dimension's report order), else as they come."""
    keys = list(dict.fromkeys([*(order or []), *base, *current]))
    keys = [k for k in keys if k in base or k in current]
    position = {k: i for i, k in enumerate(keys)}
    rows = []
    for key in sorted(keys, key=lambda k: (k.partition("[")[0], "[" in k, position[k])):
        a, b = to_number(base.get(key)), to_number(current.get(key))
        diff = b - a if a is not None and b is not None else None
        pct = None
        if diff is not None and a:
            pct = (diff * 100 / a).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rows.append(Row(key, a, b, diff, pct, "[" in key))
    return rows


def summary(rows: list[Row]) -> dict:
    return {"total": len(rows), "changed": sum(1 for r in rows if r.changed)}
