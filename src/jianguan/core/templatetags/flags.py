"""{% load flags %}: the business flags of jianguan.core.flags in templates, one query per page.

    {% business_flags rows as flags %}             rows: Business objects, ids, or records with `key` (e.g. key="business_id")
    {% business_flags record.business_id as flags %}   a single id
    {% flag_badges flags b.pk %}                  the badges of one business (nothing when it has none)
"""

from django import template
from django.utils.html import format_html, format_html_join

from jianguan.core.flags import business_flags as lookup

register = template.Library()


def _ids(rows, key: str) -> list:
    if rows is None or rows == "":
        return []
    if isinstance(rows, int | str):
        return [rows]
    if hasattr(rows, "_meta") or hasattr(rows, key):  # one record
        rows = [rows]
    ids = []
    for row in rows:
        value = row if isinstance(row, int | str) else getattr(row, key, None)
        if value not in (None, ""):
            ids.append(int(value))
    return ids


@register.simple_tag
def business_flags(rows, key: str = "pk"):
    """{business id: [Flag]} for every business on the page, in one look-up per registered source."""
    return lookup(_ids(rows, key))


@register.simple_tag
def flag_badges(flags, business_id):
    items = (flags or {}).get(int(business_id), []) if business_id not in (None, "") else []
    if not items:
        return ""
    return format_html(
        '<span class="business-flags">{}</span>',
        format_html_join("", ' <span class="badge {}" data-flag="{}" title="{}">{}</span>',
                         ((f.tone, f.label, f.title or f.label, f.label) for f in items)),
    )
