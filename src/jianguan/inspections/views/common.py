"""What the inspection pages share: scoped look-ups that 404, clocks for cards, upload batches."""

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.paging import page_number, slice_page  # noqa: F401 (the pages import them from here)
from jianguan.org.choices import Role
from jianguan.org.selectors import subdistricts_in_scope

from .. import selectors
from ..choices import ClockState
from ..models import Finding, Inspection
from ..rules import Clock, finding_clock
from ..services.inspections import attachment_add

# CSS badge classes of the shared stylesheet.
INSPECTION_STATUS_BADGE = {"scheduled": "", "in_progress": "moved_out", "completed": "active", "archived": "deregistered"}
FINDING_STATUS_BADGE = {"open": "moved_out", "reported": "", "closed": "active", "escalated": "danger"}
CLOCK_CLASS = {
    ClockState.RUNNING: "clock-running", ClockState.DUE_SOON: "clock-soon", ClockState.OVERDUE: "clock-overdue",
    ClockState.STOPPED: "clock-stopped",
}


def today() -> dt.date:
    return timezone.localdate()


def can_edit(user) -> bool:
    """Leadership is read-only (the services refuse them too); the forms are not offered to them."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def can_plan(user) -> bool:
    return user.is_authenticated and (user.role in (Role.DEPARTMENT, Role.ADMIN) or user.is_superuser)


def inspection_or_404(request, pk: int) -> Inspection:
    try:
        return selectors.inspection_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def finding_or_404(request, pk: int) -> Finding:
    try:
        return selectors.finding_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def clock_of(finding: Finding, on: dt.date) -> Clock:
    return finding_clock(finding.status, finding.deadline, finding.recheck_due, on, finding.recheck_due_provisional)


def with_clocks(findings, on: dt.date) -> list[Finding]:
    """Attach `clock` and `clock_class` to each finding for the card templates."""
    rows = list(findings)
    for finding in rows:
        finding.clock = clock_of(finding, on)
        finding.clock_class = CLOCK_CLASS[finding.clock.state]
        finding.status_badge = FINDING_STATUS_BADGE.get(finding.status, "")
    return rows


def add_attachments(*, actor, files, ip, inspection=None) -> list:
    """All or nothing: a rejected file (type, size) leaves no row and no stored file of the batch."""
    stored = []
    try:
        with transaction.atomic():
            for upload in files:
                stored.append(attachment_add(actor=actor, upload=upload, inspection=inspection, ip=ip))
    except DomainError:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def stations_for(actor) -> list:
    """The stations a bureau-wide user may filter by; none for a station user."""
    if actor.role == Role.STATION:
        return []
    seen = {}
    for sub in subdistricts_in_scope(actor=actor).order_by("station__code"):
        seen.setdefault(sub.station.code, sub.station)
    return list(seen.values())
