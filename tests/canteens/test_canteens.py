"""Canteens: 明厨亮灶 changes and their history, evaluations whose problems become findings, the figures (each
equal to its records counted directly, its drill-down exactly them), the pages and the one-stop panel."""

import datetime as dt

import pytest

from jianguan.canteens.choices import ChangeKind, EvaluationResult, MingchuStatus
from jianguan.canteens.models import Canteen, Evaluation, MingchuChange
from jianguan.canteens.services import canteen_update, evaluation_record, mingchu_record
from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.inspections.choices import FindingStatus, InspectionKind, InspectionResult
from jianguan.inspections.models import Finding

from ..inspections.factories import team
from .helpers import licence

pytestmark = pytest.mark.django_db


def d(month, day, year=2026):
    return dt.date(year, month, day)


def test_mingchu_steps_are_kept_and_checked(org):
    lic = licence(org.subs["dongguan"])
    dept = org.users.dept
    mingchu_record(actor=dept, licence_pk=lic.pk, version=0, kind=ChangeKind.BUILT, on=d(3, 1))
    canteen = Canteen.objects.get(licence=lic)
    assert canteen.mingchu_status == MingchuStatus.BUILT and canteen.built_on == d(3, 1)
    with pytest.raises(DomainError) as exc:  # 改接 before any connection
        mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version, kind=ChangeKind.RECONNECTED, on=d(4, 1), platform="甲平台")
    assert exc.value.extra["field"] == "kind"
    with pytest.raises(DomainError) as exc:  # a connection names its platform
        mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version, kind=ChangeKind.CONNECTED, on=d(4, 1))
    assert exc.value.extra["field"] == "platform"
    with pytest.raises(DomainError):  # not before the last step
        mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version, kind=ChangeKind.CONNECTED, on=d(2, 1), platform="甲平台")
    with pytest.raises(ConcurrentEdit):
        mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version - 1, kind=ChangeKind.CONNECTED, on=d(4, 1), platform="甲")
    mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version, kind=ChangeKind.CONNECTED, on=d(4, 1), platform="甲平台")
    canteen.refresh_from_db()
    with pytest.raises(DomainError):  # 改接 goes to a new platform
        mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version, kind=ChangeKind.RECONNECTED, on=d(5, 1), platform="甲平台")
    mingchu_record(actor=dept, licence_pk=lic.pk, version=canteen.version, kind=ChangeKind.RECONNECTED, on=d(5, 1), platform="乙平台")
    canteen.refresh_from_db()
    assert (canteen.mingchu_status, canteen.connected_on, canteen.reconnected_on, canteen.platform) == (
        MingchuStatus.CONNECTED, d(4, 1), d(5, 1), "乙平台")
    assert list(MingchuChange.objects.filter(canteen=canteen).order_by("on").values_list("kind", flat=True)) == [
        ChangeKind.BUILT, ChangeKind.CONNECTED, ChangeKind.RECONNECTED]


def test_connecting_without_a_build_date_builds_on_that_day(org):
    lic = licence(org.subs["dongguan"], "unit_canteen")
    mingchu_record(actor=None, licence_pk=lic.pk, version=None, kind=ChangeKind.CONNECTED, on=d(6, 1), platform="甲平台")
    canteen = Canteen.objects.get(licence=lic)
    assert canteen.built_on == canteen.connected_on == d(6, 1)


def test_who_may_write(org):
    lic = licence(org.subs["dongguan"])
    with pytest.raises(PermissionDenied):
        canteen_update(actor=org.users.west, licence_pk=lic.pk, version=0, school_name="东关小学")
    with pytest.raises(PermissionDenied):
        canteen_update(actor=org.users.leader, licence_pk=lic.pk, version=0, school_name="东关小学")
    canteen = canteen_update(actor=org.users.east, licence_pk=lic.pk, version=0, school_name="东关小学", diners=800)
    assert canteen.school_name == "东关小学" and canteen.diners == 800
    shop = licence(org.subs["dongguan"], "supermarket")
    with pytest.raises(DomainError) as exc:
        canteen_update(actor=org.users.east, licence_pk=shop.pk, version=0, school_name="x")
    assert exc.value.code == "not_a_canteen"


def test_an_evaluations_problems_become_findings_of_its_inspection(org):
    lic = licence(org.subs["dongguan"])
    inspectors = team(org.east)
    e = evaluation_record(actor=inspectors[0], licence_pk=lic.pk, on=d(9, 1), result=EvaluationResult.FAIL, evaluator="区市场监管局、区教体局",
                          problems=["留样不足48小时", "", "从业人员健康证过期"], deadline=d(9, 15), inspectors=inspectors)
    assert e.inspection.kind == InspectionKind.SPECIAL and e.inspection.result == InspectionResult.ORDERED
    findings = Finding.objects.filter(inspection=e.inspection).order_by("pk")
    assert [f.description for f in findings] == ["学校食堂评价验收：留样不足48小时", "学校食堂评价验收：从业人员健康证过期"]
    assert all(f.status == FindingStatus.OPEN and f.deadline == d(9, 15) and f.business_id == lic.business_id for f in findings)
    # Without inspectors the evaluators' own visit is recorded as a third party's
    ok = evaluation_record(actor=org.users.dept, licence_pk=lic.pk, on=d(10, 1), result=EvaluationResult.GOOD, evaluator="第三方评价机构")
    assert ok.inspection.kind == InspectionKind.THIRD_PARTY and ok.inspection.result == InspectionResult.NO_PROBLEM
    assert not ok.inspection.findings.exists()


@pytest.mark.parametrize("kwargs, field", [
    ({"result": EvaluationResult.FAIL, "problems": []}, "problems"),
    ({"result": EvaluationResult.FAIR, "problems": ["餐具消毒不到位"]}, "deadline"),
    ({"result": "bad"}, "result"),
    ({"result": EvaluationResult.GOOD, "evaluator": " "}, "evaluator"),
])
def test_evaluation_input_is_checked(org, kwargs, field):
    lic = licence(org.subs["dongguan"])
    args = {"evaluator": "评价组", **kwargs}
    with pytest.raises(DomainError) as exc:
        evaluation_record(actor=org.users.dept, licence_pk=lic.pk, on=d(9, 1), **args)
    assert exc.value.extra["field"] == field
    assert not Evaluation.objects.exists()


def test_only_school_canteens_are_evaluated(org):
    lic = licence(org.subs["dongguan"], "care_canteen")
    with pytest.raises(DomainError) as exc:
        evaluation_record(actor=org.users.dept, licence_pk=lic.pk, on=d(9, 1), result=EvaluationResult.GOOD, evaluator="评价组")
    assert exc.value.code == "not_a_school_canteen"


@pytest.fixture
def district(org):
    """Canteens in both stations, with 明厨亮灶 steps and evaluations in and out of 2026H1."""
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    s1, s2, s3 = licence(east), licence(east, "kindergarten_canteen"), licence(west)
    o1, o2 = licence(east, "unit_canteen"), licence(west, "care_canteen")
    expired = licence(east, valid_until=d(12, 31, 2025))  # not counted as of 2026
    licence(east, "supermarket")  # not a canteen
    mingchu_record(actor=None, licence_pk=s1.pk, version=None, kind=ChangeKind.BUILT, on=d(1, 10, 2025))
    mingchu_record(actor=None, licence_pk=s1.pk, version=None, kind=ChangeKind.CONNECTED, on=d(2, 1), platform="甲平台")
    mingchu_record(actor=None, licence_pk=s1.pk, version=None, kind=ChangeKind.RECONNECTED, on=d(3, 1), platform="乙平台")
    mingchu_record(actor=None, licence_pk=s1.pk, version=None, kind=ChangeKind.RECONNECTED, on=d(4, 1), platform="丙平台")
    mingchu_record(actor=None, licence_pk=s3.pk, version=None, kind=ChangeKind.CONNECTED, on=d(8, 1), platform="甲平台")  # after H1
    mingchu_record(actor=None, licence_pk=o1.pk, version=None, kind=ChangeKind.CONNECTED, on=d(5, 1), platform="甲平台")
    mingchu_record(actor=None, licence_pk=expired.pk, version=None, kind=ChangeKind.BUILT, on=d(5, 1, 2025))
    canteen_update(actor=None, licence_pk=o2.pk, version=None, school_name="敬老院")  # a record, nothing built
    ev = lambda lic, on, result: evaluation_record(  # noqa: E731
        actor=None, licence_pk=lic.pk, on=on, result=result, evaluator="评价组", problems=["问题"] if result == "fail" else [],
        deadline=on + dt.timedelta(days=10))
    ev(s1, d(3, 1), EvaluationResult.FAIL)
    ev(s1, d(5, 1), EvaluationResult.GOOD)  # latest in H1: passes
    ev(s2, d(4, 1), EvaluationResult.EXCELLENT)
    ev(s2, d(6, 1), EvaluationResult.FAIL)  # latest in H1: fails
    ev(s3, d(7, 15), EvaluationResult.FAIL)  # after H1
    ev(s3, d(2, 1), EvaluationResult.FAIR)  # entered later, earlier date: passes in H1
    return org


KEYS = ["canteens.count", "canteens.school", "canteens.mingchu_built", "canteens.mingchu_rate", "canteens.mingchu_connected",
        "canteens.mingchu_reconnected", "canteens.school_evaluated", "canteens.school_passed", "canteens.school_pass_rate"]


def test_figures_and_their_drilldowns(district):
    params = Params.build(period="2026H1", as_of=d(6, 30))
    v = compute(KEYS, params)
    assert v["canteens.count"] == 5 and v["canteens.count[学校食堂]"] == 3 and v["canteens.count[其他食堂]"] == 2
    assert v["canteens.school"] == 3
    assert v["canteens.mingchu_built"] == 2  # s1 and o1 (s3 connects in August; the expired one is not counted)
    assert v["canteens.mingchu_rate"] == 40 and v["canteens.mingchu_rate[其他食堂]"] == 50
    assert v["canteens.mingchu_connected"] == 2 and v["canteens.mingchu_connected[学校食堂]"] == 1  # s1, o1
    assert v["canteens.mingchu_reconnected"] == 1  # s1 twice: one canteen
    assert v["canteens.school_evaluated"] == 3 and v["canteens.school_passed"] == 2
    assert str(v["canteens.school_pass_rate"]) == "66.67"
    for key in KEYS:
        if not key.endswith("rate"):
            assert drilldown(key, params).count() == v[key], key
    assert drilldown("canteens.count", params, part="学校食堂").count() == 3
    # As of 2025-06-30 the licence expired since was valid, and built, like s1
    past = compute(["canteens.mingchu_rate", "canteens.count"], Params.build(as_of=d(6, 30, 2025), period="2025"))
    assert past["canteens.count"] == 6 and str(past["canteens.mingchu_rate"]) == "33.33"


def test_a_station_counts_its_own(district):
    params = Params.build(period="2026H1", as_of=d(6, 30))
    v = compute(KEYS, params, actor=district.users.west)
    assert v["canteens.count"] == 2 and v["canteens.school_evaluated"] == 1 and v["canteens.mingchu_built"] == 0
    assert drilldown("canteens.count", params, actor=district.users.west).count() == 2


def test_pages(district, client):
    client.force_login(district.users.east)
    page = client.get("/canteens/", {"kind": "school", "mingchu": "none"})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert {lic.sector.code for lic in rows} == {"kindergarten_canteen"}  # s2 (s1 is connected; the expired one hidden)
    assert client.get("/canteens/", {"state": "all", "mingchu": "built"}).context["rows"][0].valid_until == d(12, 31, 2025)
    s2 = rows[0]
    detail = client.get(f"/canteens/{s2.pk}/")
    assert detail.status_code == 200 and "评价验收" in detail.content.decode()
    # record through the forms
    stale = client.post(f"/canteens/{s2.pk}/mingchu/", {"version": "0", "kind": "built", "on": "2026-07-01"}, follow=True)
    assert "已被他人修改" in stale.content.decode()  # the evaluations made the record: version 0 is stale
    response = client.post(f"/canteens/{s2.pk}/mingchu/", {"version": str(detail.context["version"]), "kind": "built", "on": "2026-07-01"})
    assert response.status_code == 302
    assert Canteen.objects.get(licence=s2).mingchu_status == MingchuStatus.BUILT
    response = client.post(f"/canteens/{s2.pk}/evaluate/", {"on": "2026-07-02", "result": "fair", "evaluator": "评价组",
                                                             "problems": "洗消间积水\n", "deadline": "2026-07-20"}, follow=True)
    assert "已转为检查问题" in response.content.decode()
    bad = client.post(f"/canteens/{s2.pk}/evaluate/", {"on": "not a date", "result": "fair", "evaluator": "评价组"}, follow=True)
    assert "请填写评价日期" in bad.content.decode()
    # the other station's canteen is out of reach
    west = next(lic for lic in client.get("/canteens/").context["rows"])
    assert west.business.subdistrict.station_id == district.east.pk
    client.force_login(district.users.west)
    assert client.get(f"/canteens/{s2.pk}/").status_code == 404


def test_one_stop_panel(district, client):
    from jianguan.core.panels import business_page_panels

    lic = Canteen.objects.get(mingchu_status=MingchuStatus.CONNECTED, reconnected_on__isnull=False).licence
    panels = dict(business_page_panels(actor=district.users.dept, business=lic.business, on=d(6, 30)))
    panel = panels["canteens.canteens"]
    assert panel.total == 1 and "明厨亮灶已接入平台" in panel.rows[0].badge and "良好" in panel.rows[0].note
    shop = licence(district.subs["dongguan"], "supermarket")
    assert "canteens.canteens" not in dict(business_page_panels(actor=district.users.dept, business=shop.business, on=d(6, 30)))
