"""Every main page fits the screen, for every role, on a phone (390 px) and on a laptop (1366 px):
the page never scrolls sideways (wide tables scroll inside their own box), the menu collapses behind
菜单 on the phone and opens with a tap, and on the laptop the scope badge, the account menu and 退出
stay on the screen. The public portal's pages too.

Widths depend on the fonts: run with a CJK font installed (`make browser` installs fonts-wqy-microhei
with chromium) to measure what staff see."""

import datetime as dt

import pytest

from jianguan.cases.choices import LeadSource
from jianguan.cases.models import CaseCategory
from jianguan.cases.services import case_file, lead_open
from jianguan.complaints.choices import Channel, Kind
from jianguan.complaints.services.intake import complaint_receive
from jianguan.credit.choices import AbnormalReason
from jianguan.credit.services.decisions import abnormal_decide
from jianguan.credit.services.proposals import abnormal_propose
from jianguan.demo.district import DEMO_PASSWORD, build_businesses, build_org
from jianguan.inspections.choices import InspectionKind, InspectionResult, InspectionStatus
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_create
from jianguan.licences.models import LicenceKind, Sector
from jianguan.licences.services import licence_save
from jianguan.org.models import User
from jianguan.sampling.choices import Conclusion
from jianguan.sampling.models import BusinessFormat, FoodCategory
from jianguan.sampling.services import Item, sample_record, sample_result, sample_serve

from ..equipment.factories import EquipmentFactory
from ..inspections.factories import inspector

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
ROLES = ("admin", "leader", "tezhong", "suo1")  # 系统管理员, 局领导, 科室人员, 监管所人员
PAGES = (
    "/", "/businesses/", "/businesses/{business}/", "/businesses/new/", "/imports/", "/equipment/", "/equipment/{device}/",
    "/equipment/tasks/", "/inspections/", "/inspections/new/", "/inspections/{inspection}/", "/inspections/findings/",
    "/inspections/findings/{finding}/", "/inspections/queue/", "/inspections/campaigns/", "/spotchecks/",
    "/spotchecks/plans/", "/spotchecks/objects/", "/complaints/", "/complaints/records/", "/complaints/new/", "/complaints/{complaint}/",
    "/reports/", "/reports/?template=work_summary&period=2026H1", "/reports/indicators/", "/reports/templates/",
    "/reports/snapshots/", "/org/password/",
    "/cases/", "/cases/leads/", "/cases/leads/new/", "/cases/simple/", "/cases/{case}/", "/cases/leads/{lead}/",
    "/sampling/", "/sampling/{sample}/", "/sampling/quicktests/new/", "/sampling/plans/",
    "/credit/", "/credit/entries/", "/credit/entries/{entry}/", "/credit/serious/", "/credit/repairs/", "/credit/annual/",
    "/credit/risk/", "/credit/risk/{business}/",
    "/licences/", "/licences/{licence}/", "/licences/new/", "/licences/{licence}/edit/",
    "/food/", "/food/plan/", "/canteens/", "/baobao/", "/baobao/cadres/",
)
PUBLIC = ("/public/complaints/", "/public/complaints/track/", "/public/spotchecks/", "/public/sampling/", "/public/credit/?q=有限公司")


@pytest.fixture
def district(transactional_db):
    """The demo's bureau and accounts with a few hundred businesses, a device, an inspection with a
    finding and a complaint in 城东 (suo1's station): enough rows for every list to draw its table."""
    _, subdistricts, _ = build_org()
    build_businesses(subdistricts, 300, seed=7)
    station = User.objects.get(username="suo1").org_unit
    sub = subdistricts[0]
    assert sub.station_id == station.pk
    from jianguan.businesses.models import Business

    business = Business.objects.filter(subdistrict=sub, reg_status="active").order_by("pk").first()
    device = EquipmentFactory(operator=business, subdistrict=sub)
    team = [inspector(station), inspector(station)]
    inspection = inspection_create(
        actor=team[0], kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=team,
        equipment=[device], status=InspectionStatus.IN_PROGRESS,
    )
    inspection = inspection_complete(
        actor=team[0], pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED,
        findings=[NewFinding(description="电梯维护保养记录缺失，安全警示标志未张贴", deadline=dt.date(2026, 9, 15), equipment=device)],
    )
    complaint = complaint_receive(
        actor=User.objects.get(username="xiaobao"), kind=Kind.COMPLAINT, channel=Channel.HOTLINE, respondent_name=business.name,
        respondent_uscc=business.uscc, respondent_address=business.address,
        content="在该店购买的电热水壶使用三天后无法加热，商家拒绝退换，要求按三包规定退货并赔偿。" * 3,
        amount="199.00", complainant_name="张三", complainant_phone="13812341234",
    )
    # A pending lead and a filed case (its forms, evidence and clock) in the same station.
    lead = lead_open(actor=team[0], source=LeadSource.TRANSFER, received_on=dt.date(2026, 9, 2), business=business,
                     summary="卫健部门移送：该店疑似销售未经注册的医疗器械，" * 3, source_label="卫健移〔2026〕5号")
    filed = lead_open(actor=team[0], source=LeadSource.INSPECTION, received_on=dt.date(2026, 9, 1), business=business,
                      summary="现场检查发现销售过期食品")
    case = case_file(actor=team[0], filed_on=dt.date(2026, 9, 3), category=CaseCategory.objects.get(code="food"),
                     cause="销售超过保质期的食品案", officers=team, approved_by="王局长", lead_pk=filed.pk,
                     lead_version=filed.version)
    # An unqualified sample with two items, served: its page draws the timeline, the clocks and the step forms.
    sample = sample_record(actor=team[0], number="DC26370102000001", sampled_on=dt.date(2026, 9, 1), business=business,
                           sample_name="腌制蔬菜（酱腌菜）五香萝卜干", business_format=BusinessFormat.objects.get(name="农贸市场"),
                           food_category=FoodCategory.objects.get(name="蔬菜制品"), sent_on=dt.date(2026, 9, 2),
                           producer_name="某某食品有限公司（标称）", institution="某某市食品药品检验检测中心")
    sample = sample_result(actor=team[0], sample=sample, report_on=dt.date(2026, 9, 20), conclusion=Conclusion.UNQUALIFIED,
                           items=[Item("苯甲酸及其钠盐（以苯甲酸计）", "1.23", "≤0.5", "g/kg"), Item("甜蜜素（以环己基氨基磺酸计）", "2.1", "≤1.0", "g/kg")])
    sample_serve(actor=team[0], sample=sample, served_on=dt.date(2026, 9, 22))
    # A listing (its page, the flag beside the name) and a proposal waiting for its decision.
    entry = abnormal_propose(actor=None, business=business, reason=AbnormalReason.UNREACHABLE, on=dt.date(2026, 9, 3))
    abnormal_decide(actor=None, ids=[entry.pk], decided_on=dt.date(2026, 9, 10), approved_by="王局长")
    waiting = Business.objects.filter(subdistrict=sub, reg_status="active").exclude(pk=business.pk).order_by("pk").first()
    abnormal_propose(actor=None, business=waiting, reason=AbnormalReason.FALSE_INFO, on=dt.date(2026, 9, 4))
    # A licence with a long 经营项目 (its page, its form, the one-stop panel).
    licence = licence_save(actor=None, number="JY13701020000001", kind=LicenceKind.objects.get(code="food_business"), business=business,
                           sector=Sector.objects.get(code="catering_small"), items="预包装食品销售（含冷藏冷冻食品）、散装食品销售（含冷藏冷冻食品）、热食类食品制售、冷食类食品制售、糕点类食品制售（含裱花蛋糕）",
                           issued_on=dt.date(2024, 3, 1), valid_until=dt.date(2029, 2, 28))
    return {
        "sample": sample.pk, "entry": entry.pk, "licence": licence.pk,
        "business": business.pk, "device": device.pk, "inspection": inspection.pk,
        "finding": inspection.findings.get().pk, "complaint": complaint.pk, "case": case.pk, "lead": lead.pk,
    }


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def too_wide(page) -> str:
    """The elements sticking out to the right that no scrolling box holds, for the failure message."""
    return page.evaluate("""() => {
        const W = window.innerWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.right <= W + 1) continue;
            let p = el.parentElement, held = false;
            for (; p; p = p.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) { held = true; break; }
            if (!held) out.push(`${el.tagName.toLowerCase()}.${el.className}#${el.id} right=${Math.round(r.right)}`);
        }
        return out.slice(0, 3).join('; ');
    }""")


def visit_all(page, live_server, ids: dict, label: str, problems: list[str]) -> None:
    for template in PAGES:
        path = template.format(**ids)
        response = page.goto(f"{live_server.url}{path}")
        if response.status >= 500:
            problems.append(f"{label} {path}: HTTP {response.status}")
        elif not page.evaluate(FITS):
            width = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{label} {path}: 页面宽 {width}px（{too_wide(page)}）")


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.evaluate("window.innerWidth")


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_every_page_fits_for_every_role(browser, live_server, district, device, screenshot_dir):
    problems: list[str] = []
    for username in ROLES:
        context = browser.new_context(locale="zh-CN", **(PHONE if device == "phone" else LAPTOP))
        context.set_default_timeout(20_000)
        page = context.new_page()
        try:
            log_in(page, live_server, username)
            if device == "phone":
                # The menu is folded away until 菜单 is tapped; then every link and 退出 are on the screen.
                assert page.locator(".topbar nav").is_hidden()
                assert in_view(page, ".menu-button")
                page.locator(".menu-button").tap()
                assert page.locator(".topbar nav").is_visible()
                links = page.locator(".topbar nav a")
                assert links.count() >= 8
                for i in range(links.count()):
                    box = links.nth(i).bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44, links.nth(i).inner_text()
                assert in_view(page, ".who button[type=submit]")
                page.screenshot(path=str(screenshot_dir / f"jianguan_layout_menu_{username}_phone.png"))
                page.locator(".topbar nav a", has_text="市场主体").tap()
                page.wait_for_url(f"{live_server.url}/businesses/")
                assert page.locator(".topbar nav").is_hidden()
            else:
                assert page.locator(".menu-button").is_hidden() and page.locator(".topbar nav").is_visible()
                for selector in (".who .scope", ".who .account summary", ".who button[type=submit]"):
                    if page.locator(selector).count():
                        assert in_view(page, selector), f"{username}: {selector}"
                page.locator(".who .account summary").click()
                assert in_view(page, ".account-menu a[href='/org/password/']")
                page.keyboard.press("Escape")  # static/js/menu.js: closes like a menu
                assert page.locator(".account-menu").is_hidden()
                page.locator(".who .account summary").click()
                page.locator("main").click(position={"x": 5, "y": 5})
                assert page.locator(".account-menu").is_hidden()
            visit_all(page, live_server, district, f"{username}@{device}", problems)
            page.goto(f"{live_server.url}/businesses/")
            page.screenshot(path=str(screenshot_dir / f"jianguan_layout_businesses_{username}_{device}.png"), full_page=True)
        finally:
            context.close()

    context = browser.new_context(locale="zh-CN", **(PHONE if device == "phone" else LAPTOP))
    page = context.new_page()
    try:
        for path in PUBLIC:
            page.goto(f"{live_server.url}{path}")
            if not page.evaluate(FITS):
                problems.append(f"公众@{device} {path}: 页面宽 {page.evaluate('document.documentElement.scrollWidth')}px（{too_wide(page)}）")
        page.goto(f"{live_server.url}/public/complaints/")
        page.screenshot(path=str(screenshot_dir / f"jianguan_layout_public_complaint_{device}.png"), full_page=True)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
