"""A member of the public in Chromium: files a complaint, reads the number and the code off the
receipt, tracks it; a text with a script tag comes back as text and never runs."""

import importlib
import re

import pytest
from django.core.cache import cache

from jianguan.complaints.models import Complaint
from jianguan.core.models import Rule

from ..factories import BusinessFactory

pytestmark = pytest.mark.browser
XSS = "<script>window.__xss=1</script>"


@pytest.fixture
def seeded(transactional_db):
    """The complaint rules and the numbering format come from a data migration; a transactional test
    that ran before this one flushed them, so seed them again when missing."""
    from django.apps import apps

    importlib.import_module("jianguan.core.migrations.0004_audit_chain_head").create_head(apps, None)
    if not Rule.objects.filter(key__startswith="complaints.").exists():
        importlib.import_module("jianguan.complaints.migrations.0002_seed_rules_formats").seed(apps, None)
    cache.clear()  # the public pages are rate limited per client; every test comes from 127.0.0.1
    yield
    cache.clear()


@pytest.fixture
def shop(seeded, org):
    return BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])


def fill(page, *, kind: str, content: str, respondent: str = "东关便民超市", name: str = "张小明", phone: str = "13812341234"):
    page.check(f"input[name=kind][value={kind}]")
    page.fill("#id_respondent_name", respondent)
    page.fill("#id_respondent_address", "东关大街1号")
    page.select_option("#id_subdistrict", label="东关街道")
    page.fill("#id_content", content)
    page.fill("#id_amount", "25.80")
    page.fill("#id_complainant_name", name)
    page.fill("#id_complainant_phone", phone)


def test_file_a_complaint_and_track_it(page, live_server, shop, screenshot_dir):
    page.goto(f"{live_server.url}/public/complaints/")
    assert "/login/" not in page.url
    fill(page, kind="complaint", content="在该超市购买的牛奶已过保质期，要求退一赔十。", phone="12345")
    page.click("#complaint-form button[type=submit]")
    row = page.locator("#row-complainant_phone")
    row.locator(".errorlist").wait_for()
    assert "不是有效的中国大陆电话号码" in row.inner_text()
    assert page.input_value("#id_content").startswith("在该超市购买的牛奶") and not Complaint.objects.exists()
    page.screenshot(path=str(screenshot_dir / "jianguan_complaint_form.png"), full_page=True)

    page.fill("#id_complainant_phone", "13812341234")
    page.click("#complaint-form button[type=submit]")
    page.locator("#receipt").wait_for()
    number = page.inner_text("#receipt-number").strip()
    code = page.inner_text("#receipt-code").strip()
    assert Complaint.objects.get().number == number and len(code) == 8
    page.screenshot(path=str(screenshot_dir / "jianguan_complaint_receipt.png"), full_page=True)

    page.click("#receipt a:has-text('查询办理进度')")
    page.wait_for_url(re.compile(r"/public/complaints/track/\?number="))
    assert page.input_value("#id_number") == number  # carried over; the code never is
    page.fill("#id_code", code.lower())
    page.click("#track-form button[type=submit]")
    assert page.inner_text("#progress-status") == "待受理"
    progress = page.inner_text("#progress")
    assert "投诉" in progress and "受理期限" in progress
    assert "张小明" not in page.content() and "牛奶" not in page.content()
    page.screenshot(path=str(screenshot_dir / "jianguan_complaint_track.png"), full_page=True)

    page.fill("#id_number", number)
    page.fill("#id_code", "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY")
    page.click("#track-form button[type=submit]")
    assert "登记编号或查询码不正确" in page.inner_text("#not-found")
    assert page.locator("#progress").count() == 0


def test_a_script_in_the_text_is_shown_and_not_run(page, live_server, shop):
    page.goto(f"{live_server.url}/public/complaints/")
    fill(page, kind="report", content=f"{XSS}无证经营", respondent=f"{XSS}小吃店")
    page.click("#complaint-form button[type=submit]")
    page.locator("#receipt").wait_for()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.inner_text("#receipt-content") == f"{XSS}无证经营"
    assert XSS in page.inner_text("#receipt")
