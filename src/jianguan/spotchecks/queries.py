"""Staff reads about the publication clocks of spot-check results (一公开 within N working days)."""

import datetime as dt

from django.db.models import QuerySet

from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .choices import TaskStatus
from .models import DrawnObject


def overdue_publications(on: dt.date, *, actor: User | None = None) -> QuerySet[DrawnObject]:
    """Drawn objects whose result is recorded but not published, the deadline (publish_due) before `on`.

    A voided task's results are never published, so they are not overdue. A station user sees their
    jurisdiction's objects (by the business's subdistrict at the draw); bureau-wide roles see all.
    The earliest deadline first.
    """
    qs = DrawnObject.objects.filter(publish_due__lt=on, published_on__isnull=True).exclude(task__status=TaskStatus.VOIDED)
    if actor is not None:
        qs = qs.filter(scope_q(actor=actor))
    return qs.select_related("task", "business", "subdistrict").order_by("publish_due", "task__number", "order")


def pending_publications(
    on: dt.date, *, actor: User | None = None, window: str = "", until: dt.date | None = None
) -> QuerySet[DrawnObject]:
    """Results recorded and not yet published (待公示), scoped like overdue_publications, the earliest
    deadline first. window "overdue": the deadline before `on`; "soon": from `on` to `until`."""
    qs = DrawnObject.objects.filter(published_on__isnull=True).exclude(result="").exclude(task__status=TaskStatus.VOIDED)
    if actor is not None:
        qs = qs.filter(scope_q(actor=actor))
    if window == "overdue":
        qs = qs.filter(publish_due__lt=on)
    elif window == "soon":
        qs = qs.filter(publish_due__gte=on, publish_due__lte=until)
    return qs.select_related("task", "business", "subdistrict").order_by("publish_due", "task__number", "order")
