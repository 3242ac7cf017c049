import datetime as dt

import pytest
from django.core.management import call_command

from jianguan.core.errors import DomainError
from jianguan.equipment.models import Equipment, FollowUpTask
from jianguan.equipment.rules import due_state
from jianguan.equipment.services import equipment_refresh, equipment_transition, examination_record

from .factories import EquipmentFactory

pytestmark = pytest.mark.django_db


def test_due_states_follow_the_report_date(org):
    device = EquipmentFactory(subdistrict=org.subs["dongguan"], operator__subdistrict=org.subs["dongguan"])
    examination_record(actor=None, equipment=device, date=dt.date(2025, 12, 1), conclusion="passed", next_due=dt.date(2026, 12, 1))
    equipment_refresh(on=dt.date(2026, 10, 1))
    assert Equipment.objects.get(pk=device.pk).due_state == "normal"
    equipment_refresh(on=dt.date(2026, 11, 10))
    assert Equipment.objects.get(pk=device.pk).due_state == "warning"
    assert FollowUpTask.objects.count() == 0
    result = equipment_refresh(on=dt.date(2026, 12, 2))
    assert Equipment.objects.get(pk=device.pk).due_state == "overdue"
    assert result.tasks_opened == 1
    task = FollowUpTask.objects.get()
    assert task.equipment == device and task.station == org.east and task.reference_due == dt.date(2026, 12, 1)
    # The daily job may run again, and again the next day: still exactly one task.
    assert equipment_refresh(on=dt.date(2026, 12, 2)).tasks_opened == 0
    call_command("equipment", "refresh", "--on", "2026-12-03")
    assert FollowUpTask.objects.count() == 1


def test_a_new_report_clears_the_overdue_state(org):
    device = EquipmentFactory(subdistrict=org.subs["dongguan"], next_due=dt.date(2026, 3, 1))
    equipment_refresh(on=dt.date(2026, 3, 5))
    examination_record(actor=None, equipment=device, date=dt.date(2026, 3, 6), conclusion="passed", next_due=dt.date(2027, 3, 6))
    equipment_refresh(on=dt.date(2026, 3, 7))
    assert Equipment.objects.get(pk=device.pk).due_state == "normal"


def test_failed_examination_and_idle_devices():
    on = dt.date(2026, 6, 1)
    assert due_state(status="in_use", next_due=dt.date(2027, 1, 1), last_conclusion="failed", on=on, warning_days=30) == "failed"
    assert due_state(status="idle", next_due=dt.date(2020, 1, 1), last_conclusion="", on=on, warning_days=30) == "n/a"
    assert due_state(status="in_use", next_due=on, last_conclusion="", on=on, warning_days=30) == "warning"


def test_scrapped_is_final(org):
    device = EquipmentFactory(subdistrict=org.subs["dongguan"])
    device = equipment_transition(actor=None, pk=device.pk, version=1, status="scrapped", on=dt.date(2026, 1, 5))
    with pytest.raises(DomainError, match="最终状态"):
        equipment_transition(actor=None, pk=device.pk, version=device.version, status="in_use", on=dt.date(2026, 2, 1))


def test_next_due_must_follow_the_examination(org):
    device = EquipmentFactory(subdistrict=org.subs["dongguan"])
    with pytest.raises(DomainError, match="晚于检验日期"):
        examination_record(actor=None, equipment=device, date=dt.date(2026, 3, 1), conclusion="passed", next_due=dt.date(2026, 2, 1))


def test_recording_an_examination_restates_the_device_at_once(org):
    from django.utils import timezone

    today = timezone.localdate()
    device = EquipmentFactory(subdistrict=org.subs["dongguan"], next_due=today - dt.timedelta(days=3), due_state="overdue")
    examination_record(actor=None, equipment=device, date=today, conclusion="failed", next_due=today + dt.timedelta(days=365))
    assert Equipment.objects.get(pk=device.pk).due_state == "failed"
    examination_record(
        actor=None, equipment=device, date=today + dt.timedelta(days=1), conclusion="passed_recheck",
        next_due=today + dt.timedelta(days=366),
    )
    assert Equipment.objects.get(pk=device.pk).due_state == "normal"


def test_refresh_reaches_every_stale_state(org):
    """Whatever state a device was left in, one refresh makes it what the rule says for the day."""
    import itertools
    import random

    rng = random.Random(5)
    on = dt.date(2026, 6, 15)
    statuses = ["in_use", "idle", "scrapped", "deregistered"]
    dues = [None, on - dt.timedelta(days=40), on - dt.timedelta(days=1), on, on + dt.timedelta(days=30),
            on + dt.timedelta(days=31), on + dt.timedelta(days=400)]
    conclusions = ["", "passed", "failed"]
    stored = ["n/a", "normal", "warning", "overdue", "failed"]
    devices = []
    for status, due, conclusion, state in itertools.product(statuses, dues, conclusions, stored):
        if rng.random() < 0.5:
            continue
        devices.append(EquipmentFactory(
            subdistrict=org.subs["dongguan"], status=status, status_date=None if status == "in_use" else dt.date(2026, 1, 1),
            next_due=due, last_conclusion=conclusion, due_state=state,
        ))
    equipment_refresh(on=on)
    for device in Equipment.objects.filter(pk__in=[d.pk for d in devices]):
        expected = due_state(status=device.status, next_due=device.next_due, last_conclusion=device.last_conclusion,
                             on=on, warning_days=30)
        assert device.due_state == expected, (device.status, device.next_due, device.last_conclusion)
    assert equipment_refresh(on=on).changed == 0
