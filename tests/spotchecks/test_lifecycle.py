"""A spot-check task from draft to published, with its record verifiable by the independent implementation."""

import copy
import datetime as dt

import pytest

from jianguan.core.errors import DomainError
from jianguan.inspections.choices import InspectionKind, InspectionResult
from jianguan.inspections.services.inspections import inspection_complete
from jianguan.spotchecks import services
from jianguan.spotchecks.choices import PublicResult, TaskStatus
from jianguan.spotchecks.models import Conflict, DrawnObject, InspectorPool, ObjectPool, Task

from ..factories import BusinessFactory
from ..inspections.factories import inspector
from . import reference_draw as ref

pytestmark = pytest.mark.django_db
START = dt.date(2026, 9, 1)


@pytest.fixture
def setup(org):
    classes = ["A"] * 40 + ["B"] * 20 + ["C"] * 10 + ["D"] * 5 + [""] * 5
    businesses = [BusinessFactory(subdistrict=org.subs["dongguan" if i % 2 else "xiguan"], credit_risk_class=c) for i, c in enumerate(classes)]
    BusinessFactory(subdistrict=org.subs["dongguan"], reg_status="deregistered", status_date=dt.date(2025, 1, 1), credit_risk_class="D")
    people = [inspector(org.east) for _ in range(5)] + [inspector(org.west) for _ in range(5)]
    expired = inspector(org.west, valid_until=dt.date(2026, 8, 31))
    inspectors = InspectorPool.objects.create(name="2026年执法人员库", department=org.dept, created_on=START)
    inspectors.members.set([*people, expired])
    objects = ObjectPool.objects.create(name="辖区企业", department=org.dept, created_on=START)
    Conflict.objects.create(inspector=people[0], business=businesses[-10], relation="亲属", declared_on=START)
    plan = services.plan_create(actor=org.users.dept, year=2026, name="2026年度双随机抽查计划", department=org.dept)
    task = services.task_create(
        actor=org.users.dept, plan=plan, name="企业年报公示信息抽查", object_pool=objects, inspector_pool=inspectors,
        start=START, end=dt.date(2026, 11, 30), ratios={"A": "0.05", "B": "0.10", "C": "0.20", "D": "0.60"},
        max_objects_per_inspector=4,
    )
    return task, people, businesses


def test_lock_draw_inspect_publish(org, setup):
    task, people, businesses = setup
    assert task.number == "SJ20260001" and task.status == TaskStatus.DRAFT
    task = services.task_lock(actor=org.users.dept, pk=task.pk, version=task.version)
    assert len(task.pool_snapshot) == 80  # the deregistered business is not in the pool
    assert {i["key"] for i in task.inspector_snapshot} == {p.cert_no for p in people}  # the expired one is left out
    assert ref.sha(task.secret) == task.commitment
    with pytest.raises(DomainError, match="不能再修改"):
        services.task_update(actor=org.users.dept, pk=task.pk, version=task.version, ratios={"A": "1"})
    with pytest.raises(DomainError, match="见证文字"):
        services.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness=" ", witness_name="王五")
    task = services.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness="监督人员王五在场", witness_name="王五")
    # ceil(40×0.05)=2, ceil(20×0.10)=2, ceil(10×0.20)=2, ceil(5×0.60)=3, unrated 0
    assert task.drawn.count() == 9 and task.status == TaskStatus.DRAWN
    assert ref.verify(copy.deepcopy(task.record)) is None
    conflicted = businesses[-10].uscc
    for obj in task.drawn.all():
        assert len(obj.team) == 2
        if obj.key == conflicted:
            assert people[0].cert_no not in obj.team

    task = services.task_start(actor=org.users.dept, pk=task.pk, version=task.version)
    first = task.drawn.select_related("inspection").first()
    assert first.inspection.kind == InspectionKind.RANDOM and sorted(u.cert_no for u in first.inspection.inspectors.all()) == sorted(first.team)
    with pytest.raises(DomainError, match="未登记结果"):
        services.results_publish(actor=org.users.dept, pk=task.pk, version=task.version, on=dt.date(2026, 10, 9))
    for obj in task.drawn.select_related("inspection"):
        inspection_complete(actor=None, pk=obj.inspection.pk, version=None, result=InspectionResult.NO_PROBLEM)
        services.result_record(actor=org.users.dept, pk=obj.pk)
    obj = DrawnObject.objects.get(pk=first.pk)
    assert obj.result == PublicResult.NO_PROBLEM and obj.publish_due == dt.date(2026, 9, 29)  # 20 working days from 09-01
    # Across 中秋 (09-25) and the National Day holidays (10-01..07 off, Saturday 10-10 worked): 09-24 + 20 → 10-29.
    obj = services.result_record(actor=org.users.dept, pk=first.pk, result=PublicResult.CORRECTED, on=dt.date(2026, 9, 24))
    assert obj.publish_due == dt.date(2026, 10, 29) and not obj.publish_due_provisional
    task = services.results_publish(actor=org.users.dept, pk=task.pk, version=task.version, on=dt.date(2026, 10, 9))
    assert task.status == TaskStatus.PUBLISHED and not task.drawn.filter(published_on__isnull=True).exists()


def test_a_failed_draw_stores_nothing_and_drawing_needs_a_lock(org, setup):
    task, _, _ = setup
    with pytest.raises(DomainError, match="只有已锁定的任务才能抽取"):
        services.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness="x", witness_name="王五")
    services.task_update(actor=org.users.dept, pk=task.pk, version=task.version, max_objects_per_inspector=1)
    task = services.task_lock(actor=org.users.dept, pk=task.pk, version=Task.objects.get(pk=task.pk).version)
    with pytest.raises(DomainError, match="可派的执法人员只有"):
        services.task_draw(actor=org.users.dept, pk=task.pk, version=task.version, witness="监督人员王五在场", witness_name="王五")
    task.refresh_from_db()
    assert task.status == TaskStatus.LOCKED and task.record is None and not task.drawn.exists()
    with pytest.raises(DomainError, match="须说明理由"):
        services.task_void(actor=org.users.dept, pk=task.pk, version=task.version, reason="")
    task = services.task_void(actor=org.users.dept, pk=task.pk, version=task.version, reason="人员不足，重新组织")
    assert task.status == TaskStatus.VOIDED and task.void_reason


def test_bad_ratios_and_team_size_are_refused(org, setup):
    task, _, _ = setup
    with pytest.raises(DomainError, match="超出 0～1"):
        services.task_update(actor=org.users.dept, pk=task.pk, version=task.version, ratios={"A": "1.2"})
    with pytest.raises(DomainError, match="不得少于 2 名"):
        services.task_create(
            actor=org.users.dept, plan=task.plan, name="x", object_pool=task.object_pool, inspector_pool=task.inspector_pool,
            start=START, end=START, team_size=1,
        )
    with pytest.raises(DomainError, match="业务科室或系统管理员"):
        services.task_lock(actor=org.users.east, pk=task.pk, version=task.version)
