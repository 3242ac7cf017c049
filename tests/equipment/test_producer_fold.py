"""Folding the producer licences into the licence register (equipment 0006) loses nothing: every licence keeps its
number, holder, 许可项目 (as codes and as names), 有效期起 (now the issue date) and 有效期至, a number another kind
already holds is kept marked by its kind, and `equipment.producers` counts the same before and after. Run from the
state before the fold, as an existing installation upgrades, then back again."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.licences.models import Licence, LicenceKind

from ..factories import BusinessFactory

# Migrations change the schema: they cannot run inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("equipment", "0005_exam_cover_index")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_model():
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("equipment", "ProducerLicence")


def seeded_kinds() -> None:
    """The licence kinds and 业态 as their migration seeds them: a transactional test that ran before this one in
    the same process emptied every table, seeded rows included."""
    if not LicenceKind.objects.exists():
        importlib.import_module("jianguan.licences.migrations.0002_seed").seed(django_apps, None)


def test_folding_producer_licences_keeps_every_licence_and_the_figure(org):
    seeded_kinds()
    lifts = BusinessFactory(subdistrict=org.subs["dongguan"], name="泉城电梯安装有限公司")
    boilers = BusinessFactory(subdistrict=org.subs["xiguan"], name="济南锅炉制造有限公司")
    gas = BusinessFactory(subdistrict=org.subs["xiguan"], name="济南气体充装有限公司")
    food = Licence.objects.create(number="TS-SHARED", kind=LicenceKind.objects.get(code="food_business"), business=gas,
                                  valid_until=dt.date(2030, 1, 1))
    try:
        migrate(BEFORE)
        Old = old_model()
        Old.objects.create(business_id=lifts.pk, number="TS3337001-2027", items=["install", "modify", "repair"],
                           valid_until=dt.date(2027, 3, 1), valid_from=dt.date(2023, 3, 1))
        Old.objects.create(business_id=lifts.pk, number="ts3337002-2028", items=["maintain"], valid_until=dt.date(2028, 1, 1))
        Old.objects.create(business_id=boilers.pk, number="TS2137003-2026", items=["manufacture", "design"],
                           valid_until=dt.date(2026, 6, 30))  # expired on the as-of date below
        Old.objects.create(business_id=gas.pk, number="TS-SHARED", items=["fill"], valid_until=dt.date(2027, 1, 1),
                           valid_from=dt.date(2026, 9, 1))  # not yet valid on the as-of date
        before = sorted((n.upper(), *rest) for n, *rest in Old.objects.values_list(
            "number", "business_id", "items", "valid_from", "valid_until"))  # numbers upper-cased, as the register keeps them

        migrate(latest())

        folded = Licence.objects.filter(kind__code="special_equipment")
        after = sorted((lic.number.removesuffix("-special_equipment"), lic.business_id, lic.item_codes, lic.issued_on,
                        lic.valid_until) for lic in folded)
        assert after == before
        by_number = {lic.number: lic for lic in folded}
        assert by_number["TS3337001-2027"].items == "安装、改造、修理"
        assert by_number["TS-SHARED-special_equipment"].items == "充装"
        assert {lic.status for lic in folded} == {"valid"} and {lic.sector.code for lic in folded} == {"special_equipment"}
        assert Licence.objects.get(pk=food.pk).kind.code == "food_business"  # the other kind's licence untouched

        params = Params.build(as_of="2026-08-31")
        assert compute(["equipment.producers"], params)["equipment.producers"] == 1  # lifts only
        assert drilldown("equipment.producers", params).count() == 1
        assert compute(["equipment.producers"], Params.build(as_of="2026-09-01"))["equipment.producers"] == 2

        # Backwards, the producer licences are the equipment app's again; the other kind stays in the register.
        migrate(BEFORE)
        Old = old_model()
        assert sorted(Old.objects.values_list("business_id", "items", "valid_from", "valid_until")) == sorted(
            (b, i, f, u) for _, b, i, f, u in before)
        assert not Licence.objects.filter(kind__code="special_equipment").exists()
        assert Licence.objects.filter(pk=food.pk).exists()
    finally:
        migrate(latest())
