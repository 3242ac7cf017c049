"""SQLite under concurrent use: a busy timeout and write locks taken when a transaction starts (so two
writers queue instead of failing), and pages that only read do not write (the session is renewed at
most every few minutes, not saved on every request)."""

import copy
import datetime as dt
import sqlite3

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianguan.core.sessions import REFRESHED_KEY

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="checks SQLite's busy timeout and BEGIN IMMEDIATE; PostgreSQL has neither (its row locks are tested apart)",
)
WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN", "REPLACE")


@pytest.fixture
def file_db(tmp_path, db):
    """A second connection built from the project's own settings, on a database file (the test
    database is in memory, where SQLite locks differently)."""
    params = copy.deepcopy(connections.settings["default"])
    params["NAME"] = str(tmp_path / "locks.sqlite3")
    wrapper = connections["default"].__class__(params, alias="locks")
    connections["locks"] = wrapper
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    yield wrapper
    wrapper.close()
    del connections["locks"]


def other_writer(path):
    # timeout=0: fail at once instead of waiting, to see whether the lock is held.
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "got the write lock"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()


@sqlite_only
def test_connections_wait_for_a_busy_database(file_db):
    with file_db.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == settings.DATABASES["default"]["OPTIONS"]["timeout"] * 1000 >= 10_000


@sqlite_only
def test_a_transaction_takes_the_write_lock_when_it_starts(file_db):
    path = file_db.settings_dict["NAME"]
    with transaction.atomic(using="locks"), file_db.cursor() as cursor:
        # Only a read so far: a deferred transaction would still let another writer in, and then fail
        # with "database is locked" when it tries to write, whatever the busy timeout.
        cursor.execute("SELECT COUNT(*) FROM t")
        assert other_writer(path) == "database is locked"
    assert other_writer(path) == "got the write lock"


@sqlite_only
def test_reads_outside_a_transaction_hold_no_lock(file_db):
    with file_db.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        assert other_writer(file_db.settings_dict["NAME"]) == "got the write lock"


STAFF_PAGES = ["/", "/businesses/", "/complaints/", "/complaints/records/", "/inspections/", "/equipment/"]


def test_staff_list_pages_write_nothing(client, org):
    client.force_login(org.users.dept)
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 200, url  # the first request may renew the session
    for url in STAFF_PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == [], url


def _session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_an_active_session_is_renewed_every_few_minutes(client, org):
    client.force_login(org.users.east)
    session = client.session
    session[REFRESHED_KEY] = int(timezone.now().timestamp()) - settings.JIANGUAN_SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() + dt.timedelta(seconds=60))

    assert client.get("/businesses/").status_code == 200
    renewed = _session(client).expire_date
    assert renewed > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    # Renewed a moment ago: the next pages leave the session row alone.
    Session.objects.filter(pk=session.session_key).update(expire_date=renewed - dt.timedelta(seconds=5))
    assert client.get("/businesses/").status_code == 200
    assert _session(client).expire_date == renewed - dt.timedelta(seconds=5)


def test_an_idle_session_ends(client, org):
    client.force_login(org.users.east)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/businesses/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
