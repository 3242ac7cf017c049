"""What the filing-progress page reads (/credit/annual/): due, filed and rate per station and 主体类型, and
the non-filers, for a report year as of a date, within the user's jurisdiction. Same definition as the
figures (indicators/annual.py): two grouped passes, and NOT EXISTS only for the listed page of non-filers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from jianguan.businesses.choices import EntityType
from jianguan.businesses.models import Business
from jianguan.core.indicators import _rate
from jianguan.org.models import OrgUnit, User
from jianguan.org.selectors import scope_q

from ..indicators.annual import deadline_months
from ..models import AnnualReport
from ..rules import due_q


@dataclass
class ProgressRow:
    station: str
    entity_type: str
    due: int = 0
    filed: int = 0

    @property
    def missing(self) -> int:
        return self.due - self.filed

    @property
    def rate(self):
        return _rate(self.filed, self.due)


def _due(year: int, as_of: dt.date, prefix: str = "") -> Q:
    return due_q(year=year, as_of=as_of, deadline_months=deadline_months(year), prefix=prefix)


def progress(*, actor: User, year: int, as_of: dt.date) -> tuple[list[ProgressRow], list[ProgressRow]]:
    """(rows per station and type, totals per type with a last row for all), stations in code order."""
    due = (Business.objects.filter(_due(year, as_of) & scope_q(actor=actor))
           .values("subdistrict__station_id", "entity_type").annotate(n=Count("pk")).order_by())
    filed = (AnnualReport.objects.filter(Q(year=year, filed_on__lte=as_of) & _due(year, as_of, "business__")
                                         & scope_q(actor=actor, subdistrict_field="business__subdistrict"))
             .values("business__subdistrict__station_id", "business__entity_type").annotate(n=Count("pk")).order_by())
    stations = dict(OrgUnit.objects.order_by("code").values_list("pk", "name"))
    cells: dict[tuple, ProgressRow] = {}

    def cell(station_id, kind) -> ProgressRow:
        key = (station_id, kind)
        if key not in cells:
            cells[key] = ProgressRow(stations.get(station_id, "（无监管所）"), EntityType(kind).label)
        return cells[key]

    for r in due:
        cell(r["subdistrict__station_id"], r["entity_type"]).due += r["n"]
    for r in filed:
        cell(r["business__subdistrict__station_id"], r["business__entity_type"]).filed += r["n"]
    order = {pk: i for i, pk in enumerate(stations)}
    kinds = {k: i for i, k in enumerate(EntityType.values)}
    rows = [cells[k] for k in sorted(cells, key=lambda k: (order.get(k[0], 10**6), kinds[k[1]]))]
    totals = []
    for kind in EntityType:
        t = ProgressRow("合计", kind.label)
        for (_, k), row in cells.items():
            if k == kind.value:
                t.due += row.due
                t.filed += row.filed
        totals.append(t)
    everything = ProgressRow("合计", "全部", sum(t.due for t in totals), sum(t.filed for t in totals))
    return rows, [*totals, everything]


def non_filers(*, actor: User, year: int, as_of: dt.date, filters: dict) -> QuerySet[Business]:
    """Due businesses with no filing for `year` dated on or before `as_of`; filters: station (pk),
    subdistrict (pk), entity_type, q (name or code fragment)."""
    filed = AnnualReport.objects.filter(business=OuterRef("pk"), year=year, filed_on__lte=as_of)
    qs = Business.objects.filter(_due(year, as_of) & scope_q(actor=actor)).filter(~Exists(filed))
    if filters.get("station"):
        qs = qs.filter(subdistrict__station_id=filters["station"])
    if filters.get("subdistrict"):
        qs = qs.filter(subdistrict_id=filters["subdistrict"])
    if filters.get("entity_type"):
        qs = qs.filter(entity_type=filters["entity_type"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__istartswith=q.upper()))
    return qs.select_related("subdistrict__station").order_by("subdistrict__station__code", "subdistrict__code", "uscc")
