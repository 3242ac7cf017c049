"""Layout, login, home page counts, the provisional-deadline list, admin pages."""

import datetime as dt

import pytest

from jianguan.core.models import ProvisionalDeadline

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db

def test_login_page_is_chinese_and_logs_in(client, org):
    page = client.get("/login/").content.decode()
    assert "用户名" in page and "密码" in page and 'lang="zh-hans"' in page
    resp = client.post("/login/", {"username": "east", "password": "Jianguan#2026"})
    assert resp.status_code == 302 and resp["Location"] == "/"
    bad = client.post("/login/", {"username": "east", "password": "wrong"})
    assert bad.status_code == 200 and "请输入一个正确的" in bad.content.decode()


def test_logout_is_post(client, org):
    client.force_login(org.users.east)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_layout_shows_user_org_role_and_scope(client, org):
    org.users.east.full_name = "王五"
    org.users.east.save()
    client.force_login(org.users.east)
    page = client.get("/").content.decode()
    assert "王五" in page and "东关市场监管所" in page and "监管所人员" in page and "东关市场监管所辖区" in page
    assert "/static/css/jianguan.css" in page and "htmx" in page
    assert "管理后台" not in page and "暂定期限" not in page
    client.force_login(org.users.dept)
    assert "全局" in client.get("/").content.decode()
    client.force_login(org.users.admin)
    page = client.get("/").content.decode()
    assert "管理后台" in page and "暂定期限" in page


def test_home_counts_by_type_and_station(client, org):
    BusinessFactory.create_batch(3, subdistrict=org.subs["dongguan"], entity_type="individual")
    BusinessFactory(subdistrict=org.subs["xiguan"], entity_type="enterprise")
    BusinessFactory(
        subdistrict=org.subs["xiguan"], entity_type="enterprise", reg_status="deregistered", status_date=dt.date(2025, 1, 1)
    )
    client.force_login(org.users.dept)
    resp = client.get("/")
    counts = {c.label: c.n for c in dict(resp.context["figures"])["businesses.active"].counts}
    assert counts == {"存续市场主体合计": 4, "企业": 1, "个体工商户": 3, "农民专业合作社": 0}
    page = resp.content.decode()
    assert "?reg_status=active" in page and "?entity_type=individual&amp;reg_status=active" in page
    # By station: the dashboard's chart (with its table fallback) links each station's list.
    panels = {p["key"]: p for p in resp.context["panels"]}
    by_station = panels["businesses.active_by_station"]
    assert "东关市场监管所" in by_station["categories"]
    assert any("station=S1" in link and "reg_status=active" in link for link in by_station["links"])
    client.force_login(org.users.west)
    assert dict(client.get("/").context["figures"])["businesses.active"].counts[0].n == 1


def test_provisional_deadlines_admin_only(client, org):
    ProvisionalDeadline.objects.create(
        app_label="inspections", object_ref="42", field_name="due_on", start=dt.date(2026, 12, 20),
        working_days=15, due=dt.date(2027, 1, 11),
    )
    for user in (org.users.east, org.users.dept, org.users.leader):
        client.force_login(user)
        assert client.get("/calendar/provisional/").status_code == 403
    client.force_login(org.users.admin)
    resp = client.get("/calendar/provisional/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "2027-01-11" in page and "inspections" in page and "未重算" in page


def test_admin_pages_render(client, org):
    BusinessFactory(subdistrict=org.subs["dongguan"])
    client.force_login(org.users.admin)
    index = client.get("/admin/")
    assert index.status_code == 200 and "监管平台管理后台" in index.content.decode()
    for url in (
        "/admin/core/rule/", "/admin/core/calendarday/", "/admin/core/auditchainlink/", "/admin/core/importbatch/",
        "/admin/org/user/", "/admin/org/apitoken/", "/admin/org/orgunit/", "/admin/businesses/business/",
        "/admin/licences/licence/", "/admin/licences/licencekind/", "/admin/licences/sector/", "/admin/businesses/business/?q=测试",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/admin/org/user/{org.users.east.pk}/change/").status_code == 200
    assert client.get("/admin/businesses/business/add/").status_code == 403


def test_unknown_page_is_a_chinese_404(client, org):
    client.force_login(org.users.east)
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404 and "辖区范围" in resp.content.decode()
