from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings

from jianguan.org.choices import OrgKind, Role

from .factories import OrgUnitFactory, SubdistrictFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """One cheap hasher for the whole session, so that data built once for a module (or the demo's
    accounts) is not hashed with the production work factor either."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _media_in_tmp(tmp_path_factory):
    """Files the services store (issued documents, attachments) go to a temporary folder, not var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around one test module, rolled back after its last test.

    A module-scoped fixture that requests this one may write data once for all the module's tests
    (inside `django_db_blocker.unblock()`); each test still runs in its own savepoint through `db`, so
    what a test writes is undone after it, and the module's data after the module. Only for modules
    whose tests all use the plain `db` (not `transactional_db` or `live_server`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def make_org() -> SimpleNamespace:
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


@pytest.fixture
def org(db):
    """The bureau of `make_org`, for one test."""
    return make_org()
