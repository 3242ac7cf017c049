"""An imported ledger shows its due states at once; the next refresh only opens the tasks."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.importing import run_import
from jianguan.equipment.models import Equipment, FollowUpTask
from jianguan.equipment.resources import EQUIPMENT_LEDGER
from jianguan.equipment.services import equipment_refresh

from ..factories import BusinessFactory
from .test_import import row, write_xlsx

pytestmark = pytest.mark.django_db


def test_new_devices_carry_their_state_and_the_first_refresh_rewrites_nothing(org, tmp_path):
    operator = BusinessFactory(subdistrict=org.subs["dongguan"])
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    rows = [
        row(reg="3110370102A000000001", uscc=operator.uscc, exam=(today - 300 * day).isoformat(), conclusion="合格",
            next_due=(today - 5 * day).isoformat()),
        row(reg="3110370102A000000002", uscc=operator.uscc, exam=(today - 200 * day).isoformat(), conclusion="合格",
            next_due=(today + 10 * day).isoformat()),
        row(reg="3110370102A000000003", uscc=operator.uscc, exam=(today - 100 * day).isoformat(), conclusion="合格",
            next_due=(today + 200 * day).isoformat()),
        row(reg="3110370102A000000004", uscc=operator.uscc, status="停用", status_date="2024-01-01"),
    ]
    result = run_import(EQUIPMENT_LEDGER, write_xlsx(tmp_path / "e.xlsx", rows))
    assert not result.errors
    states = dict(Equipment.objects.values_list("reg_code", "due_state"))
    assert states == {
        "3110370102A000000001": "overdue",
        "3110370102A000000002": "warning",
        "3110370102A000000003": "normal",
        "3110370102A000000004": "n/a",
    }
    refreshed = equipment_refresh(on=today)
    assert refreshed.changed == 0 and refreshed.tasks_opened == 1
    assert FollowUpTask.objects.get().equipment.reg_code == "3110370102A000000001"
