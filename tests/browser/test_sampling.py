"""抽检 in a browser: a station's staff at a market stall enter quick tests on a phone (390px, no horizontal
scrolling, big touch targets, the place and item kept for the next product, a positive offering its
follow-up sample), and at a desk enter a result with several items and the disposal of the unqualified
product, opening its case lead."""

import datetime as dt
import re

import pytest

from jianguan.cases.models import Lead
from jianguan.sampling.choices import Conclusion, DisposalStatus, QuickTestResult
from jianguan.sampling.models import QuickTest, Sample

from ..factories import BusinessFactory
from ..sampling.factories import sampled

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
PASSWORD = "Jianguan#2026"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, user, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}{path}")


def watch_errors(page) -> list[str]:
    """Script errors and console errors; a refused form's 400 answer is the page working, not an error."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "status of 400" not in msg.text else None)
    return errors


def test_quick_tests_at_a_market_stall_on_a_phone(phone, live_server, org, screenshot_dir):
    stall = BusinessFactory(name="东关农贸市场刘记蔬菜摊", subdistrict=org.subs["dongguan"])
    errors = watch_errors(phone)
    log_in(phone, live_server, org.users.east, "/sampling/quicktests/new/")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    # One column: each label above its input; the two result buttons big, side by side.
    label_box = phone.locator("#row-id_place > label").bounding_box()
    input_box = phone.locator("#id_place").bounding_box()
    assert input_box["y"] >= label_box["y"] + label_box["height"] - 1
    negative, positive = phone.locator("#result-negative").bounding_box(), phone.locator("#result-positive").bounding_box()
    assert min(negative["height"], positive["height"]) >= 44 and negative["width"] >= 150 and positive["x"] > negative["x"]
    assert phone.locator("#quicktest-items option").count() >= 5
    for box in phone.locator("#row-id_mode label.choice").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)"):
        assert box >= 44

    phone.fill("#id_place", "东关农贸市场快检室")
    phone.select_option("#id_subdistrict", str(org.subs["dongguan"].pk))
    phone.fill("#id_product", "小白菜")
    phone.fill("#id_item", "农药残留")
    # Enter in a text box records nothing: the default button is disabled.
    phone.locator("#id_product").press("Enter")
    phone.wait_for_timeout(500)
    assert not QuickTest.objects.exists() and phone.input_value("#id_product") == "小白菜"
    phone.screenshot(path=str(screenshot_dir / "jianguan_quicktest_phone.png"), full_page=True)
    phone.locator("#result-negative").tap()
    phone.locator("#last-test").filter(has_text="小白菜").wait_for()
    first = QuickTest.objects.get()
    assert (first.result, first.subdistrict, first.created_by) == (QuickTestResult.NEGATIVE, org.subs["dongguan"], org.users.east)
    # The next product: the place and item kept, the product empty and focused.
    assert phone.input_value("#id_place") == "东关农贸市场快检室" and phone.input_value("#id_item") == "农药残留"
    assert phone.input_value("#id_product") == ""
    assert phone.evaluate("document.activeElement.id") == "id_product"
    phone.fill("#id_product", "韭菜")
    phone.fill("#id_business_uscc", stall.uscc)
    phone.locator("#result-positive").tap()
    phone.locator("#follow-up").wait_for()
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    second = QuickTest.objects.get(product="韭菜")
    assert second.result == QuickTestResult.POSITIVE and second.business == stall
    phone.screenshot(path=str(screenshot_dir / "jianguan_quicktest_positive_phone.png"), full_page=True)

    # 登记跟进抽样: the sample form starts from the stall and the product.
    phone.locator("#follow-up").tap()
    phone.wait_for_url(re.compile(r"/sampling/new/\?quicktest=\d+$"))
    assert phone.input_value("#id_sample_name") == "韭菜" and phone.input_value("#id_business_uscc") == stall.uscc
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    phone.fill("#id_number", "DC26370102770001")
    phone.select_option("#id_business_format", label="农贸市场")
    phone.select_option("#id_food_category", label="食用农产品")
    phone.get_by_role("button", name="登记").tap()
    phone.wait_for_url(re.compile(r"/sampling/\d+/$"))
    second.refresh_from_db()
    assert second.sample == Sample.objects.get(number="DC26370102770001")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    assert errors == []


def test_a_result_with_several_items_and_the_disposal(page, live_server, org, screenshot_dir):
    today = dt.date.today()
    sample = sampled(org, sampled_on=today - dt.timedelta(days=20), sent_on=today - dt.timedelta(days=19))
    errors = watch_errors(page)
    log_in(page, live_server, org.users.east, f"/sampling/{sample.pk}/")

    # The result: 不合格 with three items, the third row added by 再加一项.
    page.locator("#step-result > summary").click()
    page.locator("#form-result label.choice", has_text="不合格").click()
    page.fill("#result_report_on", (today - dt.timedelta(days=2)).isoformat())
    rows = page.locator("#items-table tbody tr")
    start = rows.count()
    for n in range(start):
        rows.nth(n).locator("input").nth(0).fill(f"项目{n + 1}")
    rows.nth(0).locator("input").nth(1).fill("1.2")
    rows.nth(0).locator("input").nth(2).fill("≤0.5")
    rows.nth(0).locator("input").nth(3).fill("g/kg")
    page.get_by_role("button", name="再加一项").click()
    assert rows.count() == start + 1
    added = rows.nth(start).locator("input").nth(0)
    assert added.get_attribute("name") == f"item_{start + 1}_name" and added.input_value() == ""
    added.fill("二氧化硫残留量")
    page.locator("#form-result button[type=submit]").click()
    page.locator(".messages").filter(has_text="不合格").wait_for()
    sample.refresh_from_db()
    assert sample.conclusion == Conclusion.UNQUALIFIED
    assert [i.name for i in sample.items.all()] == [f"项目{n + 1}" for n in range(start)] + ["二氧化硫残留量"]
    assert page.locator("#clock-disposal_due .clock").inner_text().startswith("剩余")

    # A refused disposal keeps the form open with the message next to its field.
    page.locator("#step-dispose > summary").click()
    page.fill("#dispose_removed_qty", "12.5")
    page.locator("#form-dispose button[type=submit]").click()
    page.locator("#errors-dispose_qty_unit").filter(has_text="数量单位").wait_for()
    assert page.locator("#step-dispose").get_attribute("open") is not None
    assert page.input_value("#dispose_removed_qty") == "12.5"

    page.fill("#dispose_qty_unit", "公斤")
    page.fill("#dispose_destroyed_qty", "12.5")
    page.locator("#dispose_stopped_selling").check()
    page.fill("#dispose_cause", "供货商未提供出厂检验报告，进货查验不到位")
    page.fill("#dispose_note", "已下架并监督销毁")
    page.locator("#dispose_open_lead").check()
    page.fill("#dispose_disposed_on", today.isoformat())
    page.screenshot(path=str(screenshot_dir / "jianguan_sample_disposal.png"), full_page=True)
    page.locator("#form-dispose button[type=submit]").click()
    page.locator(".messages").filter(has_text="已完成核查处置").wait_for()
    sample.refresh_from_db()
    lead = Lead.objects.get()
    assert sample.disposal_status == DisposalStatus.DISPOSED and sample.lead == lead and sample.stopped_selling
    assert page.locator("#sample-lead a").get_attribute("href") == f"/cases/leads/{lead.pk}/"
    assert page.locator("#form-dispose").count() == 0 and page.locator("#form-open-lead").count() == 0
    page.locator("#sample-lead a").click()
    page.wait_for_url(f"{live_server.url}/cases/leads/{lead.pk}/")
    assert sample.number in page.locator("#lead-summary").inner_text()
    assert errors == []
