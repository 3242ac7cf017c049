from types import SimpleNamespace

import pytest

from jianguan.org.choices import OrgKind, Role

from .factories import OrgUnitFactory, SubdistrictFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    """A bureau with a department and two stations, each covering two subdistricts, and a user per role."""
    bureau = OrgUnitFactory(kind=OrgKind.BUREAU, code="B", name="测试区市场监督管理局")
    dept = OrgUnitFactory(kind=OrgKind.DEPARTMENT, code="D1", name="特种设备科", parent=bureau)
    east = OrgUnitFactory(kind=OrgKind.STATION, code="S1", name="东关市场监管所", parent=bureau)
    west = OrgUnitFactory(kind=OrgKind.STATION, code="S2", name="西关市场监管所", parent=bureau)
    subs = {
        "dongguan": SubdistrictFactory(code="370102001", name="东关街道", station=east),
        "jiefang": SubdistrictFactory(code="370102002", name="解放路街道", station=east),
        "xiguan": SubdistrictFactory(code="370102003", name="西关街道", station=west),
        "jinan": SubdistrictFactory(code="370102004", name="泉城路街道", station=west),
    }
    users = SimpleNamespace(
        leader=UserFactory(username="leader", role=Role.LEADERSHIP, org_unit=bureau),
        dept=UserFactory(username="dept", role=Role.DEPARTMENT, org_unit=dept),
        east=UserFactory(username="east", role=Role.STATION, org_unit=east),
        west=UserFactory(username="west", role=Role.STATION, org_unit=west),
        admin=UserFactory(username="admin", role=Role.ADMIN, org_unit=bureau, is_staff=True, is_superuser=True),
    )
    return SimpleNamespace(bureau=bureau, dept=dept, east=east, west=west, subs=subs, users=users)
