"""A station user sees only businesses in their own subdistricts, by page and by API alike."""

import pytest

from jianguan.org.auth import api_token_issue

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_businesses(org):
    mine = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])
    theirs = BusinessFactory(name="西关惠民超市", subdistrict=org.subs["xiguan"])
    return mine, theirs


def test_station_page_list_shows_only_own_jurisdiction(client, org, two_businesses):
    client.force_login(org.users.east)
    page = client.get("/businesses/", {"q": "超市"}).content.decode()
    assert "东关便民超市" in page
    assert "西关惠民超市" not in page


def test_station_page_detail_outside_scope_is_404(client, org, two_businesses):
    mine, theirs = two_businesses
    client.force_login(org.users.east)
    assert client.get(f"/businesses/{mine.pk}/").status_code == 200
    assert client.get(f"/businesses/{theirs.pk}/").status_code == 404


def test_department_sees_every_station(client, org, two_businesses):
    client.force_login(org.users.dept)
    page = client.get("/businesses/", {"q": "超市"}).content.decode()
    assert "东关便民超市" in page and "西关惠民超市" in page


def test_station_api_token_is_scoped(client, org, two_businesses):
    mine, theirs = two_businesses
    _, raw = api_token_issue(actor=org.users.admin, user=org.users.east, name="网格平台")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get("/api/v1/businesses/", {"q": "超市"}, **auth).json()
    assert [b["uscc"] for b in listed["items"]] == [mine.uscc]
    assert client.get(f"/api/v1/businesses/{mine.uscc}", **auth).status_code == 200
    outside = client.get(f"/api/v1/businesses/{theirs.uscc}", **auth)
    assert outside.status_code == 404
    assert outside.json()["code"] == "not_found"


def test_revoked_token_is_refused(client, org):
    from jianguan.org.auth import api_token_revoke

    token, raw = api_token_issue(actor=org.users.admin, user=org.users.east, name="临时")
    api_token_revoke(actor=org.users.admin, token=token)
    resp = client.get("/api/v1/businesses/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 401
    assert resp.json()["code"] == "unauthorized"


def test_pages_require_login(client, org):
    resp = client.get("/businesses/")
    assert resp.status_code == 302 and "/login/" in resp["Location"]
