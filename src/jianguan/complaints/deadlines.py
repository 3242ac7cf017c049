"""Keep complaints' clocks in step when a provisional deadline is recomputed (a new year's calendar
entered): the record's own date columns follow the register kept by core."""

from jianguan.core.deadlines import DeadlineChange, on_deadline_recomputed

from .models import Complaint

CLOCKS = ("accept_due", "mediation_due", "filing_due", "notify_due")


@on_deadline_recomputed("complaints")
def clock_recomputed(changes: list[DeadlineChange]) -> None:
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if kind != "complaint" or change.field_name not in CLOCKS:
            continue
        Complaint.objects.filter(pk=int(pk)).update(
            **{change.field_name: change.new_due, f"{change.field_name}_provisional": not change.resolved}
        )
