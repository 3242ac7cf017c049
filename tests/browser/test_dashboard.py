"""Log in, open the home page, wait for every dashboard chart to be drawn by ECharts."""

import datetime as dt
import re

import pytest

from ..factories import BusinessFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def businesses(transactional_db, org):
    today = dt.date.today()
    subs = list(org.subs.values())
    types = ("enterprise", "individual", "individual", "cooperative")
    for i in range(48):
        month = (today.month - 1 - i % 12) % 12 + 1
        year = today.year - (1 if month > today.month else 0)
        BusinessFactory(
            subdistrict=subs[i % len(subs)], entity_type=types[i % len(types)], established_on=dt.date(year, month, 1)
        )
    return org


@pytest.mark.parametrize("username", ["dept", "east"])
def test_home_dashboard_renders_charts(page, live_server, businesses, screenshot_dir, username):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("response", lambda resp: failed.append(resp.url) if resp.status >= 400 else None)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Jianguan#2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert "数据看板" in page.locator("#dashboard-title").inner_text()
    assert page.locator("#dashboard-no-charts").count() == 0

    charts = page.locator(".chart[data-panel]")
    assert charts.count() >= 3
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart[data-panel]')).every("
        "el => el.dataset.rendered === '1' && el.querySelector('canvas, svg'))"
    )
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["height"] >= 250 and box["width"] >= 300
    # ECharts is the npm package's file, served locally.
    assert page.evaluate("typeof window.echarts.version") == "string"
    assert page.locator('[data-total-for="businesses.active_by_type"]').inner_text().replace("\n", "").startswith("总计")
    if username == "east":
        assert "按街道" in page.locator(".chart-card", has=page.locator('[data-panel="businesses.active_by_station"]')).inner_text()
    page.screenshot(path=str(screenshot_dir / f"jianguan_dashboard_{username}.png"), full_page=True)
    assert errors == [] and failed == []


def test_home_without_echarts_shows_tables(page, live_server, businesses, monkeypatch):
    from jianguan.core import views

    monkeypatch.setattr(views, "echarts_available", lambda: False)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "dept")
    page.fill("#id_password", "Jianguan#2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert "ECharts 未安装" in page.locator("#dashboard-no-charts").inner_text()
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart[data-panel]')).every(el => el.dataset.rendered === 'table')"
    )
    table = page.locator('.chart[data-panel="businesses.active_by_type"] table')
    assert "个体工商户" in table.inner_text() and "24" in table.inner_text()
    assert errors == []
