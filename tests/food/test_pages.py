"""The /food/ pages (grading list, plan, one grade with the override form), who sees and does what, the Excel
exports, the to-do and the one-stop panel."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jianguan.core.panels import business_page_panels, todo_items
from jianguan.food.models import FoodGrade
from jianguan.food.services.grading import grade_all
from jianguan.food.services.plan import plan_build

from .helpers import food_business, inspect

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(org):
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    east = food_business(org.subs["dongguan"], sector="school_canteen", name="东关学校食堂")
    west = food_business(org.subs["xiguan"], sector="grocery", name="西关食杂店")
    inspect(east, start, full=True)
    grade_all(year=today.year, on=start, today=today)
    plan_build(year=today.year, on=start, today=today)
    return {"east": FoodGrade.objects.get(business=east), "west": FoodGrade.objects.get(business=west)}


def login(client, user):
    client.force_login(user)
    return client


def test_the_grading_list_shows_the_explanation_and_filters_by_grade_and_sector(client, org, graded):
    page = login(client, org.users.dept).get("/food/").content.decode()
    assert "东关学校食堂" in page and "西关食杂店" in page and "主体业态：学校食堂" in page
    page = client.get("/food/", {"sector": "grocery"}).content.decode()
    assert "西关食杂店" in page and "东关学校食堂" not in page
    page = client.get("/food/", {"grade": graded["east"].grade}).content.decode()
    assert "东关学校食堂" in page
    page = client.get("/food/", {"grade": "X", "sector": "nope"}).content.decode()
    assert "风险等级“X”无效" in page and "主体业态“nope”无效" in page


def test_stations_see_their_jurisdiction_and_leadership_reads_only(client, org, graded):
    page = login(client, org.users.east).get("/food/").content.decode()
    assert "东关学校食堂" in page and "西关食杂店" not in page
    assert client.get(f"/food/grades/{graded['west'].pk}/").status_code == 404
    page = client.get("/food/plan/").content.decode()
    assert "东关学校食堂" in page and "西关食杂店" not in page
    page = login(client, org.users.leader).get(f"/food/grades/{graded['west'].pk}/").content.decode()
    assert "override-form" not in page
    response = client.post(f"/food/grades/{graded['west'].pk}/override/", {"grade": "D", "reason": "试图调整", "version": "1"})
    assert response.status_code == 403 and FoodGrade.objects.get(pk=graded["west"].pk).grade == "A"


def test_the_department_overrides_with_a_reason_and_a_stale_form_is_refused(client, org, graded):
    g = graded["west"]
    login(client, org.users.dept)
    response = client.post(f"/food/grades/{g.pk}/override/", {"grade": "C", "reason": "", "version": str(g.version)})
    assert response.status_code == 400 and "请填写调整理由" in response.content.decode()
    response = client.post(f"/food/grades/{g.pk}/override/", {"grade": "C", "reason": "多次被投诉", "version": str(g.version)})
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.grade == "C" and g.override_by == org.users.dept
    response = client.post(f"/food/grades/{g.pk}/override/", {"grade": "D", "reason": "再调", "version": "1"})
    assert response.status_code == 409
    page = client.get(f"/food/grades/{g.pk}/").content.decode()
    assert "多次被投诉" in page and "2–3 次" in page


def test_exports_list_the_grades_and_the_plan(client, org, graded):
    login(client, org.users.dept)
    for url, header in (("/food/?format=xlsx", "评分因素"), ("/food/plan/?format=xlsx", "本年已检次数")):
        response = client.get(url)
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        assert header in rows[0] and len(rows) == 3


def test_the_to_do_and_the_one_stop_panel(org, graded):
    today = timezone.localdate()
    todos = dict(todo_items(actor=org.users.east, on=today, until=today))
    assert "food.plan_due" in todos
    todo = todos["food.plan_due"]
    assert todo.open.url.startswith("/food/plan/") and todo.open.n <= 1
    panels = dict(business_page_panels(actor=org.users.dept, business=graded["east"].business, on=today))
    panel = panels["food.grade"]
    assert "风险等级" in panel.rows[0].text and "检查计划" in panel.rows[1].text
    assert "food.grade" not in dict(business_page_panels(actor=org.users.dept, business=org_business(org), on=today))


def org_business(org):
    from ..factories import BusinessFactory

    return BusinessFactory(subdistrict=org.subs["jinan"])
