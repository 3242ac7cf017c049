"""The platform API: intake with the platform's number as the key, refusals in Chinese naming the field,
reading scoped to the caller's jurisdiction with personal data masked unless the caller may see it."""

import json

import pytest
from django.contrib.auth.models import Permission

from jianguan.complaints.choices import Channel, Kind, Status
from jianguan.complaints.models import Complaint, Disclosure
from jianguan.complaints.services.handling import complaint_accept, complaint_take
from jianguan.org.auth import api_token_issue

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


@pytest.fixture
def dept_token(org):
    _, raw = api_token_issue(actor=org.users.admin, user=org.users.dept, name="全国12315平台对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def body(shop, **kw) -> dict:
    data = {
        "number": "1237010220260930000123", "received_at": "2026-09-30 10:15:00", "kind": "投诉",
        "respondent_name": shop.name, "respondent_uscc": shop.uscc, "respondent_address": "东关大街1号",
        "subdistrict": "东关街道", "content": "在该超市购买的牛奶已过保质期，要求退一赔十。", "amount": "25.80",
        "complainant_name": "张三", "complainant_phone": "13812341234", "channel_text": "全国12315平台",
    }
    data.update(kw)
    return data


def post(client, data, **auth):
    return client.post(URL, json.dumps(data), content_type="application/json", **auth)


def test_a_platform_registers_an_item_with_its_own_number(client, org, shop, dept_token):
    answer = post(client, body(shop), **dept_token)
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["number"] == "1237010220260930000123" and data["kind"] == Kind.COMPLAINT and data["kind_label"] == "投诉"
    assert (data["channel"], data["channel_text"], data["status"]) == (Channel.API, "全国12315平台", Status.RECEIVED)
    assert data["received_at"] == "2026-09-30T10:15:00+08:00" and data["station_name"] == "东关市场监管所"
    assert data["due"] == data["clocks"][0]["due"] and data["clocks"][0]["field"] == "accept_due"
    assert data["complainant"] == {"name": "张*", "phone": "138****1234", "masked": True}
    assert [e["action"] for e in data["timeline"]] == ["登记"]
    item = Complaint.objects.get()
    assert item.created_by == org.users.dept and item.amount is not None and item.query_digest == ""


@pytest.mark.parametrize("kind", ["report", "举报"])
def test_the_kind_is_a_label_or_a_code(client, org, shop, dept_token, kind):
    answer = post(client, body(shop, kind=kind, complainant_name="", complainant_phone=""), **dept_token)
    assert answer.status_code == 201 and answer.json()["kind"] == Kind.REPORT and answer.json()["status"] == Status.VERIFYING


def test_the_same_number_again_is_a_409_in_chinese(client, org, shop, dept_token):
    assert post(client, body(shop), **dept_token).status_code == 201
    again = post(client, body(shop, content="重发"), **dept_token)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_number" and "已登记" in again.json()["message"]
    assert again.json()["extra"]["field"] == "number"
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"complainant_phone": "12345"}, "complainant_phone", "联系电话"),
        ({"kind": "表扬"}, "kind", "不是投诉、举报或咨询"),
        ({"kind": ""}, "kind", "类型：不能为空"),
        ({"number": " "}, "number", "登记编号：不能为空"),
        ({"number": "X" * 41}, "number", "登记编号：不能超过 40 字"),
        ({"content": ""}, "content", "诉求内容：不能为空"),
        ({"amount": "二十元"}, "amount", "不是金额"),
        ({"received_at": "昨天上午"}, "received_at", "登记时间"),
        ({"received_at": "2099-01-01 00:00:00"}, "received_at", "晚于当前时间"),
        ({"respondent_uscc": "91370102MA3C", "respondent_name": ""}, "respondent_uscc", "统一社会信用代码"),
        ({"subdistrict": "街" * 101}, "subdistrict", "所属街道"),
    ],
)
def test_bad_input_is_refused_in_chinese_naming_the_field(client, org, shop, dept_token, changes, field, message):
    answer = post(client, body(shop, **changes), **dept_token)
    assert answer.status_code == 400, answer.content
    error = answer.json()
    assert error["extra"]["field"] == field and message in error["message"]
    assert Complaint.objects.count() == 0


def test_a_station_and_leadership_may_not_create(client, org, shop):
    for user in (org.users.east, org.users.leader):
        _, raw = api_token_issue(actor=org.users.admin, user=user, name="试用")
        answer = post(client, body(shop), HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert answer.status_code == 403 and "业务科室或系统管理员" in answer.json()["message"]
    client.force_login(org.users.admin)
    assert post(client, body(shop)).status_code == 201
    assert post(client, body(shop)).status_code == 409


def test_anonymous_callers_are_refused(client, org, shop):
    assert post(client, body(shop)).status_code == 401
    assert client.get(URL).status_code == 401


def test_the_list_is_scoped_to_a_stations_items_and_masked(client, org, shop, dept_token):
    post(client, body(shop, number="A-EAST"), **dept_token)
    post(client, body(shop, number="A-WEST", respondent_uscc="", respondent_name="西关某店", subdistrict="西关街道"), **dept_token)
    post(client, body(shop, number="A-TRIAGE", respondent_uscc="", respondent_name="流动摊贩", subdistrict=""), **dept_token)
    listed = client.get(URL, **dept_token).json()
    assert listed["count"] == 3

    _, raw = api_token_issue(actor=org.users.admin, user=org.users.east, name="东关所")
    east = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get(URL, **east).json()
    assert [c["number"] for c in listed["items"]] == ["A-EAST"]
    assert listed["items"][0]["complainant"] == {"name": "张*", "phone": "138****1234", "masked": True}
    assert "13812341234" not in json.dumps(listed, ensure_ascii=False)
    assert client.get(f"{URL}A-WEST", **east).status_code == 404
    assert client.get(f"{URL}A-TRIAGE", **east).json()["code"] == "not_found"
    assert not Disclosure.objects.exists()


def test_the_handler_and_granted_users_see_personal_data_and_it_is_recorded(client, org, shop, dept_token):
    post(client, body(shop, number="A-1"), **dept_token)
    item = Complaint.objects.get()
    complaint_take(actor=org.users.east, pk=item.pk, version=item.version)
    client.force_login(org.users.east)
    one = client.get(f"{URL}A-1").json()
    assert one["complainant"] == {"name": "张三", "phone": "13812341234", "masked": False}
    assert client.get(URL).json()["items"][0]["complainant"]["masked"] is False
    assert list(Disclosure.objects.values_list("user__username", flat=True)) == ["east", "east"]

    assert client.get(URL, **dept_token).json()["items"][0]["complainant"]["masked"] is True
    org.users.dept.user_permissions.add(Permission.objects.get(codename="view_personal_info", content_type__app_label="complaints"))
    assert client.get(URL, **dept_token).json()["items"][0]["complainant"]["masked"] is False


def test_one_item_has_its_status_clocks_and_timeline(client, org, shop, dept_token, today):
    post(client, body(shop, number="A-1", received_at="2026-11-02T09:00:00+08:00"), **dept_token)
    item = Complaint.objects.get()
    item = complaint_take(actor=org.users.east, pk=item.pk, version=item.version)
    complaint_accept(actor=org.users.east, pk=item.pk, version=item.version, note="已电话联系")
    one = client.get(f"{URL}A-1", **dept_token).json()
    assert one["status"] == Status.ACCEPTED and one["status_label"] == "调解中" and one["accepted_on"] == "2026-11-26"
    clocks = {c["field"]: c for c in one["clocks"]}
    assert set(clocks) == {"accept_due", "mediation_due"} and all(c["provisional"] in (True, False) for c in clocks.values())
    assert one["due"] == clocks["mediation_due"]["due"]
    assert [e["action"] for e in one["timeline"]] == ["登记", "承办", "受理"]
    assert one["timeline"][-1]["note"] == "已电话联系" and one["timeline"][0]["to_station"] == "东关市场监管所"
    assert one["handler"] == "east" and one["content"].startswith("在该超市")


def test_the_list_filters_and_refuses_bad_filters(client, org, shop, dept_token):
    post(client, body(shop, number="A-1", received_at="2026-09-01 10:00"), **dept_token)
    post(client, body(shop, number="A-2", kind="咨询", received_at="2026-10-01 10:00"), **dept_token)

    def numbers(**params):
        return [c["number"] for c in client.get(URL, params, **dept_token).json()["items"]]

    assert numbers() == ["A-2", "A-1"]
    assert numbers(kind="inquiry") == ["A-2"] and numbers(kind="投诉") == ["A-1"]
    assert numbers(status=Status.RECEIVED) == ["A-2", "A-1"] and numbers(status=Status.CLOSED) == []
    assert numbers(received_from="2026-09-15") == ["A-2"] and numbers(received_to="2026-09-15") == ["A-1"]
    bad = client.get(URL, {"received_from": "9月1日"}, **dept_token)
    assert bad.status_code == 422 and bad.json()["extra"]["field"] == "received_from" and "不是有效的日期" in bad.json()["message"]
    assert client.get(URL, {"status": "done"}, **dept_token).json()["extra"]["field"] == "status"
    paged = client.get(URL, {"page": 1}, **dept_token).json()
    assert paged["count"] == 2
