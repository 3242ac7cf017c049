"""The staff list of results overdue for publication."""

import datetime as dt

import pytest

from jianguan.spotchecks import services
from jianguan.spotchecks.choices import PublicResult, TaskStatus
from jianguan.spotchecks.models import DrawnObject
from jianguan.spotchecks.queries import overdue_publications

from . import builders

pytestmark = pytest.mark.django_db


def test_overdue_publications(org):
    w = builders.world(org)
    task = builders.advance(w, builders.task(w, "企业公示信息抽查"), TaskStatus.IN_PROGRESS)
    objects = list(task.drawn.order_by("order"))
    assert len(objects) >= 3
    early, late, _ = objects[0], objects[1], objects[2]  # the third has no result yet: no clock runs
    services.result_record(actor=org.users.dept, pk=early.pk, result=PublicResult.NO_PROBLEM, on=dt.date(2026, 3, 2))
    services.result_record(actor=org.users.dept, pk=late.pk, result=PublicResult.CORRECTED, on=dt.date(2026, 3, 16))
    early.refresh_from_db()
    late.refresh_from_db()
    # 20 working days: 03-02 → 03-30; 03-16 → 04-14 (清明 on Monday 04-06)
    assert early.publish_due == dt.date(2026, 3, 30) and late.publish_due == dt.date(2026, 4, 14)

    assert list(overdue_publications(dt.date(2026, 3, 30))) == []  # due that day: not yet overdue
    assert list(overdue_publications(dt.date(2026, 3, 31))) == [early]
    assert list(overdue_publications(dt.date(2026, 4, 15))) == [early, late]

    # A station user sees the objects of their own jurisdiction only.
    east_subs = {s.pk for s in org.subs.values() if s.station_id == org.east.pk}
    mine = [o for o in (early, late) if o.subdistrict_id in east_subs]
    assert list(overdue_publications(dt.date(2026, 4, 15), actor=org.users.east)) == mine
    theirs = list(overdue_publications(dt.date(2026, 4, 15), actor=org.users.west))
    assert sorted([*mine, *theirs], key=lambda o: o.order) == [early, late] and not set(mine) & set(theirs)

    # Published (or voided) is no longer overdue.
    DrawnObject.objects.filter(pk=early.pk).update(published_on=dt.date(2026, 4, 1))
    assert list(overdue_publications(dt.date(2026, 4, 15))) == [late]
    services.task_void(actor=org.users.dept, pk=task.pk, version=None, reason="检查对象注销，任务重新组织")
    assert not overdue_publications(dt.date(2026, 4, 15)).exists()
