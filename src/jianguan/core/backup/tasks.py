"""The daily backup, when JIANGUAN_BACKUP_DIR is set: a dated backup file there, and the dated backups
older than the rule `backup.keep_days` deleted (never the newest, so that a rule of 0 days cannot leave
the bureau without any backup). Files of other names in the directory are left alone.
Loaded by core/tasks.py, where the scheduler's autodiscovery finds core's periodic jobs."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ..rules import rule_value
from ..schedule import periodic
from .operations import create_backup

DATED = re.compile(r"^jianguan-(\d{8}-\d{6})\.tar(\.part)?$")


def backup_dir() -> Path | None:
    configured = getattr(settings, "JIANGUAN_BACKUP_DIR", "")
    return Path(configured) if configured else None


def prune(directory: Path, *, keep_days: int, now: dt.datetime) -> list[Path]:
    """Delete dated backups (and unfinished `.part` files of runs that died) older than `keep_days`."""
    dated = []
    for path in directory.iterdir():
        if match := DATED.match(path.name):
            stamp = timezone.make_aware(dt.datetime.strptime(match[1], "%Y%m%d-%H%M%S"))
            dated.append((stamp, bool(match[2]), path))
    finished = sorted(stamp for stamp, part, _ in dated if not part)
    newest = finished[-1] if finished else None
    deleted = []
    for stamp, _, path in dated:
        if stamp != newest and now - stamp > dt.timedelta(days=keep_days):
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


@periodic("core.backup", every=dt.timedelta(days=1), label="每日备份（设置 JIANGUAN_BACKUP_DIR 时）")
def backup_daily() -> None:
    directory = backup_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    # A failed backup raises (the scheduler records the error) before anything old is deleted.
    create_backup(directory / f"jianguan-{now:%Y%m%d-%H%M%S}.tar")
    prune(directory, keep_days=int(rule_value("backup.keep_days", on=now.date())), now=now)
