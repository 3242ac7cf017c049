"""Checks of the demo's 双随机、一公开 year, run inside the test that already builds the whole demo
(tests/demo/test_demo_inspections.py), so that the suite builds it once."""

import copy
import csv
import io
from collections import Counter

from django.core.cache import cache
from django.db.models import F

from jianguan.businesses.models import Business
from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.demo.equipment import DEMO_DATE
from jianguan.inspections.choices import InspectionKind
from jianguan.spotchecks.choices import TaskStatus
from jianguan.spotchecks.models import DrawnObject, Task
from jianguan.spotchecks.queries import overdue_publications

from ..spotchecks import reference_draw as ref


def check_spotcheck_demo(client) -> None:
    cache.clear()  # the public pages count requests per client
    # Credit classes on the active businesses — computed by the credit module at the end of the demo, after the
    # tasks were drawn on the classes imported before it existed: every class present, A the most common.
    classes = Counter(Business.objects.filter(reg_status="active").values_list("credit_risk_class", flat=True))
    assert set(classes) == {"A", "B", "C", "D"} and classes["A"] == max(classes.values())
    assert not Business.objects.exclude(credit_risk_class="").filter(credit_risk_class_on__isnull=True).exists()

    tasks = {t.status: t for t in Task.objects.all()}
    assert set(tasks) == {TaskStatus.PUBLISHED, TaskStatus.IN_PROGRESS, TaskStatus.LOCKED}
    published, running, locked = tasks[TaskStatus.PUBLISHED], tasks[TaskStatus.IN_PROGRESS], tasks[TaskStatus.LOCKED]

    # Published: every result out, exactly one after its deadline; the inspections are the drawn teams'.
    done = published.drawn.select_related("inspection")
    assert done.count() >= 10 and not done.filter(published_on__isnull=True).exists()
    assert done.filter(published_on__gt=F("publish_due")).count() == 1
    for obj in done:
        assert obj.inspection.kind == InspectionKind.RANDOM and obj.inspection.is_done and obj.result_on == obj.inspection.date
        assert sorted(obj.inspection.inspectors.values_list("cert_no", flat=True)) == sorted(obj.team)
    assert {o.result for o in done} >= {"no_problem", "corrected", "not_found"}

    # In progress: some results overdue for publication, some pending, some objects not inspected yet.
    overdue = overdue_publications(DEMO_DATE)
    assert overdue.exists() and {o.task_id for o in overdue} == {running.pk}
    assert running.drawn.filter(result="").exists()
    assert running.drawn.exclude(result="").filter(publish_due__gte=DEMO_DATE).exists()
    assert not Task.objects.filter(drawn_at__date__gt=DEMO_DATE).exists() and locked.drawn_at is None

    # The public side: the records verify, the locked task keeps its secret, the CSV carries the results.
    text = client.get("/public/spotchecks/").content.decode()
    assert all(t.number in text for t in tasks.values())
    record = client.get(f"/public/spotchecks/draws/{published.pk}.json").json()
    assert ref.verify(copy.deepcopy(record)) is None
    page = client.get(f"/public/spotchecks/tasks/{locked.number}/").content.decode()
    assert locked.commitment in page and locked.secret not in page
    rows = list(csv.reader(io.StringIO(client.get(f"/public/spotchecks/tasks/{published.number}/results.csv").content.decode("utf-8-sig"))))
    assert len(rows) == done.count() + 1

    # The figures of the year count the same records.
    params = Params.build(period="2026", as_of=DEMO_DATE)
    values = compute(["spotchecks.tasks", "spotchecks.tasks_done", "spotchecks.objects_drawn", "spotchecks.inspector_pools",
                      "spotchecks.object_pools", "spotchecks.plans", "spotchecks.published_on_time_rate"], params)
    assert values["spotchecks.tasks"] == 3 and values["spotchecks.tasks_done"] == 1 and values["spotchecks.plans"] == 1
    assert values["spotchecks.inspector_pools"] == 1 and values["spotchecks.object_pools"] == 2
    assert values["spotchecks.objects_drawn"] == DrawnObject.objects.count() == drilldown("spotchecks.objects_drawn", params).count()
    assert 0 < values["spotchecks.published_on_time_rate"] < 100
