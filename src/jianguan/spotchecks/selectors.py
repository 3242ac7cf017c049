"""Reads for spot checks: what an object pool holds today, and who an inspector pool can send."""

import datetime as dt

from django.db.models import Q, QuerySet

from jianguan.businesses.models import Business
from jianguan.equipment.choices import REGISTERED
from jianguan.equipment.models import Equipment

from .choices import PoolTarget, TaskStatus
from .models import Conflict, InspectorPool, ObjectPool

UNRATED = "-"


def _business_filter(pool: ObjectPool, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}reg_status": "active"})
    if pool.entity_types:
        q &= Q(**{f"{prefix}entity_type__in": pool.entity_types})
    if pool.industries:
        any_industry = Q()
        for code in pool.industries:
            any_industry |= Q(**{f"{prefix}industry_code__startswith": code})
        q &= any_industry
    if pool.licence_kinds:
        q &= Q(**{f"{prefix}licences__kind__code__in": pool.licence_kinds})
    if pool.key_units_only:
        q &= ~Q(**{f"{prefix}key_unit": ""})
    if pool.credit_classes:
        classes = [c for c in pool.credit_classes if c != UNRATED]
        rated = Q(**{f"{prefix}credit_risk_class__in": classes})
        q &= rated | Q(**{f"{prefix}credit_risk_class": ""}) if UNRATED in pool.credit_classes else rated
    return q


def pool_businesses(pool: ObjectPool) -> QuerySet[Business]:
    """The businesses an object pool selects today (for an equipment pool: the devices' operators)."""
    subdistricts = list(pool.subdistricts.values_list("pk", flat=True))
    if pool.target == PoolTarget.BUSINESSES:
        qs = Business.objects.filter(_business_filter(pool))
    else:
        devices = Equipment.objects.filter(status__in=REGISTERED)
        if pool.equipment_types:
            devices = devices.filter(type_id__in=pool.equipment_types)
        qs = Business.objects.filter(_business_filter(pool), pk__in=devices.values("operator_id"))
    if subdistricts:
        qs = qs.filter(subdistrict_id__in=subdistricts)
    return qs.distinct()


def pool_entries(pool: ObjectPool) -> list[dict]:
    """The draw's `pool`: {key, stratum} per object, in key order (Unicode code points, as the draw sorts)."""
    if pool.target == PoolTarget.EQUIPMENT:
        devices = Equipment.objects.filter(status__in=REGISTERED, operator__in=pool_businesses(pool))
        if pool.equipment_types:
            devices = devices.filter(type_id__in=pool.equipment_types)
        rows = devices.values_list("reg_code", "operator__credit_risk_class")
    else:
        rows = pool_businesses(pool).values_list("uscc", "credit_risk_class")
    return sorted(({"key": key, "stratum": cls or UNRATED} for key, cls in rows), key=lambda e: e["key"])


def tasks_locking(pool: InspectorPool | ObjectPool) -> list[str]:
    """Numbers of the tasks that froze this pool and are waiting for their draw (status 已锁定)."""
    return list(pool.tasks.filter(status=TaskStatus.LOCKED).order_by("number").values_list("number", flat=True))


def pool_inspectors(pool: InspectorPool, on: dt.date, object_keys: set[str], target: str) -> list[dict]:
    """The draw's `inspectors`: members holding a 执法证 valid on `on`, each with the objects they
    must not be sent to (declared conflicts; for an equipment pool, the conflicted operator's devices)."""
    members = [u for u in pool.members.all() if u.cert_valid_on(on)]
    excluded: dict[int, set[str]] = {u.pk: set() for u in members}
    conflicts = Conflict.objects.filter(inspector__in=members).select_related("business")
    if target == PoolTarget.EQUIPMENT:
        by_operator: dict[int, list[str]] = {}
        for reg_code, operator in Equipment.objects.filter(reg_code__in=object_keys).values_list("reg_code", "operator_id"):
            by_operator.setdefault(operator, []).append(reg_code)
        for c in conflicts:
            excluded[c.inspector_id].update(by_operator.get(c.business_id, []))
    else:
        for c in conflicts:
            if c.business.uscc in object_keys:
                excluded[c.inspector_id].add(c.business.uscc)
    return sorted(({"key": u.cert_no, "excluded": sorted(excluded[u.pk])} for u in members), key=lambda i: i["key"])
