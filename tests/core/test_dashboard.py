"""The dashboard panel registry and the businesses panels: scope, monthly series, constant queries."""

import datetime as dt
import json
import re

import pytest

from jianguan.businesses import dashboard as business_panels
from jianguan.core import dashboard
from jianguan.core.dashboard import PanelRegistry, validate_panel_data

from ..factories import BusinessFactory, SubdistrictFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 15)


def _series(data: dict) -> dict:
    return dict(zip(data["categories"], data["series"][0]["data"], strict=True))


@pytest.fixture
def sample(org):
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    BusinessFactory.create_batch(3, subdistrict=east, entity_type="individual")
    BusinessFactory(subdistrict=org.subs["jiefang"], entity_type="enterprise")
    BusinessFactory(subdistrict=west, entity_type="enterprise")
    BusinessFactory(subdistrict=west, entity_type="cooperative")
    BusinessFactory(subdistrict=west, reg_status="deregistered", status_date=dt.date(2025, 1, 1))
    return org


# --- registry --------------------------------------------------------------------------------------


def test_registry_discovers_app_modules_in_order(org):
    keys = [p.key for p in dashboard.registry.panels()]
    assert keys[:3] == ["businesses.active_by_type", "businesses.active_by_station", "businesses.new_by_month"]
    assert dashboard.registry.get("businesses.new_by_month").wide


def test_core_does_not_import_apps_at_import_time():
    import subprocess
    import sys

    code = (
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'jianguan.settings'; django.setup();"
        "import jianguan.core.dashboard;"
        "print('jianguan.businesses.dashboard' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_registry_register_visible_and_validate(org):
    registry = PanelRegistry(module_name="no_such_dashboard_module")

    @registry.register("demo.b", "乙", order=2)
    def b(actor):
        return {"type": "bar", "categories": ["x"], "series": [{"name": "件数", "data": [1]}], "unit": "件"}

    @registry.register("demo.a", "甲", order=1, visible=lambda actor: actor.role == "station")
    def a(actor):
        return {"type": "pie", "categories": ["x", "y"], "series": [{"name": "件数", "data": [1, 2]}], "unit": "件"}

    assert [p.key for p in registry.panels()] == ["demo.a", "demo.b"]
    assert [p["key"] for p in registry.data(org.users.dept)] == ["demo.b"]
    data = registry.data(org.users.east)
    assert data[0] == {
        "key": "demo.a", "title": "甲", "wide": False, "type": "pie", "categories": ["x", "y"],
        "series": [{"name": "件数", "data": [1, 2]}], "unit": "件", "subtitle": "", "links": None, "stack": False,
    }
    with pytest.raises(ValueError, match="already registered"):
        registry.register("demo.a", "重复")(lambda actor: {})
    registry.unregister("demo.a")
    assert [p.key for p in registry.panels()] == ["demo.b"]


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "radar", "categories": [], "series": [{"name": "n", "data": []}]},
        {"type": "bar", "categories": ["a"], "series": []},
        {"type": "bar", "categories": ["a", "b"], "series": [{"name": "n", "data": [1]}]},
        {"type": "bar", "categories": ["a"], "series": [{"data": [1]}]},
        {"type": "bar", "categories": ["a"], "series": [{"name": "n", "data": [1]}], "links": []},
    ],
)
def test_panel_data_shape_is_checked(bad):
    with pytest.raises(ValueError):
        validate_panel_data("demo", bad)


# --- businesses panels -----------------------------------------------------------------------------


def test_active_by_type_is_scoped(sample):
    dept = business_panels.active_by_type(sample.users.dept)
    assert dept["type"] == "pie" and dept["unit"] == "户"
    assert _series(dept) == {"企业": 2, "个体工商户": 3, "农民专业合作社": 1}
    assert dept["links"][1].endswith("?entity_type=individual&reg_status=active")
    east = business_panels.active_by_type(sample.users.east)
    assert _series(east) == {"企业": 1, "个体工商户": 3, "农民专业合作社": 0}
    assert _series(business_panels.active_by_type(sample.users.west)) == {"企业": 1, "个体工商户": 0, "农民专业合作社": 1}


def test_active_by_station_for_department_and_station(sample):
    dept = business_panels.active_by_station(sample.users.dept)
    assert dept["type"] == "bar" and "按监管所" in dept["title"]
    assert _series(dept) == {"东关市场监管所": 4, "西关市场监管所": 2}
    assert dept["links"][0].endswith("?station=S1&reg_status=active")
    # Station staff see their own subdistricts instead of a single bar.
    east = business_panels.active_by_station(sample.users.east)
    assert "按街道" in east["title"]
    assert _series(east) == {"东关街道": 3, "解放路街道": 1}
    assert east["links"][1].endswith("?subdistrict=370102002&reg_status=active")
    assert _series(business_panels.active_by_station(sample.users.west)) == {"西关街道": 2, "泉城路街道": 0}


def test_new_by_month_series(org):
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    for day in (dt.date(2026, 3, 1), dt.date(2026, 3, 15), dt.date(2025, 4, 30)):
        BusinessFactory(subdistrict=east, established_on=day)
    BusinessFactory(subdistrict=east, established_on=dt.date(2026, 1, 31), reg_status="revoked", status_date=AS_OF)
    BusinessFactory(subdistrict=west, established_on=dt.date(2025, 12, 1))
    BusinessFactory(subdistrict=east, established_on=dt.date(2026, 3, 16))  # after as-of
    BusinessFactory(subdistrict=east, established_on=dt.date(2025, 3, 31))  # 13 months ago

    dept = business_panels.new_by_month(org.users.dept, as_of=AS_OF)
    assert dept["type"] == "line"
    assert dept["categories"][0] == "2025-04" and dept["categories"][-1] == "2026-03" and len(dept["categories"]) == 12
    series = _series(dept)
    assert series["2026-03"] == 2 and series["2025-04"] == 1 and series["2026-01"] == 1 and series["2025-12"] == 1
    assert sum(series.values()) == 5
    assert "2026年3月15日" in dept["subtitle"]
    east = _series(business_panels.new_by_month(org.users.east, as_of=AS_OF))
    assert east["2025-12"] == 0 and sum(east.values()) == 4


def test_month_starts_cross_years():
    assert business_panels.month_starts(dt.date(2026, 1, 31), 3) == [
        dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)
    ]
    assert len(business_panels.month_starts(dt.date(2026, 12, 1))) == 12


@pytest.mark.parametrize("size", [1, 40])
def test_panels_cost_constant_queries(org, size, django_assert_max_num_queries):
    extra = [SubdistrictFactory(station=org.east) for _ in range(size // 10)]
    subs = list(org.subs.values()) + extra
    for i in range(size):
        BusinessFactory(
            subdistrict=subs[i % len(subs)],
            entity_type=("enterprise", "individual", "cooperative")[i % 3],
            established_on=dt.date(2025, 1 + i % 12, 1 + i % 28),
        )
    for user in (org.users.dept, org.users.east):
        with django_assert_max_num_queries(1):
            business_panels.active_by_type(user)
        with django_assert_max_num_queries(2):
            business_panels.active_by_station(user)
        with django_assert_max_num_queries(1):
            business_panels.new_by_month(user, as_of=AS_OF)


# --- home page ---------------------------------------------------------------------------------------


def test_home_embeds_panels_and_echarts(client, sample):
    client.force_login(sample.users.east)
    resp = client.get("/")
    page = resp.content.decode()
    assert "数据看板" in page
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)
    panels = json.loads(match.group(1))
    assert [p["key"] for p in panels][:3] == [
        "businesses.active_by_type", "businesses.active_by_station", "businesses.new_by_month"
    ]
    assert _series(panels[0]) == {"企业": 1, "个体工商户": 3, "农民专业合作社": 0}
    for panel in panels:
        assert f'data-panel="{panel["key"]}"' in page
    assert "/static/vendor/echarts/echarts.min.js" in page and "/static/js/dashboard.js" in page
    assert "cdn" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no remote asset anywhere
    # The headline figures stay, registered by the businesses app (the charts fall back to tables).
    figures = dict(resp.context["figures"])["businesses.active"]
    assert figures.counts[0].label == "存续市场主体合计" and figures.counts[0].n == 4


def test_home_without_echarts_says_so(client, sample, monkeypatch):
    from jianguan.core import views

    monkeypatch.setattr(views, "echarts_available", lambda: False)
    client.force_login(sample.users.dept)
    page = client.get("/").content.decode()
    assert "ECharts 未安装" in page and "make install" in page
    assert "vendor/echarts" not in page and 'id="dashboard-data"' in page


def test_echarts_is_served_from_npm_package(client, org):
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/echarts/echarts.min.js")
    assert path and "node_modules" in str(path)
