"""What the licence register contributes to the pages that gather many apps (see jianguan.core.panels):

- 一户一档: every licence the subject holds, valid ones first, each linking to its page, and the register
  filtered by the holder;
- 工作台: licences expiring within the rule `licences.expiry_warning_days` (即将到期) and those past their term
  within as many days that were not renewed (过期未延续), in the user's jurisdiction — each count linking to
  the register filtered to exactly those licences.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.urls import reverse

from jianguan.core.panels import ROWS as TODO_ROWS
from jianguan.core.panels import BusinessPanel, Count, Row, Todo, register_business_panel, register_todo
from jianguan.org.selectors import scope_q

from .models import Licence
from .rules import state_on
from .selectors import SCOPE, expiry_q, warning_days

ROWS = 8  # a subject rarely holds more; the rest are on the register's list
_STATE = {"valid": ("有效", "active"), "expired": ("过期", "danger"), "cancelled": ("注销", "muted"),
          "revoked": ("吊销", "muted"), "pending": ("未生效", "muted")}


def list_url(**params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    base = reverse("licences:list")
    return f"{base}?{urlencode(params)}" if params else base


def _state(licence: Licence, on: dt.date) -> tuple[str, str]:
    return _STATE[state_on(issued_on=licence.issued_on, valid_until=licence.valid_until, status=licence.status,
                           status_date=licence.status_date, on=on)]


@register_business_panel("licences.held", order=5)
def business_licences(actor, business, on: dt.date) -> BusinessPanel:
    licences = list(Licence.objects.filter(business=business).select_related("kind", "sector").order_by("kind__order", "-issued_on"))
    states = [(lic, *_state(lic, on)) for lic in licences]
    valid = sum(label == "有效" for _, label, _ in states)
    states.sort(key=lambda s: s[1] != "有效")
    rows = [
        Row(text=f"{lic.kind.name} {lic.number}", url=reverse("licences:detail", args=[lic.pk]),
            note="；".join(x for x in (lic.sector.name if lic.sector else "", lic.items) if x),
            when=f"有效期至 {lic.valid_until.isoformat()}" if lic.valid_until else "长期有效", badge=label, tone=tone)
        for lic, label, tone in states[:ROWS]
    ]
    holder = list_url(holder=business.uscc)
    return BusinessPanel(title="许可证", total=len(licences), unit="份",
                         counts=[Count("有效", valid, list_url(holder=business.uscc, status="valid"))], rows=rows,
                         more_url=holder if licences else None, empty="暂无许可证信息。")


@register_todo("licences.expiring", order=60)
def expiring_licences(actor, on: dt.date, until: dt.date) -> Todo | None:
    """Left out for a user whose jurisdiction holds no licence at all (a register not kept is no work)."""
    days = warning_days(on)
    scoped = Licence.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE))
    figures = scoped.order_by().aggregate(
        any=Counted("id"),
        soon=Counted("id", filter=expiry_q("soon", on, days)),
        lapsed=Counted("id", filter=expiry_q("lapsed", on, days)),
    )
    if not figures["any"]:
        return None
    nearest = scoped.filter(expiry_q("todo", on, days)).select_related("business", "kind").order_by("valid_until", "number")
    rows = [
        Row(text=f"{lic.business.name}：{lic.kind.name}", url=reverse("licences:detail", args=[lic.pk]), note=lic.number,
            when=lic.valid_until.isoformat(), tone="danger" if lic.valid_until < on else "warning")
        for lic in nearest[:TODO_ROWS]
    ]
    return Todo(
        label="许可证到期预警", unit="份", rows=rows,
        hint=f"有效期至在{days}天内的有效许可证，以及近{days}天内届满、持证主体未取得同种类有效许可证的（过期未延续）",
        overdue=Count("过期未延续", figures["lapsed"], list_url(expiry="lapsed"), tone="danger"),
        due_soon=Count(f"{days}天内到期", figures["soon"], list_url(expiry="soon"), tone="warning"),
        open=Count("全部", figures["soon"] + figures["lapsed"], list_url(expiry="todo")),
    )
