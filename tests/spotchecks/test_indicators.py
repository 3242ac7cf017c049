"""双随机、一公开 figures: each value equals the records counted directly, and its drill-down lists exactly them."""

import datetime as dt
import zoneinfo

import pytest

from jianguan.core.indicators import compute, drilldown, get_indicator
from jianguan.core.periods import Params
from jianguan.inspections.services.inspections import inspection_complete
from jianguan.spotchecks import services, services_plans
from jianguan.spotchecks.choices import PublicResult, TaskStatus
from jianguan.spotchecks.models import DrawnObject, InspectorPool, ObjectPool, Task

from . import builders

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
KEYS = [
    "spotchecks.inspector_pools", "spotchecks.object_pools", "spotchecks.plans", "spotchecks.plans_done",
    "spotchecks.tasks", "spotchecks.tasks_done", "spotchecks.objects_drawn", "spotchecks.results_published",
    "spotchecks.results_on_time", "spotchecks.published_on_time_rate",
]


def _drawn_at(task: Task, when: dt.datetime) -> Task:
    """The services stamp the real time of the draw; the tests put it where they need it."""
    Task.objects.filter(pk=task.pk).update(drawn_at=when)
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def year(org):
    """A 2025 plan finished in January 2026 (one result published late), and a 2026 plan with tasks in every state."""
    w = builders.world(org, on=dt.date(2026, 3, 2))
    InspectorPool.objects.create(name="2025年执法人员库", department=org.dept, created_on=dt.date(2025, 11, 3))
    ObjectPool.objects.create(name="2026年食品经营者名录库", department=org.dept, created_on=dt.date(2026, 7, 1))
    old_plan = services.plan_create(actor=org.users.dept, year=2025, name="2025年度双随机抽查计划", department=org.dept, on=dt.date(2025, 11, 1))
    old = builders.task(w, "2025年企业公示信息抽查", start=dt.date(2025, 11, 10))
    Task.objects.filter(pk=old.pk).update(plan=old_plan)
    old = builders.advance(w, old, TaskStatus.IN_PROGRESS)
    _drawn_at(old, dt.datetime(2025, 11, 10, 9, 30, tzinfo=SHANGHAI))
    drawn_old = list(old.drawn.order_by("order"))
    for i, obj in enumerate(drawn_old):  # the first recorded early, so published late
        inspection_complete(actor=None, pk=obj.inspection.pk, version=None, result="no_problem")
        # one result late: recorded 2025-11-20, due 20 working days later, published 2026-01-15
        services.result_record(actor=org.users.dept, pk=obj.pk, on=dt.date(2025, 11, 20) if i == 0 else dt.date(2025, 12, 31))
    services.results_publish(actor=org.users.dept, pk=old.pk, version=None, on=dt.date(2026, 1, 15))
    services_plans.plan_activate(actor=org.users.dept, pk=old_plan.pk)
    services_plans.plan_complete(actor=org.users.dept, pk=old_plan.pk)

    done = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.PUBLISHED,
                            result_on=dt.date(2026, 3, 10), publish_on=dt.date(2026, 3, 20))
    _drawn_at(done, dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))
    running = builders.advance(w, builders.task(w, "食品经营者检查", start=dt.date(2026, 6, 1)), TaskStatus.IN_PROGRESS)
    # drawn late on 30 June, Beijing time (still June 30 in UTC too) and just after midnight on 1 July (June 30 in UTC)
    _drawn_at(running, dt.datetime(2026, 6, 30, 23, 30, tzinfo=SHANGHAI))
    july = builders.advance(w, builders.task(w, "电梯使用单位检查", start=dt.date(2026, 6, 20)), TaskStatus.DRAWN)
    _drawn_at(july, dt.datetime(2026, 7, 1, 0, 10, tzinfo=SHANGHAI))
    locked = builders.advance(w, builders.task(w, "广告发布者检查", start=dt.date(2026, 5, 1)), TaskStatus.LOCKED)
    voided = builders.advance(w, builders.task(w, "已作废的任务", start=dt.date(2026, 4, 1)), TaskStatus.DRAWN)
    _drawn_at(voided, dt.datetime(2026, 4, 1, 9, 0, tzinfo=SHANGHAI))
    services.task_void(actor=org.users.dept, pk=voided.pk, version=None, reason="名录库条件设置有误，重新组织")
    draft = builders.task(w, "下半年任务", start=dt.date(2026, 9, 1))
    return {"w": w, "old": old, "done": done, "running": running, "july": july, "locked": locked, "voided": voided,
            "draft": draft, "old_plan": old_plan}


def _pks(key, params, actor=None):
    return set(drilldown(key, params, actor).values_list("pk", flat=True))


def test_figures_equal_their_records_counted_directly(org, year):
    h1 = Params.build(period="2026H1")
    values = compute(KEYS, h1)
    w = year["w"]
    assert values["spotchecks.inspector_pools"] == 1 and _pks("spotchecks.inspector_pools", h1) == {w.inspectors.pk}
    assert values["spotchecks.object_pools"] == 1 and _pks("spotchecks.object_pools", h1) == {w.objects.pk}
    assert values["spotchecks.plans"] == 1 and _pks("spotchecks.plans", h1) == {w.plan.pk}
    assert values["spotchecks.plans_done"] == 1 and _pks("spotchecks.plans_done", h1) == {year["old_plan"].pk}
    tasks = {year[k].pk for k in ("done", "running", "july", "locked")}  # started in H1, not voided
    assert values["spotchecks.tasks"] == 4 and _pks("spotchecks.tasks", h1) == tasks
    assert values["spotchecks.tasks_done"] == 2 and _pks("spotchecks.tasks_done", h1) == {year["old"].pk, year["done"].pk}

    drawn = set(DrawnObject.objects.filter(task__in=[year["done"], year["running"]]).values_list("pk", flat=True))
    assert values["spotchecks.objects_drawn"] == len(drawn) > 0 and _pks("spotchecks.objects_drawn", h1) == drawn

    published = DrawnObject.objects.filter(published_on__range=(dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
    on_time = {o.pk for o in published if o.published_on <= o.publish_due}
    assert values["spotchecks.results_published"] == published.count() > len(on_time) == values["spotchecks.results_on_time"]
    assert _pks("spotchecks.results_on_time", h1) == on_time == _pks("spotchecks.published_on_time_rate", h1)
    late = year["old"].drawn.get(order=1)
    assert late.pk not in on_time and late.published_on > late.publish_due
    expected = round(100 * len(on_time) / published.count(), 2)
    assert float(values["spotchecks.published_on_time_rate"]) == pytest.approx(expected, abs=0.005)

    h2 = Params.build(period="2026H2")
    later = compute(KEYS, h2)
    assert later["spotchecks.object_pools"] == 1 and later["spotchecks.tasks"] == 1  # the draft starting in September
    assert _pks("spotchecks.objects_drawn", h2) == set(year["july"].drawn.values_list("pk", flat=True))
    assert later["spotchecks.published_on_time_rate"] is None  # nothing published: no rate
    q4 = compute(KEYS, Params.build(period="2025Q4"))
    assert q4["spotchecks.inspector_pools"] == 1 and q4["spotchecks.plans"] == 1 and q4["spotchecks.tasks"] == 1
    assert q4["spotchecks.tasks_done"] == 0  # published in January


def test_station_scope_narrows_the_drawn_objects_only(org, year):
    bureau = compute(KEYS, Params.build(period="2026H1"))
    east = Params.build(period="2026H1", scope=f"station:{org.east.code}")
    values = compute(KEYS, east)
    for key in ("spotchecks.inspector_pools", "spotchecks.object_pools", "spotchecks.plans", "spotchecks.plans_done",
                "spotchecks.tasks", "spotchecks.tasks_done"):
        assert values[key] == bureau[key], key
        assert get_indicator(key).scope_field == "" and "全局口径" in get_indicator(key).definition
    mine = set(
        DrawnObject.objects.filter(task__in=[year["done"], year["running"]], subdistrict__station=org.east).values_list("pk", flat=True)
    )
    assert values["spotchecks.objects_drawn"] == len(mine) and _pks("spotchecks.objects_drawn", east) == mine
    assert 0 < len(mine) < bureau["spotchecks.objects_drawn"]
    # A station user asking for the bureau gets their station, for the drawn objects as for any figure.
    assert compute(["spotchecks.objects_drawn"], Params.build(period="2026H1"), actor=org.users.east)["spotchecks.objects_drawn"] == len(mine)


def test_several_devices_of_one_operator_drawn_by_one_task_are_one_household(org):
    w = builders.world(org, per_sub=5)
    task = builders.advance(w, builders.task(w, "电梯使用单位检查"), TaskStatus.DRAWN)
    _drawn_at(task, dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))
    first = task.drawn.order_by("order").first()
    extra = DrawnObject.objects.create(
        task=task, order=999, key="31103701022026000001", stratum=first.stratum, rank="f" * 64, business=first.business,
        subdistrict=first.subdistrict, team=first.team, result=PublicResult.NO_PROBLEM,
    )
    h1 = Params.build(period="2026H1")
    value = compute(["spotchecks.objects_drawn"], h1)["spotchecks.objects_drawn"]
    assert value == task.drawn.count() - 1
    listed = _pks("spotchecks.objects_drawn", h1)
    assert len(listed) == value and extra.pk not in listed and first.pk in listed
