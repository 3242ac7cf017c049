import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.businesses.rules import normalize_uscc
from jianguan.demo.district import build_businesses, build_org
from jianguan.org.models import OrgUnit, Subdistrict, User

pytestmark = pytest.mark.django_db


def test_org_shape_and_logins():
    _, subdistricts, logins = build_org()
    assert OrgUnit.objects.filter(kind="station").count() == 6
    assert OrgUnit.objects.filter(kind="department").count() == 5
    assert len(subdistricts) == 15
    assert {login.role for login in logins} == {"系统管理员", "局领导", "科室人员", "监管所人员"}
    # Every subdistrict is covered by exactly one station.
    assert Subdistrict.objects.filter(station__kind="station").count() == 15
    assert User.objects.get(username="suo1").check_password("Jianguan#2026")


def test_businesses_are_deterministic_valid_and_typed():
    _, subdistricts, _ = build_org()
    # The second build starts from the same empty register: the first is rolled back to a savepoint
    # (deleting the rows one by one would write an audit entry for each, most of this test's time).
    empty = transaction.savepoint()
    build_businesses(subdistricts, 2000, seed=11)
    first = list(Business.objects.order_by("uscc").values_list("uscc", "name", "subdistrict__code"))
    transaction.savepoint_rollback(empty)
    assert not Business.objects.exists()
    build_businesses(subdistricts, 2000, seed=11)
    assert list(Business.objects.order_by("uscc").values_list("uscc", "name", "subdistrict__code")) == first
    assert all(normalize_uscc(uscc) == uscc for uscc, _, _ in first)
    shares = {t: Business.objects.filter(entity_type=t).count() / 2000 for t in ("enterprise", "individual", "cooperative")}
    assert 0.25 < shares["enterprise"] < 0.35 and 0.62 < shares["individual"] < 0.74 and shares["cooperative"] < 0.05
    assert Business.objects.filter(name__contains="超市").exists()


def test_command_refuses_a_non_empty_database_unless_if_empty(capsys):
    build_org()
    with pytest.raises(CommandError, match="已有机构数据"):
        call_command("demo")
    call_command("demo", "--if-empty")
    assert "未载入演示辖区" in capsys.readouterr().out
