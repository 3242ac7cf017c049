"""Reads of the 包保 ledgers for users, scoped to the actor through the subject's subdistrict (a cadre: through
their own subdistrict, county cadres seen by all), and the queries the to-do, the lists and the figures share:
which assignments are active on a day, when each was last supervised, which are overdue."""

import datetime as dt

from django.db.models import Count, DateField, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from jianguan.core.errors import NotFound
from jianguan.core.models import Rule
from jianguan.core.rules import parse_rule_value, rule_value
from jianguan.licences.choices import Domain
from jianguan.licences.models import Licence
from jianguan.licences.rules import valid_q
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_q

from .choices import FREQUENCY_RULE, CadreLevel
from .models import Assignment, Cadre, GradeRecord, Supervision
from .rules import add_months

SCOPE = "business__subdistrict"
DUE_FILTERS = {"overdue": "督导逾期", "soon": "即将到期"}


def months(on: dt.date) -> dict[str, int]:
    """Each cadre level's 督导 frequency in months, as the rules in force on the day say (one read; a level
    without a version in force raises rule_missing as rule_value does)."""
    found: dict[str, Rule] = {}
    for rule in Rule.objects.filter(key__in=FREQUENCY_RULE.values(), valid_from__lte=on).order_by("key", "-valid_from"):
        found.setdefault(rule.key, rule)
    return {level: int(parse_rule_value(found[key].value, found[key].unit, key)) if key in found else int(rule_value(key, on=on))
            for level, key in FREQUENCY_RULE.items()}


def active_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_on__lte": on}) & (Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": on}))


def grade_on_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on}))


def food_subject_q(on: dt.date) -> Q:
    """Businesses holding a food licence (食品生产、经营、备案、小作坊、小餐饮) valid on the day: the 包保 subjects."""
    food = Licence.objects.filter(valid_q(on), business=OuterRef("pk"), kind__domain=Domain.FOOD)
    return Q(Exists(food))


def supervised_within_q(on: dt.date, freq: dict[str, int]) -> Q:
    """Assignments with a 督导 in the frequency window of their cadre's level ending on the day."""
    q = Q(pk__in=[])
    for level, m in freq.items():
        recent = Supervision.objects.filter(assignment=OuterRef("pk"), on__gte=add_months(on, -m), on__lte=on)
        q |= Q(cadre__level=level) & Q(Exists(recent))
    return q


def with_anchor(qs: QuerySet[Assignment], on: dt.date) -> QuerySet[Assignment]:
    """`last_on`: the latest 督导 on or before the day; `anchor`: that, or the day the 包保 began."""
    last = Supervision.objects.filter(assignment=OuterRef("pk"), on__lte=on).order_by().values("assignment").annotate(
        m=Max("on")).values("m")
    return qs.annotate(last_on=Subquery(last, output_field=DateField())).annotate(
        anchor=Coalesce(F("last_on"), F("start_on"), output_field=DateField()))


def due_q(which: str, on: dt.date, until: dt.date, freq: dict[str, int]) -> Q:
    """Over `with_anchor`: overdue on the day (anchor earlier than a frequency before it, see rules.is_overdue), or
    due from the day to `until` (not overdue today, overdue the day after `until`)."""
    q = Q(pk__in=[])
    for level, m in freq.items():
        if which == "overdue":
            q |= Q(cadre__level=level, anchor__lt=add_months(on, -m))
        else:
            q |= Q(cadre__level=level, anchor__gte=add_months(on, -m), anchor__lt=add_months(until + dt.timedelta(days=1), -m))
    return q


def assignments_in_scope(actor) -> QuerySet[Assignment]:
    return Assignment.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE))


def current_grades(business_ids, on: dt.date) -> dict[int, GradeRecord]:
    return {g.business_id: g for g in GradeRecord.objects.filter(grade_on_q(on), business_id__in=business_ids)}


def assignment_list(*, actor, filters: dict, on: dt.date, until: dt.date | None = None,
                    freq: dict[str, int] | None = None) -> QuerySet[Assignment]:
    qs = with_anchor(assignments_in_scope(actor), on).select_related("cadre", "business__subdistrict__station")
    state = filters.get("state", "active")
    if state == "active" or filters.get("due"):
        qs = qs.filter(active_q(on))
    elif state == "ended":
        qs = qs.filter(end_on__lt=on)
    if filters.get("due") in DUE_FILTERS:
        qs = qs.filter(due_q(filters["due"], on, until or on, freq or months(on)))
    if filters.get("level") in CadreLevel.values:
        qs = qs.filter(cadre__level=filters["level"])
    if filters.get("grade"):
        qs = qs.filter(Exists(GradeRecord.objects.filter(grade_on_q(on), business=OuterRef("business"), grade=filters["grade"])))
    if filters.get("station"):
        qs = qs.filter(business__subdistrict__station__code=filters["station"])
    if filters.get("cadre"):
        qs = qs.filter(cadre_id=filters["cadre"])
    if q := filters.get("q"):
        qs = qs.filter(Q(business__name__icontains=q) | Q(business__uscc=q.upper()) | Q(cadre__name__icontains=q))
    return qs.order_by("anchor", "business__name", "pk")


def assignment_get(*, actor, pk: int, on: dt.date) -> Assignment:
    found = with_anchor(assignments_in_scope(actor), on).select_related("cadre", "business__subdistrict").filter(pk=pk).first()
    if found is None:
        raise NotFound("包保关系不存在或不在您的辖区范围内")
    return found


def cadres_in_scope(actor) -> QuerySet[Cadre]:
    """A station sees the cadres of its subdistricts and the county cadres (who 包保 across the district)."""
    qs = Cadre.objects.select_related("subdistrict__station")
    if actor.role == Role.STATION:
        qs = qs.filter(Q(subdistrict__isnull=True) | Q(subdistrict__station_id=actor.org_unit_id))
    return qs


def cadre_list(*, actor, filters: dict, on: dt.date) -> QuerySet[Cadre]:
    qs = cadres_in_scope(actor).annotate(active=Count("assignments", filter=active_q(on, "assignments__"), distinct=True))
    if filters.get("level") in CadreLevel.values:
        qs = qs.filter(level=filters["level"])
    if filters.get("station"):
        qs = qs.filter(subdistrict__station__code=filters["station"])
    if filters.get("state") != "all":
        qs = qs.filter(Q(disabled_on__isnull=True) | Q(disabled_on__gt=on))
    if q := filters.get("q"):
        qs = qs.filter(Q(name__icontains=q) | Q(unit__icontains=q))
    return qs.order_by("level", "name", "pk")


def cadre_get(*, actor, pk: int) -> Cadre:
    found = cadres_in_scope(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("包保干部不存在或不在您的辖区范围内")
    return found


def coverage(*, actor, on: dt.date) -> dict[str, int]:
    """Food subjects (a valid food licence) in scope, and those with an active 包保 assignment."""
    from jianguan.businesses.models import Business

    covered = Assignment.objects.filter(active_q(on), business=OuterRef("pk"))
    qs = Business.objects.filter(scope_q(actor=actor, subdistrict_field="subdistrict")).filter(food_subject_q(on))
    return qs.aggregate(subjects=Count("pk"), covered=Count("pk", filter=Q(Exists(covered))))
