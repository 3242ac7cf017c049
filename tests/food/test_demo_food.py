"""build_food on a small district (the full demo is checked by tests/demo/food_checks.py once the lead wires it)."""

import datetime as dt

import pytest
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.demo.district import build_businesses, build_org
from jianguan.demo.food import build_food
from jianguan.food.conditions import food_licences
from jianguan.food.models import FoodGrade, GradeRun

from .helpers import inspect, licence

pytestmark = pytest.mark.django_db


def test_build_food_grades_twice_overrides_a_school_canteen_and_summarises_in_chinese():
    _, subdistricts, _ = build_org()
    build_businesses(subdistricts, 60, seed=5)
    sectors = ["school_canteen", "grocery", "catering_small", "central_kitchen", "supermarket"]
    for i, business in enumerate(Business.objects.order_by("pk")[:20]):
        licence(business, sector=sectors[i % len(sectors)], issued_on=dt.date(2019, 1, 1), kind="food_production" if i % 7 == 0 else "food_business")
        if i % 3 == 0:
            inspect(business, dt.date(2026, 3, 2 + i % 20), full=True)
    counts = build_food(2026)
    first, last = GradeRun.objects.order_by("graded_on")
    for run in (first, last):
        holders = set(food_licences(run.graded_on).filter(Q(business__reg_status="active") | Q(business__status_date__gt=run.graded_on))
                      .values_list("business_id", flat=True))
        assert run.graded == len(holders) >= 19 and set(run.grades.values_list("business_id", flat=True)) == holders
    assert counts.graded == last.graded
    assert FoodGrade.objects.filter(run__superseded_on__isnull=True, overridden=True, grade="D").count() == 1
    assert counts.planned == first.graded and counts.done > 0
    text = counts.summary()
    assert text.startswith(f"食品安全风险分级：2026年度评定食品生产经营者{counts.graded}户") and "人工调整1户" in text
