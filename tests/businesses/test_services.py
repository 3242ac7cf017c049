import datetime as dt

import pytest
from auditlog.models import LogEntry

from jianguan.businesses.models import Business
from jianguan.businesses.rules import with_check_digit
from jianguan.businesses.services import business_create, business_update
from jianguan.core.errors import ConcurrentEdit, DomainError, NotFound, PermissionDenied

from ..factories import BusinessFactory, make_uscc

pytestmark = pytest.mark.django_db


def _fields(org, **over):
    data = dict(
        name="东关惠民便利店",
        entity_type="individual",
        legal_rep="李四",
        address="东关大街8号",
        subdistrict=org.subs["dongguan"],
        established_on=dt.date(2024, 3, 1),
    )
    data.update(over)
    return data


def test_create_records_audit_with_actor(org):
    code = with_check_digit("92370102MA3C4B5D6")
    business = business_create(actor=org.users.east, ip="10.0.0.8", uscc=code.lower(), **_fields(org))
    assert business.uscc == code
    entry = LogEntry.objects.get_for_object(business).get()
    assert entry.actor == org.users.east
    assert entry.remote_addr == "10.0.0.8"
    assert entry.changes["name"] == ["None", "东关惠民便利店"]


def test_station_cannot_create_outside_jurisdiction(org):
    with pytest.raises(PermissionDenied, match="西关街道"):
        business_create(actor=org.users.east, uscc=make_uscc(), **_fields(org, subdistrict=org.subs["xiguan"]))
    assert not Business.objects.exists()


def test_leadership_is_read_only(org):
    with pytest.raises(PermissionDenied):
        business_create(actor=org.users.leader, uscc=make_uscc(), **_fields(org))


def test_duplicate_and_bad_codes_are_refused_in_chinese(org):
    code = make_uscc()
    business_create(actor=org.users.dept, uscc=code, **_fields(org))
    with pytest.raises(DomainError, match="已登记"):
        business_create(actor=org.users.dept, uscc=code, **_fields(org))
    with pytest.raises(DomainError, match="校验位错误"):
        business_create(actor=org.users.dept, uscc=code[:17] + ("0" if code[17] != "0" else "1"), **_fields(org))


def test_non_active_status_needs_a_date(org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    with pytest.raises(DomainError, match="状态日期"):
        business_update(actor=org.users.dept, pk=business.pk, version=1, reg_status="deregistered")
    business.refresh_from_db()
    assert business.reg_status == "active" and business.version == 1


def test_update_bumps_version_and_stale_version_is_refused(org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    updated = business_update(actor=org.users.east, pk=business.pk, version=1, name="新名称商店")
    assert updated.version == 2
    with pytest.raises(ConcurrentEdit):
        business_update(actor=org.users.east, pk=business.pk, version=1, name="旧页面上的改动")
    assert Business.objects.get(pk=business.pk).name == "新名称商店"


def test_station_cannot_update_or_move_out_of_scope(org):
    theirs = BusinessFactory(subdistrict=org.subs["xiguan"])
    with pytest.raises(NotFound):
        business_update(actor=org.users.east, pk=theirs.pk, version=1, name="x")
    mine = BusinessFactory(subdistrict=org.subs["dongguan"])
    with pytest.raises(PermissionDenied):
        business_update(actor=org.users.east, pk=mine.pk, version=1, subdistrict=org.subs["xiguan"])
    assert Business.objects.get(pk=mine.pk).subdistrict == org.subs["dongguan"]
