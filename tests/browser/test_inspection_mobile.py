"""An inspector on a phone: log in, create an inspection, tap through the checklist, photograph,
complete, and see the finding — without horizontal scrolling and with 44px touch targets."""

import datetime as dt
import importlib
import re

import pytest

from jianguan.equipment.models import CatalogueEntry
from jianguan.inspections.models import Attachment, Checklist, Finding, Inspection

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from ..inspections.factories import team

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def seeded(transactional_db):
    """The checklists, rules, numbering formats and equipment catalogue come from data migrations;
    a transactional test that ran before this one flushed them, so seed them again when missing."""
    from django.apps import apps

    importlib.import_module("jianguan.core.migrations.0004_audit_chain_head").create_head(apps, None)
    if not CatalogueEntry.objects.exists():
        importlib.import_module("jianguan.equipment.migrations.0002_seed_catalogue_and_rules").seed(apps, None)
    if not Checklist.objects.exists():
        importlib.import_module("jianguan.inspections.migrations.0002_seed_rules_formats_checklists").seed(apps, None)


@pytest.fixture
def field(seeded, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关便民超市有限公司")
    device = EquipmentFactory(operator=business, subdistrict=org.subs["dongguan"])
    first, second = team(org.east)
    return business, device, first, second


def test_phone_inspection_from_form_to_finding(phone, live_server, field, screenshot_dir):
    business, device, first, second = field
    checklist = Checklist.objects.get(code="food_daily", version=1)
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    phone.goto(f"{live_server.url}/inspections/new/")
    phone.fill("#id_username", first.username)
    phone.fill("#id_password", "Jianguan#2026")
    phone.locator("button[type=submit]").tap()
    phone.wait_for_url(f"{live_server.url}/inspections/new/")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)

    # One column at phone width: each label sits above its input.
    label_box = phone.locator("#row-date > label").bounding_box()
    input_box = phone.locator("#id_date").bounding_box()
    assert input_box["y"] >= label_box["y"] + label_box["height"] - 1

    phone.locator("#id_business").fill(business.name[:4])
    # A locator, not wait_for_function: the page's CSP forbids the eval that a JS string predicate needs.
    phone.locator("#business-options option").first.wait_for(state="attached")
    phone.locator("#id_business").fill(business.uscc)
    phone.locator("#business-found").filter(has_text=business.name).wait_for()
    phone.locator("#row-equipment label.choice", has_text=device.reg_code).tap()
    phone.locator("#row-inspectors label.choice", has_text=str(second)).tap()
    assert phone.locator("#row-inspectors input:checked").count() == 2
    phone.select_option("#id_checklist", str(checklist.pk))
    for box in phone.locator("#row-inspectors label.choice").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)"):
        assert box >= 44
    phone.screenshot(path=str(screenshot_dir / "jianguan_inspection_new_phone.png"), full_page=True)
    phone.get_by_role("button", name="创建并开始检查").tap()
    phone.wait_for_url(re.compile(r"/inspections/\d+/$"))
    inspection = Inspection.objects.get()
    assert list(inspection.equipment.all()) == [device]

    rows = phone.locator("li.item-row")
    assert rows.count() == checklist.items.count()
    heights = phone.locator("label.outcome").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert len(heights) == 4 * rows.count() and min(heights) >= 44
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    for i in range(rows.count()):
        row = rows.nth(i)
        if i == 2:
            row.locator("label.outcome-nonconform").tap()
            row.locator("input[type=text]").fill("进货查验记录缺失近一个月")
        else:
            row.locator("label.outcome-conform").tap()
        assert row.locator("input[type=radio]:checked").count() == 1
    phone.screenshot(path=str(screenshot_dir / "jianguan_inspection_fill_phone.png"), full_page=True)
    phone.get_by_role("button", name="保存检查结果").tap()
    phone.locator(".messages").filter(has_text="已保存").wait_for()
    assert inspection.item_results.count() == rows.count()

    phone.locator("#id_attachments").set_input_files({"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG})
    phone.locator("#upload-form button[type=submit]").tap()
    phone.locator(".messages").filter(has_text="已上传 1 个附件").wait_for()
    assert Attachment.objects.filter(inspection=inspection).count() == 1

    deadline = dt.date.today() + dt.timedelta(days=14)
    phone.select_option("#complete-form #id_result", "ordered")
    phone.locator("#complete-form #id_deadline").fill(deadline.isoformat())
    phone.locator("#complete-form #id_summary").fill("现场检查，进货查验记录不全")
    phone.get_by_role("button", name="完成检查").tap()
    phone.locator("#findings").filter(has_text="进货查验记录缺失近一个月").wait_for()
    assert "已完成" in phone.locator("#inspection-status").inner_text()
    finding = Finding.objects.get()
    assert finding.inspection == inspection and finding.deadline == deadline
    assert phone.locator(f"#finding-{finding.pk} .clock").inner_text().startswith("剩余")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    phone.screenshot(path=str(screenshot_dir / "jianguan_inspection_done_phone.png"), full_page=True)

    phone.goto(f"{live_server.url}/inspections/findings/")
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    assert phone.locator(f"#finding-{finding.pk}").count() == 1
    assert errors == []
