import datetime as dt

from django.db.models import QuerySet

from jianguan.core.errors import NotFound
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .models import Equipment, FollowUpTask

FILTERS = {
    "type": "type_id",
    "category": "category_id",
    "variety": "variety_id",
    "status": "status",
    "due_state": "due_state",
    "subdistrict": "subdistrict__code",
    "station": "subdistrict__station__code",
    "operator": "operator__uscc",
}


def equipment_list(*, actor: User, filters: dict | None = None) -> QuerySet[Equipment]:
    filters = filters or {}
    qs = Equipment.objects.filter(scope_q(actor=actor)).select_related(
        "type", "category", "variety", "operator", "subdistrict__station"
    )
    for key, lookup in FILTERS.items():
        if value := (filters.get(key) or "").strip():
            qs = qs.filter(**{lookup: value})
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(reg_code__startswith=q) if q[:1].isdigit() else qs.filter(operator__name__contains=q)
    if filters.get("key_unit") in ("1", "true", "yes"):
        qs = qs.exclude(operator__key_unit="")
    return qs.order_by("reg_code")


def equipment_get(*, actor: User, pk: int | None = None, reg_code: str | None = None) -> Equipment:
    lookup = {"pk": pk} if pk is not None else {"reg_code": reg_code}
    found = equipment_list(actor=actor).filter(**lookup).first()
    if found is None:
        raise NotFound()
    return found


def task_list(*, actor: User, status: str | None = "open") -> QuerySet[FollowUpTask]:
    qs = FollowUpTask.objects.filter(scope_q(actor=actor, subdistrict_field="equipment__subdistrict")).select_related(
        "equipment__operator", "equipment__type", "station"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def due_soon(*, actor: User, on: dt.date) -> QuerySet[Equipment]:
    return equipment_list(actor=actor, filters={"status": "in_use"}).filter(due_state__in=["warning", "overdue"])
