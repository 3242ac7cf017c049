"""Keep findings' re-check deadlines in step when a provisional one is recomputed (a new year's
calendar entered): the finding's own columns follow the register kept by core."""

from jianguan.core.deadlines import DeadlineChange, on_deadline_recomputed

from .choices import FindingStatus
from .models import Finding


@on_deadline_recomputed("inspections")
def recheck_due_recomputed(changes: list[DeadlineChange]) -> None:
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if kind != "finding" or change.field_name != "recheck_due":
            continue
        # A finding re-checked or escalated since has no running clock to move.
        Finding.objects.filter(pk=int(pk), status=FindingStatus.REPORTED).update(
            recheck_due=change.new_due, recheck_due_provisional=not change.resolved
        )
