"""The demo's special equipment: shares per type, idle share, due states, producers; deterministic by seed."""

from collections import Counter

import pytest
from django.db import transaction

from jianguan.demo.district import build_businesses, build_org
from jianguan.demo.equipment import DEMO_DATE, KEY_UNITS, build_equipment, type_counts
from jianguan.equipment.models import Equipment, Examination, FollowUpTask
from jianguan.licences.models import Licence

pytestmark = pytest.mark.django_db

COUNT = 600


def test_type_counts_follow_the_district_shares():
    counts = type_counts(11_000)
    assert sum(counts.values()) == 11_000
    shares = {code: n / 11_000 for code, n in counts.items()}
    assert 0.44 < shares["3000"] < 0.46 and abs(shares["2000"] - 0.35) < 0.005 and abs(shares["4000"] - 0.13) < 0.005
    assert abs(shares["1000"] - 0.02) < 0.002 and abs(shares["5000"] - 0.04) < 0.002
    assert 0 < counts["6000"] < 120 and 0 < counts["9000"] < 10
    assert "7000" not in counts  # 压力管道元件 are never registered for use
    small = type_counts(800)
    assert sum(small.values()) == 800 and small["9000"] >= 1


def _snapshot():
    return list(
        Equipment.objects.order_by("reg_code").values_list(
            "reg_code", "type_id", "category_id", "variety_id", "operator__uscc", "subdistrict__code", "status",
            "registered_on", "next_due", "next_due_estimated", "last_conclusion", "maintainer__uscc", "insurance_until",
        )
    )


def _wipe(savepoint):
    """Back to the register before any equipment: rolled back to a savepoint, since deleting the rows one
    by one would write an audit entry for each (most of this test's time)."""
    transaction.savepoint_rollback(savepoint)
    for model in (FollowUpTask, Examination, Equipment):
        assert not model.objects.exists(), model
    assert not _producer_licences().exists()


def _producer_licences():
    return Licence.objects.filter(kind__code="special_equipment")


def test_demo_equipment_counts_shares_and_determinism():
    _, subdistricts, _ = build_org()
    build_businesses(subdistricts, 2000, seed=5)
    no_equipment = transaction.savepoint()
    counts = build_equipment(subdistricts, COUNT, seed=5)
    devices = Equipment.objects.all()
    assert counts.devices == devices.count() == COUNT
    by_type = Counter(devices.values_list("type_id", flat=True))
    assert by_type == Counter(type_counts(COUNT))
    categories = Counter(devices.filter(type_id="2000").values_list("category_id", flat=True))
    assert categories["2100"] > 0.8 * by_type["2000"]  # pressure vessels: mostly fixed

    registered = devices.filter(status__in=["in_use", "idle"]).count()
    idle = devices.filter(status="idle").count()
    assert 0.12 < idle / registered < 0.26 and counts.idle == idle
    assert counts.in_use == devices.filter(status="in_use").count()
    assert not devices.exclude(status="in_use").filter(status_date__isnull=True).exists()

    # Examinations and due states on the demo date; refresh ran, so states and tasks exist.
    assert counts.examinations == Examination.objects.count() > COUNT
    assert devices.filter(next_due_estimated=True).exists()
    states = Counter(devices.filter(status="in_use").values_list("due_state", flat=True))
    assert states["overdue"] == counts.overdue > 0 and states["warning"] == counts.warning > 0
    assert states["normal"] > 0.8 * counts.in_use
    assert FollowUpTask.objects.count() == counts.tasks == counts.overdue
    assert not Examination.objects.filter(date__gt=DEMO_DATE).exists()

    elevators = devices.filter(type_id="3000", status="in_use")
    assert elevators.filter(maintainer__isnull=False).count() > 0.9 * elevators.count()
    insured = elevators.filter(insurance_until__gte=DEMO_DATE).count()
    assert 0.85 < insured / elevators.count() < 0.98
    assert {name for name in devices.filter(operator__key_unit="hospital").values_list("operator__name", flat=True)} <= {
        name for name, kind, _ in KEY_UNITS if kind == "hospital"
    }
    assert devices.exclude(operator__key_unit="").exists()
    assert devices.filter(operator__entity_type="enterprise").count() == COUNT
    assert 8 <= counts.producers <= 12 and _producer_licences().filter(valid_until__gt=DEMO_DATE).count() >= 8
    assert not _producer_licences().filter(item_codes=[]).exists()

    first = _snapshot()
    _wipe(no_equipment)
    build_equipment(subdistricts, COUNT, seed=5)
    assert _snapshot() == first
    _wipe(no_equipment)
    build_equipment(subdistricts, COUNT, seed=6)
    assert _snapshot() != first
