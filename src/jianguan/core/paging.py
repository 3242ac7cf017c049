"""Keyset pagination for big ledgers: LIMIT size+1 tells whether another page exists, with no COUNT."""


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
