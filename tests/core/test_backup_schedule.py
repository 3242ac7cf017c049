"""The daily backup: registered with the scheduler, it writes a dated backup into JIANGUAN_BACKUP_DIR and
deletes the dated backups older than the rule `backup.keep_days` (30 days unless changed); without
JIANGUAN_BACKUP_DIR it does nothing."""

import datetime as dt
import importlib
import tarfile

import pytest
from django.test import override_settings
from django.utils import timezone

import jianguan.core.tasks  # noqa: F401  -- core's periodic jobs, as the scheduler's autodiscovery loads them
from jianguan.core.models import Rule
from jianguan.core.rules import rule_value
from jianguan.core.schedule import PERIODIC

JOB = "core.backup"
# The backups are of committed data (no test transaction): SQLite cannot back up a connection from inside
# its own write transaction, and pg_dump sees committed rows only.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded_rule():
    """The rule as `migrate` seeds it (an earlier test that committed data may have flushed the tables)."""
    from django.apps import apps

    importlib.import_module("jianguan.core.migrations.0007_backups").seed(apps, None)


def _dated(directory, days_ago: int, now: dt.datetime):
    path = directory / f"jianguan-{now - dt.timedelta(days=days_ago, hours=1):%Y%m%d-%H%M%S}.tar"
    path.write_bytes(b"old backup")
    return path


@pytest.mark.django_db
def test_keep_days_is_a_versioned_rule_of_30_days():
    assert rule_value("backup.keep_days", on=dt.date(2026, 12, 7)) == 30


@committed
def test_daily_backup_writes_a_dated_file_and_keeps_only_the_retention_period(tmp_path, seeded_rule):
    job = PERIODIC[JOB]
    assert job.every == dt.timedelta(days=1) and "备份" in job.label
    now = timezone.localtime()
    old, older, recent = _dated(tmp_path, 31, now), _dated(tmp_path, 45, now), _dated(tmp_path, 10, now)
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    with override_settings(JIANGUAN_BACKUP_DIR=str(tmp_path)):
        job.func()
    written = sorted(p for p in tmp_path.glob("jianguan-*.tar") if p not in (old, older, recent))
    assert len(written) == 1, list(tmp_path.iterdir())
    with tarfile.open(written[0]) as tar:
        assert {"manifest.json", "SHA256SUMS"} <= set(tar.getnames())
    assert not old.exists() and not older.exists()
    assert recent.exists() and other.exists()

    # Yesterday's run, as far as the next run can tell (they are a day apart).
    yesterday = written[0].with_name(f"jianguan-{now - dt.timedelta(days=1):%Y%m%d-%H%M%S}.tar")
    written[0].rename(yesterday)

    # A shorter retention, as a new version of the rule, applies from its date on.
    Rule.objects.create(key="backup.keep_days", label="备份保留天数", value="7", unit="calendar_day",
                        valid_from=now.date(), source_document="测试")
    with override_settings(JIANGUAN_BACKUP_DIR=str(tmp_path)):
        job.func()
    assert not recent.exists() and yesterday.exists() and other.exists()
    assert len(list(tmp_path.glob("jianguan-*.tar"))) == 2


@committed
def test_the_newest_backup_is_kept_whatever_the_rule(tmp_path, seeded_rule):
    Rule.objects.create(key="backup.keep_days", label="备份保留天数", value="0", unit="calendar_day",
                        valid_from=dt.date(2000, 1, 1) + dt.timedelta(days=1), source_document="测试")
    with override_settings(JIANGUAN_BACKUP_DIR=str(tmp_path)):
        PERIODIC[JOB].func()
    assert len(list(tmp_path.glob("jianguan-*.tar"))) == 1


@pytest.mark.django_db
def test_without_a_backup_directory_nothing_is_written(tmp_path, settings):
    settings.JIANGUAN_BACKUP_DIR = ""
    assert PERIODIC[JOB].func() is None
    assert not list(tmp_path.iterdir())
