"""The market-entity register's panels on the home page (see jianguan.core.dashboard).

Every panel is one or two set-based queries, scoped like ``selectors.business_counts``; they count 市场主体, not
其他组织.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from jianguan.core.dashboard import register_panel
from jianguan.org.choices import Role
from jianguan.org.models import User
from jianguan.org.selectors import scope_q, subdistricts_in_scope

from .choices import MARKET_ENTITY_CHOICES, RegStatus
from .models import Business
from .rules import market_entity_q

UNIT = "户"
UNKNOWN_STATION = "（未知监管所）"


def _list_url(**params) -> str:
    return f"{reverse('businesses:list')}?{urlencode(params)}"


@register_panel("businesses.active_by_type", "存续市场主体构成", order=10)
def active_by_type(actor: User) -> dict:
    """Active businesses by 主体类型: one GROUP BY over the covering index."""
    counts = dict(
        Business.objects.filter(scope_q(actor=actor), market_entity_q(), reg_status=RegStatus.ACTIVE)
        .values_list("entity_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "type": "pie",
        "categories": [label for _, label in MARKET_ENTITY_CHOICES],
        "series": [{"name": "存续户数", "data": [counts.get(value, 0) for value, _ in MARKET_ENTITY_CHOICES]}],
        "unit": UNIT,
        "subtitle": "按主体类型，登记状态为“存续”",
        "links": [_list_url(entity_type=value, reg_status=RegStatus.ACTIVE) for value, _ in MARKET_ENTITY_CHOICES],
    }


@register_panel("businesses.active_by_station", "存续市场主体分布", order=20)
def active_by_station(actor: User) -> dict:
    """Active businesses by station (bureau-wide roles) or by subdistrict (station staff).

    Two queries: the subdistricts in scope, and one GROUP BY subdistrict over the covering index;
    the handful of subdistrict rows are folded into stations here.
    """
    subdistricts = {s.pk: s for s in subdistricts_in_scope(actor=actor).order_by("code")}
    qs = Business.objects.filter(market_entity_q(), reg_status=RegStatus.ACTIVE)
    if actor.role == Role.STATION:
        qs = qs.filter(subdistrict_id__in=list(subdistricts))
    per_subdistrict = dict(qs.values_list("subdistrict_id").annotate(n=Count("id")).order_by())

    if actor.role == Role.STATION:
        rows = [(s.name, per_subdistrict.get(pk, 0), _list_url(subdistrict=s.code, reg_status=RegStatus.ACTIVE))
                for pk, s in subdistricts.items()]
        title, subtitle = "存续市场主体分布（按街道）", "本所辖区各街道，登记状态为“存续”"
    else:
        stations: dict[int, list] = {}
        for s in sorted(subdistricts.values(), key=lambda s: s.station.code):
            row = stations.setdefault(
                s.station_id, [s.station.name, 0, _list_url(station=s.station.code, reg_status=RegStatus.ACTIVE)]
            )
            row[1] += per_subdistrict.get(s.pk, 0)
        rows = [tuple(row) for row in stations.values()]
        unknown = sum(n for pk, n in per_subdistrict.items() if pk not in subdistricts)
        if unknown:
            rows.append((UNKNOWN_STATION, unknown, None))
        title, subtitle = "存续市场主体分布（按监管所）", "各监管所辖区，登记状态为“存续”"
    return {
        "type": "bar",
        "title": title,
        "categories": [name for name, _, _ in rows],
        "series": [{"name": "存续户数", "data": [n for _, n, _ in rows]}],
        "unit": UNIT,
        "subtitle": subtitle,
        "links": [url for _, _, url in rows],
    }


def month_starts(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """The first days of the ``months`` calendar months ending with as_of's month, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return [dt.date((i // 12), i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


@register_panel("businesses.new_by_month", "新增市场主体月度趋势", order=30, wide=True)
def new_by_month(actor: User, *, as_of: dt.date | None = None) -> dict:
    """Businesses established in each of the last 12 months up to as_of (default: today), by 成立日期.

    One GROUP BY month (TruncMonth works on SQLite and PostgreSQL); every status counts, since a
    business established in the month is new whatever became of it since.
    """
    as_of = as_of or timezone.localdate()
    starts = month_starts(as_of)
    counts: dict[dt.date, int] = {}
    rows = (
        Business.objects.filter(scope_q(actor=actor), established_on__gte=starts[0], established_on__lte=as_of)
        .annotate(month=TruncMonth("established_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for month, n in rows:
        # SQLite may hand back a datetime or a string depending on the driver's converters.
        if isinstance(month, dt.datetime):
            month = month.date()
        elif isinstance(month, str):
            month = dt.date.fromisoformat(month[:10])
        counts[month] = counts.get(month, 0) + n
    return {
        "type": "line",
        "categories": [f"{m.year}-{m.month:02d}" for m in starts],
        "series": [{"name": "新增户数", "data": [counts.get(m, 0) for m in starts]}],
        "unit": UNIT,
        "subtitle": f"近12个月按成立日期统计，截至{as_of.year}年{as_of.month}月{as_of.day}日",
    }

