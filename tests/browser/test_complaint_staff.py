"""A station user in Chromium: a complaint whose text carries a script tag and an onerror image shows
that text literally on the queue and the detail page and runs none of it; the user then accepts the
complaint and ends the mediation through the page's forms."""

import importlib
from decimal import Decimal

import pytest

from jianguan.complaints.choices import Channel, Kind, MediationOutcome, Status
from jianguan.complaints.models import Complaint
from jianguan.complaints.services.intake import complaint_receive
from jianguan.core.models import Rule

from ..factories import BusinessFactory

pytestmark = pytest.mark.browser
PASSWORD = "Jianguan#2026"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


@pytest.fixture
def seeded(transactional_db):
    """The complaint rules and the numbering format come from a data migration; a transactional test
    that ran before this one flushed them, so seed them again when missing."""
    from django.apps import apps

    importlib.import_module("jianguan.core.migrations.0004_audit_chain_head").create_head(apps, None)
    if not Rule.objects.filter(key__startswith="complaints.").exists():
        importlib.import_module("jianguan.complaints.migrations.0002_seed_rules_formats").seed(apps, None)


@pytest.fixture
def complaint(seeded, org) -> Complaint:
    shop = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])
    return complaint_receive(
        actor=org.users.dept, kind=Kind.COMPLAINT, channel=Channel.HOTLINE, respondent_name=shop.name, respondent_uscc=shop.uscc,
        respondent_address="东关大街1号", content=f"{XSS} 牛奶过期，要求退款。", amount="25.80", complainant_name="张三",
        complainant_phone="13812341234",
    )


def test_station_user_sees_the_text_literally_and_mediates_through_the_forms(page, live_server, org, complaint, screenshot_dir):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The refused submission below answers 400 on purpose; Chromium logs that as a console error.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "status of 400" not in msg.text else None)

    page.goto(f"{live_server.url}/complaints/")
    page.fill("#id_username", org.users.east.username)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/complaints/")

    row = page.locator(f"#c-{complaint.pk}")
    assert "<script>window.__xss=1</script>" in row.inner_text()  # the summary shows the text as typed
    assert "张*" in row.inner_text() and "张三" not in row.inner_text()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#complaint-table script, #complaint-table img").count() == 0
    page.screenshot(path=str(screenshot_dir / "jianguan_complaint_queue.png"), full_page=True)

    row.get_by_role("link", name=complaint.number).click()
    page.wait_for_url(f"{live_server.url}/complaints/{complaint.pk}/")
    assert page.locator("#complaint-content").inner_text().strip() == f"{XSS} 牛奶过期，要求退款。"
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#complaint-content script, #complaint-content img").count() == 0
    assert page.locator("#complainant-name").inner_text() == "张*"

    # 受理: the form is folded away until opened; the date defaults to today.
    page.locator("#step-accept > summary").click()
    assert page.input_value("#accept_on") == complaint.received_on.isoformat()
    page.fill("#accept_note", "<b>已电话联系双方</b>")
    page.locator("#form-accept button[type=submit]").click()
    page.locator(".messages").filter(has_text="已受理，调解期限").wait_for()
    assert "调解中" in page.locator("#complaint-status").inner_text()
    assert "<b>已电话联系双方</b>" in page.locator("#timeline").inner_text()

    # 调解终结 with the amount recovered; refused first without an outcome, with the message by the field.
    page.locator("#step-mediate > summary").click()
    page.fill("#mediate_recovered_amount", "25.80")
    page.locator("#form-mediate button[type=submit]").click()
    page.locator("#row-mediate_outcome .errorlist").filter(has_text="请选择调解结果").wait_for()
    assert page.locator("#step-mediate").get_attribute("open") is not None
    page.select_option("#mediate_outcome", MediationOutcome.SUCCESS)
    page.locator("#form-mediate button[type=submit]").click()
    page.locator(".messages").filter(has_text="调解终结（调解成功）").wait_for()
    assert "挽回经济损失 25.80 元" in page.locator("#mediation-outcome").inner_text()
    assert page.locator("#form-notify").count() == 1
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.screenshot(path=str(screenshot_dir / "jianguan_complaint_detail.png"), full_page=True)

    complaint.refresh_from_db()
    assert (complaint.status, complaint.recovered_amount, complaint.handler) == (Status.MEDIATED, Decimal("25.80"), org.users.east)
    assert errors == []
