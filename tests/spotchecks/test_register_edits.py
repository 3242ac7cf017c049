"""Editing the registers through services_pools: a check item edited, disabled (and then refused by new
and edited tasks and at locking) and enabled again; the pools edited, except while a task using them is
locked and waiting for its draw; every write audited under its actor; station users refused."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.spotchecks import services, services_pools
from jianguan.spotchecks.choices import TaskStatus
from jianguan.spotchecks.models import CheckItem, InspectorPool, ObjectPool

from ..inspections.factories import inspector
from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org):
    return builders.world(org, per_sub=4)


def last_entry(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).latest("timestamp", "pk")


# ---------------------------------------------------------------- 抽查事项


def test_a_check_item_is_edited_and_audited(org, w):
    item = services_pools.check_item_update(
        actor=org.users.dept, pk=w.item.pk, name=" 企业年度报告公示信息抽查 ", legal_basis="《企业信息公示暂行条例》第十四条、第十五条",
        method="书面检查、实地核查", key_item=True, department=org.dept,
    )
    item.refresh_from_db()
    assert (item.code, item.name, item.method, item.key_item, item.department) == (
        "QY-01", "企业年度报告公示信息抽查", "书面检查、实地核查", True, org.dept,
    )
    entry = last_entry(item)
    assert entry.actor == org.users.dept and entry.changes_dict["name"] == ["企业公示信息抽查", "企业年度报告公示信息抽查"]


def test_a_check_item_edit_refuses_blank_text_and_the_code(org, w):
    with pytest.raises(DomainError, match="请填写法律依据") as refused:
        services_pools.check_item_update(actor=org.users.dept, pk=w.item.pk, legal_basis="  ")
    assert refused.value.extra["field"] == "legal_basis"
    with pytest.raises(DomainError, match="不能修改：code"):
        services_pools.check_item_update(actor=org.users.dept, pk=w.item.pk, code="QY-99")
    assert CheckItem.objects.get(pk=w.item.pk).legal_basis == "《企业信息公示暂行条例》第十四条"


def test_a_disabled_item_is_refused_by_new_and_edited_tasks_and_at_locking(org, w):
    draft = builders.task(w, "事项停用前的草拟任务")  # checks the item
    on = timezone.localdate()
    item = services_pools.check_item_disable(actor=org.users.dept, pk=w.item.pk)
    assert item.disabled_on == on and last_entry(item).actor == org.users.dept
    with pytest.raises(DomainError, match="已于 .* 停用"):
        services_pools.check_item_disable(actor=org.users.dept, pk=w.item.pk)
    named = f"抽查事项“企业公示信息抽查”（QY-01）已于 {on:%Y-%m-%d} 停用，不能用于抽查任务"
    with pytest.raises(DomainError, match=named) as refused:
        builders.task(w, "新任务")
    assert refused.value.extra["field"] == "items"
    assert not w.plan.tasks.filter(name="新任务").exists()
    with pytest.raises(DomainError, match=named):
        services_pools.task_edit(actor=org.users.dept, pk=draft.pk, version=draft.version, items=[w.item], name="改名")
    draft.refresh_from_db()
    assert draft.name == "事项停用前的草拟任务" and draft.version == 1  # the edit's other changes are undone too
    with pytest.raises(DomainError, match="请在任务中取消该事项后再锁定"):
        services.task_lock(actor=org.users.dept, pk=draft.pk, version=draft.version)
    assert services.Task.objects.get(pk=draft.pk).status == TaskStatus.DRAFT
    # Without the item the draft is edited and locked; an item still in use elsewhere stays on the list.
    other = CheckItem.objects.create(code="QY-02", name="企业登记事项抽查", legal_basis="《市场主体登记管理条例》")
    draft = services_pools.task_edit(actor=org.users.dept, pk=draft.pk, version=draft.version, items=[other])
    assert services.task_lock(actor=org.users.dept, pk=draft.pk, version=draft.version).status == TaskStatus.LOCKED
    # Enabled again (a mistake undone), it is accepted again.
    item = services_pools.check_item_enable(actor=org.users.dept, pk=w.item.pk)
    assert item.disabled_on is None and builders.task(w, "新任务").items.get() == item
    with pytest.raises(DomainError, match="未停用"):
        services_pools.check_item_enable(actor=org.users.dept, pk=w.item.pk)


def test_an_item_is_not_disabled_from_a_date_to_come(org, w):
    with pytest.raises(DomainError, match="停用日期不能晚于今天"):
        services_pools.check_item_disable(actor=org.users.dept, pk=w.item.pk, on=timezone.localdate() + dt.timedelta(days=1))
    item = services_pools.check_item_disable(actor=org.users.dept, pk=w.item.pk, on=dt.date(2026, 1, 1))
    assert CheckItem.objects.get(pk=item.pk).disabled_on == dt.date(2026, 1, 1)


# ---------------------------------------------------------------- 执法检查人员名录库


def test_an_inspector_pool_is_edited_with_its_members_audited(org, w):
    newcomer = inspector(org.east)
    members = [*w.people[1:], newcomer]
    pool = services_pools.inspector_pool_update(actor=org.users.dept, pk=w.inspectors.pk, name="2026年度执法人员库", members=members)
    pool = InspectorPool.objects.get(pk=pool.pk)
    assert pool.name == "2026年度执法人员库" and set(pool.members.all()) == set(members)
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(pool).filter(actor=org.users.dept)]
    assert {"name": ["执法检查人员名录库", "2026年度执法人员库"]} in changes
    # The members removed and added are in the log too, under the same actor.
    members_changed = {(c["members"]["operation"], tuple(c["members"]["objects"])) for c in changes if "members" in c}
    assert ("delete", (str(w.people[0]),)) in members_changed and ("add", (str(newcomer),)) in members_changed
    # Name only: the members stay.
    services_pools.inspector_pool_update(actor=org.users.dept, pk=pool.pk, name="执法人员库")
    assert set(InspectorPool.objects.get(pk=pool.pk).members.all()) == set(members)


def test_an_inspector_pool_edit_checks_members_and_name(org, w):
    uncertified = inspector(org.east)
    uncertified.cert_no = None
    uncertified.save()
    with pytest.raises(DomainError, match="没有执法证"):
        services_pools.inspector_pool_update(actor=org.users.dept, pk=w.inspectors.pk, members=[w.people[0], uncertified])
    with pytest.raises(DomainError, match="请选择执法人员"):
        services_pools.inspector_pool_update(actor=org.users.dept, pk=w.inspectors.pk, members=[])
    InspectorPool.objects.create(name="另一个库", department=org.dept, created_on=builders.START)
    with pytest.raises(DomainError, match="“另一个库”已存在"):
        services_pools.inspector_pool_update(actor=org.users.dept, pk=w.inspectors.pk, name="另一个库")
    pool = InspectorPool.objects.get(pk=w.inspectors.pk)
    assert pool.name == "执法检查人员名录库" and set(pool.members.all()) == set(w.people)


def test_a_pool_is_frozen_only_while_a_task_waits_for_its_draw(org, w):
    task = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.LOCKED)
    second = builders.advance(w, builders.task(w, "第二个任务"), TaskStatus.LOCKED)
    message = f"名录库已被任务 {task.number}、{second.number} 锁定，抽取前不能修改"
    with pytest.raises(DomainError, match=message) as refused:
        services_pools.inspector_pool_update(actor=org.users.dept, pk=w.inspectors.pk, members=w.people[:2])
    assert refused.value.code == "pool_locked" and refused.value.extra["tasks"] == [task.number, second.number]
    with pytest.raises(DomainError, match=message):
        services_pools.object_pool_update(actor=org.users.dept, pk=w.objects.pk, credit_classes=["D"])
    assert InspectorPool.objects.get(pk=w.inspectors.pk).members.count() == len(w.people)
    assert ObjectPool.objects.get(pk=w.objects.pk).credit_classes == []
    # Once drawn (or voided) the tasks no longer hold the pools; their snapshots stay as frozen.
    services.task_draw(actor=org.users.dept, pk=task.pk, version=None, witness="监督人员赵六见证", witness_name="赵六")
    services.task_void(actor=org.users.dept, pk=second.pk, version=None, reason="重复")
    frozen = services.Task.objects.get(pk=task.pk).pool_snapshot
    services_pools.object_pool_update(actor=org.users.dept, pk=w.objects.pk, credit_classes=["D"])
    services_pools.inspector_pool_update(actor=org.users.dept, pk=w.inspectors.pk, members=w.people[:2])
    assert services.Task.objects.get(pk=task.pk).pool_snapshot == frozen and len(frozen) > 4
    assert InspectorPool.objects.get(pk=w.inspectors.pk).members.count() == 2


# ---------------------------------------------------------------- 检查对象名录库


def test_an_object_pool_is_edited_keeping_filters_not_given(org, w):
    pool = services_pools.object_pool_update(
        actor=org.users.dept, pk=w.objects.pk, name="东关辖区C、D类企业", credit_classes=["C", "D"], industries=["52", " 6210 "],
        subdistricts=[org.subs["dongguan"], org.subs["jiefang"]],
    )
    pool = ObjectPool.objects.get(pk=pool.pk)
    assert (pool.name, pool.credit_classes, pool.industries) == ("东关辖区C、D类企业", ["C", "D"], ["52", "6210"])
    assert set(pool.subdistricts.all()) == {org.subs["dongguan"], org.subs["jiefang"]}
    assert last_entry(pool).actor == org.users.dept
    services_pools.object_pool_update(actor=org.users.dept, pk=pool.pk, key_units_only=True)
    pool = ObjectPool.objects.get(pk=pool.pk)
    assert pool.key_units_only and pool.credit_classes == ["C", "D"] and pool.subdistricts.count() == 2


def test_an_object_pool_edit_is_checked_as_at_creation(org, w):
    with pytest.raises(DomainError, match="不符合国民经济行业分类") as refused:
        services_pools.object_pool_update(actor=org.users.dept, pk=w.objects.pk, industries=["食品"])
    assert refused.value.extra["field"] == "industries"
    with pytest.raises(DomainError, match="信用风险分类无效"):
        services_pools.object_pool_update(actor=org.users.dept, pk=w.objects.pk, credit_classes=["E"])
    with pytest.raises(DomainError, match="请填写名录库名称"):
        services_pools.object_pool_update(actor=org.users.dept, pk=w.objects.pk, name=" ")
    with pytest.raises(DomainError, match="不能修改：department"):
        services_pools.object_pool_update(actor=org.users.dept, pk=w.objects.pk, department=org.east)
    pool = ObjectPool.objects.get(pk=w.objects.pk)
    assert pool.name == "辖区企业名录库" and pool.industries == [] and pool.credit_classes == []


# ---------------------------------------------------------------- who may


def test_station_users_cannot_edit_the_registers(org, w):
    east = org.users.east
    calls = [
        lambda: services_pools.check_item_update(actor=east, pk=w.item.pk, name="改名"),
        lambda: services_pools.check_item_disable(actor=east, pk=w.item.pk),
        lambda: services_pools.check_item_enable(actor=east, pk=w.item.pk),
        lambda: services_pools.inspector_pool_update(actor=east, pk=w.inspectors.pk, name="改名"),
        lambda: services_pools.object_pool_update(actor=east, pk=w.objects.pk, name="改名"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="业务科室或系统管理员"):
            call()
    item = CheckItem.objects.get(pk=w.item.pk)
    assert item.name == "企业公示信息抽查" and item.disabled_on is None
    assert InspectorPool.objects.get(pk=w.inspectors.pk).name == "执法检查人员名录库"
    assert ObjectPool.objects.get(pk=w.objects.pk).name == "辖区企业名录库"
