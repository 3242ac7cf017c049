"""Reads of the credit risk class for staff (internal, never public): the distribution and the list of
businesses by class in the actor's jurisdiction, and one business's explanation."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from jianguan.businesses.models import Business
from jianguan.core.errors import NotFound
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from ..models import RiskClassPeriod, RiskOverride, RiskRun, RiskScore
from ..services.risk import CLASSES, existing_on

UNCLASSIFIED = "-"


def _businesses(actor: User) -> QuerySet[Business]:
    return Business.objects.filter(scope_q(actor=actor))


def risk_distribution(*, actor: User, on: dt.date) -> dict:
    """Existing businesses per station and class today (Business.credit_risk_class, the effective class)."""
    rows = (_businesses(actor).filter(existing_on(on)).values("subdistrict__station__name", "credit_risk_class")
            .annotate(n=Count("pk")).order_by())
    stations: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = stations.setdefault(row["subdistrict__station__name"] or "—", {c: 0 for c in (*CLASSES, UNCLASSIFIED)})
        counts[row["credit_risk_class"] or UNCLASSIFIED] += row["n"]
    order = (*CLASSES, UNCLASSIFIED)
    total = [sum(s[c] for s in stations.values()) for c in order]
    # Rows as lists in the order of the columns (A, B, C, D, 未分类), as the page shows them.
    return {"stations": [(name, [s[c] for c in order]) for name, s in sorted(stations.items())], "total": total, "sum": sum(total)}


def risk_business_list(*, actor: User, on: dt.date, filters: dict | None = None) -> QuerySet[Business]:
    filters = filters or {}
    qs = (_businesses(actor).filter(existing_on(on)).select_related("subdistrict", "subdistrict__station", "credit_score"))
    cls = filters.get("risk_class")
    if cls == UNCLASSIFIED:
        qs = qs.filter(credit_risk_class="")
    elif cls in CLASSES:
        qs = qs.filter(credit_risk_class=cls)
    if filters.get("station"):
        qs = qs.filter(subdistrict__station_id=filters["station"])
    if filters.get("subdistrict"):
        qs = qs.filter(subdistrict_id=filters["subdistrict"])
    if filters.get("overridden"):
        qs = qs.filter(credit_overrides__ended_on__isnull=True, credit_overrides__isnull=False)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q.upper()))
    return qs.order_by("-credit_score__points", "uscc")


def risk_business_get(*, actor: User, pk: int) -> Business:
    try:
        return _businesses(actor).select_related("subdistrict", "subdistrict__station").get(pk=pk)
    except Business.DoesNotExist as exc:
        raise NotFound() from exc


def risk_explanation(business: Business) -> dict:
    """What the business page shows: the stored score (none: 0 points, class A, in the last run), the override
    in force, the override history and the class periods."""
    score = RiskScore.objects.filter(business=business).first()
    last_run = RiskRun.objects.order_by("-finished_at").first()
    overrides = list(RiskOverride.objects.filter(business=business).select_related("set_by", "ended_by").order_by("-set_on", "-id"))
    return {
        "score": score,
        "points": score.points if score else 0,
        "computed_class": score.computed_class if score else ("A" if last_run else ""),
        "factors": score.factors if score else [],
        "scored_on": score.scored_on if score else (last_run.run_on if last_run else None),
        "last_run": last_run,
        "override": next((o for o in overrides if o.ended_on is None), None),
        "overrides": overrides,
        "periods": list(RiskClassPeriod.objects.filter(business=business).order_by("-valid_from")),
    }
