"""The runner of the periodic jobs registered with core.schedule.periodic, and the heartbeat.

Each app registers its jobs in its tasks.py; `discover()` imports every app's tasks module. A job is due
when it never ran or its last start is `every` ago; the start is claimed with one conditional UPDATE, so
that two schedulers (two servers, or a cron `jianguan scheduler --once` next to a worker) never both run
it. A failing job is recorded (last_ok, last_error) and tried again after its interval, not on every tick.

Where it runs: `jianguan worker` (started and restarted by `jianguan serve`, or its own systemd unit) runs
django-tasks' db_worker in its main thread and `start_threads()` beside it: one thread ticks the
scheduler, one writes the heartbeat, so that a long job (a backup) does not make the worker look dead.
"""

import datetime as dt
import logging
import os
import socket
import threading
import traceback

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import PeriodicJobState, WorkerHeartbeat
from .schedule import PERIODIC, PeriodicJob

logger = logging.getLogger("jianguan.scheduler")
TICK_SECONDS = 30
# Heartbeat rows not renewed for this long belong to hosts or roles that are gone.
FORGET_AFTER = dt.timedelta(days=7)


def discover() -> dict[str, PeriodicJob]:
    autodiscover_modules("tasks")
    return PERIODIC


def claim(job: PeriodicJob, now: dt.datetime) -> bool:
    """Mark `job` started at `now` if it is due; False when it is not due or another process took it."""
    PeriodicJobState.objects.get_or_create(key=job.key)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    return PeriodicJobState.objects.filter(due, key=job.key).update(last_started_at=now) == 1


def run_job(job: PeriodicJob) -> bool:
    logger.info("periodic job %s (%s) started", job.key, job.label)
    try:
        job.func()
    except Exception:
        logger.exception("periodic job %s (%s) failed", job.key, job.label)
        error, ok = traceback.format_exc(limit=5), False
    else:
        error, ok = "", True
    PeriodicJobState.objects.filter(key=job.key).update(
        last_finished_at=timezone.now(), last_ok=ok, last_error=error[-4000:])
    return ok


def run_due(now: dt.datetime | None = None) -> list[tuple[str, bool]]:
    """Run every job that is due, in key order; (key, succeeded) for those run."""
    ran = []
    for key, job in sorted(discover().items()):
        if claim(job, now or timezone.now()):
            ran.append((key, run_job(job)))
    return ran


def beat(role: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        name=f"{socket.gethostname()}:{role}"[:200], defaults={"pid": os.getpid(), "beat_at": now})
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()


def loop(stop: threading.Event, every: float, step) -> None:
    while not stop.is_set():
        try:
            step()
        except Exception:  # a database hiccup must not end the thread; the next round tries again
            logger.exception("scheduler round failed")
        finally:
            close_old_connections()
        stop.wait(every)


def start_threads(role: str, stop: threading.Event, *, run_jobs: bool = True) -> list[threading.Thread]:
    """The heartbeat (and the scheduler) as daemon threads: they end with the process they watch."""
    threads = [threading.Thread(target=loop, name=f"{role}-heartbeat", daemon=True,
                                args=(stop, settings.JIANGUAN_HEARTBEAT_SECONDS, lambda: beat(role)))]
    if run_jobs:
        threads.append(threading.Thread(target=loop, name=f"{role}-scheduler", daemon=True,
                                        args=(stop, TICK_SECONDS, run_due)))
    for thread in threads:
        thread.start()
    return threads


def job_states() -> list[tuple[PeriodicJob, PeriodicJobState | None]]:
    try:
        states = {state.key: state for state in PeriodicJobState.objects.all()}
    except DatabaseError:  # not migrated yet: the jobs are still worth listing
        states = {}
    return [(job, states.get(key)) for key, job in sorted(discover().items())]
