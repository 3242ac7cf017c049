"""A plan's status through services_plans: 下达 (draft → active), 完成 (active → done) only once every
task is published or voided and one at least published; refused for station users; audited."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.spotchecks import services, services_plans
from jianguan.spotchecks.choices import PLAN_TRANSITIONS, PlanStatus, TaskStatus
from jianguan.spotchecks.models import Plan

from . import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org):
    return builders.world(org, per_sub=4)


def published(w, name: str):
    return builders.advance(
        w, builders.task(w, name), TaskStatus.PUBLISHED, result_on=dt.date(2026, 3, 10), publish_on=dt.date(2026, 3, 20),
    )


def status(plan) -> str:
    return Plan.objects.values_list("status", flat=True).get(pk=plan.pk)


def test_the_transition_table_goes_one_way():
    assert PLAN_TRANSITIONS == {
        PlanStatus.DRAFT: {PlanStatus.ACTIVE}, PlanStatus.ACTIVE: {PlanStatus.DONE}, PlanStatus.DONE: set(),
    }


def test_activate_is_audited_under_the_actor_and_happens_once(org, w):
    plan = services_plans.plan_activate(actor=org.users.dept, pk=w.plan.pk)
    assert plan.status == PlanStatus.ACTIVE and status(plan) == PlanStatus.ACTIVE
    entry = LogEntry.objects.get_for_object(plan).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == org.users.dept and entry.changes_dict["status"] == ["draft", "active"]
    with pytest.raises(DomainError, match="计划状态为“执行中”，不能变为“执行中”"):
        services_plans.plan_activate(actor=org.users.dept, pk=plan.pk)


def test_a_draft_plan_cannot_be_completed(org, w):
    published(w, "企业公示信息抽查")
    with pytest.raises(DomainError, match="计划状态为“草拟”，不能变为“已完成”"):
        services_plans.plan_complete(actor=org.users.dept, pk=w.plan.pk)
    assert status(w.plan) == PlanStatus.DRAFT


def test_complete_is_refused_while_a_task_is_neither_published_nor_voided(org, w):
    done = published(w, "企业公示信息抽查")
    running = builders.advance(w, builders.task(w, "食品经营者检查"), TaskStatus.IN_PROGRESS)
    draft = builders.task(w, "尚未锁定的任务")
    services_plans.plan_activate(actor=org.users.dept, pk=w.plan.pk)
    with pytest.raises(DomainError, match="还有 2 个任务未公示也未作废") as refused:
        services_plans.plan_complete(actor=org.users.dept, pk=w.plan.pk)
    assert refused.value.code == "tasks_unfinished" and refused.value.extra["tasks"] == sorted([running.number, draft.number])
    assert running.number in refused.value.message and done.number not in refused.value.message
    assert status(w.plan) == PlanStatus.ACTIVE
    # Voiding the two leaves one published task: now it completes.
    for task in (running, draft):
        services.task_void(actor=org.users.dept, pk=task.pk, version=None, reason="本年度不再实施")
    plan = services_plans.plan_complete(actor=org.users.dept, pk=w.plan.pk)
    assert plan.status == PlanStatus.DONE and status(plan) == PlanStatus.DONE
    entry = LogEntry.objects.get_for_object(plan).latest("timestamp")
    assert entry.actor == org.users.dept and entry.changes_dict["status"] == ["active", "done"]
    # A completed plan takes no new task, and never goes back.
    with pytest.raises(DomainError, match="已完成，不能再新建任务"):
        builders.task(w, "补充任务")
    with pytest.raises(DomainError, match="不能变为"):
        services_plans.plan_activate(actor=org.users.dept, pk=plan.pk)


def test_complete_needs_one_published_task(org, w):
    services_plans.plan_activate(actor=org.users.dept, pk=w.plan.pk)
    with pytest.raises(DomainError, match="没有已公示结果的任务"):
        services_plans.plan_complete(actor=org.users.dept, pk=w.plan.pk)  # no task at all
    task = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.LOCKED)
    services.task_void(actor=org.users.dept, pk=task.pk, version=None, reason="名录有误")
    with pytest.raises(DomainError, match="没有已公示结果的任务") as refused:
        services_plans.plan_complete(actor=org.users.dept, pk=w.plan.pk)  # every task voided
    assert refused.value.code == "nothing_published" and status(w.plan) == PlanStatus.ACTIVE


def test_station_users_cannot_move_a_plan(org, w):
    with pytest.raises(PermissionDenied, match="业务科室或系统管理员"):
        services_plans.plan_activate(actor=org.users.east, pk=w.plan.pk)
    services_plans.plan_activate(actor=org.users.admin, pk=w.plan.pk)  # administrators may
    published(w, "企业公示信息抽查")
    with pytest.raises(PermissionDenied):
        services_plans.plan_complete(actor=org.users.west, pk=w.plan.pk)
    assert status(w.plan) == PlanStatus.ACTIVE
