"""The scheduler: runs each registered periodic job when it is due, remembers the last run in the
database (so a restart neither repeats nor skips a job), survives a failing job, and beats."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from jianguan.core import scheduler
from jianguan.core.models import PeriodicJobState, WorkerHeartbeat
from jianguan.core.schedule import PERIODIC, periodic

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs():
    """Only two test jobs in the registry (the apps' own jobs are put back afterwards, not run: they
    would touch the files of the checkout) and the list of calls they made."""
    scheduler.discover()  # the apps' tasks modules imported now, not into the emptied registry
    registered = dict(PERIODIC)
    PERIODIC.clear()
    calls = []

    @periodic("test.hourly", every=dt.timedelta(hours=1), label="测试：每小时")
    def hourly():
        calls.append("hourly")

    @periodic("test.broken", every=dt.timedelta(days=1), label="测试：出错")
    def broken():
        calls.append("broken")
        raise RuntimeError("磁盘已满")

    yield calls
    PERIODIC.clear()
    PERIODIC.update(registered)


def test_a_due_job_runs_once_and_not_again_until_its_interval_passed(jobs):
    call_command("scheduler", "--once")
    assert jobs.count("hourly") == 1
    state = PeriodicJobState.objects.get(key="test.hourly")
    assert state.last_ok is True and state.last_started_at and state.last_finished_at

    call_command("scheduler", "--once")
    assert jobs.count("hourly") == 1

    PeriodicJobState.objects.filter(key="test.hourly").update(
        last_started_at=timezone.now() - dt.timedelta(hours=1, seconds=1))
    call_command("scheduler", "--once")
    assert jobs.count("hourly") == 2


def test_a_failing_job_is_recorded_and_the_others_still_run(jobs):
    call_command("scheduler", "--once")
    assert sorted(jobs) == ["broken", "hourly"]
    state = PeriodicJobState.objects.get(key="test.broken")
    assert state.last_ok is False and "磁盘已满" in state.last_error
    # Failed today: tried again tomorrow, not on every tick.
    call_command("scheduler", "--once")
    assert jobs.count("broken") == 1


def test_two_schedulers_do_not_both_run_a_job(jobs):
    now = timezone.now()
    job = PERIODIC["test.hourly"]
    assert scheduler.claim(job, now) is True
    assert scheduler.claim(job, now + dt.timedelta(seconds=1)) is False


def test_the_scheduler_and_the_worker_beat(jobs):
    call_command("scheduler", "--once")
    assert WorkerHeartbeat.objects.filter(name__endswith=":scheduler").exists()
    scheduler.beat("worker")
    beat = WorkerHeartbeat.objects.get(name__endswith=":worker")
    assert timezone.now() - beat.beat_at < dt.timedelta(seconds=5)


def test_the_list_shows_the_jobs_of_every_apps_tasks_module(tmp_path):
    # A fresh process: the registry is filled by importing each app's tasks module, nothing else.
    env = {**os.environ, "JIANGUAN_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "jianguan.cli", "scheduler", "--list"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("core.audit_verify"))
    assert "每日校验审计链" in line and "每天" in line and "尚未运行" in line
