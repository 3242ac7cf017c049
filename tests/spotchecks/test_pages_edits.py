"""The plan page (下达, 完成) and the register edit pages through the Django test client: they render,
an edit persists, a refusal is shown on the page with a 4xx status (never a 500) and writes nothing,
and station users read but are refused."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jianguan.spotchecks import services, services_plans
from jianguan.spotchecks.choices import PlanStatus, TaskStatus
from jianguan.spotchecks.models import CheckItem, InspectorPool, ObjectPool, Plan, Task

from ..inspections.factories import inspector
from . import builders

pytestmark = pytest.mark.django_db
REFUSED = "双随机抽查计划与任务由业务科室或系统管理员管理"


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


@pytest.fixture
def w(org):
    return builders.world(org, per_sub=4)


def published(w, name: str) -> Task:
    return builders.advance(
        w, builders.task(w, name), TaskStatus.PUBLISHED, result_on=dt.date(2026, 3, 10), publish_on=dt.date(2026, 3, 20),
    )


def plan_status(w) -> str:
    return Plan.objects.values_list("status", flat=True).get(pk=w.plan.pk)


# ---------------------------------------------------------------- 抽查计划


def test_the_plan_page_issues_and_completes_the_plan(client, org, w):
    done = published(w, "企业公示信息抽查")
    running = builders.advance(w, builders.task(w, "食品经营者检查"), TaskStatus.LOCKED)
    client.force_login(org.users.dept)
    assert f'href="/spotchecks/plans/{w.plan.pk}/"' in html(client.get("/spotchecks/plans/"))
    assert f'href="/spotchecks/plans/{w.plan.pk}/"' in html(client.get(f"/spotchecks/tasks/{done.pk}/"))
    page = client.get(f"/spotchecks/plans/{w.plan.pk}/")
    assert page.status_code == 200
    assert done.number in html(page) and running.number in html(page) and "activate-button" in html(page)
    assert "complete-button" not in html(page)
    assert "已公示 1，已作废 0，未完成 1" in text(page)

    response = client.post(f"/spotchecks/plans/{w.plan.pk}/activate/")
    assert response.status_code == 302 and response.url == f"/spotchecks/plans/{w.plan.pk}/"
    assert plan_status(w) == PlanStatus.ACTIVE
    page = client.get(response.url)
    assert "已下达" in html(page) and "complete-button" in html(page) and "activate-button" not in html(page)
    assert "还有 1 个任务未公示也未作废" in text(page)

    # Completing with a task still locked: the page says which, with a 400, and the plan stays active.
    response = client.post(f"/spotchecks/plans/{w.plan.pk}/complete/")
    assert response.status_code == 400
    assert f"计划中还有 1 个任务未公示也未作废（{running.number}），不能完成" in html(response)
    assert 'id="plan-error"' in html(response) and plan_status(w) == PlanStatus.ACTIVE
    # Issuing twice is refused the same way.
    response = client.post(f"/spotchecks/plans/{w.plan.pk}/activate/")
    assert response.status_code == 400 and "不能变为“执行中”" in html(response)

    services.task_void(actor=org.users.dept, pk=running.pk, version=None, reason="人员调整，重新组织")
    response = client.post(f"/spotchecks/plans/{w.plan.pk}/complete/")
    assert response.status_code == 302 and plan_status(w) == PlanStatus.DONE
    page = client.get(response.url)
    assert "已完成" in text(page) and "complete-button" not in html(page) and "new-task-link" not in html(page)
    # A completed plan is not offered for a new task.
    assert w.plan not in client.get("/spotchecks/tasks/new/").context["form"].fields["plan"].queryset


def test_a_station_user_reads_the_plan_but_cannot_move_it(client, org, w):
    client.force_login(org.users.east)
    page = client.get(f"/spotchecks/plans/{w.plan.pk}/")
    assert page.status_code == 200 and "activate-button" not in html(page) and REFUSED in html(page)
    response = client.post(f"/spotchecks/plans/{w.plan.pk}/activate/")
    assert response.status_code == 403 and REFUSED in html(response)
    services_plans.plan_activate(actor=org.users.dept, pk=w.plan.pk)
    response = client.post(f"/spotchecks/plans/{w.plan.pk}/complete/")
    assert response.status_code == 403 and REFUSED in html(response)
    assert plan_status(w) == PlanStatus.ACTIVE


def test_plan_steps_are_posts_and_an_unknown_plan_is_a_404(client, org, w):
    client.force_login(org.users.dept)
    assert client.get(f"/spotchecks/plans/{w.plan.pk}/activate/").status_code == 405
    assert plan_status(w) == PlanStatus.DRAFT
    assert client.get("/spotchecks/plans/999999/").status_code == 404
    assert client.post("/spotchecks/plans/999999/complete/").status_code == 404


# ---------------------------------------------------------------- 抽查事项


def test_a_check_item_is_edited_on_its_page(client, org, w):
    client.force_login(org.users.dept)
    assert f'href="/spotchecks/items/{w.item.pk}/"' in html(client.get("/spotchecks/items/"))
    page = client.get(f"/spotchecks/items/{w.item.pk}/")
    assert page.status_code == 200 and "企业公示信息抽查" in html(page) and "disable-form" in html(page)
    data = {
        "code": "CHANGED", "name": "企业年度报告公示信息抽查", "legal_basis": "《企业信息公示暂行条例》第十四条、第十五条",
        "method": "书面检查", "key_item": "on", "department": org.dept.pk,
    }
    response = client.post(f"/spotchecks/items/{w.item.pk}/", data)
    assert response.status_code == 302
    item = CheckItem.objects.get(pk=w.item.pk)
    assert item.name == "企业年度报告公示信息抽查" and item.key_item and item.department == org.dept
    assert item.code == "QY-01"  # shown, never changed
    # Blank legal basis: 400, the message next to the field, nothing written.
    response = client.post(f"/spotchecks/items/{w.item.pk}/", {**data, "legal_basis": " ", "name": "又改了"})
    assert response.status_code == 400 and "请填写法律依据" in html(response)
    assert CheckItem.objects.get(pk=w.item.pk).name == "企业年度报告公示信息抽查"


def test_a_disabled_item_is_refused_by_the_task_forms(client, org, w):
    draft = builders.task(w, "草拟中的任务")
    client.force_login(org.users.dept)
    page = client.get(f"/spotchecks/items/{w.item.pk}/")
    assert draft.number in text(page) and "停用后须先从这些任务中取消" in text(page)
    response = client.post(f"/spotchecks/items/{w.item.pk}/disable/", {"on": "2099-01-01"})
    assert response.status_code == 400 and "停用日期不能晚于今天" in html(response)
    assert CheckItem.objects.get(pk=w.item.pk).disabled_on is None
    on = timezone.localdate()
    response = client.post(f"/spotchecks/items/{w.item.pk}/disable/", {"on": on.isoformat()})
    assert response.status_code == 302
    assert CheckItem.objects.get(pk=w.item.pk).disabled_on == on
    assert f"{on:%Y-%m-%d} 停用" in html(client.get("/spotchecks/items/"))
    named = f"抽查事项“企业公示信息抽查”（QY-01）已于 {on:%Y-%m-%d} 停用，不能用于抽查任务"

    # The new-task form no longer offers it; a page loaded before the disabling still posts it: named, 400.
    form = {
        "plan": w.plan.pk, "name": "新任务", "object_pool": w.objects.pk, "inspector_pool": w.inspectors.pk,
        "ratio_A": "0.1", "ratio_B": "0.1", "ratio_C": "0.1", "ratio_D": "0.1", "team_size": "2",
        "start": "2026-12-01", "end": "2026-12-31", "items": [w.item.pk],
    }
    offered = client.get("/spotchecks/tasks/new/").context["form"].fields["items"].widget.choices
    assert w.item.pk not in [pk for pk, _ in offered]
    response = client.post("/spotchecks/tasks/new/", form)
    assert response.status_code == 400 and named in html(response)
    assert not Task.objects.filter(name="新任务").exists()
    # The draft's edit form shows it marked; keeping it is refused, unticking it saves.
    page = html(client.get(f"/spotchecks/tasks/{draft.pk}/edit/"))
    assert "已停用，请取消" in page
    edit = {**form, "name": "草拟中的任务（改）", "version": draft.version}
    response = client.post(f"/spotchecks/tasks/{draft.pk}/edit/", edit)
    assert response.status_code == 400 and named in html(response)
    assert Task.objects.get(pk=draft.pk).name == "草拟中的任务"
    response = client.post(f"/spotchecks/tasks/{draft.pk}/edit/", {**edit, "items": []})
    assert response.status_code == 302
    assert Task.objects.get(pk=draft.pk).name == "草拟中的任务（改）" and not Task.objects.get(pk=draft.pk).items.exists()

    # Enabled again.
    response = client.post(f"/spotchecks/items/{w.item.pk}/enable/")
    assert response.status_code == 302 and CheckItem.objects.get(pk=w.item.pk).disabled_on is None
    response = client.post(f"/spotchecks/items/{w.item.pk}/enable/")
    assert response.status_code == 400 and "未停用" in html(response)


# ---------------------------------------------------------------- 名录库


def object_pool_form(**over) -> dict:
    return {"name": "辖区C、D类企业", "target": "businesses", "credit_classes": ["C", "D"], "industries": "", **over}


def test_an_object_pool_is_edited_on_its_page(client, org, w):
    draft = builders.task(w, "草拟中的任务")
    client.force_login(org.users.dept)
    assert f'href="/spotchecks/objects/{w.objects.pk}/edit/"' in html(client.get(f"/spotchecks/objects/{w.objects.pk}/"))
    page = client.get(f"/spotchecks/objects/{w.objects.pk}/edit/")
    assert page.status_code == 200 and "辖区企业名录库" in html(page)
    assert "保留锁定时冻结的名录" in text(page) and f"草拟中的任务 {draft.number} 将在锁定时按修改后的名录读取" in text(page)
    response = client.post(f"/spotchecks/objects/{w.objects.pk}/edit/", object_pool_form(
        industries="52，6210", subdistricts=[org.subs["dongguan"].pk],
    ))
    assert response.status_code == 302 and response.url == f"/spotchecks/objects/{w.objects.pk}/"
    pool = ObjectPool.objects.get(pk=w.objects.pk)
    assert (pool.name, pool.credit_classes, pool.industries) == ("辖区C、D类企业", ["C", "D"], ["52", "6210"])
    assert list(pool.subdistricts.all()) == [org.subs["dongguan"]] and pool.department == org.dept
    response = client.post(f"/spotchecks/objects/{w.objects.pk}/edit/", object_pool_form(industries="食品"))
    assert response.status_code == 400 and "不符合国民经济行业分类" in html(response)
    assert ObjectPool.objects.get(pk=w.objects.pk).industries == ["52", "6210"]


def test_a_locked_pool_cannot_be_edited_until_the_draw(client, org, w):
    task = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.LOCKED)
    client.force_login(org.users.dept)
    message = f"名录库已被任务 {task.number} 锁定，抽取前不能修改"
    for url in (f"/spotchecks/objects/{w.objects.pk}/edit/", f"/spotchecks/inspectors/{w.inspectors.pk}/edit/"):
        page = client.get(url)
        assert page.status_code == 200 and message in html(page), url
    response = client.post(f"/spotchecks/objects/{w.objects.pk}/edit/", object_pool_form())
    assert response.status_code == 400 and message in html(response)
    response = client.post(f"/spotchecks/inspectors/{w.inspectors.pk}/edit/", {"name": "改名", "members": [w.people[0].pk]})
    assert response.status_code == 400 and message in html(response)
    assert ObjectPool.objects.get(pk=w.objects.pk).credit_classes == []
    pool = InspectorPool.objects.get(pk=w.inspectors.pk)
    assert pool.name == "执法检查人员名录库" and pool.members.count() == len(w.people)
    # After the draw: allowed, and the page names the task that keeps its frozen list.
    services.task_draw(actor=org.users.dept, pk=task.pk, version=None, witness="监督人员赵六见证", witness_name="赵六")
    page = client.get(f"/spotchecks/inspectors/{w.inspectors.pk}/edit/")
    assert message not in html(page) and f"已锁定过的任务 {task.number} 保留锁定时冻结的名录" in text(page)


def test_an_inspector_pool_is_edited_on_its_page(client, org, w):
    newcomer = inspector(org.west)
    client.force_login(org.users.dept)
    assert f'href="/spotchecks/inspectors/{w.inspectors.pk}/edit/"' in html(client.get(f"/spotchecks/inspectors/{w.inspectors.pk}/"))
    page = client.get(f"/spotchecks/inspectors/{w.inspectors.pk}/edit/")
    assert page.status_code == 200 and newcomer.cert_no in html(page) and 'name="department"' not in html(page)
    members = [p.pk for p in w.people[2:]] + [newcomer.pk]
    response = client.post(f"/spotchecks/inspectors/{w.inspectors.pk}/edit/", {"name": "2026年度执法人员库", "members": members})
    assert response.status_code == 302 and response.url == f"/spotchecks/inspectors/{w.inspectors.pk}/"
    pool = InspectorPool.objects.get(pk=w.inspectors.pk)
    assert pool.name == "2026年度执法人员库" and sorted(pool.members.values_list("pk", flat=True)) == sorted(members)
    response = client.post(f"/spotchecks/inspectors/{w.inspectors.pk}/edit/", {"name": "2026年度执法人员库", "members": []})
    assert response.status_code == 400 and "请选择执法人员" in html(response)
    assert InspectorPool.objects.get(pk=w.inspectors.pk).members.count() == len(members)


def test_station_users_cannot_edit_registers_by_post(client, org, w):
    client.force_login(org.users.east)
    for url in (f"/spotchecks/items/{w.item.pk}/", f"/spotchecks/objects/{w.objects.pk}/edit/",
                f"/spotchecks/inspectors/{w.inspectors.pk}/edit/"):
        page = client.get(url)
        assert page.status_code == 200 and REFUSED in html(page), url
    assert "edit-link" not in html(client.get(f"/spotchecks/objects/{w.objects.pk}/"))
    posts = {
        f"/spotchecks/items/{w.item.pk}/": {"name": "所里改的", "legal_basis": "x"},
        f"/spotchecks/items/{w.item.pk}/disable/": {"on": "2026-01-01"},
        f"/spotchecks/objects/{w.objects.pk}/edit/": object_pool_form(name="所里改的"),
        f"/spotchecks/inspectors/{w.inspectors.pk}/edit/": {"name": "所里改的", "members": [w.people[0].pk]},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 403 and REFUSED in html(response), url
    assert CheckItem.objects.get(pk=w.item.pk).name == "企业公示信息抽查" and CheckItem.objects.get(pk=w.item.pk).disabled_on is None
    assert ObjectPool.objects.get(pk=w.objects.pk).name == "辖区企业名录库"
    assert InspectorPool.objects.get(pk=w.inspectors.pk).name == "执法检查人员名录库"


def test_unknown_registers_are_404(client, org, w):
    client.force_login(org.users.dept)
    for url in ("/spotchecks/items/999999/", "/spotchecks/objects/999999/edit/", "/spotchecks/inspectors/999999/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post("/spotchecks/items/999999/disable/", {"on": "2026-01-01"}).status_code == 404
