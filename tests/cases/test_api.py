"""/api/v1/cases/: lead intake from other systems (token auth, refusals in Chinese naming the field, the
same reference twice a 409) and reading leads and cases scoped to the caller's jurisdiction, paged, with
a person's name and ID number masked unless the caller may see them."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Permission

from jianguan.cases.choices import CaseStatus, LeadSource, LeadStatus, RespondentKind
from jianguan.cases.models import Lead
from jianguan.org.auth import api_token_issue

from ..factories import BusinessFactory
from .factories import CaseFactory, LeadFactory, officers

pytestmark = pytest.mark.django_db
ID_NO = "370102199001011234"


def token(org, user) -> dict:
    _, raw = api_token_issue(actor=org.users.admin, user=user, name="卫健委移送平台")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def shops(org):
    return {"east": BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"]),
            "west": BusinessFactory(name="西关副食店", subdistrict=org.subs["xiguan"])}


def post(client, data, auth):
    return client.post("/api/v1/cases/leads", json.dumps(data), content_type="application/json", **auth)


def body(**kw) -> dict:
    data = {"source": "移送", "reference": "测卫移〔2026〕7号", "received_on": "2026-09-21",
            "summary": "卫健部门移送：该店疑似销售假冒药品", "respondent_name": "", "respondent_uscc": "", "subdistrict": "",
            "category": "药品"}
    data.update(kw)
    return data


def test_another_system_transfers_a_lead(client, org, shops):
    auth = token(org, org.users.dept)
    answer = post(client, body(respondent_uscc=shops["east"].uscc.lower()), auth)
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert (data["source"], data["source_name"], data["source_label"]) == ("transfer", "移送", "测卫移〔2026〕7号")
    assert data["respondent"]["name"] == "东关便民超市" and data["station_name"] == "东关市场监管所"
    assert data["category"] == "drug" and data["status"] == "pending" and data["decision_due"] > "2026-09-21"
    lead = Lead.objects.get()
    assert lead.business == shops["east"] and lead.created_by == org.users.dept
    # Resent after a timeout: refused, not registered twice.
    again = post(client, body(respondent_uscc=shops["east"].uscc), auth)
    assert again.status_code == 409 and again.json()["extra"] == {"field": "reference", "id": lead.pk}
    assert "已登记" in again.json()["message"] and Lead.objects.count() == 1


def test_a_person_reported_by_another_system(client, org):
    answer = post(client, body(reference="", respondent_name="张三丰", respondent_kind="自然人", respondent_id_no=ID_NO,
                               subdistrict="370102001", source="assigned"), token(org, org.users.dept))
    assert answer.status_code == 201, answer.content
    assert answer.json()["respondent"] == {"kind": "person", "name": "张**", "uscc": "", "id_no": "3701**********1234",
                                           "masked": True}
    lead = Lead.objects.get()
    assert (lead.respondent_name, lead.respondent_id_no, lead.subdistrict) == ("张三丰", ID_NO, org.subs["dongguan"])


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"source": "投诉举报"}, "source", "不是可选的值"),
    ({"source": "nonsense"}, "source", "移送"),
    ({"summary": " ", "respondent_name": "某公司"}, "summary", "线索内容"),
    ({"respondent_name": ""}, "respondent_name", "当事人名称"),
    ({"respondent_name": "某公司", "respondent_uscc": "91370102MA3C8XXXX0"}, "respondent_uscc", "校验不通过"),
    ({"respondent_name": "某公司", "subdistrict": "火星街道"}, "subdistrict", "不是本辖区的街道"),
    ({"respondent_name": "某公司", "category": "航天"}, "category", "案件类别"),
    ({"respondent_name": "某公司", "respondent_kind": "robot"}, "respondent_kind", "当事人类型"),
    ({"received_on": "2026-13-45"}, "received_on", "不是有效的日期"),
])
def test_refusals_name_the_field_in_chinese(client, org, change, field, words):
    answer = post(client, body(**change), token(org, org.users.dept))
    assert answer.status_code in (400, 422), answer.content
    data = answer.json()
    assert set(data) == {"code", "message", "extra"} and data["extra"]["field"] == field and words in data["message"]
    assert not Lead.objects.exists()


def test_leadership_cannot_send_and_a_station_only_in_its_jurisdiction(client, org, shops):
    answer = post(client, body(respondent_uscc=shops["east"].uscc), token(org, org.users.leader))
    assert answer.status_code == 403 and "只读" in answer.json()["message"]
    answer = post(client, body(respondent_uscc=shops["west"].uscc), token(org, org.users.east))
    assert answer.status_code == 403 and "不在您的辖区范围内" in answer.json()["message"]
    assert post(client, body(respondent_uscc=shops["east"].uscc), token(org, org.users.east)).status_code == 201
    assert client.post("/api/v1/cases/leads", json.dumps(body()), content_type="application/json").status_code == 401


def test_leads_are_read_by_jurisdiction_pending_first(client, org, shops):
    late = LeadFactory(business=shops["east"], received_on=dt.date(2026, 8, 3))
    early_pending = LeadFactory(business=shops["east"], received_on=dt.date(2026, 9, 1))
    filed = LeadFactory(business=shops["east"], received_on=dt.date(2026, 7, 1), status=LeadStatus.FILED, decided_on=dt.date(2026, 7, 2))
    case = CaseFactory(business=shops["east"], lead=filed)
    west = LeadFactory(business=shops["west"], source=LeadSource.TRANSFER)
    answer = client.get("/api/v1/cases/leads", **token(org, org.users.east))
    assert answer.status_code == 200
    data = answer.json()
    assert [row["id"] for row in data["items"]] == [early_pending.pk, late.pk, filed.pk] and data["count"] == 3
    assert data["items"][2]["case_number"] == case.number and data["items"][0]["case_number"] is None
    dept = token(org, org.users.dept)
    assert [r["id"] for r in client.get("/api/v1/cases/leads", {"source": "移送"}, **dept).json()["items"]] == [west.pk]
    assert [r["id"] for r in client.get("/api/v1/cases/leads", {"status": "filed"}, **dept).json()["items"]] == [filed.pk]
    assert client.get(f"/api/v1/cases/leads/{west.pk}", **token(org, org.users.east)).status_code == 404
    assert client.get(f"/api/v1/cases/leads/{west.pk}", **dept).json()["source"] == "transfer"
    bad = client.get("/api/v1/cases/leads", {"status": "unknown"}, **dept)
    assert bad.status_code == 400 and bad.json()["extra"]["field"] == "status"


def test_cases_are_read_by_jurisdiction_with_their_detail(client, org, shops):
    team = officers(org.east)
    person = CaseFactory(business=None, respondent_kind=RespondentKind.PERSON, respondent_name="李四", respondent_id_no=ID_NO,
                         subdistrict=org.subs["dongguan"], officers=team, filed_on=dt.date(2026, 8, 1))
    decided = CaseFactory(business=shops["east"], filed_on=dt.date(2026, 6, 1), status=CaseStatus.DECIDED,
                          decided_on=dt.date(2026, 7, 1), penalty_kinds=["warning", "fine"], fine_amount=5000,
                          confiscated_income=1200, decision_number="测市监罚〔2026〕3号")
    west = CaseFactory(business=shops["west"])
    east = token(org, org.users.east)
    data = client.get("/api/v1/cases/", **east).json()
    assert [row["id"] for row in data["items"]] == [person.pk, decided.pk]
    assert data["items"][0]["respondent"]["name"] == "李*" and data["items"][0]["respondent"]["masked"]
    row = data["items"][1]
    assert row["penalty_labels"] == ["警告", "罚款"] and row["penalty_amount"] in ("6200.00", "6200", 6200)
    # An officer of the case sees the person in full, in the list and the detail.
    officer = token(org, team[0])
    assert client.get("/api/v1/cases/", **officer).json()["items"][0]["respondent"]["name"] == "李四"
    detail = client.get(f"/api/v1/cases/{person.pk}", **officer).json()
    assert detail["respondent"]["id_no"] == ID_NO and sorted(detail["officers"]) == sorted(u.full_name for u in team)
    assert client.get(f"/api/v1/cases/{west.pk}", **east).status_code == 404
    dept = token(org, org.users.dept)
    assert {r["id"] for r in client.get("/api/v1/cases/", {"q": "西关副食"}, **dept).json()["items"]} == {west.pk}
    assert [r["id"] for r in client.get("/api/v1/cases/", {"status": "已决定"}, **dept).json()["items"]] == [decided.pk]
    assert client.get("/api/v1/cases/", {"year": 2025}, **dept).json()["count"] == 0
    org.users.dept.user_permissions.add(Permission.objects.get(codename="view_personal_info", content_type__app_label="cases"))
    assert client.get(f"/api/v1/cases/{person.pk}", **dept).json()["respondent"]["name"] == "李四"


def test_the_api_is_in_the_openapi_schema(client, org):
    client.force_login(org.users.dept)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/cases/", "/api/v1/cases/leads", "/api/v1/cases/leads/{pk}", "/api/v1/cases/{pk}"} <= set(paths)
