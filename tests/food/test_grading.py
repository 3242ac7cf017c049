"""Food risk grading: who is graded, the static and dynamic factors with the rules in force, the stored
explanation, runs superseding each other as of a date, the override (reason, who, audit) and the command."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.cases.choices import CaseStatus
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.indicators import compute, drilldown
from jianguan.core.models import Rule
from jianguan.core.periods import Params
from jianguan.core.rules import rule_value
from jianguan.credit.models import RiskClassPeriod
from jianguan.food.models import FoodGrade, GradeRun, PlanItem
from jianguan.food.services.grading import grade_all, grade_override
from jianguan.food.services.plan import plan_build
from jianguan.inspections.choices import InspectionResult
from jianguan.sampling.choices import Conclusion

from ..cases.factories import CaseFactory
from ..credit.factories import entry
from ..sampling.factories import SampleFactory
from .helpers import food_business, inspect, licence

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 1, 1)
TODAY = dt.date(2026, 11, 25)


def static(part: str, code: str, on=ON) -> int:
    return int(rule_value(f"food.risk.static.{part}.{code}", on=on))


def pts(key: str, on=ON) -> int:
    return int(rule_value(f"food.risk.points.{key}", on=on))


def grade_for(points: int, on=ON) -> str:
    b, c, d = (int(rule_value(f"food.risk.cutoff_{x}", on=on)) for x in "bcd")
    return "D" if points >= d else "C" if points >= c else "B" if points >= b else "A"


def graded(business, run=None) -> FoodGrade:
    run = run or GradeRun.objects.order_by("-pk").first()
    return FoodGrade.objects.get(run=run, business=business)


def test_only_holders_of_a_valid_food_licence_are_graded_with_the_licence_that_scores_most(org):
    sub = org.subs["dongguan"]
    grocery = food_business(sub, sector="grocery")
    canteen = food_business(sub, sector="grocery")
    licence(canteen, kind="food_business", sector="school_canteen")  # a second licence scores more
    food_business(sub, kind="drug_retail", sector="drug_retail")  # not food
    expired = food_business(sub)
    expired.licences.update(valid_until=dt.date(2025, 12, 31))
    food_business(sub, reg_status="deregistered", status_date=dt.date(2025, 6, 1))  # ended
    food_business(sub, issued_on=dt.date(2026, 3, 1))  # licensed after the grading date
    result = grade_all(year=2026, on=ON, today=TODAY)
    assert set(FoodGrade.objects.values_list("business_id", flat=True)) == {grocery.pk, canteen.pk}
    assert result.graded == 2
    g = graded(canteen)
    assert g.static_points == static("kind", "food_business") + static("sector", "school_canteen")
    assert g.sector.code == "school_canteen"
    assert [f["key"] for f in g.factors] == ["static_kind", "static_sector"]
    assert g.factors[1]["label"] == "主体业态：学校食堂"
    assert graded(grocery).points == static("kind", "food_business") + static("sector", "grocery")


def test_static_factors_rank_production_and_canteens_above_groceries(org):
    sub = org.subs["dongguan"]
    production = food_business(sub, kind="food_production", sector="food_production")
    kitchen = food_business(sub, sector="central_kitchen")
    grocery = food_business(sub, kind="food_prepack_filing", sector="grocery")
    grade_all(year=2026, on=ON, today=TODAY)
    assert graded(production).points > graded(grocery).points
    assert graded(kitchen).points > graded(grocery).points
    assert graded(grocery).grade == "A"
    assert graded(production).grade == grade_for(graded(production).points) != "A"


def test_each_dynamic_factor_counts_from_its_ledger_in_the_look_back(org):
    sub = org.subs["dongguan"]
    b = food_business(sub, sector="grocery")
    on = dt.date(2026, 6, 1)
    inspect(b, dt.date(2026, 3, 2), result=InspectionResult.ORDERED)
    inspect(b, dt.date(2025, 3, 2), result=InspectionResult.ORDERED)  # before the 12-month look-back
    inspect(b, dt.date(2026, 3, 5))  # no problem
    SampleFactory(business=b, subdistrict=sub, conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2026, 2, 1))
    CaseFactory(business=b, status=CaseStatus.DECIDED, filed_on=dt.date(2026, 1, 5), decided_on=dt.date(2026, 2, 10))
    entry(b, listed_on=dt.date(2025, 7, 10))
    RiskClassPeriod.objects.create(business=b, risk_class="D", valid_from=dt.date(2025, 10, 1))
    grade_all(year=2026, on=on, today=TODAY)
    g = graded(b)
    dynamic = {f["key"]: (f["count"], f["points"]) for f in g.factors if not f["key"].startswith("static")}
    assert dynamic == {
        "inspection_problems": (1, pts("inspection_problems", on)),
        "unqualified_sample": (1, pts("unqualified_sample", on)),
        "penalty": (1, pts("penalty", on)),
        "credit_d": (1, pts("credit_d", on)),
        "abnormal": (1, pts("abnormal", on)),
    }
    assert g.dynamic_points == sum(p for _, p in dynamic.values())
    assert g.points == g.static_points + g.dynamic_points
    assert g.computed_grade == g.grade == grade_for(g.points, on)


def test_a_new_rule_version_changes_the_grade_from_its_date(org):
    b = food_business(org.subs["dongguan"], sector="school_canteen")
    grade_all(year=2026, on=ON, today=TODAY)
    before = graded(b)
    Rule.objects.create(key="food.risk.cutoff_b", value=str(before.points + 1), unit="count", label="B级分界",
                        valid_from=dt.date(2026, 3, 1), source_document="测试")
    grade_all(year=2026, on=dt.date(2026, 3, 1), today=TODAY)
    after = graded(b)
    assert before.grade == "B" and after.grade == "A" and after.points == before.points


def test_a_later_run_supersedes_from_its_date_and_the_figure_counts_as_of(org):
    b = food_business(org.subs["dongguan"], sector="school_canteen")
    first = grade_all(year=2026, on=ON, today=TODAY).run
    inspect(b, dt.date(2026, 2, 1), result=InspectionResult.ORDERED)
    CaseFactory(business=b, status=CaseStatus.DECIDED, filed_on=dt.date(2026, 1, 5), decided_on=dt.date(2026, 2, 10))
    second = grade_all(year=2026, on=dt.date(2026, 4, 1), today=TODAY).run
    first.refresh_from_db()
    assert first.superseded_on == dt.date(2026, 4, 1) and second.superseded_on is None
    g1, g2 = graded(b, first), graded(b, second)
    assert g1.grade != g2.grade
    for as_of, want in ((dt.date(2026, 3, 31), g1), (dt.date(2026, 4, 1), g2), (dt.date(2025, 12, 31), None)):
        values = compute(["food.risk_grade"], Params.build(as_of=as_of.isoformat()))
        assert values["food.risk_grade"] == (1 if want else 0)
        if want:
            assert values[f"food.risk_grade[{want.grade}]"] == 1
            assert list(drilldown("food.risk_grade", Params.build(as_of=as_of.isoformat()), part=want.grade)) == [want]
    with pytest.raises(DomainError) as exc:
        grade_all(year=2026, on=dt.date(2026, 3, 1), today=TODAY)
    assert exc.value.code == "before_last_run"


def test_override_needs_a_reason_is_audited_follows_into_the_plan_and_survives_a_regrade(org):
    b = food_business(org.subs["dongguan"], sector="grocery")
    grade_all(year=2026, on=ON, today=TODAY)
    plan_build(year=2026, on=ON, today=TODAY)
    g = graded(b)
    with pytest.raises(DomainError) as exc:
        grade_override(actor=org.users.dept, pk=g.pk, version=g.version, grade="D", reason=" ")
    assert exc.value.extra["field"] == "reason"
    for user in (org.users.leader, org.users.east):
        with pytest.raises(PermissionDenied):
            grade_override(actor=user, pk=g.pk, version=g.version, grade="D", reason="群众反映集中")
    grade_override(actor=org.users.dept, pk=g.pk, version=g.version, grade="D", reason="群众反映集中", today=dt.date(2026, 2, 1))
    g.refresh_from_db()
    assert (g.grade, g.computed_grade, g.overridden, g.override_by, g.override_on) == ("D", "A", True, org.users.dept, dt.date(2026, 2, 1))
    item = PlanItem.objects.get(business=b)
    assert (item.grade, item.min_inspections, item.max_inspections) == ("D", 3, 4)
    log = LogEntry.objects.get_for_object(g).filter(actor=org.users.dept).first()
    assert log is not None and "grade" in log.changes_dict
    with pytest.raises(DomainError) as exc:
        grade_override(actor=org.users.dept, pk=g.pk, version=g.version - 1, grade="C", reason="再调")
    regraded = grade_all(year=2026, on=dt.date(2026, 3, 1), today=TODAY)
    assert regraded.overrides_kept == 1
    assert graded(b).grade == "D" and graded(b).override_reason == "群众反映集中"


def test_the_command_prints_a_chinese_summary_and_refuses_bad_dates(org):
    food_business(org.subs["dongguan"], sector="school_canteen")
    food_business(org.subs["xiguan"], sector="grocery")
    out = io.StringIO()
    call_command("food", "grade", "--year", "2026", "--on", "2026-01-01", stdout=out)
    text = out.getvalue()
    assert "2026年度食品安全风险分级已评定" in text and "食品生产经营者 2 户" in text and "A级 1 户" in text and "B级 1 户" in text
    out = io.StringIO()
    call_command("food", "plan", "--year", "2026", "--on", "2026-01-02", stdout=out)
    text = out.getvalue()
    assert "计划检查 2 户" in text and "东关市场监管所：1 户" in text and "西关市场监管所：1 户" in text
    with pytest.raises(CommandError, match="评定（编制）日期须在"):
        call_command("food", "grade", "--year", "2026", "--on", "2024-05-01", stdout=io.StringIO())
    with pytest.raises(CommandError, match="无法识别"):
        call_command("food", "grade", "--year", "2026", "--on", "昨天", stdout=io.StringIO())
