"""Column specs and the cheap per-cell parsers every ledger is built from.

A parser is `parse(raw, ctx) -> value` where raw is the cell's text (or a date/datetime for a real
Excel date cell) and ctx is the import's Context; it raises CellError with a Chinese reason.
Parsers never touch the database: reference data is loaded once into ctx by the ledger.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


class CellError(ValueError):
    """One cell's value cannot be accepted; the message is the Chinese reason."""


Parser = Callable[[Any, Any], Any]
Formatter = Callable[[Any, Any], Any]


def _identity(value, ctx):
    return value


def text(value, ctx) -> str:
    """Plain text, stripped; empty stays empty."""
    if value is None:
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its Chinese header, the model attribute it fills, whether the
    column must be present and filled in, and how a cell becomes a value and a value a cell."""

    header: str
    attr: str
    required: bool = False
    parse: Parser = text
    format: Formatter = field(default=_identity)
    max_length: int | None = None
    # The value a new row gets when the cell is empty (None: leave the model default).
    default: Any = None


# ---- dates ----------------------------------------------------------------------------------

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_HINT = "应为 2026-05-01、2026/5/1 或 2026年5月1日 的形式"


@lru_cache(maxsize=65536)
def _parse_date_text(raw: str) -> dt.date:
    match = _DATE.match(raw)
    if not match:
        raise CellError(f"日期“{raw}”无法识别，{_DATE_HINT}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{raw}”无法识别：{year}年没有{month}月{day}日这一天") from None


def parse_date(value, ctx=None) -> dt.date | None:
    """A date from a real Excel date cell or from 2026-05-01 / 2026/5/1 / 2026年5月1日; empty -> None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    return _parse_date_text(raw)


def format_date(value, ctx=None) -> str:
    return value.isoformat() if value else ""


# ---- choices --------------------------------------------------------------------------------


def choice(choices, *, noun: str, empty: Any = None) -> tuple[Parser, Formatter]:
    """A parser accepting a TextChoices' Chinese labels (or its English values), and its formatter
    writing the label. `empty` is the value of an empty cell (None means: no value)."""
    by_text = {label: value for value, label in choices.choices}
    by_text.update({value: value for value, _ in choices.choices})
    labels = dict(choices.choices)
    allowed = "、".join(label for _, label in choices.choices)

    def parse(value, ctx):
        raw = text(value, ctx)
        if not raw:
            return empty
        try:
            return by_text[raw]
        except KeyError:
            raise CellError(f"{noun}“{raw}”不在可选值内（{allowed}）") from None

    def fmt(value, ctx):
        return labels.get(value, value or "")

    return parse, fmt
