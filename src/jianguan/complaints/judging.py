"""按时办结: whether a closed item met every clock that ran for it. Judged from the recorded dates
alone, so that a deadline moved later by `calendar refresh` (a provisional one made final) can be
judged again."""

from .choices import Kind, OdrOutcome, Status
from .models import Complaint


def _within(day, due) -> bool:
    return day is None or due is None or day <= due


def closed_on_time(c: Complaint) -> bool:
    if c.status == Status.TRANSFERRED:
        return _within(c.closed_on, c.accept_due or c.filing_due)
    if c.kind == Kind.INQUIRY or c.odr_outcome == OdrOutcome.SETTLED:
        return True  # no statutory clock of the bureau's ran (the ODR window is the enterprise's)
    if c.kind == Kind.COMPLAINT:
        if c.refusal_reason:
            return _within(c.closed_on, c.accept_due)
        return (
            _within(c.accepted_on, c.accept_due)
            and _within(c.mediation_ended_on, c.mediation_due)
            and _within(c.notified_on, c.notify_due)
        )
    return _within(c.decided_on, c.filing_due) and _within(c.notified_on, c.notify_due)
