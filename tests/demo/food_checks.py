"""The demo's food risk grading (checked from test_demo_inspections, so that the demo is built once): every holder
of a valid food licence graded twice in the demo year with the explanation stored, one grade set by hand, the
plan of January with its progress, the figures equal to their drill-downs, and the pages."""

import re

from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.demo.equipment import DEMO_DATE
from jianguan.food.conditions import food_licences
from jianguan.food.models import FoodGrade, GradeRun, PlanItem, PlanRun
from jianguan.org.models import User


def check_food_demo(client, demo: str) -> None:
    assert "食品安全风险分级" in demo
    year = DEMO_DATE.year
    runs = list(GradeRun.objects.filter(year=year).order_by("graded_on"))
    assert len(runs) == 2 and runs[0].superseded_on == runs[1].graded_on == DEMO_DATE
    holders = set(food_licences(DEMO_DATE).filter(business__reg_status="active").values_list("business_id", flat=True))
    graded = set(FoodGrade.objects.filter(run=runs[1]).values_list("business_id", flat=True))
    assert graded and graded <= set(food_licences(DEMO_DATE).values_list("business_id", flat=True)) and holders <= graded
    assert all(g.factors and g.points == sum(f["points"] for f in g.factors) for g in FoodGrade.objects.filter(run=runs[1])[:200])
    override = FoodGrade.objects.get(run=runs[1], overridden=True)
    assert override.grade == "D" and override.override_reason and override.override_by.username == "shipin"
    plan = PlanRun.objects.get(year=year)
    assert PlanItem.objects.filter(run=plan, business=override.business, grade="D", min_inspections=3).exists()

    as_of = Params.build(as_of=DEMO_DATE.isoformat())
    values = compute(["food.risk_grade", "food.plan_done_rate", "food.two_year_coverage"], as_of)
    assert values["food.risk_grade"] == len(graded) == sum(values[f"food.risk_grade[{g}]"] for g in "ABCD")
    assert values["food.risk_grade[A]"] > 0 and values["food.risk_grade[D]"] > 0
    assert 0 < values["food.plan_done_rate"] < 100
    for key in ("food.risk_grade", "food.plan_inspections_done", "food.businesses", "food.fully_inspected"):
        assert drilldown(key, as_of).count() == values[key], key

    client.force_login(User.objects.get(username="shipin"))
    page = client.get("/food/").content.decode()
    assert "评分因素" in page and re.search(r"合计（\d+ 户）", page)
    page = client.get("/food/plan/", {"year": year}).content.decode()
    assert "按监管所" in page and ("可再检查一次" in page or "未达最低频次" in page)
    assert client.get(f"/food/grades/{override.pk}/").status_code == 200
    station = User.objects.get(username="suo1")
    client.force_login(station)
    assert client.get("/food/plan/", {"year": year}).status_code == 200
