"""双随机抽查 in a browser: a department user builds an object pool (watching the live count), creates a
task, locks it, draws with a witness, generates the inspections, records the results and publishes;
then an anonymous visitor opens the public task page, sees the commitment and the published results,
downloads the draw record and checks that it recomputes."""

import copy
import importlib
import json
import re

import pytest

from jianguan.core.models import Rule
from jianguan.equipment.models import CatalogueEntry
from jianguan.inspections.choices import InspectionResult
from jianguan.inspections.models import Checklist
from jianguan.inspections.services.inspections import inspection_complete
from jianguan.spotchecks import draw as algorithm
from jianguan.spotchecks import services, services_pools
from jianguan.spotchecks.choices import PublicResult, TaskStatus
from jianguan.spotchecks.models import ObjectPool, Task

from ..factories import BusinessFactory
from ..inspections.factories import inspector
from ..spotchecks import reference_draw as ref

pytestmark = pytest.mark.browser
PASSWORD = "Jianguan#2026"
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
CLASSES = ["A"] * 10 + ["B"] * 5 + ["C"] * 3 + ["D"] * 2


@pytest.fixture
def seeded(transactional_db):
    """Rules, numbering formats, checklists and the equipment catalogue come from data migrations; a
    transactional test that ran before this one flushed them, so seed them again when missing."""
    from django.apps import apps

    importlib.import_module("jianguan.core.migrations.0004_audit_chain_head").create_head(apps, None)
    if not CatalogueEntry.objects.exists():
        importlib.import_module("jianguan.equipment.migrations.0002_seed_catalogue_and_rules").seed(apps, None)
    if not Checklist.objects.exists():
        importlib.import_module("jianguan.inspections.migrations.0002_seed_rules_formats_checklists").seed(apps, None)
    if not Rule.objects.filter(key__startswith="spotchecks.").exists():
        importlib.import_module("jianguan.spotchecks.migrations.0002_seed_rules").seed(apps, None)


@pytest.fixture
def registers(seeded, org):
    """Businesses in every credit class, six certified inspectors in a pool, a check item and a plan."""
    for i, cls in enumerate(CLASSES):
        BusinessFactory(subdistrict=org.subs["dongguan" if i % 2 else "xiguan"], credit_risk_class=cls, name=f"抽查测试商贸有限公司{i:02d}")
    people = [inspector(org.east) for _ in range(3)] + [inspector(org.west) for _ in range(3)]
    dept = org.users.dept
    item = services_pools.check_item_create(actor=dept, code="SC-01", name="企业公示信息抽查", legal_basis="《企业信息公示暂行条例》第十四条")
    pool = services_pools.inspector_pool_create(actor=dept, name="2026年执法人员库", department=org.dept, members=people)
    plan = services.plan_create(actor=dept, year=2026, name="2026年度双随机抽查计划", department=org.dept)
    return item, pool, plan, people


def test_department_user_runs_a_task_and_the_public_verifies_it(browser, page, live_server, org, registers, screenshot_dir):
    item, inspector_pool, plan, people = registers
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/spotchecks/objects/new/")
    page.fill("#id_username", org.users.dept.username)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/spotchecks/objects/new/")

    # The object pool: the live count follows the filters.
    page.locator("#pool-total").filter(has_text="20").wait_for()
    page.fill("#id_name", "高风险企业")
    page.select_option("#id_department", str(org.dept.pk))
    page.locator("#row-credit_classes label.choice", has_text="C类").click()
    page.locator("#pool-total").filter(has_text="3").wait_for()
    page.locator("#row-credit_classes label.choice", has_text="D类").click()
    page.locator("#pool-total").filter(has_text="5").wait_for()
    assert page.locator('#pool-preview tr[data-stratum="D"] td.num').inner_text() == "2"
    page.screenshot(path=str(screenshot_dir / "jianguan_spotcheck_object_pool.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/spotchecks/objects/")
    pool = ObjectPool.objects.get()
    assert pool.credit_classes == ["C", "D"]

    # The task: ratios prefilled from the rules; the whole pool is drawn (C 1.0, D 1.0).
    page.goto(f"{live_server.url}/spotchecks/tasks/new/")
    assert page.input_value("#id_ratio_D") == "0.30"
    page.select_option("#id_plan", str(plan.pk))
    page.fill("#id_name", "高风险企业公示信息抽查")
    page.select_option("#id_object_pool", str(pool.pk))
    page.select_option("#id_inspector_pool", str(inspector_pool.pk))
    page.fill("#id_ratio_C", "1")
    page.fill("#id_ratio_D", "0.5")
    page.fill("#id_start", "2026-09-01")
    page.fill("#id_end", "2026-11-30")
    page.locator("#row-items label.choice", has_text="企业公示信息抽查").click()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/spotchecks/tasks/\d+/$"))
    task = Task.objects.get()
    assert task.status == TaskStatus.DRAFT and "草拟" in page.locator("#task-status").inner_text()

    page.get_by_role("button", name="锁定").click()
    page.locator("#task-status").filter(has_text="已锁定").wait_for()
    task.refresh_from_db()
    assert page.locator("#commitment").inner_text().strip() == task.commitment
    assert page.locator("#pool-count").inner_text() == "5" and page.locator("#inspector-count").inner_text() == "6"
    assert page.locator("#take-total").inner_text() == "4"  # C: 3 × 1 = 3, D: ceil(2 × 0.5) = 1

    page.locator("#draw-link").click()
    page.wait_for_url(f"{live_server.url}/spotchecks/tasks/{task.pk}/draw/")
    page.get_by_role("button", name="抽取").click()  # nothing entered: refused with the service's message
    page.locator("#row-witness .errorlist").filter(has_text="请监督人员录入见证文字").wait_for()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.LOCKED
    page.fill("#id_witness_name", "王五")
    page.fill("#id_witness", "2026年9月1日 监督人员王五在场见证")
    page.get_by_role("button", name="抽取").click()
    page.locator(".messages").filter(has_text="抽取完成").wait_for()
    assert page.locator("#drawn-table tbody tr").count() == 4
    assert "东关市场监管所" in page.locator("#drawn-table").inner_text() or "西关市场监管所" in page.locator("#drawn-table").inner_text()
    page.screenshot(path=str(screenshot_dir / "jianguan_spotcheck_draw.png"), full_page=True)

    page.goto(f"{live_server.url}/spotchecks/tasks/{task.pk}/")
    page.get_by_role("button", name="生成检查").click()
    page.locator("#task-status").filter(has_text="检查中").wait_for()
    task.refresh_from_db()
    objects = list(task.drawn.select_related("inspection").order_by("order"))
    assert all(o.inspection_id for o in objects)
    assert page.locator(f'a[href="/inspections/{objects[0].inspection_id}/"]').count() >= 1

    # Three inspections completed by the inspectors; the fourth object's result chosen by hand.
    for obj in objects[:-1]:
        inspection_complete(actor=None, pk=obj.inspection_id, version=None, result=InspectionResult.NO_PROBLEM)
    page.locator("#results-link").click()
    page.wait_for_url(f"{live_server.url}/spotchecks/tasks/{task.pk}/results/")
    page.get_by_role("button", name=re.compile("按已完成的检查登记结果")).click()
    page.locator(".messages").filter(has_text="已按检查结果登记 3 个").wait_for()
    last = objects[-1]
    page.select_option(f"#id_r{last.pk}-result", PublicResult.NOT_FOUND)
    page.locator(f"#result-form-{last.pk} button[type=submit]").click()
    page.locator(".messages").filter(has_text="已登记").wait_for()
    assert page.locator(f"#drawn-{last.pk} .result").inner_text() == PublicResult.NOT_FOUND.label
    page.screenshot(path=str(screenshot_dir / "jianguan_spotcheck_results.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: wide tables scroll inside their box
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="公示").click()
    page.locator("#task-status").filter(has_text="已公示").wait_for()
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED
    public_url = page.locator("#public-link").get_attribute("href")
    record_url = page.locator("#public-record-link").get_attribute("href")
    assert public_url == f"/public/spotchecks/tasks/{task.number}/" and record_url == f"/public/spotchecks/draws/{task.pk}.json"
    assert page.locator("#record-link").get_attribute("href") == f"/spotchecks/tasks/{task.pk}/record.json"  # the full one
    page.set_viewport_size({"width": 390, "height": 844})
    for url in (f"/spotchecks/tasks/{task.pk}/", f"/spotchecks/tasks/{task.pk}/draw/", "/spotchecks/", "/spotchecks/objects/new/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), url
    page.goto(f"{live_server.url}/spotchecks/tasks/{task.pk}/")
    page.screenshot(path=str(screenshot_dir / "jianguan_spotcheck_task_phone.png"), full_page=True)
    assert [e for e in errors if "status of 400" not in e] == [], errors  # the refused draw answered 400, as it should

    # Anyone, without logging in.
    anonymous = browser.new_context(locale="zh-CN")
    try:
        public = anonymous.new_page()
        public.goto(f"{live_server.url}{public_url}")
        assert public.url == f"{live_server.url}{public_url}"  # no login page
        assert public.locator("#commitment").inner_text().strip() == task.commitment
        assert public.locator("#secret").inner_text().strip() == task.secret
        results = public.locator("#objects").inner_text()
        assert PublicResult.NO_PROBLEM.label in results and PublicResult.NOT_FOUND.label in results
        for obj in objects:
            assert obj.business.name in results
        public.screenshot(path=str(screenshot_dir / "jianguan_spotcheck_public.png"), full_page=True)
        response = anonymous.request.get(f"{live_server.url}{record_url}")
        assert response.ok
        record = json.loads(response.body().decode("utf-8"))
    finally:
        anonymous.close()
    assert record["commitment"] == task.commitment and record["witness"] == "2026年9月1日 监督人员王五在场见证"
    assert algorithm.verify(copy.deepcopy(record)) is None and ref.verify(copy.deepcopy(record)) is None
    assert [o["key"] for o in record["selected"]] == [o.key for o in objects]
    assert not {"A", "B", "C", "D"} & {o["stratum"] for o in record["selected"]}  # classes are internal
