"""Jurisdiction: which subdistricts an actor may see. Every other app's selectors build on this."""

from django.db.models import Q, QuerySet

from .choices import OrgKind, Role
from .models import OrgUnit, Subdistrict, User


def subdistricts_in_scope(*, actor: User) -> QuerySet[Subdistrict]:
    qs = Subdistrict.objects.select_related("station")
    if actor.role == Role.STATION:
        return qs.filter(station_id=actor.org_unit_id)
    return qs


def scope_q(*, actor: User, subdistrict_field: str = "subdistrict") -> Q:
    """A filter for any model that carries a subdistrict; empty for bureau-wide roles."""
    if actor.role == Role.STATION:
        return Q(**{f"{subdistrict_field}__station_id": actor.org_unit_id})
    return Q()


def scope_label(actor: User) -> str:
    if actor.role == Role.STATION and actor.org_unit:
        return f"{actor.org_unit.name}辖区"
    return "全局"


def station_list() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgKind.STATION, disabled_on__isnull=True).order_by("code")
