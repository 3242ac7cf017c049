"""Provisional deadlines: computed on weekdays because their year's official calendar was unknown.

A module that stores a deadline calls `tracked_deadline(...)` (or computes it itself and calls
`register_provisional(...)` when `Deadline.provisional` is set). Administrators see the register
(`jianguan calendar provisional`); once the year's schedule is entered (or a newer chinesecalendar
knows it), `calendar_refresh()` — `jianguan calendar refresh` — recomputes every unresolved one and
tells the owning module through the callbacks it registered:

    @on_deadline_recomputed("complaints")
    def _recomputed(changes: list[DeadlineChange]) -> None:
        ...  # update the complaints' own due dates; runs in the refresh's transaction

A callback that raises rolls back its own module's part of the refresh only; those deadlines stay
unresolved and are retried by the next refresh.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .calendar import Deadline, WorkingCalendar
from .errors import DomainError
from .models import ProvisionalDeadline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineChange:
    """One recomputed provisional deadline."""

    id: int
    app_label: str
    object_ref: str
    field_name: str
    start: dt.date
    working_days: int | None
    calendar_days: int | None
    old_due: dt.date
    new_due: dt.date
    resolved: bool  # the new date is final (its year is now known)
    error: str = ""  # the owning module's callback failed: nothing was changed

    @property
    def period(self) -> str:
        if self.working_days is not None:
            return f"{self.working_days}个工作日"
        return f"{self.calendar_days}日"

    def __str__(self):
        what = f"{self.app_label}:{self.object_ref}.{self.field_name}（{self.start.isoformat()}起{self.period}）"
        if self.error:
            return f"{what}：未更新，模块回调出错：{self.error}"
        moved = (
            f"{self.old_due.isoformat()} → {self.new_due.isoformat()}"
            if self.old_due != self.new_due
            else f"{self.new_due.isoformat()}（日期不变）"
        )
        return f"{what}：{moved}{'，已确定' if self.resolved else '，仍为暂定'}"


Callback = Callable[[list[DeadlineChange]], None]
_callbacks: dict[str, list[Callback]] = defaultdict(list)


def on_deadline_recomputed(app_label: str) -> Callable[[Callback], Callback]:
    """Decorator: call fn(changes) with the app's recomputed deadlines during `calendar_refresh()`."""

    def register(fn: Callback) -> Callback:
        if fn not in _callbacks[app_label]:
            _callbacks[app_label].append(fn)
        return fn

    return register


def _check_period(working_days: int | None, calendar_days: int | None) -> None:
    if (working_days is None) == (calendar_days is None):
        raise DomainError("invalid_period", "暂定期限须且只能指定工作日数或自然日数之一")
    if (working_days if working_days is not None else calendar_days) < 0:
        raise DomainError("invalid_period", "期限天数不能为负数")


def _compute(cal: WorkingCalendar, start: dt.date, working_days: int | None, calendar_days: int | None) -> Deadline:
    if working_days is not None:
        return cal.add_working_days(start, working_days)
    return cal.add_calendar_days(start, calendar_days)


@transaction.atomic
def register_provisional(
    *,
    app_label: str,
    object_ref: str,
    field_name: str,
    start: dt.date,
    working_days: int | None = None,
    calendar_days: int | None = None,
    due: dt.date,
) -> ProvisionalDeadline:
    """Record (or re-record) a provisional deadline so that administrators see it and refresh fixes it."""
    _check_period(working_days, calendar_days)
    row, _ = ProvisionalDeadline.objects.update_or_create(
        app_label=app_label,
        object_ref=object_ref,
        field_name=field_name,
        defaults={
            "start": start,
            "working_days": working_days,
            "calendar_days": calendar_days,
            "due": due,
            "resolved_at": None,
        },
    )
    return row


def unregister_provisional(*, app_label: str, object_ref: str, field_name: str | None = None) -> int:
    """Forget unresolved provisional deadlines of an object (e.g. it was closed, or its start changed)."""
    rows = ProvisionalDeadline.objects.filter(app_label=app_label, object_ref=object_ref, resolved_at__isnull=True)
    if field_name is not None:
        rows = rows.filter(field_name=field_name)
    return rows.delete()[0]


def tracked_deadline(
    *,
    app_label: str,
    object_ref: str,
    field_name: str,
    start: dt.date,
    working_days: int | None = None,
    calendar_days: int | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Compute a deadline; register it when provisional, drop a stale registration when it is not."""
    _check_period(working_days, calendar_days)
    deadline = _compute(calendar or WorkingCalendar(), start, working_days, calendar_days)
    if deadline.provisional:
        register_provisional(
            app_label=app_label,
            object_ref=object_ref,
            field_name=field_name,
            start=start,
            working_days=working_days,
            calendar_days=calendar_days,
            due=deadline.date,
        )
    else:
        unregister_provisional(app_label=app_label, object_ref=object_ref, field_name=field_name)
    return deadline


def provisional_deadlines():
    """The unresolved register, for administrators, soonest first."""
    return ProvisionalDeadline.objects.filter(resolved_at__isnull=True).order_by("due", "app_label", "object_ref")


def calendar_refresh(*, dry_run: bool = False) -> list[DeadlineChange]:
    """Recompute every unresolved provisional deadline on the current calendar.

    A deadline whose days are now all known is resolved (its final date saved, `resolved_at` set);
    one still reaching an unknown year keeps provisional, with its date updated if the days entered
    so far moved it. Returns the changes (unchanged, still-provisional deadlines are not listed).
    With dry_run nothing is written and no module is notified.
    """
    cal = WorkingCalendar()
    now = timezone.now()
    with transaction.atomic():
        rows = provisional_deadlines()
        if not dry_run:
            rows = rows.select_for_update()
        by_app: dict[str, list[tuple[ProvisionalDeadline, DeadlineChange]]] = defaultdict(list)
        for row in rows:
            deadline = _compute(cal, row.start, row.working_days, row.calendar_days)
            if deadline.provisional and deadline.date == row.due:
                continue
            change = DeadlineChange(
                id=row.pk,
                app_label=row.app_label,
                object_ref=row.object_ref,
                field_name=row.field_name,
                start=row.start,
                working_days=row.working_days,
                calendar_days=row.calendar_days,
                old_due=row.due,
                new_due=deadline.date,
                resolved=not deadline.provisional,
            )
            by_app[row.app_label].append((row, change))

        changes: list[DeadlineChange] = []
        for app_label in sorted(by_app):
            pairs = by_app[app_label]
            app_changes = [change for _, change in pairs]
            if dry_run:
                changes.extend(app_changes)
                continue
            try:
                with transaction.atomic():
                    for row, change in pairs:
                        row.due = change.new_due
                        row.resolved_at = now if change.resolved else None
                        row.save(update_fields=["due", "resolved_at"])
                    for callback in _callbacks.get(app_label, []):
                        callback(app_changes)
            except Exception as exc:  # one module's failure must not block the others
                logger.exception("calendar refresh: callback of %s failed", app_label)
                message = f"{type(exc).__name__}: {exc}"
                app_changes = [
                    DeadlineChange(**{**change.__dict__, "error": message}) for change in app_changes
                ]
            changes.extend(app_changes)
    return changes
