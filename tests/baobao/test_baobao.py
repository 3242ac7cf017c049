"""包保: grades over time, cadres (phones masked), assignments and 督导 records; overdue by the level's
frequency rule; the figures (equal to their records, drill-downs exact, a cadre counted once); the to-do,
the panel, the pages and the cadre ledger's export."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from jianguan.baobao.models import GradeRecord
from jianguan.baobao.rules import add_months, is_overdue
from jianguan.baobao.services import (
    assignment_create,
    assignment_end,
    cadre_save,
    grade_set,
    supervision_record,
)
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.indicators import compute, drilldown
from jianguan.core.models import Rule
from jianguan.core.periods import Params

from ..canteens.helpers import licence

pytestmark = pytest.mark.django_db


def d(month, day, year=2026):
    return dt.date(year, month, day)


def subject(sub, sector="catering_small", **kw):
    return licence(sub, sector, **kw).business


def test_add_months_and_overdue():
    assert add_months(d(1, 31), 1) == d(2, 28) and add_months(d(3, 31), -1) == d(2, 28) and add_months(d(1, 15), -2) == d(11, 15, 2025)
    assert not is_overdue(d(1, 15), 1, d(2, 15)) and is_overdue(d(1, 15), 1, d(2, 16))
    assert not is_overdue(d(1, 31), 1, d(2, 28)) and is_overdue(d(1, 31), 1, d(3, 1))


def test_grade_history_and_food_subjects_only(org):
    b = subject(org.subs["dongguan"])
    grade_set(actor=org.users.east, business=b, grade="C", on=d(1, 1))
    grade_set(actor=org.users.east, business=b, grade="B", on=d(5, 1), reason="供应学校")
    old, new = GradeRecord.objects.filter(business=b).order_by("valid_from")
    assert (old.grade, old.valid_until, new.grade, new.valid_until) == ("C", d(4, 30), "B", None)
    with pytest.raises(DomainError):
        grade_set(actor=org.users.east, business=b, grade="A", on=d(3, 1))  # before the grade in force
    with pytest.raises(PermissionDenied):
        grade_set(actor=org.users.west, business=b, grade="A", on=d(6, 1))
    with pytest.raises(PermissionDenied):
        grade_set(actor=org.users.leader, business=b, grade="A", on=d(6, 1))
    shop = licence(org.subs["dongguan"], "drug_retail", kind="drug_retail").business
    with pytest.raises(DomainError) as exc:
        grade_set(actor=org.users.dept, business=shop, grade="C", on=d(6, 1))
    assert exc.value.code == "not_a_food_subject"


def test_cadres_and_assignments_are_checked(org):
    b = subject(org.subs["dongguan"])
    with pytest.raises(DomainError) as exc:
        cadre_save(actor=org.users.east, name="王五", level="village", unit="东关社区")
    assert exc.value.extra["field"] == "subdistrict"
    with pytest.raises(PermissionDenied):  # county cadres are the departments'
        cadre_save(actor=org.users.east, name="赵县长", level="county", unit="区政府")
    with pytest.raises(DomainError) as exc:
        cadre_save(actor=org.users.east, name="王五", level="village", unit="东关社区", subdistrict=org.subs["dongguan"], phone="abc")
    assert exc.value.extra["field"] == "phone"
    cadre = cadre_save(actor=org.users.east, name="王五", level="village", unit="东关社区", subdistrict=org.subs["dongguan"],
                       phone="13812345678")
    assert cadre.masked_phone() == "138****5678"
    with pytest.raises(DomainError) as exc:  # a subject needs its grade first
        assignment_create(actor=org.users.east, business=b, cadre=cadre, start_on=d(1, 1))
    assert exc.value.code == "grade_required"
    grade_set(actor=None, business=b, grade="C", on=d(1, 1))
    a = assignment_create(actor=org.users.east, business=b, cadre=cadre, start_on=d(1, 1))
    with pytest.raises(DomainError):
        assignment_create(actor=org.users.east, business=b, cadre=cadre, start_on=d(3, 1))
    with pytest.raises(DomainError) as exc:
        supervision_record(actor=org.users.east, assignment_pk=a.pk, on=d(2, 1), checked="索证索票", problems=["台账不全"])
    assert exc.value.extra["field"] == "rectified"
    with pytest.raises(DomainError):
        supervision_record(actor=org.users.east, assignment_pk=a.pk, on=d(12, 31, 2025), checked="索证索票")
    supervision_record(actor=org.users.east, assignment_pk=a.pk, on=d(2, 1), checked="索证索票", problems=["台账不全"], rectified=False)
    with pytest.raises(DomainError):
        assignment_end(actor=org.users.east, pk=a.pk, version=a.version, end_on=d(1, 20))  # before its last 督导
    assignment_end(actor=org.users.east, pk=a.pk, version=a.version, end_on=d(3, 1))


@pytest.fixture
def district(org):
    """Two stations. East: an A subject with a county cadre (3 months), a B subject with the same county cadre and a
    township cadre (1 month), and a C subject ended before June. West: a C subject with a village cadre."""
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    a_subj, b_subj, c_ended, w_subj = subject(east), subject(east), subject(east), subject(west)
    licence(east, "catering_small")  # a food subject with no 包保
    for biz, g in ((a_subj, "A"), (b_subj, "B"), (c_ended, "C"), (w_subj, "C")):
        grade_set(actor=None, business=biz, grade=g, on=d(1, 1))
    county = cadre_save(actor=None, name="赵县长", level="county", unit="区政府", post="副区长", phone="13900001111")
    town = cadre_save(actor=None, name="钱主任", level="township", unit="东关街道办事处", subdistrict=east, phone="0531-88881234")
    village = cadre_save(actor=None, name="孙书记", level="village", unit="西关社区", subdistrict=west)
    a1 = assignment_create(actor=None, business=a_subj, cadre=county, start_on=d(1, 1))
    a2 = assignment_create(actor=None, business=b_subj, cadre=county, start_on=d(1, 1))
    a3 = assignment_create(actor=None, business=b_subj, cadre=town, start_on=d(1, 1))
    a4 = assignment_create(actor=None, business=c_ended, cadre=town, start_on=d(1, 1))
    assignment_end(actor=None, pk=a4.pk, version=None, end_on=d(5, 31))
    a5 = assignment_create(actor=None, business=w_subj, cadre=village, start_on=d(1, 1))
    supervision_record(actor=None, assignment_pk=a1.pk, on=d(4, 10), checked="主体责任落实")  # within 3 months of 6-30
    supervision_record(actor=None, assignment_pk=a2.pk, on=d(2, 10), checked="主体责任落实")  # older than 3 months
    supervision_record(actor=None, assignment_pk=a3.pk, on=d(6, 5), checked="日管控")  # within 1 month
    supervision_record(actor=None, assignment_pk=a5.pk, on=d(5, 1), checked="周排查")  # older than 1 month
    org.a = (a1, a2, a3, a4, a5)
    return org


KEYS = ["baobao.subjects", "baobao.cadres", "baobao.assignments", "baobao.supervised", "baobao.supervision_rate"]


def test_figures_and_drilldowns(district):
    params = Params.build(as_of=d(6, 30), period="2026H1")
    v = compute(KEYS, params)
    assert (v["baobao.subjects"], v["baobao.subjects[A]"], v["baobao.subjects[B]"], v["baobao.subjects[C]"]) == (3, 1, 1, 1)
    assert v["baobao.cadres"] == 3  # the county cadre 包保 two subjects: once
    assert v["baobao.assignments"] == 4 and v["baobao.supervised"] == 2
    assert v["baobao.supervision_rate"] == 50 and v["baobao.supervision_rate[县级]"] == 50 and v["baobao.supervision_rate[村级]"] == 0
    for key in KEYS[:-1]:
        assert drilldown(key, params).count() == v[key], key
    assert drilldown("baobao.subjects", params, part="A").count() == 1
    # in May the ended one still counts
    may = compute(["baobao.subjects", "baobao.cadres"], Params.build(as_of=d(5, 15), period="2026H1"))
    assert may["baobao.subjects"] == 4 and may["baobao.subjects[C]"] == 2


def test_station_scope_counts_a_cadre_within_it(district):
    params = Params.build(as_of=d(6, 30), period="2026H1")
    east = compute(KEYS, params, actor=district.users.east)
    assert east["baobao.cadres"] == 2 and east["baobao.subjects"] == 2
    assert drilldown("baobao.cadres", params, actor=district.users.east).count() == 2
    west = compute(["baobao.cadres"], Params.build(as_of=d(6, 30), period="2026H1", scope=f"station:{district.west.code}"))
    assert west["baobao.cadres"] == 1


def test_frequency_is_a_versioned_rule(district):
    Rule.objects.create(key="baobao.supervision_months.county", valid_from=d(6, 1), value="6", unit="month", label="县级",
                        source_document="测试")
    v = compute(["baobao.supervised"], Params.build(as_of=d(6, 30), period="2026H1"))
    assert v["baobao.supervised"] == 3  # the county cadre's February 督导 is within 6 months now


def test_todo_lists_exactly_the_overdue(district, client):
    from jianguan.core.panels import todo_items

    a1, a2, a3, a4, a5 = district.a
    todo = dict(todo_items(actor=district.users.dept, on=d(6, 30), until=d(7, 10)))["baobao.overdue"]
    # overdue: a2 (last 2-10, county 3 months) and a5 (last 5-1, village 1 month); a3 due 7-05 (soon); a1 due 7-10 (soon)
    assert (todo.overdue.n, todo.due_soon.n, todo.open.n) == (2, 2, 4)
    assert "食品主体 5 户，已落实包保 3 户" in todo.hint
    west = dict(todo_items(actor=district.users.west, on=d(6, 30), until=d(7, 10)))["baobao.overdue"]
    assert (west.overdue.n, west.open.n) == (1, 1)


def test_pages_and_export(district, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: d(6, 30))
    a1, a2, a3, a4, a5 = district.a
    client.force_login(district.users.dept)
    page = client.get("/baobao/", {"due": "overdue"})
    assert page.status_code == 200 and {a.pk for a in page.context["rows"]} == {a2.pk, a5.pk}
    assert {a.pk for a in client.get("/baobao/", {"grade": "B"}).context["rows"]} == {a2.pk, a3.pk}
    assert {a.pk for a in client.get("/baobao/", {"state": "ended"}).context["rows"]} == {a4.pk}
    detail = client.get(f"/baobao/assignments/{a2.pk}/")
    assert detail.status_code == 200 and detail.context["overdue"]
    response = client.post(f"/baobao/assignments/{a2.pk}/supervisions/", {"on": "2026-06-30", "checked": "检查", "rectified": ""})
    assert response.status_code == 302
    assert {a.pk for a in client.get("/baobao/", {"due": "overdue"}).context["rows"]} == {a5.pk}
    bad = client.post(f"/baobao/assignments/{a2.pk}/supervisions/", {"on": "", "checked": "检查"}, follow=True)
    assert "请填写督导日期" in bad.content.decode()
    cadres = client.get("/baobao/cadres/")
    body = cadres.content.decode()
    assert "139****1111" in body and "13900001111" not in body
    xlsx = client.get("/baobao/cadres/", {"export": "xlsx"})
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("姓名", "层级", "工作单位", "职务", "联系电话")
    phones = {r[0]: r[4] for r in rows[1:]}
    assert phones["赵县长"] == "139****1111" and phones["钱主任"] == "0531-****1234"
    assert {r[0]: r[6] for r in rows[1:]}["赵县长"] == 2
    # a station does not reach the other's assignment
    client.force_login(district.users.west)
    assert client.get(f"/baobao/assignments/{a1.pk}/").status_code == 404
    assert {c.name for c in client.get("/baobao/cadres/").context["rows"]} == {"赵县长", "孙书记"}
    # a station creates an assignment for its subject through the form
    response = client.post("/baobao/assignments/new/", {"uscc": a5.business.uscc, "cadre": a1.cadre_id, "start_on": "2026-06-30"})
    assert response.status_code == 302 and a5.business.baobao_assignments.count() == 2


def test_one_stop_panel(district):
    from jianguan.core.panels import business_page_panels

    a1, a2, a3, a4, a5 = district.a
    panel = dict(business_page_panels(actor=district.users.dept, business=a2.business, on=d(6, 30)))["baobao.subject"]
    texts = [r.text for r in panel.rows]
    assert texts[0].startswith("包保等级：B级") and any("赵县长" in t for t in texts) and any("钱主任" in t for t in texts)
    assert [c.n for c in panel.counts] == [2, 1]
    plain = licence(district.subs["dongguan"], "catering_small").business
    assert "baobao.subject" not in dict(business_page_panels(actor=district.users.dept, business=plain, on=d(6, 30)))
