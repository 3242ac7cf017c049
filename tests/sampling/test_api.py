"""/api/v1/sampling/: recording samples, their results and quick tests from other systems (token auth, codes
or Chinese names, refusals in Chinese naming the field with a 4xx), and reading samples and quick tests
scoped to the caller's jurisdiction, paged."""

import datetime as dt
import json

import pytest

from jianguan.org.auth import api_token_issue
from jianguan.sampling.choices import Conclusion, DisposalStatus, QuickTestResult
from jianguan.sampling.models import QuickTest, Sample

from ..factories import BusinessFactory
from .factories import QuickTestFactory, SampleFactory, sampled

pytestmark = pytest.mark.django_db


def token(org, user) -> dict:
    _, raw = api_token_issue(actor=org.users.admin, user=user, name="检验机构平台")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, data, auth):
    return client.post(url, json.dumps(data), content_type="application/json", **auth)


@pytest.fixture
def shops(org):
    return {"east": BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"]),
            "west": BusinessFactory(name="西关副食店", subdistrict=org.subs["xiguan"])}


def body(**kw) -> dict:
    data = {"number": "DC26370102880001", "sampled_on": "2026-09-14", "sampling_type": "监督抽检", "business_format": "超市",
            "food_category": "16", "sample_name": "泡菜", "business_uscc": "", "business_name": "", "subdistrict": ""}
    data.update(kw)
    return data


def test_recording_a_sample_and_its_result(client, org, shops):
    auth = token(org, org.users.east)
    answer = post(client, "/api/v1/sampling/samples", body(business_uscc=shops["east"].uscc.lower(), sent_on="2026-09-15"), auth)
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert (data["number"], data["sampling_type"], data["business_format"], data["food_category"]) == (
        "DC26370102880001", "supervision", "超市", "蔬菜制品")
    assert data["business_name"] == "东关便民超市" and data["station_name"] == "东关市场监管所"
    assert data["conclusion"] == "pending" and data["report_due"] > "2026-09-15" and data["items"] == []
    sample = Sample.objects.get()
    assert sample.created_by == org.users.east and sample.business == shops["east"]
    # The report arrives: unqualified, two items.
    result = {"report_on": "2026-09-21", "conclusion": "不合格", "version": data["version"],
              "items": [{"name": "苯甲酸及其钠盐", "measured": "1.2", "standard": "≤0.5", "unit": "g/kg"}, {"name": "二氧化硫残留量"}]}
    answer = post(client, f"/api/v1/sampling/samples/{sample.pk}/result", result, auth)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["conclusion"] == "unqualified" and data["disposal_status"] == DisposalStatus.DISPOSING
    assert [i["name"] for i in data["items"]] == ["苯甲酸及其钠盐", "二氧化硫残留量"] and data["items"][0]["unit"] == "g/kg"
    assert data["service_due"] and data["disposal_due"] == "2026-12-21"
    # The same version again: someone (this call) changed it since.
    again = post(client, f"/api/v1/sampling/samples/{sample.pk}/result", result, auth)
    assert again.status_code == 409 and again.json()["code"] == "concurrent_edit"


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"business_format": "宇宙"}, "business_format", "业态"),
    ({"food_category": "99"}, "food_category", "食品大类"),
    ({"sampling_type": "随便"}, "sampling_type", "不是可选的值"),
    ({"subdistrict": "火星街道", "business_name": "某摊位"}, "subdistrict", "不是本辖区的街道"),
    ({"business_uscc": "91370102MA3C8XXXX0"}, "business_uscc", "校验不通过"),
    ({"business_name": "", "business_uscc": ""}, "business_name", "被抽样单位名称"),
    ({"sample_name": " ", "business_name": "某摊位", "subdistrict": "东关街道"}, "sample_name", "样品名称"),
    ({"sampled_on": "2026-13-45"}, "sampled_on", "不是有效的日期"),
])
def test_refusals_name_the_field(client, org, change, field, words):
    answer = post(client, "/api/v1/sampling/samples", body(**change), token(org, org.users.dept))
    assert 400 <= answer.status_code < 500, answer.content
    data = answer.json()
    # (a value the schema refuses is named by its path in the body, e.g. payload.sampled_on)
    assert set(data) == {"code", "message", "extra"} and data["extra"]["field"].split(".")[-1] == field
    assert words in data["message"]
    assert not Sample.objects.exists()


def test_who_may_record_where(client, org, shops):
    SampleFactory(number="DC26370102880001", business=shops["east"])
    answer = post(client, "/api/v1/sampling/samples", body(business_uscc=shops["east"].uscc), token(org, org.users.dept))
    assert answer.status_code == 400 and answer.json()["code"] == "duplicate_number"
    answer = post(client, "/api/v1/sampling/samples", body(number="N2", business_uscc=shops["east"].uscc), token(org, org.users.west))
    assert answer.status_code == 403 and "不在您的辖区范围内" in answer.json()["message"]
    answer = post(client, "/api/v1/sampling/samples", body(number="N3", business_uscc=shops["east"].uscc), token(org, org.users.leader))
    assert answer.status_code == 403 and "只读" in answer.json()["message"]
    assert Sample.objects.count() == 1


def test_reading_is_scoped_and_filtered(client, org, shops):
    east = SampleFactory(business=shops["east"], conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2026, 8, 1))
    east_ok = SampleFactory(business=shops["east"], sampled_on=dt.date(2026, 7, 1))
    west = SampleFactory(business=shops["west"], sampled_on=dt.date(2026, 6, 1))
    auth = token(org, org.users.east)
    data = client.get("/api/v1/sampling/samples", **auth).json()
    assert [s["id"] for s in data["items"]] == [east.pk, east_ok.pk] and data["count"] == 2
    assert client.get(f"/api/v1/sampling/samples/{west.pk}", **auth).status_code == 404
    dept = token(org, org.users.dept)
    assert client.get("/api/v1/sampling/samples", **dept).json()["count"] == 3
    found = client.get("/api/v1/sampling/samples", {"conclusion": "不合格"}, **dept).json()
    assert [s["id"] for s in found["items"]] == [east.pk]
    found = client.get("/api/v1/sampling/samples", {"sampled_from": "2026-06-15", "food_category": "蔬菜制品"}, **dept).json()
    assert {s["id"] for s in found["items"]} == {east.pk, east_ok.pk}
    answer = client.get("/api/v1/sampling/samples", {"business_format": "宇宙"}, **dept)
    assert answer.status_code == 400 and answer.json()["extra"]["field"] == "business_format"
    answer = client.get("/api/v1/sampling/samples", {"sampled_from": "2026-09-01", "sampled_to": "2026-01-01"}, **dept)
    assert answer.status_code == 400 and answer.json()["extra"]["field"] == "sampled_from"
    detail = client.get(f"/api/v1/sampling/samples/{east.pk}", **dept).json()
    assert detail["disposal_due"] and detail["lead_id"] is None


def test_a_result_outside_the_jurisdiction_is_404(client, org, shops):
    sample = sampled(org)
    answer = post(client, f"/api/v1/sampling/samples/{sample.pk}/result", {"report_on": "2026-09-21", "conclusion": "qualified"},
                  token(org, org.users.west))
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    answer = post(client, f"/api/v1/sampling/samples/{sample.pk}/result", {"report_on": "2026-09-21", "conclusion": "unqualified"},
                  token(org, org.users.east))
    assert answer.status_code == 400 and answer.json()["extra"]["field"] == "items"


def test_quick_tests_from_a_market_station(client, org, shops):
    auth = token(org, org.users.east)
    answer = post(client, "/api/v1/sampling/quicktests", {"tested_on": "2026-09-21", "place": "东关农贸市场快检室", "product": "韭菜",
                                                          "item": "农药残留", "result": "阳性", "business_uscc": shops["east"].uscc},
                  auth)
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert (data["result"], data["result_label"], data["station_name"], data["sample_id"]) == ("positive", "阳性", "东关市场监管所", None)
    test = QuickTest.objects.get()
    assert test.business == shops["east"] and test.result == QuickTestResult.POSITIVE
    answer = post(client, "/api/v1/sampling/quicktests", {"tested_on": "2026-09-21", "place": "市场", "product": "韭菜",
                                                          "item": "农药残留", "result": "可疑", "subdistrict": "东关街道"}, auth)
    assert answer.status_code == 400 and answer.json()["extra"]["field"] == "result"
    answer = post(client, "/api/v1/sampling/quicktests", {"tested_on": "2026-09-21", "place": "市场", "product": "韭菜",
                                                          "item": "农药残留", "result": "negative", "subdistrict": "西关街道"}, auth)
    assert answer.status_code == 403
    QuickTestFactory(subdistrict=org.subs["xiguan"])
    listed = client.get("/api/v1/sampling/quicktests", **auth).json()
    assert [t["id"] for t in listed["items"]] == [test.pk]
    listed = client.get("/api/v1/sampling/quicktests", {"result": "negative"}, **token(org, org.users.dept)).json()
    assert listed["count"] == 1


def test_service_and_disposal_from_another_system(client, org, shops):
    from jianguan.cases.models import Lead

    from .factories import unqualified

    sample = unqualified(org, business=shops["east"], sampled_on=dt.date(2026, 9, 1), report_on=dt.date(2026, 9, 28))
    auth = token(org, org.users.east)
    url = f"/api/v1/sampling/samples/{sample.pk}"
    answer = post(client, f"{url}/service", {"served_on": "2026-09-29", "version": sample.version}, auth)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["served_on"] == "2026-09-29" and data["version"] == sample.version + 1
    # Measures first, with a quantity but no unit: refused, naming the field; then with the unit.
    measures = {"removed_qty": "12", "stopped_selling": True, "version": data["version"]}
    refused = post(client, f"{url}/disposal", measures, auth)
    assert refused.status_code == 400 and refused.json()["extra"]["field"] == "qty_unit" and "数量单位" in refused.json()["message"]
    answer = post(client, f"{url}/disposal", {**measures, "qty_unit": "瓶"}, auth)
    assert answer.status_code == 200 and answer.json()["disposal_status"] == DisposalStatus.DISPOSING
    # Completed: the cause and a lead, opened once.
    done = {"disposed_on": "2026-11-02", "cause": "进货查验不严", "removed_qty": "12", "destroyed_qty": "12", "qty_unit": "瓶",
            "open_lead": True, "version": answer.json()["version"]}
    answer = post(client, f"{url}/disposal", done, auth)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["disposal_status"] == DisposalStatus.DISPOSED and data["disposed_on"] == "2026-11-02" and data["lead_id"]
    again = post(client, f"{url}/disposal", {**done, "version": data["version"]}, auth)
    assert again.status_code == 200 and again.json()["lead_id"] == data["lead_id"]
    assert Lead.objects.filter(source_ref=f"sampling.sample:{sample.pk}").count() == 1
    # Negative quantities are the schema's refusal; another station does not see the sample; leadership reads only.
    negative = post(client, f"{url}/disposal", {**done, "removed_qty": "-1", "version": data["version"] + 1}, auth)
    assert negative.status_code == 422 and "removed_qty" in json.dumps(negative.json()["extra"]), negative.content
    assert post(client, f"{url}/service", {"served_on": "2026-09-29"}, token(org, org.users.west)).status_code == 404
    assert post(client, f"{url}/service", {"served_on": "2026-09-29"}, token(org, org.users.leader)).status_code == 403
