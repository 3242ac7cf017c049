"""The 双随机抽查 staff pages through the Django test client: every page renders for a department user,
station users read but their POSTs are refused, the whole lifecycle by POSTs (registers, plan, task,
lock, draw with a witness, inspections, results, publication), and bad input shows the services'
Chinese message and writes nothing."""

import copy
import datetime as dt
import re

import pytest

from jianguan.core.models import DocumentNumberFormat
from jianguan.inspections.choices import InspectionKind, InspectionResult, InspectionStatus
from jianguan.inspections.models import Inspection
from jianguan.inspections.services.inspections import NewFinding, inspection_complete
from jianguan.spotchecks import draw as algorithm
from jianguan.spotchecks import services, services_pools
from jianguan.spotchecks.choices import PublicResult, TaskStatus
from jianguan.spotchecks.models import CheckItem, Conflict, DrawnObject, InspectorPool, ObjectPool, Plan, Task

from ..factories import BusinessFactory
from ..inspections.factories import inspector
from . import reference_draw as ref

pytestmark = pytest.mark.django_db
START = dt.date(2026, 9, 1)
END = dt.date(2026, 11, 30)
CLASSES = ["A"] * 20 + ["B"] * 10 + ["C"] * 6 + ["D"] * 4 + [""] * 2
RATIOS = {"ratio_A": "0.05", "ratio_B": "0.10", "ratio_C": "0.20", "ratio_D": "0.50"}


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's visible text, tags dropped (the assertions read what a user reads)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


@pytest.fixture
def world(org):
    businesses = [
        BusinessFactory(subdistrict=org.subs["dongguan" if i % 2 else "xiguan"], credit_risk_class=c, industry_code="5211" if i % 3 else "6210")
        for i, c in enumerate(CLASSES)
    ]
    people = [inspector(org.east) for _ in range(3)] + [inspector(org.west) for _ in range(3)]
    expired = inspector(org.west, valid_until=dt.date(2026, 8, 31))
    return businesses, people, expired


@pytest.fixture
def task(org, world):
    """A draft task whose registers were made through the services."""
    _, people, expired = world
    dept = org.users.dept
    item = services_pools.check_item_create(actor=dept, code="SC-01", name="企业公示信息抽查", legal_basis="《企业信息公示暂行条例》第十四条")
    inspectors = services_pools.inspector_pool_create(actor=dept, name="2026年执法人员库", department=org.dept, members=[*people, expired])
    objects = services_pools.object_pool_create(actor=dept, name="辖区企业", department=org.dept)
    plan = services.plan_create(actor=dept, year=2026, name="2026年度双随机抽查计划", department=org.dept)
    return services.task_create(
        actor=dept, plan=plan, name="企业年报公示信息抽查", object_pool=objects, inspector_pool=inspectors, start=START, end=END,
        ratios={k[-1]: v for k, v in RATIOS.items()}, items=[item],
    )


def task_form(task_or_none=None, **over) -> dict:
    t = task_or_none
    form = {
        "plan": t.plan_id if t else "", "name": "企业年报公示信息抽查", "object_pool": t.object_pool_id if t else "",
        "inspector_pool": t.inspector_pool_id if t else "", **RATIOS, "ratio_unrated": "", "team_size": "2",
        "max_objects_per_inspector": "", "start": START.isoformat(), "end": END.isoformat(),
    }
    if t:
        form["version"] = t.version
    form.update(over)
    return form


def locked(org, task) -> Task:
    return services.task_lock(actor=org.users.dept, pk=task.pk, version=task.version)


def drawn(org, task) -> Task:
    task = locked(org, task)
    return services.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness="监督人员王五在场", witness_name="王五")


# ---------------------------------------------------------------- every page


def test_every_page_renders_for_a_department_user(client, org, world, task):
    businesses, people, _ = world
    services_pools.conflict_declare(actor=org.users.dept, inspector=people[0], business=businesses[0], relation="近亲属")
    draft = services.task_create(
        actor=org.users.dept, plan=task.plan, name="草拟中的任务", object_pool=task.object_pool, inspector_pool=task.inspector_pool,
        start=START, end=END,
    )
    task = drawn(org, task)
    task = services.task_start(actor=org.users.dept, pk=task.pk, version=task.version)
    client.force_login(org.users.dept)
    pages = {
        "/spotchecks/": task.number,
        "/spotchecks/?status=in_progress": task.number,
        f"/spotchecks/?plan={task.plan_id}": draft.number,
        "/spotchecks/tasks/new/": "A类抽取比例",
        f"/spotchecks/tasks/{draft.pk}/": "锁定",
        f"/spotchecks/tasks/{draft.pk}/edit/": "草拟中的任务",
        f"/spotchecks/tasks/{task.pk}/": task.commitment,
        f"/spotchecks/tasks/{task.pk}/draw/": "监督人员王五在场",
        f"/spotchecks/tasks/{task.pk}/results/": "按已完成的检查登记结果",
        "/spotchecks/plans/": "2026年度双随机抽查计划",
        "/spotchecks/plans/new/": "计划名称",
        "/spotchecks/items/": "企业公示信息抽查",
        "/spotchecks/items/new/": "法律依据",
        "/spotchecks/inspectors/": "2026年执法人员库",
        "/spotchecks/inspectors/new/": people[0].cert_no,
        f"/spotchecks/inspectors/{task.inspector_pool_id}/": "已失效",
        "/spotchecks/objects/": "辖区企业",
        "/spotchecks/objects/new/": "信用风险分类",
        f"/spotchecks/objects/{task.object_pool_id}/": "A类（低风险）",
        "/spotchecks/objects/preview/?target=businesses&credit_classes=C&credit_classes=D": "pool-total",
        "/spotchecks/conflicts/": businesses[0].uscc,
        "/spotchecks/conflicts/new/": "回避理由",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in html(response), url
    assert "双随机" in html(client.get("/"))  # the nav link
    # The members' certificate validity and station; the pool's live count per class.
    members = html(client.get(f"/spotchecks/inspectors/{task.inspector_pool_id}/"))
    assert "东关市场监管所" in members and "2030-12-31" in members and "2026-08-31" in members
    preview = client.get("/spotchecks/objects/preview/", {"target": "businesses", "credit_classes": ["C", "D"]}, HTTP_HX_REQUEST="true")
    counts = dict(re.findall(r'data-stratum="(.)"><td>[^<]*</td><td class="num">(\d+)', html(preview)))
    assert counts == {"A": "0", "B": "0", "C": "6", "D": "4", "-": "0"} and "<html" not in html(preview)
    # Generated inspections are linked from the task page.
    page = html(client.get(f"/spotchecks/tasks/{task.pk}/"))
    for obj in task.drawn.all():
        assert f'href="/inspections/{obj.inspection_id}/"' in page
    assert f"/public/spotchecks/tasks/{task.number}/" in page and f"/public/spotchecks/draws/{task.pk}.json" in page
    # The read-only admin, for support.
    client.force_login(org.users.admin)
    for model in ("checkitem", "inspectorpool", "objectpool", "conflict", "plan", "task", "drawnobject"):
        assert client.get(f"/admin/spotchecks/{model}/").status_code == 200, model
    response = client.get(f"/admin/spotchecks/task/{task.pk}/change/")
    assert response.status_code == 200 and task.secret not in html(response)


def test_the_secret_is_not_shown_before_the_draw(client, org, task):
    task = locked(org, task)
    client.force_login(org.users.dept)
    for url in (f"/spotchecks/tasks/{task.pk}/", f"/spotchecks/tasks/{task.pk}/draw/"):
        page = html(client.get(url))
        assert task.commitment in page and task.pool_digest in page and task.inspector_digest in page
        assert task.secret not in page
    facts = text(client.get(f"/spotchecks/tasks/{task.pk}/"))
    assert "检查对象 42 个" in facts and "执法人员 6 名" in facts  # 42 businesses; the expired certificate is left out


# ---------------------------------------------------------------- station users read only


def test_station_users_read_but_cannot_write(client, org, world, task):
    businesses, people, _ = world
    client.force_login(org.users.east)
    for url in ("/spotchecks/", f"/spotchecks/tasks/{task.pk}/", f"/spotchecks/tasks/{task.pk}/draw/", "/spotchecks/plans/",
                "/spotchecks/items/", "/spotchecks/inspectors/", "/spotchecks/objects/", "/spotchecks/conflicts/",
                f"/spotchecks/objects/{task.object_pool_id}/", f"/spotchecks/inspectors/{task.inspector_pool_id}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "lock-form" not in html(client.get(f"/spotchecks/tasks/{task.pk}/"))
    refused = "双随机抽查计划与任务由业务科室或系统管理员管理"
    posts = {
        "/spotchecks/items/new/": {"code": "X1", "name": "x", "legal_basis": "x"},
        "/spotchecks/plans/new/": {"year": "2026", "name": "所里的计划", "department": org.dept.pk},
        "/spotchecks/inspectors/new/": {"name": "所里的库", "department": org.dept.pk, "members": [p.pk for p in people]},
        "/spotchecks/objects/new/": {"name": "所里的对象库", "department": org.dept.pk, "target": "businesses"},
        "/spotchecks/conflicts/new/": {
            "inspector": people[1].pk, "business": businesses[1].uscc, "relation": "朋友", "declared_on": "2026-09-01",
        },
        "/spotchecks/tasks/new/": task_form(task, name="所里的任务"),
        f"/spotchecks/tasks/{task.pk}/edit/": task_form(task, name="改名"),
        f"/spotchecks/tasks/{task.pk}/lock/": {"version": task.version},
        f"/spotchecks/tasks/{task.pk}/void/": {"version": task.version, "reason": "不需要了"},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert refused in html(response), url
    assert (CheckItem.objects.count(), Plan.objects.count(), InspectorPool.objects.count(), ObjectPool.objects.count()) == (1, 1, 1, 1)
    assert not Conflict.objects.exists() and Task.objects.count() == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT and task.name == "企业年报公示信息抽查"
    # Later states too: drawing, starting, recording and publishing are refused.
    task = locked(org, task)
    response = client.post(f"/spotchecks/tasks/{task.pk}/draw/", {"version": task.version, "witness_name": "王五", "witness": "在场"})
    assert response.status_code == 403 and refused in html(response)
    assert Task.objects.get(pk=task.pk).record is None
    task = services.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness="监督人员王五在场", witness_name="王五")
    assert client.post(f"/spotchecks/tasks/{task.pk}/start/", {"version": task.version}).status_code == 403
    task = services.task_start(actor=org.users.dept, pk=task.pk, version=task.version)
    obj = task.drawn.first()
    response = client.post(f"/spotchecks/tasks/{task.pk}/results/{obj.pk}/", {f"r{obj.pk}-result": "no_problem"})
    assert response.status_code == 403 and refused in html(response)
    response = client.post(f"/spotchecks/tasks/{task.pk}/results/from-inspections/")
    assert response.status_code == 403 and refused in html(response)
    response = client.post(f"/spotchecks/tasks/{task.pk}/publish/", {"version": task.version, "on": "2026-12-01"})
    assert response.status_code == 403 and refused in html(response)
    assert not DrawnObject.objects.exclude(result="").exists()


# ---------------------------------------------------------------- the whole lifecycle by POSTs


def test_lifecycle_by_posts(client, org, world):
    businesses, people, expired = world
    client.force_login(org.users.dept)

    response = client.post("/spotchecks/items/new/", {
        "code": "SC-01", "name": "企业公示信息抽查", "legal_basis": "《企业信息公示暂行条例》第十四条", "method": "书面检查",
        "key_item": "on", "department": org.dept.pk,
    })
    assert response.status_code == 302
    item = CheckItem.objects.get(code="SC-01")
    assert item.key_item and item.department == org.dept

    response = client.post("/spotchecks/inspectors/new/", {
        "name": "2026年执法人员库", "department": org.dept.pk, "members": [p.pk for p in [*people, expired]],
    })
    assert response.status_code == 302
    inspectors = InspectorPool.objects.get()
    assert set(inspectors.members.all()) == {*people, expired}

    conflicted = businesses[-4]  # a D business: half of them are drawn
    response = client.post("/spotchecks/conflicts/new/", {
        "inspector": people[0].pk, "business": conflicted.uscc.lower(), "relation": "近亲属", "reason": "法定代表人为其配偶",
        "declared_on": "2026-08-20",
    })
    assert response.status_code == 302
    assert Conflict.objects.get().business == conflicted

    response = client.post("/spotchecks/objects/new/", {
        "name": "辖区已分类企业", "department": org.dept.pk, "target": "businesses", "credit_classes": ["A", "B", "C", "D"],
        "industries": "52, 62", "entity_types": ["enterprise"],
    })
    assert response.status_code == 302
    objects = ObjectPool.objects.get()
    assert objects.industries == ["52", "62"] and objects.credit_classes == ["A", "B", "C", "D"]

    response = client.post("/spotchecks/plans/new/", {"year": "2026", "name": "2026年度双随机抽查计划", "department": org.dept.pk})
    assert response.status_code == 302
    plan = Plan.objects.get()

    response = client.get("/spotchecks/tasks/new/")
    assert response.context["form"].initial["ratio_D"] == "0.30"  # prefilled from the versioned rule
    response = client.post("/spotchecks/tasks/new/", {
        **task_form(), "plan": plan.pk, "object_pool": objects.pk, "inspector_pool": inspectors.pk, "items": [item.pk],
        "departments": [org.dept.pk], "max_objects_per_inspector": "5",
    })
    assert response.status_code == 302
    task = Task.objects.get()
    assert response.url == f"/spotchecks/tasks/{task.pk}/"
    assert task.number == "SJ20260001" and task.status == TaskStatus.DRAFT
    assert task.ratios == {"A": "0.05", "B": "0.10", "C": "0.20", "D": "0.50"} and list(task.items.all()) == [item]

    # Edit the draft: a cap of 4, one more day.
    response = client.post(f"/spotchecks/tasks/{task.pk}/edit/", task_form(task, max_objects_per_inspector="4", end="2026-12-01",
                                                                           items=[item.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.max_objects_per_inspector == 4 and task.end == dt.date(2026, 12, 1) and task.version == 2

    response = client.post(f"/spotchecks/tasks/{task.pk}/lock/", {"version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.LOCKED and len(task.pool_snapshot) == 40  # the unclassified two are not in the pool
    page = text(client.get(f"/spotchecks/tasks/{task.pk}/"))
    assert task.commitment in page and "检查对象 40 个" in page and "执法人员 6 名" in page

    response = client.post(f"/spotchecks/tasks/{task.pk}/draw/", {
        "version": task.version, "witness_name": "王五", "witness": "2026年9月1日 监督人员王五在场",
    })
    assert response.status_code == 302 and response.url == f"/spotchecks/tasks/{task.pk}/draw/"
    task.refresh_from_db()
    # ceil(20×0.05)=1, ceil(10×0.10)=1, ceil(6×0.20)=2, ceil(4×0.50)=2
    assert task.status == TaskStatus.DRAWN and task.drawn.count() == 6
    assert ref.verify(copy.deepcopy(task.record)) is None and algorithm.verify(copy.deepcopy(task.record)) is None
    screen = client.get(f"/spotchecks/tasks/{task.pk}/draw/")
    for obj in task.drawn.all():
        assert obj.business.name in html(screen) and obj.rank[:12] in html(screen)
        if obj.key == conflicted.uscc:
            assert people[0].cert_no not in obj.team
    names = {str(p) for p in people}
    assert any(n in html(screen) for n in names) and "西关市场监管所" in html(screen)

    response = client.post(f"/spotchecks/tasks/{task.pk}/start/", {"version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    inspections = Inspection.objects.filter(spotcheck__task=task)
    assert inspections.count() == 6 and set(inspections.values_list("kind", flat=True)) == {InspectionKind.RANDOM}

    # Nothing completed yet: the bulk button says so and writes nothing.
    response = client.post(f"/spotchecks/tasks/{task.pk}/results/from-inspections/")
    assert response.status_code == 400 and "没有已完成检查" in html(response)
    first, *rest = list(task.drawn.select_related("inspection").order_by("order"))
    for obj in rest:
        inspection_complete(actor=None, pk=obj.inspection.pk, version=None, result=InspectionResult.NO_PROBLEM)
    inspection_complete(
        actor=None, pk=first.inspection.pk, version=None, result=InspectionResult.ORDERED,
        findings=[NewFinding(description="年报未公示股东出资信息", deadline=dt.date(2026, 9, 15))],
    )
    response = client.post(f"/spotchecks/tasks/{task.pk}/results/from-inspections/")
    assert response.status_code == 302
    assert not task.drawn.filter(result="").exists()
    first.refresh_from_db()
    assert first.result == PublicResult.CORRECTED and first.publish_due == dt.date(2026, 9, 29)

    # One result chosen by hand, dated in a year the working-day calendar does not know yet: 暂定.
    last = rest[-1]
    response = client.post(f"/spotchecks/tasks/{task.pk}/results/{last.pk}/", {
        f"r{last.pk}-result": PublicResult.NOT_DISCLOSED, f"r{last.pk}-on": "2026-12-20",
    })
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.result == PublicResult.NOT_DISCLOSED and last.publish_due_provisional
    page = html(client.get(f"/spotchecks/tasks/{task.pk}/results/"))
    assert "已逾期" in page and "clock-overdue" in page  # 2026-09-29 has passed
    assert "暂定" in page and "未按规定公示应当公示的信息" in page
    overdue = html(client.get("/spotchecks/"))
    assert 'id="overdue"' in overdue and first.business.name in overdue

    # Publishing before the last result's date is refused; on or after it, everything is published.
    response = client.post(f"/spotchecks/tasks/{task.pk}/publish/", {"version": task.version, "on": "2026-12-01"})
    assert response.status_code == 400 and "早于" in html(response)
    assert not task.drawn.filter(published_on__isnull=False).exists()
    response = client.post(f"/spotchecks/tasks/{task.pk}/publish/", {"version": task.version, "on": "2026-12-21"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED and not task.drawn.filter(published_on__isnull=True).exists()
    page = html(client.get(f"/spotchecks/tasks/{task.pk}/results/"))
    assert "2026-12-21 已公示" in page and "result-form" not in page
    listing = html(client.get("/spotchecks/"))
    assert task.number in listing and "已公示" in listing


def test_void_with_a_reason_stays_listed(client, org, task):
    task = locked(org, task)
    client.force_login(org.users.dept)
    response = client.post(f"/spotchecks/tasks/{task.pk}/void/", {"version": task.version, "reason": " "})
    assert response.status_code == 400 and "作废任务须说明理由" in html(response)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.LOCKED
    response = client.post(f"/spotchecks/tasks/{task.pk}/void/", {"version": task.version, "reason": "名录有误，重新组织"})
    assert response.status_code == 302
    listing = text(client.get("/spotchecks/"))
    assert task.number in listing and "已作废" in listing and "作废理由：名录有误，重新组织" in listing
    page = html(client.get(f"/spotchecks/tasks/{task.pk}/"))
    assert "名录有误，重新组织" in page and "void-form" not in page and "draw-form" not in page


# ---------------------------------------------------------------- bad input


def test_empty_witness_is_refused_and_nothing_drawn(client, org, task):
    task = locked(org, task)
    client.force_login(org.users.dept)
    response = client.post(f"/spotchecks/tasks/{task.pk}/draw/", {"version": task.version, "witness_name": "王五", "witness": "  "})
    assert response.status_code == 400 and "请监督人员录入见证文字" in html(response)
    assert 'id="row-witness"' in html(response) and "has-error" in html(response)
    response = client.post(f"/spotchecks/tasks/{task.pk}/draw/", {"version": task.version, "witness_name": "", "witness": "在场"})
    assert response.status_code == 400 and "请填写监督人员姓名" in html(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.LOCKED and task.record is None and not task.drawn.exists()


def test_drawing_an_unlocked_task_is_refused(client, org, task):
    client.force_login(org.users.dept)
    page = client.get(f"/spotchecks/tasks/{task.pk}/draw/")
    assert page.status_code == 200 and "只有已锁定的任务才能抽取" in html(page) and "draw-form" not in html(page)
    response = client.post(f"/spotchecks/tasks/{task.pk}/draw/", {"version": task.version, "witness_name": "王五", "witness": "在场"})
    assert response.status_code == 400 and "只有已锁定的任务才能抽取" in html(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT and task.record is None and not task.drawn.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("ratio_B", "1.5", "分层“B”的抽取比例 1.5 超出 0～1"),
    ("ratio_C", "abc", "分层“C”的抽取比例“abc”不是 0 到 1 之间的小数字符串"),
    ("team_size", "1", "每组检查人员不得少于 2 名"),
    ("ratio_unrated", "-0.1", "分层“-”的抽取比例“-0.1”不是 0 到 1 之间的小数字符串"),
])
def test_bad_task_input_is_refused_and_nothing_written(client, org, task, field, value, message):
    client.force_login(org.users.dept)
    response = client.post("/spotchecks/tasks/new/", task_form(task, **{field: value}))
    assert response.status_code == 400 and message in html(response)
    row = re.search(rf'<div class="row[^"]*" id="row-{field}">.*?</div>\s*</div>', html(response), re.S).group(0)
    assert "has-error" in row and message in row  # next to the field
    assert Task.objects.count() == 1
    # The same on the draft's edit form; and the task number was not used up.
    response = client.post(f"/spotchecks/tasks/{task.pk}/edit/", task_form(task, **{field: value}))
    assert response.status_code == 400 and message in html(response)
    assert Task.objects.get(pk=task.pk).version == task.version
    assert DocumentNumberFormat.objects.filter(kind="spotcheck_task").exists()
    again = services.task_create(
        actor=org.users.dept, plan=task.plan, name="下一个", object_pool=task.object_pool, inspector_pool=task.inspector_pool,
        start=START, end=END,
    )
    assert again.number == "SJ20260002"


def test_editing_a_locked_task_is_refused(client, org, task):
    task = locked(org, task)
    client.force_login(org.users.dept)
    page = client.get(f"/spotchecks/tasks/{task.pk}/edit/")
    assert page.status_code == 200 and "不能再修改" in html(page)
    response = client.post(f"/spotchecks/tasks/{task.pk}/edit/", task_form(task, ratio_A="1", name="改了名字"))
    assert response.status_code == 400 and "名录、比例和人数不能再修改" in html(response)
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.ratios["A"] == "0.05" and fresh.name == "企业年报公示信息抽查" and fresh.version == task.version


def test_stale_version_shows_the_concurrent_edit_message(client, org, task):
    client.force_login(org.users.dept)
    stale = client.get(f"/spotchecks/tasks/{task.pk}/edit/").context["form"].initial["version"]
    services.task_update(actor=org.users.dept, pk=task.pk, version=task.version, team_size=3)
    response = client.post(f"/spotchecks/tasks/{task.pk}/edit/", task_form(task, version=stale, name="我的改动"))
    assert response.status_code == 409 and "已被他人修改" in html(response)
    assert "我的改动" in html(response)  # the input stays
    assert Task.objects.get(pk=task.pk).name == "企业年报公示信息抽查"
    # The lock button of a page loaded before the change.
    response = client.post(f"/spotchecks/tasks/{task.pk}/lock/", {"version": stale})
    assert response.status_code == 409 and "已被他人修改" in html(response)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DRAFT


def test_register_errors_are_shown_next_to_the_field(client, org, world):
    businesses, people, _ = world
    outsider = inspector(org.east)
    outsider.cert_no = None
    outsider.save()
    client.force_login(org.users.dept)
    response = client.post("/spotchecks/inspectors/new/", {"name": "库", "department": org.dept.pk, "members": []})
    assert response.status_code == 400 and "请选择执法人员" in html(response)
    response = client.post("/spotchecks/objects/new/", {"name": "库", "department": org.dept.pk, "target": "businesses", "industries": "食品"})
    assert response.status_code == 400 and "不符合国民经济行业分类" in html(response)
    response = client.post("/spotchecks/objects/new/", {
        "name": "库", "department": org.dept.pk, "target": "businesses", "equipment_types": ["3000"],
    })
    assert response.status_code == 400 and "对象类别须为特种设备使用单位或特种设备" in html(response)
    response = client.post("/spotchecks/conflicts/new/", {
        "inspector": people[0].pk, "business": "91370102MA3C0000X0", "relation": "近亲属", "declared_on": "2026-09-01",
    })
    assert response.status_code == 400 and "统一社会信用代码" in html(response)
    assert not InspectorPool.objects.exists() and not ObjectPool.objects.exists() and not Conflict.objects.exists()
    # Declaring twice is refused with a message, not a 500.
    data = {"inspector": people[0].pk, "business": businesses[0].uscc, "relation": "近亲属", "declared_on": "2026-09-01"}
    assert client.post("/spotchecks/conflicts/new/", data).status_code == 302
    response = client.post("/spotchecks/conflicts/new/", data)
    assert response.status_code == 400 and "已申报回避" in html(response)
    assert Conflict.objects.count() == 1


def test_results_need_a_completed_inspection_or_a_choice(client, org, task):
    task = drawn(org, task)
    task = services.task_start(actor=org.users.dept, pk=task.pk, version=task.version)
    obj = task.drawn.first()
    client.force_login(org.users.dept)
    response = client.post(f"/spotchecks/tasks/{task.pk}/results/{obj.pk}/", {f"r{obj.pk}-result": ""})
    assert response.status_code == 400 and "的检查尚未完成" in html(response)
    response = client.post(f"/spotchecks/tasks/{task.pk}/publish/", {"version": task.version, "on": "2026-12-01"})
    assert response.status_code == 400 and "未登记结果" in html(response)
    assert not task.drawn.exclude(result="").exists()
    assert Inspection.objects.filter(status=InspectionStatus.COMPLETED).count() == 0
