"""Reads of the grades and the plan for users, scoped to the actor's jurisdiction (the business's subdistrict).

The plan's progress is read as of a day: inspections done this year (conditions.plan_inspections, from 1 January
to the day), the last full inspection and the day the business first held a valid food licence, each a
subquery per planned business, so that a page filters and sorts on them.
"""

import datetime as dt

from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from jianguan.core.errors import NotFound
from jianguan.core.rules import rule_value
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from . import rules
from .choices import GRADES, DueFilter, Progress
from .conditions import food_licences, full_inspections, plan_inspections, year_start
from .models import FoodGrade, GradeRun, PlanItem, PlanRun
from .rules import add_months, month_end

SCOPE = "business__subdistrict"


def current_run(year: int, on: dt.date) -> GradeRun | None:
    return (GradeRun.objects.filter(year=year, graded_on__lte=on).filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
            .order_by("-graded_on", "-pk").first())


def current_plan(year: int, on: dt.date) -> PlanRun | None:
    return (PlanRun.objects.filter(year=year, built_on__lte=on).filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
            .order_by("-built_on", "-pk").first())


# ---------------------------------------------------------------- grades


def grade_list(*, actor: User, run: GradeRun | None, filters: dict | None = None) -> QuerySet[FoodGrade]:
    filters = filters or {}
    if run is None:
        return FoodGrade.objects.none()
    qs = (FoodGrade.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE), run=run)
          .select_related("business", "business__subdistrict", "business__subdistrict__station", "kind", "sector"))
    if filters.get("grade") in GRADES:
        qs = qs.filter(grade=filters["grade"])
    if filters.get("station"):
        qs = qs.filter(business__subdistrict__station_id=filters["station"])
    if filters.get("subdistrict"):
        qs = qs.filter(business__subdistrict_id=filters["subdistrict"])
    if filters.get("sector"):
        qs = qs.filter(sector__code=filters["sector"])
    if filters.get("overridden"):
        qs = qs.filter(overridden=True)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(business__name__icontains=q) | Q(business__uscc__icontains=q.upper()))
    return qs.order_by("-points", "business__uscc")


def grade_distribution(*, actor: User, run: GradeRun | None) -> dict:
    """Graded businesses per station and grade (the page's table)."""
    stations: dict[str, list[int]] = {}
    if run is not None:
        rows = (FoodGrade.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE), run=run)
                .values("business__subdistrict__station__name", "grade").annotate(n=Count("pk")).order_by())
        for row in rows:
            counts = stations.setdefault(row["business__subdistrict__station__name"] or "—", [0] * len(GRADES))
            counts[GRADES.index(row["grade"])] += row["n"]
    total = [sum(c[i] for c in stations.values()) for i in range(len(GRADES))]
    return {"stations": sorted(stations.items()), "total": total, "sum": sum(total)}


def grade_get(*, actor: User, pk: int) -> FoodGrade:
    try:
        return (FoodGrade.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE))
                .select_related("run", "business", "business__subdistrict", "business__subdistrict__station", "kind", "sector",
                                "licence", "override_by").get(pk=pk))
    except FoodGrade.DoesNotExist as exc:
        raise NotFound("风险等级记录不存在或不在您的辖区范围内") from exc


def business_grade(business, on: dt.date) -> FoodGrade | None:
    """The business's grade in force on the day (its year's run), else its latest grade of an earlier year —
    one query, since the one-stop page asks it of every business."""
    this_year = Q(year=on.year, run__graded_on__lte=on) & (Q(run__superseded_on__isnull=True) | Q(run__superseded_on__gt=on))
    earlier = Q(year__lt=on.year, run__superseded_on__isnull=True)
    return (FoodGrade.objects.filter(this_year | earlier, business=business).select_related("run")
            .order_by("-year", "-graded_on", "-pk").first())


def grade_history(business) -> list[FoodGrade]:
    return list(FoodGrade.objects.filter(business=business, run__superseded_on__isnull=True).select_related("run").order_by("-year"))


# ---------------------------------------------------------------- the plan and its progress


def with_progress(qs: QuerySet[PlanItem], on: dt.date) -> QuerySet[PlanItem]:
    """Plan items annotated with `done` (this year, to `on`), `last_full` and `licensed_since` (on `on`)."""
    done = (plan_inspections(year_start(on), on).filter(business=OuterRef("business")).order_by()
            .values("business").annotate(n=Count("pk")).values("n")[:1])
    last_full = full_inspections(None, on).filter(business=OuterRef("business")).order_by("-date").values("date")[:1]
    since = (food_licences(on).filter(business=OuterRef("business")).order_by().values("business")
             .annotate(first=Min("issued_on")).values("first")[:1])
    return qs.annotate(
        done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
        last_full=Subquery(last_full, output_field=DateField()),
        licensed_since=Subquery(since, output_field=DateField()),
    ).annotate(cycle_start=Coalesce("last_full", "licensed_since"),
               next12=ExpressionWrapper((F("done") + 1) * 12, output_field=IntegerField()))


def due_q(on: dt.date, which: str) -> Q:
    """On plan items `with_progress`: 已逾期 (behind the schedule due by the end of last month, or the full
    inspection cycle ended before this month), 本月应检 (not overdue, but behind the schedule due by the end of
    this month, or the cycle ends this month), or both (see rules.py)."""
    months = int(rule_value("food.plan.full_inspection_months", on=on))
    first = on.replace(day=1)
    lapsed = Q(cycle_start__isnull=True) | Q(cycle_start__lt=add_months(first, -months))
    # done < floor(min × m / 12)  ⇔  (done + 1) × 12 ≤ min × m, for whole numbers
    overdue = Q(next12__lte=F("min_inspections") * (on.month - 1)) | lapsed
    by_month_end = (Q(next12__lte=F("min_inspections") * on.month)
                    | Q(cycle_start__lte=month_end(add_months(first, -months))) | lapsed)
    if which == DueFilter.OVERDUE:
        return overdue
    if which == DueFilter.MONTH:
        return by_month_end & ~overdue
    return by_month_end


def plan_list(*, actor: User, plan: PlanRun | None, on: dt.date, filters: dict | None = None) -> QuerySet[PlanItem]:
    filters = filters or {}
    if plan is None:
        return PlanItem.objects.none()
    qs = with_progress(PlanItem.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE), run=plan), on).select_related(
        "business", "business__subdistrict", "business__subdistrict__station", "food_grade", "food_grade__sector")
    if filters.get("grade") in GRADES:
        qs = qs.filter(grade=filters["grade"])
    if filters.get("station"):
        qs = qs.filter(business__subdistrict__station_id=filters["station"])
    if filters.get("subdistrict"):
        qs = qs.filter(business__subdistrict_id=filters["subdistrict"])
    if filters.get("sector"):
        qs = qs.filter(food_grade__sector__code=filters["sector"])
    progress = filters.get("progress")
    if progress == Progress.BEHIND:
        qs = qs.filter(done__lt=F("min_inspections"))
    elif progress == Progress.MORE:
        qs = qs.filter(done__gte=F("min_inspections"), done__lt=F("max_inspections"))
    elif progress == Progress.DONE:
        qs = qs.filter(done__gte=F("max_inspections"))
    if filters.get("due") in DueFilter.values:
        qs = qs.filter(due_q(on, filters["due"]))
    if filters.get("uncovered"):
        months = int(rule_value("food.plan.full_inspection_months", on=on))
        qs = qs.filter(Q(last_full__isnull=True) | Q(last_full__lte=add_months(on, -months)))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(business__name__icontains=q) | Q(business__uscc__icontains=q.upper()))
    return qs.order_by("business__subdistrict__station__code", "-grade", "business__uscc")


def plan_summary(*, actor: User, plan: PlanRun | None, on: dt.date) -> dict:
    """Per station: businesses, minimum and maximum due, done (capped at each business's minimum), and behind."""
    stations: dict[str, dict] = {}
    if plan is not None:
        for item in with_progress(PlanItem.objects.filter(scope_q(actor=actor, subdistrict_field=SCOPE), run=plan), on).values(
                "business__subdistrict__station__name", "min_inspections", "max_inspections", "done"):
            s = stations.setdefault(item["business__subdistrict__station__name"] or "—",
                                    {"businesses": 0, "min": 0, "max": 0, "done": 0, "behind": 0})
            s["businesses"] += 1
            s["min"] += item["min_inspections"]
            s["max"] += item["max_inspections"]
            s["done"] += min(item["done"], item["min_inspections"])
            s["behind"] += item["done"] < item["min_inspections"]
    total = {k: sum(s[k] for s in stations.values()) for k in ("businesses", "min", "max", "done", "behind")}
    return {"stations": sorted(stations.items()), "total": total}


def business_progress(business, on: dt.date) -> PlanItem | None:
    """The business's item of the plan in force on the day, with its progress."""
    plan = current_plan(on.year, on)
    if plan is None:
        return None
    return with_progress(PlanItem.objects.filter(run=plan, business=business), on).first()


def decorate(items, on: dt.date) -> list[PlanItem]:
    """Plan items (with_progress) with what a page shows: progress, whether due once more, the full-inspection
    due date and whether it has lapsed by `on`."""
    months = int(rule_value("food.plan.full_inspection_months", on=on))
    out = []
    for item in items:
        item.progress = rules.progress(item.done, item.min_inspections, item.max_inspections)
        item.progress_label = Progress(item.progress).label
        item.due_once_more = rules.due_once_more(item.done, item.min_inspections, item.max_inspections)
        item.full_due = rules.full_inspection_due(item.last_full, item.licensed_since, months)
        item.full_lapsed = rules.full_inspection_lapsed_by(item.last_full, item.licensed_since, months, on)
        out.append(item)
    return out
