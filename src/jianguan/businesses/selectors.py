from django.db.models import Count, Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .models import Business
from .rules import UsccError, normalize_uscc


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
    return qs.order_by("uscc")


def business_get(*, actor: User, pk: int | None = None, uscc: str | None = None) -> Business:
    qs = Business.objects.filter(scope_q(actor=actor)).select_related("subdistrict__station")
    lookup = {"pk": pk} if pk is not None else {"uscc": (uscc or "").upper()}
    business = qs.filter(**lookup).first()
    if business is None:
        raise NotFound()
    return business


def business_counts(*, actor: User) -> dict:
    """Counts for the home page: by 主体类型 and by station, active businesses only."""
    qs = Business.objects.filter(scope_q(actor=actor), reg_status="active")
    by_type = dict(qs.values_list("entity_type").annotate(n=Count("id")).values_list("entity_type", "n"))
    by_station = list(
        qs.values("subdistrict__station__name").annotate(n=Count("id")).order_by("subdistrict__station__name")
    )
    return {"by_type": by_type, "by_station": by_station, "total": sum(by_type.values())}
