"""The demo's 包保 (checked from the demo test, so that the demo is built once): subjects of every grade with
cadres of the matching tier, a year and a half of 督导 with some overdue on the demo date, the figures equal to
their drill-downs, the to-do, the pages and the cadre ledger exported with masked phones."""

from io import BytesIO

from openpyxl import load_workbook

from jianguan.baobao.choices import GRADE_LEVEL, BaobaoGrade
from jianguan.baobao.models import Assignment, GradeRecord, Supervision
from jianguan.baobao.selectors import active_q, grade_on_q
from jianguan.core.indicators import compute, drilldown
from jianguan.core.panels import business_page_panels, todo_items
from jianguan.core.periods import Params
from jianguan.demo.equipment import DEMO_DATE
from jianguan.org.models import User

KEYS = ["baobao.subjects", "baobao.cadres", "baobao.assignments", "baobao.supervised", "baobao.supervision_rate"]


def check_baobao_demo(client, demo: str) -> None:
    assert "包保（两个责任）" in demo
    grades = dict(GradeRecord.objects.filter(grade_on_q(DEMO_DATE)).values_list("business_id", "grade"))
    assert set(grades.values()) == set(BaobaoGrade.values)
    active = Assignment.objects.filter(active_q(DEMO_DATE)).select_related("cadre")
    assert all(GRADE_LEVEL[BaobaoGrade(grades[a.business_id])] == a.cadre.level for a in active)
    assert Assignment.objects.filter(end_on__isnull=False).exists()
    assert not Supervision.objects.filter(on__gt=DEMO_DATE).exists()
    assert Supervision.objects.filter(problem_count__gt=0, rectified=True).exists()
    assert Supervision.objects.filter(problem_count__gt=0, rectified=False).exists()

    params = Params.build(as_of=DEMO_DATE, period=str(DEMO_DATE.year))
    values = compute(KEYS, params)
    for grade in BaobaoGrade.values:
        assert values[f"baobao.subjects[{grade}]"] > 0, values
    assert values["baobao.cadres"] == active.values("cadre").distinct().count()
    assert 50 <= values["baobao.supervision_rate"] < 100, values
    for key in KEYS[:-1]:
        assert drilldown(key, params).count() == values[key], key

    user = User.objects.get(username="shipin")
    todo = dict(todo_items(actor=user, on=DEMO_DATE, until=DEMO_DATE))["baobao.overdue"]
    assert 0 < todo.overdue.n < todo.open.n == values["baobao.assignments"]
    panel = dict(business_page_panels(actor=user, business=active.first().business, on=DEMO_DATE))["baobao.subject"]
    assert panel.rows[0].text.startswith("包保等级")

    client.force_login(user)
    assert client.get("/baobao/").status_code == 200
    assert client.get(f"/baobao/assignments/{active.first().pk}/").status_code == 200
    cadres = client.get("/baobao/cadres/")
    assert cadres.status_code == 200 and cadres.context["rows"]
    sheet = load_workbook(BytesIO(client.get("/baobao/cadres/", {"export": "xlsx"}).content)).active
    phones = [row[4] for row in list(sheet.values)[1:] if row[4]]
    assert phones and all("****" in p for p in phones)
