"""Log in, search with a two-character Chinese query, wait for htmx, open the business."""

import re

import pytest

from ..factories import BusinessFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def businesses(transactional_db, org):
    BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"], entity_type="individual", legal_rep="赵六")
    BusinessFactory(name="解放路鲜果超市有限公司", subdistrict=org.subs["jiefang"])
    BusinessFactory(name="解放路五金商店", subdistrict=org.subs["jiefang"])
    BusinessFactory(name="西关惠民超市", subdistrict=org.subs["xiguan"])  # another station's: never shown
    BusinessFactory.create_batch(60, subdistrict=org.subs["dongguan"])
    return org


def test_login_search_and_open_business(page, live_server, businesses, screenshot_dir):
    page.goto(f"{live_server.url}/businesses/")
    assert "/login/" in page.url
    page.fill("#id_username", "east")
    page.fill("#id_password", "Jianguan#2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/businesses/$"))
    assert page.locator("#business-table tbody tr").count() == 50  # first page, no COUNT needed
    assert "东关市场监管所辖区" in page.locator(".topbar").inner_text()

    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true") as info:
        page.locator("#q").press_sequentially("超市", delay=50)
    assert info.value.status == 200
    rows = page.locator("#business-table tbody tr")
    rows.filter(has_text="东关便民超市").wait_for()
    page.wait_for_function("document.querySelectorAll('#business-table tbody tr').length === 2")
    names = rows.locator("td:first-child").all_inner_texts()
    assert sorted(names) == ["东关便民超市", "解放路鲜果超市有限公司"]
    assert "西关惠民超市" not in page.content()
    assert "q=%E8%B6%85%E5%B8%82" in page.url  # hx-push-url: the search is bookmarkable
    page.screenshot(path=str(screenshot_dir / "jianguan_list.png"), full_page=True)

    page.click("text=东关便民超市")
    page.wait_for_url(re.compile(r"/businesses/\d+/$"))
    assert page.locator("h1").inner_text().startswith("东关便民超市")
    assert "赵六" in page.content() and "时间线" in page.content()
    page.screenshot(path=str(screenshot_dir / "jianguan_detail.png"), full_page=True)
