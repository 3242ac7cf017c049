from django.db.models import Count, Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.org.choices import Role
from jianguan.org.models import User
from jianguan.org.selectors import scope_q, subdistricts_in_scope

from .choices import CreditRiskClass, EntityType
from .models import Business
from .rules import UsccError, normalize_uscc

UNCLASSIFIED = "-"  # the 信用风险分类 filter's value for 未分类, as in spot-check pools


def business_list(*, actor: User, filters: dict | None = None) -> QuerySet[Business]:
    filters = filters or {}
    qs = Business.objects.filter(scope_q(actor=actor)).select_related("subdistrict__station")
    if q := (filters.get("q") or "").strip():
        try:
            qs = qs.filter(uscc=normalize_uscc(q))
        except UsccError:
            qs = qs.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    for key, lookup in (
        ("entity_type", "entity_type"),
        ("reg_status", "reg_status"),
        ("subdistrict", "subdistrict__code"),
        ("station", "subdistrict__station__code"),
    ):
        if value := filters.get(key):
            qs = qs.filter(**{lookup: value})
    credit_class = filters.get("credit_risk_class")
    if credit_class == UNCLASSIFIED:
        qs = qs.filter(credit_risk_class="")
    elif credit_class in CreditRiskClass.values:
        qs = qs.filter(credit_risk_class=credit_class)
    return qs.order_by("uscc")


def business_get(*, actor: User, pk: int | None = None, uscc: str | None = None) -> Business:
    qs = Business.objects.filter(scope_q(actor=actor)).select_related("subdistrict__station")
    lookup = {"pk": pk} if pk is not None else {"uscc": (uscc or "").upper()}
    business = qs.filter(**lookup).first()
    if business is None:
        raise NotFound()
    return business


def business_counts(*, actor: User) -> dict:
    """Counts for the home page: active 市场主体 by 主体类型 and by station (其他组织 are not 市场主体: they are
    counted apart, in "other_orgs", and in neither the total nor the stations).

    One GROUP BY over (subdistrict, 主体类型), answered from the covering index
    business_active_counts; stations are folded in Python from the 15-odd subdistrict rows.
    """
    subdistricts = {s.pk: s for s in subdistricts_in_scope(actor=actor)}
    qs = Business.objects.filter(reg_status="active")
    if actor.role == Role.STATION:
        qs = qs.filter(subdistrict_id__in=list(subdistricts))
    by_type: dict[str, int] = {}
    by_station: dict[str, int] = {}
    for sub_id, entity_type, n in qs.values_list("subdistrict_id", "entity_type").annotate(n=Count("id")).order_by():
        by_type[entity_type] = by_type.get(entity_type, 0) + n
        if entity_type == EntityType.OTHER_ORG:
            continue
        station = subdistricts[sub_id].station.name if sub_id in subdistricts else "（未知监管所）"
        by_station[station] = by_station.get(station, 0) + n
    return {
        "by_type": by_type,
        "by_station": [{"subdistrict__station__name": k, "n": v} for k, v in sorted(by_station.items())],
        "total": sum(n for t, n in by_type.items() if t != EntityType.OTHER_ORG),
        "other_orgs": by_type.get(EntityType.OTHER_ORG, 0),
    }
