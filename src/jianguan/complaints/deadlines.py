"""Keep complaints' clocks in step when a provisional deadline is recomputed (a new year's calendar
entered): the record's own date columns follow the register kept by core."""

from jianguan.core.deadlines import DeadlineChange, on_deadline_recomputed

from .choices import Status
from .judging import closed_on_time
from .models import Complaint

CLOCKS = ("accept_due", "mediation_due", "filing_due", "notify_due")


@on_deadline_recomputed("complaints")
def clock_recomputed(changes: list[DeadlineChange]) -> None:
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if kind != "complaint" or change.field_name not in CLOCKS:
            continue
        complaint = Complaint.objects.filter(pk=int(pk)).first()
        if complaint is None or (change.field_name == "accept_due" and complaint.status == Status.ODR):
            continue  # the acceptance clock stands still while the ODR enterprise has the complaint
        setattr(complaint, change.field_name, change.new_due)
        setattr(complaint, f"{change.field_name}_provisional", not change.resolved)
        fields = [change.field_name, f"{change.field_name}_provisional"]
        if complaint.closed_on:  # a closed item is judged again against its final deadline
            complaint.closed_on_time = closed_on_time(complaint)
            fields.append("closed_on_time")
        complaint.save(update_fields=fields)
