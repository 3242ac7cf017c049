"""Paging of lists, and the parsing of the numbers a query string brings.

Keyset pages for big ledgers and offset slices for the others: both fetch LIMIT size+1 to tell
whether another page exists, with no COUNT. A page number or an id comes from the address bar, so
anything may arrive: a number past 2**63 makes SQLite raise OverflowError and PostgreSQL DataError,
and "²".isdigit() is true while int("²") fails. Every page and API list parses them here.
"""

import re

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# The largest id a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_DB_INT = 2**63 - 1
# Past any real ledger (10^9 pages of 100 rows), and its OFFSET still fits a 64-bit integer.
MAX_PAGE = 10**9
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def parse_int(text) -> int | None:
    """The integer an ASCII decimal text spells, or None if it is no such thing or the database
    could not hold it (a filter by an id that cannot exist matches nothing, it does not crash)."""
    text = str(text or "").strip()
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if -MAX_DB_INT - 1 <= value <= MAX_DB_INT else None


def parse_ints(values) -> list[int]:
    """The usable ids of a multi-valued parameter (request.GET.getlist), the others dropped."""
    return [n for n in (parse_int(v) for v in values) if n is not None]


def page_number(request, param: str = "page") -> int:
    """The page a list shows: 1 for a missing or unreadable number, MAX_PAGE at most (an empty last
    page, which the list's pager says in Chinese, rather than an OFFSET the database refuses)."""
    text = str(request.GET.get(param, "")).strip()
    if re.fullmatch(r"[0-9]+", text):
        return max(1, min(int(text) if len(text) <= 10 else MAX_PAGE, MAX_PAGE))
    return 1


def slice_page(qs, page_no: int, size: int) -> tuple[list, bool]:
    """Offset paging without COUNT, for lists ordered by something a keyset cannot key on: one row
    more than the page tells whether another page exists."""
    page_no = max(1, min(page_no, MAX_PAGE))
    rows = list(qs[(page_no - 1) * size: page_no * size + 1])
    return rows[:size], len(rows) > size


class ApiPagination(PageNumberPagination):
    """ninja's page-number pagination with the page bounded, so that a huge page is a 422 with the
    project's error body instead of an OFFSET the database cannot take."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码（从 1 开始）")
        page_size: int | None = Field(None, ge=1, description="每页条数（超过上限按上限）")


def keyset_page(qs, key: str, after: str, before: str, size: int) -> dict:
    if before:
        rows = list(qs.filter(**{f"{key}__lt": before}).order_by(f"-{key}")[: size + 1])
        has_prev = len(rows) > size
        rows = rows[:size][::-1]
        has_next = True
    else:
        if after:
            qs = qs.filter(**{f"{key}__gt": after})
        rows = list(qs.order_by(key)[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_prev = bool(after)
    return {
        "rows": rows,
        "has_next": has_next and bool(rows),
        "has_prev": has_prev and bool(rows),
        "first_key": getattr(rows[0], key) if rows else "",
        "last_key": getattr(rows[-1], key) if rows else "",
    }
