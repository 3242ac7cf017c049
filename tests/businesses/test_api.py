import pytest

from jianguan.businesses.models import Business

from ..factories import BusinessFactory, make_uscc

pytestmark = pytest.mark.django_db


def _payload(**over):
    data = {
        "uscc": make_uscc(),
        "name": "济南恒泰商贸有限公司",
        "entity_type": "enterprise",
        "subdistrict_code": "370102001",
        "established_on": "2025-05-01",
    }
    data.update(over)
    return data


def test_create_get_and_patch(client, org):
    client.force_login(org.users.dept)
    created = client.post("/api/v1/businesses/", _payload(), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["entity_type_label"] == "企业" and body["station_name"] == "东关市场监管所"
    got = client.get(f"/api/v1/businesses/{body['uscc']}").json()
    assert got["name"] == "济南恒泰商贸有限公司"
    patched = client.patch(
        f"/api/v1/businesses/{body['uscc']}", {"version": 1, "name": "济南恒泰商贸股份有限公司"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(f"/api/v1/businesses/{body['uscc']}", {"version": 1, "name": "x"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_edit"


@pytest.mark.parametrize(
    ("over", "code", "status"),
    [
        ({"uscc": "91370102000000001X"}, "invalid_uscc", 400),
        ({"subdistrict_code": "999"}, "unknown_subdistrict", 400),
        ({"entity_type": "公司"}, "invalid", 422),
        ({"established_on": "2025-13-45"}, "invalid", 422),
    ],
)
def test_invalid_input_is_a_4xx_with_a_chinese_message(client, org, over, code, status):
    client.force_login(org.users.dept)
    resp = client.post("/api/v1/businesses/", _payload(**over), content_type="application/json")
    assert resp.status_code == status, resp.content
    body = resp.json()
    assert body["code"] == code and set(body) == {"code", "message", "extra"}
    assert not Business.objects.exists()


def test_malformed_json_is_not_a_500(client, org):
    client.force_login(org.users.dept)
    resp = client.post("/api/v1/businesses/", "{not json", content_type="application/json")
    assert 400 <= resp.status_code < 500


def test_list_is_paginated_and_filtered(client, org):
    BusinessFactory.create_batch(3, subdistrict=org.subs["dongguan"], entity_type="individual")
    BusinessFactory(subdistrict=org.subs["xiguan"], entity_type="enterprise")
    client.force_login(org.users.leader)
    body = client.get("/api/v1/businesses/", {"entity_type": "individual"}).json()
    assert body["count"] == 3 and len(body["items"]) == 3
    body = client.get("/api/v1/businesses/", {"station": "S2"}).json()
    assert body["count"] == 1


def test_unauthenticated_api_is_401(client, org):
    resp = client.get("/api/v1/businesses/")
    assert resp.status_code == 401


def test_openapi_and_local_docs(client, org):
    client.force_login(org.users.dept)
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/businesses/" in spec.json()["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower()
