"""demo/licences.py on a small register: the subjects, licences and their states the full demo shows (the same
checks), deterministic for a seed, and quick."""

import time

import pytest
from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.demo.district import build_businesses, build_org
from jianguan.demo.licences import build_licences
from jianguan.licences.models import Licence

from .licences_checks import check_licences_demo

pytestmark = pytest.mark.django_db


def _snapshot():
    return (list(Business.objects.filter(entity_type="other_org").order_by("uscc").values_list(
                "uscc", "name", "subdistrict__code", "established_on", "key_unit")),
            list(Licence.objects.order_by("number").values_list(
                "number", "kind__code", "business__uscc", "sector__code", "issued_on", "valid_until", "status", "status_date")))


def test_demo_licences_subjects_states_and_determinism(client):
    _, subdistricts, _ = build_org()
    build_businesses(subdistricts, 2000, seed=5)
    before = transaction.savepoint()
    started = time.monotonic()
    counts = build_licences(5)
    assert time.monotonic() - started < 10
    summary = counts.summary()
    assert summary.startswith("其他组织 25 家（中小学 12、幼儿园 6、医院 3、养老机构 4）") and "90日内到期" in summary
    assert counts.licences == Licence.objects.count() - _district_licences()
    assert counts.expiring >= 1 and counts.cancelled >= 1
    check_licences_demo(client, summary)

    first = _snapshot()
    transaction.savepoint_rollback(before)
    build_licences(5)
    assert _snapshot() == first
    transaction.savepoint_rollback(before)
    build_licences(6)
    assert _snapshot() != first


def _district_licences() -> int:
    return Licence.objects.filter(kind__code__in=["food_business", "drug_retail"]).exclude(business__entity_type="other_org").exclude(
        number__startswith="JY3").count()
