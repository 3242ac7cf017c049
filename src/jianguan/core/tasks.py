"""Background jobs of core (django-tasks). Each returns JSON-serialisable data for the result row."""

import datetime as dt

from django_tasks import task

from .audit import check_chain
from .backup import tasks as backup_tasks  # noqa: F401  -- the daily backup registers with @periodic
from .deadlines import calendar_refresh
from .schedule import periodic


@task()
def calendar_refresh_task() -> list[str]:
    """Recompute provisional deadlines (enqueue after a year's calendar is entered, or nightly)."""
    return [str(change) for change in calendar_refresh()]


@task()
def audit_verify_task() -> dict:
    """Verify the audit chain; the result says OK or names the first broken link."""
    status = check_chain()
    return {"ok": status.ok, "count": status.count, "head": status.head_hash, "problem": str(status.problem or "")}


@periodic("core.audit_verify", every=dt.timedelta(days=1), label="每日校验审计链")
def audit_verify_daily() -> None:
    # Raising marks the run failed in the scheduler's state and logs it as an error for the operator.
    status = check_chain()
    if not status.ok:
        raise RuntimeError(f"审计链校验未通过：{status.problem}")


@periodic("core.calendar_refresh", every=dt.timedelta(days=1), label="每日重算暂定期限")
def calendar_refresh_daily() -> None:
    calendar_refresh()


@periodic("imports.purge_unconfirmed", every=dt.timedelta(hours=1), label="删除超过保留时长仍未确认的导入文件")
def purge_unconfirmed_imports() -> int:
    # An upload that was previewed but never confirmed holds a ledger (often personal data) on disk.
    from .importing.uploads import purge_unconfirmed

    return purge_unconfirmed()
