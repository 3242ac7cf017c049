"""What 投诉举报 contributes to the pages that gather many apps (see jianguan.core.panels): the items
about a business (一户一档) and the open items by nearest deadline on the to-do home. Scoped by this
app's selectors (a station sees the items routed to it). No personal data: numbers, kinds, states, dates."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse

from jianguan.core.panels import (
    ROWS,
    BusinessPanel,
    Count,
    Row,
    Todo,
    due_figures,
    register_business_panel,
    register_todo,
)

from . import selectors
from .choices import Kind, Status

CLOSED = (Status.CLOSED, Status.TRANSFERRED)


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


@register_business_panel("complaints.items", order=50)
def business_complaints(actor, business, on: dt.date) -> BusinessPanel:
    # The records list's 被投诉举报对象 search finds an item by the business on file or the USCC given.
    qs = selectors.in_scope(actor).filter(Q(business=business) | Q(respondent_uscc=business.uscc))
    by_kind = {
        kind: (n, still_open)
        for kind, n, still_open in qs.order_by().values_list("kind").annotate(
            n=Counted("id"), still_open=Counted("id", filter=~Q(status__in=CLOSED))
        )
    }
    listed = _url("complaints:records", respondent=business.uscc)
    counts = [
        Count(label, by_kind.get(value, (0, 0))[0], _url("complaints:records", respondent=business.uscc, kind=value))
        for value, label in Kind.choices
    ]
    still_open = sum(o for _, o in by_kind.values())
    counts.append(Count("未办结", still_open, tone="warning" if still_open else ""))
    rows = [
        Row(
            text=f"{c.number} {c.get_kind_display()}", url=reverse("complaints:detail", args=[c.pk]),
            note=c.get_category_display(), when=c.received_on.isoformat(),
            badge=c.get_status_display(), tone="" if c.status in CLOSED else "warning",
        )
        for c in qs.order_by("-received_at", "-pk")[:ROWS]
    ]
    return BusinessPanel(
        title="投诉举报", total=sum(n for n, _ in by_kind.values()), unit="件", counts=counts, rows=rows,
        more_url=listed, empty="没有涉及该主体的投诉举报。",
    )


@register_todo("complaints.deadlines", order=40)
def complaint_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Open items by the deadline of the clock running now (受理、调解、立案决定、告知)."""
    qs = selectors.queue(actor, today=on)
    figures = due_figures(qs, "due", on, until)
    rows = [
        Row(
            text=f"{c.number} {c.get_kind_display()}", url=reverse("complaints:detail", args=[c.pk]),
            note=c.get_status_display(), when=c.due.isoformat(), tone="danger" if c.due < on else "warning",
        )
        for c in qs.filter(due__lte=until)[:ROWS]
    ]
    return Todo(
        label="投诉举报（按最近期限）", unit="件", hint="受理、调解、立案决定、告知等法定期限", rows=rows,
        overdue=Count("已逾期", figures["overdue"], _url("complaints:queue", overdue="1"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], _url("complaints:queue", due="soon"), tone="warning"),
        open=Count("全部", figures["open"], _url("complaints:queue")),
    )
