"""Reads of the licence register for other apps and pages: the reference tables' choices, and the register
as a user sees it — scoped to the actor's jurisdiction through the holder's subdistrict, filtered as the list
page, the one-stop panel and the to-do home ask."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.core.rules import rule_value
from jianguan.org.selectors import scope_q

from .choices import LicenceStatus
from .models import Licence, LicenceKind, Sector
from .rules import expired_q, expiring_q, valid_q

SCOPE = "business__subdistrict"
EXPIRY_RULE = "licences.expiry_warning_days"
# ?expiry= on the list: the to-do home's counts, each listing exactly what it counts.
EXPIRY_FILTERS = {"soon": "即将到期", "lapsed": "过期未延续", "todo": "即将到期或过期未延续"}


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) of the kinds in use, in their order: what a form offers and a pool stores."""
    return list(LicenceKind.objects.filter(disabled_on__isnull=True).order_by("order", "code").values_list("code", "name"))


def kind_names() -> dict[str, str]:
    """Every kind's name by code, disabled ones too (old records keep theirs)."""
    return dict(LicenceKind.objects.values_list("code", "name"))


def sector_choices() -> list[tuple[str, str]]:
    return list(Sector.objects.filter(disabled_on__isnull=True).order_by("order", "code").values_list("code", "name"))


def warning_days(on: dt.date) -> int:
    """The rule's days ahead that count as 即将到期 (versioned: the one in force on the day)."""
    return int(rule_value(EXPIRY_RULE, on=on))


def status_q(status: str, on: dt.date) -> Q:
    """The licences in one state on the day: 有效, 过期, 注销, 吊销 (see rules.state_on)."""
    if status == LicenceStatus.VALID:
        return valid_q(on)
    if status == LicenceStatus.EXPIRED:
        return expired_q(on)
    return Q(status=status, status_date__lte=on)


def lapsed_q(on: dt.date, days: int) -> Q:
    """Past their term within the last `days` days, not ended by a decision, and not renewed: the holder holds
    no licence of the same kind valid on the day (a renewal under a new number counts as renewed)."""
    renewed = Licence.objects.filter(valid_q(on), business=OuterRef("business"), kind=OuterRef("kind"))
    return expired_q(on) & Q(valid_until__gte=on - dt.timedelta(days=days)) & ~Exists(renewed)


def expiry_q(which: str, on: dt.date, days: int) -> Q:
    if which == "soon":
        return expiring_q(on, days)
    if which == "lapsed":
        return lapsed_q(on, days)
    return expiring_q(on, days) | lapsed_q(on, days)


def licence_list(*, actor, filters: dict | None = None, on: dt.date) -> QuerySet[Licence]:
    """Licences in scope; filters: kind, sector (codes), domain, status (as of `on`), station (code), subdistrict
    (code), expiry (soon | lapsed | todo, by the rule), holder (统一社会信用代码), q (编号, 名称 fragment or code)."""
    filters = filters or {}
    qs = Licence.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE)).select_related(
        "kind", "sector", "business__subdistrict__station")
    if kind := filters.get("kind"):
        qs = qs.filter(kind__code=kind)
    if sector := filters.get("sector"):
        qs = qs.filter(sector__code=sector)
    if domain := filters.get("domain"):
        qs = qs.filter(kind__domain=domain)
    if status := filters.get("status"):
        qs = qs.filter(status_q(status, on))
    if station := filters.get("station"):
        qs = qs.filter(business__subdistrict__station__code=station)
    if subdistrict := filters.get("subdistrict"):
        qs = qs.filter(business__subdistrict__code=subdistrict)
    if expiry := filters.get("expiry"):
        qs = qs.filter(expiry_q(expiry, on, warning_days(on)))
    if holder := filters.get("holder"):
        qs = qs.filter(business__uscc=holder.upper())
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number=q.upper()) | Q(business__uscc=q.upper()) | Q(business__name__icontains=q))
    if expiry in ("soon", "todo"):
        return qs.order_by("valid_until", "number")
    return qs.order_by("kind__order", "number")


def licence_get(*, actor, pk: int) -> Licence:
    licence = Licence.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE), pk=pk).select_related(
        "kind", "sector", "business__subdistrict__station").first()
    if licence is None:
        raise NotFound("许可证不存在或不在您的辖区范围内")
    return licence
