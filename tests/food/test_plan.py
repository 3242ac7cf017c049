"""The yearly plan: frequencies by grade, progress (issue 16's acceptance), the to-do's due this month, the
two-year full inspection, and the plan figures with exact drill-downs."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.food import selectors
from jianguan.food.choices import DueFilter, Progress
from jianguan.food.models import FoodGrade, PlanItem
from jianguan.food.rules import expected_by_month
from jianguan.food.services.grading import grade_all, grade_override
from jianguan.food.services.plan import plan_build
from jianguan.inspections.choices import InspectionKind, InspectionResult, InspectionStatus

from .helpers import food_business, inspect

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 1, 1)
TODAY = dt.date(2026, 11, 25)


def planned(org, *businesses_grades):
    """Grade on 1 January, set each business's grade by hand, build the plan."""
    grade_all(year=2026, on=ON, today=TODAY)
    for business, grade in businesses_grades:
        g = FoodGrade.objects.get(business=business)
        if g.grade != grade:
            grade_override(actor=org.users.dept, pk=g.pk, version=g.version, grade=grade, reason="测试设定等级", today=ON)
    plan_build(year=2026, on=ON, today=TODAY)


def item(org, business, on, actor=None):
    plan = selectors.current_plan(on.year, on)
    qs = selectors.plan_list(actor=actor or org.users.dept, plan=plan, on=on).filter(business=business)
    return selectors.decorate(qs, on)[0]


def test_a_business_graded_d_with_3_inspections_done_of_3_to_4_due_shows_as_due_once_more(org):
    d = food_business(org.subs["dongguan"], sector="grocery")
    planned(org, (d, "D"))
    assert PlanItem.objects.get(business=d).min_inspections == 3 and PlanItem.objects.get(business=d).max_inspections == 4
    for day in (dt.date(2026, 2, 3), dt.date(2026, 5, 6), dt.date(2026, 8, 7)):
        inspect(d, day)
    inspect(d, dt.date(2026, 9, 1), kind=InspectionKind.SELF)  # the business's own check does not count
    inspect(d, dt.date(2026, 9, 2), status=InspectionStatus.SCHEDULED)  # not done
    inspect(d, dt.date(2026, 9, 3), result=InspectionResult.NOT_FOUND)  # nobody inspected
    row = item(org, d, dt.date(2026, 10, 1))
    assert (row.done, row.min_inspections, row.max_inspections) == (3, 3, 4)
    assert row.due_once_more and row.progress == Progress.MORE and row.progress_label == "可再检查一次"
    inspect(d, dt.date(2026, 10, 8))
    row = item(org, d, dt.date(2026, 10, 9))
    assert row.done == 4 and not row.due_once_more and row.progress == Progress.DONE


def test_a_business_not_fully_inspected_for_2_years_is_listed(org):
    sub = org.subs["dongguan"]
    stale = food_business(sub, sector="grocery", issued_on=dt.date(2019, 5, 1))
    partial = food_business(sub, sector="grocery", issued_on=dt.date(2019, 5, 1))
    fresh = food_business(sub, sector="grocery", issued_on=dt.date(2019, 5, 1))
    newcomer = food_business(sub, sector="grocery", issued_on=dt.date(2025, 9, 1))
    inspect(stale, dt.date(2024, 3, 1), full=True)  # more than 24 months before
    inspect(stale, dt.date(2026, 2, 1))  # recent, but no checklist: not a full inspection
    inspect(partial, dt.date(2026, 2, 1), answered=2)  # checklist not answered in full
    inspect(fresh, dt.date(2025, 6, 1), full=True)
    planned(org)
    on = dt.date(2026, 5, 10)
    plan = selectors.current_plan(2026, on)
    uncovered = set(selectors.plan_list(actor=org.users.dept, plan=plan, on=on, filters={"uncovered": True})
                    .values_list("business_id", flat=True))
    assert uncovered == {stale.pk, partial.pk, newcomer.pk}
    # the to-do: the 24 months counted from the last full inspection, or from the licence for a newcomer
    due = set(selectors.plan_list(actor=org.users.dept, plan=plan, on=on, filters={"due": DueFilter.ALL})
              .values_list("business_id", flat=True))
    assert stale.pk in due and partial.pk in due and fresh.pk not in due and newcomer.pk not in due
    row = item(org, stale, on)
    assert row.last_full == dt.date(2024, 3, 1) and row.full_lapsed and row.full_due == dt.date(2026, 3, 1)
    values = compute(["food.two_year_coverage"], Params.build(as_of=on.isoformat()))
    assert (values["food.fully_inspected"], values["food.businesses"], values["food.two_year_coverage"]) == (1, 4, Decimal("25.00"))
    assert list(drilldown("food.two_year_coverage", Params.build(as_of=on.isoformat()))) == [fresh]


def test_due_this_month_follows_the_pro_rata_schedule(org):
    sub = org.subs["dongguan"]
    d, b = food_business(sub, sector="grocery"), food_business(sub, sector="grocery")
    for x in (d, b):
        inspect(x, dt.date(2025, 12, 20), full=True)  # the 24 months run to the end of 2027
    planned(org, (d, "D"), (b, "B"))
    assert [expected_by_month(3, m) for m in (3, 4, 8, 12)] == [0, 1, 2, 3]
    assert [expected_by_month(1, m) for m in (11, 12)] == [0, 1]
    plan = selectors.current_plan(2026, dt.date(2026, 4, 10))

    def due(on, which):
        return set(selectors.plan_list(actor=org.users.dept, plan=plan, on=on, filters={"due": which}).values_list("business_id", flat=True))

    assert due(dt.date(2026, 3, 10), DueFilter.ALL) == set()
    assert due(dt.date(2026, 4, 10), DueFilter.MONTH) == {d.pk}  # 1 of 3 due by the end of April
    assert due(dt.date(2026, 5, 10), DueFilter.OVERDUE) == {d.pk}
    inspect(d, dt.date(2026, 5, 11))
    assert due(dt.date(2026, 5, 12), DueFilter.ALL) == set()
    # December: B's one inspection falls due; D, with 1 done, is behind its 2 due by the end of August
    assert due(dt.date(2026, 12, 2), DueFilter.MONTH) == {b.pk}
    assert due(dt.date(2026, 12, 2), DueFilter.OVERDUE) == {d.pk}


def test_plan_done_rate_caps_each_business_at_its_minimum_and_drills_into_the_inspections_counted(org):
    sub = org.subs["dongguan"]
    d, b = food_business(sub, sector="grocery"), food_business(org.subs["xiguan"], sector="grocery")
    planned(org, (d, "D"), (b, "B"))
    counted = [inspect(d, dt.date(2026, m, 5)) for m in (2, 3, 4)]
    inspect(d, dt.date(2026, 6, 5))  # over its minimum of 3
    inspect(d, dt.date(2026, 7, 5), kind=InspectionKind.COMPLAINT)  # complaint verification: not the plan's
    inspect(b, dt.date(2027, 1, 5))  # next year
    as_of = Params.build(as_of="2026-10-31")
    values = compute(["food.plan_done_rate"], as_of)
    assert (values["food.plan_inspections_done"], values["food.plan_due"], values["food.plan_done_rate"]) == (3, 4, Decimal("75.00"))
    assert list(drilldown("food.plan_done_rate", as_of).order_by("date")) == counted
    assert sorted(drilldown("food.plan_due", as_of).values_list("min_inspections", flat=True)) == [1, 3]
    # a station counts its own jurisdiction
    east = compute(["food.plan_done_rate"], as_of, actor=org.users.east)
    assert (east["food.plan_inspections_done"], east["food.plan_due"]) == (3, 3)
    # before the plan was built there is nothing due
    assert compute(["food.plan_due"], Params.build(as_of="2025-12-31"))["food.plan_due"] == 0
