"""What 双随机抽查 contributes to the pages that gather many apps (see jianguan.core.panels): the draws
that picked a business (一户一档), and the results waiting to be published (一公开) on the to-do home of
the departments that publish them and of the leader. Scoped like queries.overdue_publications."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse

from jianguan.core.panels import (
    ROWS,
    BusinessPanel,
    Count,
    Row,
    Todo,
    due_figures,
    register_business_panel,
    register_todo,
)
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_q

from .choices import TaskStatus
from .models import DrawnObject
from .queries import pending_publications


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


@register_business_panel("spotchecks.drawn", order=60)
def business_spotchecks(actor, business, on: dt.date) -> BusinessPanel:
    qs = DrawnObject.objects.filter(scope_q(actor=actor), business=business)
    live = ~Q(task__status=TaskStatus.VOIDED)
    figures = qs.order_by().aggregate(
        total=Counted("id"),
        published=Counted("id", filter=live & Q(published_on__isnull=False)),
        pending=Counted("id", filter=live & Q(published_on__isnull=True) & ~Q(result="")),
    )
    rows = [
        Row(
            text=f"{d.task.number} {d.task.name}", url=f"{reverse('spotchecks:task_results', args=[d.task_id])}#drawn-{d.pk}",
            note=d.get_result_display() if d.result else "结果未登记",
            when=d.task.drawn_at.date().isoformat() if d.task.drawn_at else d.task.start.isoformat(),
            badge=d.task.get_status_display(), tone="danger" if d.task.status == TaskStatus.VOIDED else "",
        )
        for d in qs.select_related("task").order_by("-task__start", "-task_id")[:ROWS]
    ]
    return BusinessPanel(
        title="双随机抽查", total=figures["total"], unit="次",
        counts=[Count("结果已公示", figures["published"]), Count("待公示", figures["pending"])],
        rows=rows, more_url=_url("spotchecks:tasks", business=business.uscc), empty="未被抽中过。",
    )


@register_todo("spotchecks.publish", order=50, visible=lambda actor: actor.role != Role.STATION)
def results_to_publish(actor, on: dt.date, until: dt.date) -> Todo:
    """Stations record results; the departments publish them (一公开) within the statutory period."""
    qs = pending_publications(on, actor=actor)
    figures = due_figures(qs, "publish_due", on, until)
    rows = [
        Row(
            text=f"{d.task.number} {d.business.name}", url=f"{reverse('spotchecks:task_results', args=[d.task_id])}#drawn-{d.pk}",
            note=d.get_result_display(), when=d.publish_due.isoformat(), tone="danger" if d.publish_due < on else "warning",
        )
        for d in qs.filter(publish_due__lte=until)[:ROWS]
    ]
    return Todo(
        label="待公示的抽查结果", unit="户", hint="抽查结果须在公示期限内向社会公示（一公开）", rows=rows,
        overdue=Count("已逾期", figures["overdue"], _url("spotchecks:tasks", publish="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], _url("spotchecks:tasks", publish="soon"), tone="warning"),
        open=Count("全部", figures["open"], _url("spotchecks:tasks", publish="pending")),
    )
