"""A small spot-check world for the tests of public pages, queries and indicators: businesses in every
credit class in the four subdistricts, certified inspectors of both stations, pools and a plan, and a
helper that takes a task through the services up to a given status."""

import datetime as dt
from types import SimpleNamespace

from jianguan.inspections.choices import InspectionResult
from jianguan.inspections.services.inspections import inspection_complete
from jianguan.spotchecks import services
from jianguan.spotchecks.choices import TaskStatus
from jianguan.spotchecks.models import CheckItem, InspectorPool, ObjectPool, Task

from ..factories import BusinessFactory
from ..inspections.factories import inspector

START = dt.date(2026, 3, 2)
RATIOS = {"A": "0.10", "B": "0.20", "C": "0.40", "D": "1"}


def world(org, *, per_sub: int = 10, on: dt.date = START) -> SimpleNamespace:
    classes = ["A", "A", "A", "B", "B", "C", "C", "D", "", "A"]
    businesses = [
        BusinessFactory(subdistrict=sub, credit_risk_class=classes[i % len(classes)])
        for sub in org.subs.values() for i in range(per_sub)
    ]
    people = [inspector(org.east) for _ in range(3)] + [inspector(org.west) for _ in range(3)] + [inspector(org.dept, role="department")]
    inspectors = InspectorPool.objects.create(name="执法检查人员名录库", department=org.dept, created_on=on)
    inspectors.members.set(people)
    objects = ObjectPool.objects.create(name="辖区企业名录库", department=org.dept, created_on=on)
    plan = services.plan_create(actor=org.users.dept, year=on.year, name=f"{on.year}年度双随机抽查计划", department=org.dept, on=on)
    item = CheckItem.objects.create(code="QY-01", name="企业公示信息抽查", legal_basis="《企业信息公示暂行条例》第十四条", method="书面检查")
    return SimpleNamespace(
        businesses=businesses, people=people, inspectors=inspectors, objects=objects, plan=plan, item=item, org=org,
    )


def task(w, name: str, *, start: dt.date = START, end: dt.date | None = None, ratios=None, departments=()) -> Task:
    return services.task_create(
        actor=w.org.users.dept, plan=w.plan, name=name, object_pool=w.objects, inspector_pool=w.inspectors,
        start=start, end=end or start + dt.timedelta(days=60), ratios=ratios or RATIOS, items=[w.item],
        departments=departments,
    )


def advance(w, t: Task, to: str, *, result_on: dt.date | None = None, publish_on: dt.date | None = None) -> Task:
    """Lock → draw → start → (complete every inspection, record its result) → publish, stopping at `to`."""
    actor = w.org.users.dept
    steps = [TaskStatus.LOCKED, TaskStatus.DRAWN, TaskStatus.IN_PROGRESS, "results", TaskStatus.PUBLISHED]
    for step in steps[: steps.index(to) + 1]:
        t = Task.objects.get(pk=t.pk)
        if step == TaskStatus.LOCKED:
            t = services.task_lock(actor=actor, pk=t.pk, version=t.version)
        elif step == TaskStatus.DRAWN:
            t = services.task_draw(actor=actor, pk=t.pk, version=t.version, witness=f"监督人员赵六见证 {t.number}", witness_name="赵六")
        elif step == TaskStatus.IN_PROGRESS:
            t = services.task_start(actor=actor, pk=t.pk, version=t.version)
        elif step == "results":
            for obj in t.drawn.select_related("inspection"):
                inspection_complete(actor=None, pk=obj.inspection.pk, version=None, result=InspectionResult.NO_PROBLEM)
                services.result_record(actor=actor, pk=obj.pk, on=result_on)
        else:
            t = services.results_publish(actor=actor, pk=t.pk, version=t.version, on=publish_on)
    return Task.objects.get(pk=t.pk)
