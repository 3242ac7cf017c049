"""Reads of the abnormal list, the serious list and repairs for a user, scoped to the actor's jurisdiction
(a station sees the businesses of its subdistricts; departments and leadership see all)."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from jianguan.core.errors import NotFound
from jianguan.core.panels import due_soon_until
from jianguan.org.selectors import scope_q

from ..models import AbnormalEntry, Decision, RepairApplication, SeriousEntry

SCOPE = "business__subdistrict"


def _filtered(qs: QuerySet, filters: dict) -> QuerySet:
    for key in ("status", "kind", "reason", "source", "target"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if station := filters.get("station"):
        qs = qs.filter(business__subdistrict__station__code=station)
    if entity_type := filters.get("entity_type"):
        qs = qs.filter(business__entity_type=entity_type)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(business__name__icontains=q) | Q(business__uscc=q.upper()))
    return qs


def _due(qs: QuerySet, filters: dict, field: str) -> QuerySet:
    """?due=overdue (past `field`) or ?due=soon (from today to the end of the due-soon window), as the to-dos count."""
    today = timezone.localdate()
    if filters.get("due") == "overdue":
        return qs.filter(**{f"{field}__lt": today})
    if filters.get("due") == "soon":
        return qs.filter(**{f"{field}__gte": today, f"{field}__lte": due_soon_until(today)})
    return qs


def abnormal_list(*, actor, filters: dict | None = None) -> QuerySet[AbnormalEntry]:
    """Entries in scope; filters: status, kind, reason, station (code), entity_type, q (name fragment or USCC)."""
    qs = AbnormalEntry.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE)).select_related(
        "business__subdistrict__station", "decision", "removal_decision")
    return _filtered(qs, filters or {})


def proposals(*, actor, filters: dict | None = None) -> QuerySet[AbnormalEntry]:
    """Proposals awaiting a decision, the most overdue first (decision_due ascending)."""
    filters = {**(filters or {}), "status": "proposed"}
    return _due(abnormal_list(actor=actor, filters=filters), filters, "decision_due").order_by("decision_due", "proposed_on", "pk")


def abnormal_get(*, actor, pk: int) -> AbnormalEntry:
    entry = abnormal_list(actor=actor).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def serious_list(*, actor, filters: dict | None = None) -> QuerySet[SeriousEntry]:
    qs = SeriousEntry.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE)).select_related(
        "business__subdistrict__station", "decision", "case", "abnormal_entry")
    return _filtered(qs, filters or {})


def repair_list(*, actor, filters: dict | None = None) -> QuerySet[RepairApplication]:
    qs = RepairApplication.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE)).select_related(
        "business__subdistrict__station", "decision", "abnormal_entry", "serious_entry", "case")
    return _due(_filtered(qs, filters or {}), filters or {}, "due").order_by("status", "due", "-applied_on", "-pk")


def decision_get(*, actor, pk: int) -> Decision:
    """A decision the actor may read: one that decides at least one business in the actor's scope."""
    decision = Decision.objects.select_related("document").filter(pk=pk).first()
    if decision is None:
        raise NotFound("决定书不存在")
    scope = scope_q(actor=actor, subdistrict_field=SCOPE)
    if scope:
        seen = (AbnormalEntry.objects.filter(scope, Q(decision=decision) | Q(removal_decision=decision)).exists()
                or SeriousEntry.objects.filter(scope, Q(decision=decision) | Q(removal_decision=decision)).exists()
                or RepairApplication.objects.filter(scope, decision=decision).exists())
        if not seen:
            raise NotFound("决定书不存在或不在您的辖区范围内")
    return decision
