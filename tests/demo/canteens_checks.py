"""The demo's canteens (checked from the demo test, so that the demo is built once): every canteen licence has its
record, 明厨亮灶 in every state with the year's 新接入 and 改接, the year's evaluations with findings from the
不合格 ones, the figures equal to their drill-downs, the pages and the one-stop panel."""

import datetime as dt

from jianguan.canteens.choices import ChangeKind, EvaluationResult, MingchuStatus
from jianguan.canteens.models import Canteen, Evaluation, MingchuChange
from jianguan.canteens.selectors import canteen_licences
from jianguan.core.indicators import compute, drilldown
from jianguan.core.panels import business_page_panels
from jianguan.core.periods import Params
from jianguan.demo.equipment import DEMO_DATE
from jianguan.inspections.choices import OWN_KINDS
from jianguan.org.models import User

KEYS = ["canteens.count", "canteens.school", "canteens.mingchu_built", "canteens.mingchu_rate", "canteens.mingchu_connected",
        "canteens.mingchu_reconnected", "canteens.school_evaluated", "canteens.school_passed", "canteens.school_pass_rate"]


def check_canteens_demo(client, demo: str) -> None:
    assert "学校食堂与明厨亮灶" in demo
    licences = canteen_licences()
    assert licences.filter(sector__canteen="school").exists(), "the demo holds no school canteen licence"
    assert Canteen.objects.count() == licences.count()
    assert not Canteen.objects.filter(licence__sector__canteen="school", school_name="").exists()
    assert set(Canteen.objects.values_list("mingchu_status", flat=True)) == set(MingchuStatus.values)
    year = DEMO_DATE.year
    assert MingchuChange.objects.filter(kind=ChangeKind.CONNECTED, on__year=year).exists()
    assert MingchuChange.objects.filter(kind=ChangeKind.RECONNECTED, on__year=year).exists()
    assert not MingchuChange.objects.filter(on__gt=DEMO_DATE).exists() and not Evaluation.objects.filter(on__gt=DEMO_DATE).exists()

    # Evaluations: recorded as inspections of the holder; a 不合格 one's problems are its inspection's findings.
    evaluations = Evaluation.objects.select_related("inspection", "canteen__licence")
    assert evaluations.filter(result=EvaluationResult.FAIL).exists() and evaluations.exclude(result=EvaluationResult.FAIL).exists()
    for e in evaluations:
        assert e.inspection.business_id == e.canteen.licence.business_id and e.inspection.date == e.on
        assert e.inspection.findings.count() == len(e.problem_lines)
        if e.inspection.kind in OWN_KINDS:
            assert e.inspection.inspectors.count() >= 2

    # The figures of the year, each equal to its drill-down; 达标率 near seed 004's 79 %.
    params = Params.build(period=str(year), as_of=DEMO_DATE)
    values = compute(KEYS, params)
    assert values["canteens.school"] > 0 and values["canteens.school_evaluated"] > 0
    assert 50 <= values["canteens.mingchu_rate"] <= 100, values
    assert 55 <= values["canteens.school_pass_rate"] <= 100, values
    assert values["canteens.mingchu_connected"] > 0 and values["canteens.mingchu_reconnected"] > 0
    for key in KEYS:
        if not key.endswith("_rate"):
            assert drilldown(key, params).count() == values[key], key

    # Pages: the list, a school canteen with its evaluations, the one-stop panel.
    user = User.objects.get(username="shipin")
    client.force_login(user)
    page = client.get("/canteens/", {"kind": "school"})
    assert page.status_code == 200 and page.context["rows"]
    evaluated = evaluations.order_by("pk").first()
    detail = client.get(f"/canteens/{evaluated.canteen.licence_id}/")
    assert detail.status_code == 200 and evaluated.get_result_display() in detail.content.decode()
    panels = dict(business_page_panels(actor=user, business=evaluated.canteen.licence.business, on=DEMO_DATE))
    assert panels["canteens.canteens"].total >= 1
    assert dt.date(year, 1, 1) <= evaluated.on <= DEMO_DATE
