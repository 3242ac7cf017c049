"""Publication deadlines follow the calendar refresh when one was provisional (a new year's calendar entered)."""

from jianguan.core.deadlines import DeadlineChange, on_deadline_recomputed

from .models import DrawnObject


@on_deadline_recomputed("spotchecks")
def publish_due_recomputed(changes: list[DeadlineChange]) -> None:
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if kind == "drawn" and change.field_name == "publish_due":
            DrawnObject.objects.filter(pk=int(pk), published_on__isnull=True).update(
                publish_due=change.new_due, publish_due_provisional=not change.resolved
            )
