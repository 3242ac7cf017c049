"""Background jobs of core (django-tasks). Each returns JSON-serialisable data for the result row."""

from django_tasks import task

from .audit import check_chain
from .deadlines import calendar_refresh


@task()
def calendar_refresh_task() -> list[str]:
    """Recompute provisional deadlines (enqueue after a year's calendar is entered, or nightly)."""
    return [str(change) for change in calendar_refresh()]


@task()
def audit_verify_task() -> dict:
    """Verify the audit chain; the result says OK or names the first broken link."""
    status = check_chain()
    return {"ok": status.ok, "count": status.count, "head": status.head_hash, "problem": str(status.problem or "")}
