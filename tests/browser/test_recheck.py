"""Re-checking a rectification report on a phone: the registrar is not offered, and a refused form
comes back scrolled to its own error summary instead of leaving the error far down the page."""

import datetime as dt

import pytest

from jianguan.inspections.choices import FindingStatus
from jianguan.inspections.services.findings import finding_report

from ..inspections.factories import inspection_with_finding, team

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def reported(transactional_db, org):
    _, finding, (registrar, partner) = inspection_with_finding(org)
    finding_report(actor=registrar, pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 10), text="已更换灭火器")
    other = team(org.east, size=1)[0]
    return finding, registrar, partner, other


def login(page, live_server, user, path):
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Jianguan#2026")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{path}")


def test_recheck_offers_only_who_may_and_shows_errors_in_view(browser, live_server, reported, screenshot_dir):
    finding, registrar, partner, other = reported
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # The registrar is told up front, with no form to fill in.
        login(page, live_server, registrar, f"/inspections/findings/{finding.pk}/")
        assert page.locator("#recheck-form").count() == 0
        assert "整改报告由您登记" in page.locator("#recheck-refusal").inner_text()
        context.clear_cookies()

        login(page, live_server, partner, f"/inspections/findings/{finding.pk}/")
        names = page.locator("#recheck-form #row-inspectors label.choice").all_inner_texts()
        assert names and not any(str(registrar) in n for n in names)
        assert any(str(other) in n for n in names)
        page.locator("#recheck-form #row-inspectors label.choice", has_text=str(other)).tap()
        page.locator("#recheck-form button[type=submit]").tap()  # no 复查结论 chosen
        summary = page.locator("#recheck-form .alert.error")
        summary.wait_for()
        assert "请选择复查结论" in summary.inner_text()
        top = summary.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < page.evaluate("window.innerHeight"), top
        page.screenshot(path=str(screenshot_dir / "jianguan_recheck_error_phone.png"))

        page.locator("#recheck-form label.choice", has_text="整改到位").first.tap()
        page.locator("#recheck-form button[type=submit]").tap()
        page.locator(".messages").filter(has_text="复查通过").wait_for()
        finding.refresh_from_db()
        assert finding.status == FindingStatus.CLOSED
    finally:
        context.close()
