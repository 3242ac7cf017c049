"""Reads of the canteen register for users: the canteen licences (with what is recorded about each) scoped to
the actor through the holder's subdistrict, filtered as the list page, the panel and the figures ask."""

import datetime as dt

from django.db.models import Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.licences.choices import CanteenKind
from jianguan.licences.models import Licence
from jianguan.licences.rules import valid_q
from jianguan.org.selectors import scope_q

from .choices import MingchuStatus
from .models import Canteen

SCOPE = "business__subdistrict"
CANTEEN_KINDS = (CanteenKind.SCHOOL, CanteenKind.OTHER)
# ?kind= on the list
KIND_FILTERS = {CanteenKind.SCHOOL.value: "学校（托幼）食堂", CanteenKind.OTHER.value: "其他食堂"}


def canteen_licences() -> QuerySet[Licence]:
    """Every licence whose 业态 is a canteen, unscoped (the figures' base)."""
    return Licence.objects.filter(sector__canteen__in=CANTEEN_KINDS)


def mingchu_q(status: str, prefix: str = "") -> Q:
    """Canteens in a 明厨亮灶 status now; a licence with no canteen record is 未建."""
    if status == MingchuStatus.NONE:
        return Q(**{f"{prefix}canteen__isnull": True}) | Q(**{f"{prefix}canteen__mingchu_status": status})
    return Q(**{f"{prefix}canteen__mingchu_status": status})


def canteen_list(*, actor, filters: dict, on: dt.date) -> QuerySet[Licence]:
    qs = (canteen_licences().filter(scope_q(actor=actor, subdistrict_field=SCOPE))
          .select_related("canteen", "sector", "kind", "business__subdistrict__station"))
    if filters.get("kind") in KIND_FILTERS:
        qs = qs.filter(sector__canteen=filters["kind"])
    if filters.get("mingchu") in MingchuStatus.values:
        qs = qs.filter(mingchu_q(filters["mingchu"]))
    if filters.get("station"):
        qs = qs.filter(business__subdistrict__station__code=filters["station"])
    if filters.get("state", "valid") == "valid":
        qs = qs.filter(valid_q(on))
    if q := filters.get("q"):
        qs = qs.filter(Q(business__name__icontains=q) | Q(business__uscc=q.upper()) | Q(number__icontains=q)
                       | Q(canteen__school_name__icontains=q))
    return qs.order_by("business__subdistrict__station__code", "business__name", "number")


def canteen_get(*, actor, licence_pk: int) -> Licence:
    licence = (canteen_licences().filter(scope_q(actor=actor, subdistrict_field=SCOPE), pk=licence_pk)
               .select_related("canteen", "sector", "kind", "business__subdistrict__station").first())
    if licence is None:
        raise NotFound("食堂许可证不存在或不在您的辖区范围内")
    return licence


def canteen_of(licence: Licence) -> Canteen | None:
    try:
        return licence.canteen
    except Canteen.DoesNotExist:
        return None


def counts(*, actor, on: dt.date) -> dict[str, int]:
    """The list page's headline: valid canteen licences by kind and 明厨亮灶 status, in one query."""
    from django.db.models import Count

    qs = canteen_licences().filter(scope_q(actor=actor, subdistrict_field=SCOPE)).filter(valid_q(on))
    return qs.aggregate(
        total=Count("pk"), school=Count("pk", filter=Q(sector__canteen=CanteenKind.SCHOOL)),
        built=Count("pk", filter=Q(canteen__built_on__lte=on)),
        connected=Count("pk", filter=Q(canteen__connected_on__lte=on)),
    )
