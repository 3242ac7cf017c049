"""Credit risk class A–D: the scoring from each ledger with the rules in force, what a run writes, the history
counted as of a date, overrides, the command, the monthly job, and the spot-check draw reading the class."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.cases.choices import CaseStatus
from jianguan.complaints.models import Complaint
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.indicators import compute, drilldown
from jianguan.core.models import Rule
from jianguan.core.periods import Params
from jianguan.core.rules import rule_value
from jianguan.credit.choices import EntryStatus, SeriousSource
from jianguan.credit.models import RiskClassPeriod, RiskRun, RiskScore, SeriousEntry
from jianguan.credit.services import risk
from jianguan.credit.services.risk import risk_override_end, risk_override_set, risk_score_all
from jianguan.sampling.choices import Conclusion
from jianguan.spotchecks import services as spot
from jianguan.spotchecks.models import CheckItem, InspectorPool, ObjectPool

from ..cases.factories import CaseFactory
from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from ..inspections.factories import inspector
from ..sampling.factories import SampleFactory
from .factories import AnnualReportFactory, entry

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 8, 1)  # the 2025 window closed on 2026-06-30


def pts(key: str, on: dt.date = ON) -> int:
    return int(rule_value(f"credit.risk.points.{key}", on=on))


def cls_for(points: int, on: dt.date = ON) -> str:
    b, c, d = (int(rule_value(f"credit.risk.cutoff_{x}", on=on)) for x in "bcd")
    return "D" if points >= d else "C" if points >= c else "B" if points >= b else "A"


def biz(org, **kw):
    kw.setdefault("subdistrict", org.subs["dongguan"])
    kw.setdefault("established_on", dt.date(2020, 1, 1))
    return BusinessFactory(**kw)


def filed(business, year=2025, on=dt.date(2026, 3, 1)):
    return AnnualReportFactory(business=business, year=year, filed_on=on)


def penalty(business, decided_on, **kw):
    return CaseFactory(business=business, status=CaseStatus.DECIDED, filed_on=decided_on - dt.timedelta(days=30), decided_on=decided_on,
                       **kw)


def complaint(business, **kw):
    n = Complaint.objects.count() + 1
    return Complaint.objects.create(
        number=f"TS2026{n:05d}", kind=kw.pop("kind", "report"), channel="hotline", received_at=timezone.now(),
        received_on=dt.date(2026, 3, 1), business=business, subdistrict=business.subdistrict, content="举报销售过期食品",
        status="closed", **kw,
    )


@pytest.fixture
def world(org):
    """One business per factor (each filed its 2025 report unless the factor is the missing report), a clean one."""
    w = {}
    w["clean"] = biz(org)
    w["no_report"] = biz(org)
    w["abnormal"] = biz(org)
    entry(w["abnormal"], listed_on=dt.date(2026, 7, 10))
    entry(w["abnormal"], reason="unreachable", report_year=None, listed_on=dt.date(2026, 7, 12))
    entry(w["abnormal"], reason="false_info", report_year=None, listed_on=dt.date(2026, 1, 5), removed_on=dt.date(2026, 2, 1))
    w["serious"] = biz(org)
    case = penalty(w["serious"], dt.date(2022, 1, 10), serious_category="food_drug")
    SeriousEntry.objects.create(business=w["serious"], source=SeriousSource.PENALTY, category="food_drug", case=case,
                                status=EntryStatus.LISTED, proposed_on=dt.date(2024, 1, 1), listed_on=dt.date(2024, 1, 10),
                                list_until=dt.date(2027, 1, 10))
    w["penalties"] = biz(org)
    penalty(w["penalties"], dt.date(2025, 9, 1))
    penalty(w["penalties"], dt.date(2026, 5, 1))
    penalty(w["penalties"], dt.date(2024, 7, 31))  # before the look-back
    penalty(w["penalties"], dt.date(2026, 6, 1), exempt=True, exempt_reason="first_minor")
    w["sample"] = biz(org)
    SampleFactory(business=w["sample"], conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2026, 4, 1))
    SampleFactory(business=w["sample"], conclusion=Conclusion.QUALIFIED, sampled_on=dt.date(2026, 4, 1))
    w["equipment"] = biz(org)
    EquipmentFactory(operator=w["equipment"], subdistrict=w["equipment"].subdistrict, next_due=dt.date(2026, 7, 1))
    EquipmentFactory(operator=w["equipment"], subdistrict=w["equipment"].subdistrict, next_due=dt.date(2026, 9, 1))
    w["complaints"] = biz(org)
    complaint(w["complaints"], filing_decision="filed", decided_on=dt.date(2026, 3, 20))
    complaint(w["complaints"], kind="complaint", mediation_outcome="success", mediation_ended_on=dt.date(2026, 4, 2))
    complaint(w["complaints"], filing_decision="not_filed", decided_on=dt.date(2026, 3, 20))
    w["new"] = biz(org, established_on=dt.date(2026, 3, 1))
    w["ended"] = biz(org, reg_status="deregistered", status_date=dt.date(2026, 5, 1))
    for key, b in w.items():
        if key != "no_report" and b.established_on.year <= 2025:
            filed(b)
    return w


def test_each_factor_scores_from_its_ledger_with_the_rules_in_force(org, world):
    run = risk_score_all(on=ON)
    scores = {s.business_id: s for s in RiskScore.objects.all()}
    expected = {
        "no_report": [("no_annual_report", 1, pts("no_annual_report"))],
        "abnormal": [("abnormal", 2, 2 * pts("abnormal"))],
        "serious": [("serious", 1, pts("serious"))],
        "penalties": [("penalty", 2, 2 * pts("penalty"))],
        "sample": [("unqualified_sample", 1, pts("unqualified_sample"))],
        "equipment": [("overdue_examination", 1, pts("overdue_examination"))],
        "complaints": [("valid_complaint", 2, 2 * pts("valid_complaint"))],
        "new": [("new_business", 1, pts("new_business"))],
    }
    for key, factors in expected.items():
        score = scores[world[key].pk]
        assert [(f["key"], f["count"], f["points"]) for f in score.factors] == factors, key
        total = sum(p for _, _, p in factors)
        assert (score.points, score.computed_class) == (total, cls_for(total)), key
        business = Business.objects.get(pk=world[key].pk)
        assert (business.credit_risk_class, business.credit_risk_class_on) == (cls_for(total), ON), key
    assert world["clean"].pk not in scores  # no points: no row, class A
    assert Business.objects.get(pk=world["clean"].pk).credit_risk_class == "A"
    assert world["ended"].pk not in scores and Business.objects.get(pk=world["ended"].pk).credit_risk_class == ""
    assert "2025年度" in scores[world["no_report"].pk].factors[0]["label"]
    live = Business.objects.filter(reg_status="active").count()
    assert run.scored == live and sum(run.counts.values()) == live


def test_finding_not_rectified_by_its_deadline_scores(org):
    from ..inspections.factories import inspection_with_finding

    late_business, on_time_business = biz(org), biz(org)
    filed(late_business), filed(on_time_business)
    inspection_with_finding(org, business=late_business, date=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 15))
    _, finding, _ = inspection_with_finding(org, business=on_time_business, date=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 15))
    type(finding).objects.filter(pk=finding.pk).update(status="reported", reported_on=dt.date(2026, 6, 10))
    risk_score_all(on=ON)
    late = RiskScore.objects.get(business=late_business)
    assert [(f["key"], f["count"]) for f in late.factors] == [("unrectified_finding", 1)]
    assert not RiskScore.objects.filter(business=on_time_business).exists()


def test_a_new_rule_version_changes_the_class_from_its_date(org, world):
    risk_score_all(on=ON)
    penalised = world["penalties"]
    points = RiskScore.objects.get(business=penalised).points
    Rule.objects.create(key="credit.risk.cutoff_d", label="D类分界", value=str(points), unit="count", valid_from=dt.date(2026, 9, 1),
                        source_document="本局2026年调整")
    assert cls_for(points, dt.date(2026, 8, 31)) != "D"
    risk_score_all(on=dt.date(2026, 8, 31))
    assert Business.objects.get(pk=penalised.pk).credit_risk_class != "D"
    risk_score_all(on=dt.date(2026, 9, 1))
    assert Business.objects.get(pk=penalised.pk).credit_risk_class == "D"


def test_a_run_writes_only_what_changed_and_corrects_a_class_typed_by_hand(org, world):
    first = risk_score_all(on=ON)
    assert first.classes_changed == Business.objects.filter(reg_status="active").count()
    again = risk_score_all(on=dt.date(2026, 8, 2))
    assert (again.scores_written, again.classes_changed) == (0, 0)
    assert RiskClassPeriod.objects.count() == first.classes_changed
    # Someone types another class in the business form: the next run puts the computed one back.
    Business.objects.filter(pk=world["penalties"].pk).update(credit_risk_class="A", updated_at=timezone.now())
    fixed = risk_score_all(on=dt.date(2026, 8, 3))
    assert fixed.classes_changed == 1
    assert Business.objects.get(pk=world["penalties"].pk).credit_risk_class == cls_for(2 * pts("penalty"))
    assert RiskClassPeriod.objects.count() == first.classes_changed  # the class in force did not change
    # A business registered since, already typed in class A, gets its class period (so it is counted as of a date).
    newcomer = biz(org, credit_risk_class="A", credit_risk_class_on=dt.date(2026, 8, 3))
    filed(newcomer)
    risk_score_all(on=dt.date(2026, 8, 3))
    assert RiskClassPeriod.objects.get(business=newcomer).risk_class == "A"
    # The missing report is filed: the points go, the row stays at 0 (its history), the class returns to A.
    filed(world["no_report"], on=dt.date(2026, 8, 3))
    risk_score_all(on=dt.date(2026, 8, 4))
    score = RiskScore.objects.get(business=world["no_report"])
    assert (score.points, score.computed_class, score.factors) == (0, "A", [])


def test_dry_run_writes_nothing(org, world):
    run = risk_score_all(on=ON, dry_run=True)
    assert run.dry_run and run.classes_changed > 0
    assert not RiskScore.objects.exists() and not RiskRun.objects.exists() and not RiskClassPeriod.objects.exists()
    assert not Business.objects.exclude(credit_risk_class="").exists()


def test_classes_counted_as_of_a_date_with_drilldowns(org, world):
    risk_score_all(on=ON)
    later = dt.date(2026, 9, 1)
    penalty(world["sample"], dt.date(2026, 8, 20))
    penalty(world["sample"], dt.date(2026, 8, 21))
    risk_score_all(on=later)
    for day in (dt.date(2026, 7, 31), ON, dt.date(2026, 8, 31), later):
        values = compute(["credit.risk_class"], Params.build(as_of=day))
        expected = {c: 0 for c in "ABCD"}
        if day >= ON:
            for b in Business.objects.filter(reg_status="active"):
                period = RiskClassPeriod.objects.filter(business=b, valid_from__lte=day).order_by("-valid_from").first()
                expected[period.risk_class] += 1
        assert {c: values[f"credit.risk_class[{c}]"] for c in "ABCD"} == expected, day
        for c in "ABCD":
            assert drilldown("credit.risk_class", Params.build(as_of=day), part=c).count() == expected[c]
    sample_on = lambda day: drilldown("credit.risk_class", Params.build(as_of=day)).get(business=world["sample"]).risk_class  # noqa: E731
    assert sample_on(dt.date(2026, 8, 31)) == cls_for(pts("unqualified_sample"))
    assert sample_on(later) == cls_for(pts("unqualified_sample") + 2 * pts("penalty"), later)
    # A station counts its own jurisdiction only.
    west = compute(["credit.risk_class"], Params.build(as_of=later), actor=org.users.west)
    assert west["credit.risk_class"] == 0


def test_override_with_reason_and_its_end(org, world):
    risk_score_all(on=ON)
    b = world["penalties"]
    computed = Business.objects.get(pk=b.pk).credit_risk_class
    with pytest.raises(PermissionDenied):
        risk_override_set(actor=org.users.east, business_pk=b.pk, risk_class="D", reason="多次违法", on=ON)
    with pytest.raises(DomainError, match="调整理由"):
        risk_override_set(actor=org.users.dept, business_pk=b.pk, risk_class="D", reason="  ", on=ON)
    with pytest.raises(DomainError, match="A、B、C、D"):
        risk_override_set(actor=org.users.dept, business_pk=b.pk, risk_class="E", reason="x", on=ON)
    day = dt.date(2026, 8, 10)
    override = risk_override_set(actor=org.users.dept, business_pk=b.pk, risk_class="D", reason="群众反映强烈，拟重点监管", on=day,
                                 today=day)
    assert LogEntry.objects.get_for_object(override).filter(action=LogEntry.Action.CREATE).exists()
    assert (Business.objects.get(pk=b.pk).credit_risk_class, Business.objects.get(pk=b.pk).credit_risk_class_on) == ("D", day)
    with pytest.raises(DomainError, match="已有生效的人工调整"):
        risk_override_set(actor=org.users.dept, business_pk=b.pk, risk_class="C", reason="再调", on=day, today=day)
    # The monthly run keeps the override and counts it.
    run = risk_score_all(on=dt.date(2026, 9, 1))
    assert Business.objects.get(pk=b.pk).credit_risk_class == "D" and run.counts["D"] >= 1
    period = RiskClassPeriod.objects.get(business=b, valid_to__isnull=True)
    assert (period.risk_class, period.overridden, period.valid_from) == ("D", True, day)
    ended = risk_override_end(actor=org.users.dept, pk=override.pk, on=dt.date(2026, 9, 5), today=dt.date(2026, 9, 5))
    assert ended.ended_on == dt.date(2026, 9, 5) and ended.ended_by == org.users.dept
    assert Business.objects.get(pk=b.pk).credit_risk_class == computed
    assert compute(["credit.risk_class"], Params.build(as_of=dt.date(2026, 9, 4)))["credit.risk_class[D]"] >= 1
    assert drilldown("credit.risk_class", Params.build(as_of=dt.date(2026, 9, 5))).get(business=b).risk_class == computed
    with pytest.raises(DomainError, match="已于"):
        risk_override_end(actor=org.users.dept, pk=override.pk, on=dt.date(2026, 9, 5), today=dt.date(2026, 9, 5))


def test_command_and_monthly_job(org, world, monkeypatch):
    out = io.StringIO()
    call_command("credit", "score", "--on", ON.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"存续市场主体 {Business.objects.filter(reg_status='active').count()} 户" in text and "D类" in text
    with pytest.raises(Exception, match="无法识别"):
        call_command("credit", "score", "--on", "八月", stdout=io.StringIO())
    assert RiskRun.objects.count() == 1
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 8, 20))
    assert risk.risk_score_monthly() is None  # already scored this month
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 9, 1))
    assert risk.risk_score_monthly() is not None
    assert risk.risk_score_monthly() is None
    assert list(RiskRun.objects.order_by("run_on").values_list("run_on", flat=True)) == [ON, dt.date(2026, 9, 1)]


def test_spot_check_draw_uses_the_computed_class(org, world):
    """Score, then lock and draw a task whose ratios draw every D and no other class."""
    risk_score_all(on=ON)
    start = dt.date(2026, 9, 1)
    people = [inspector(org.east) for _ in range(4)]
    inspectors = InspectorPool.objects.create(name="执法人员库", department=org.dept, created_on=start)
    inspectors.members.set(people)
    objects = ObjectPool.objects.create(name="辖区企业", department=org.dept, created_on=start)
    plan = spot.plan_create(actor=org.users.dept, year=2026, name="2026年度双随机抽查计划", department=org.dept)
    item = CheckItem.objects.create(code="QY-01", name="企业公示信息抽查", legal_basis="《企业信息公示暂行条例》", method="书面检查")
    task = spot.task_create(actor=org.users.dept, plan=plan, name="高风险企业抽查", object_pool=objects, inspector_pool=inspectors,
                            start=start, end=dt.date(2026, 10, 31), ratios={"A": "0", "B": "0", "C": "0", "D": "1"}, items=[item])
    task = spot.task_lock(actor=org.users.dept, pk=task.pk, version=task.version)
    strata = {e["key"]: e["stratum"] for e in task.pool_snapshot}
    computed = {s.business.uscc: s.computed_class for s in RiskScore.objects.select_related("business")}
    assert {k: v for k, v in strata.items() if v != "A"} == {k: v for k, v in computed.items() if v != "A"}
    task = spot.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness="监督人员王五在场", witness_name="王五")
    drawn = set(task.drawn.values_list("business__uscc", flat=True))
    assert drawn == {k for k, v in computed.items() if v == "D"} and drawn
    assert Decimal(task.ratios["D"]) == 1
