"""What the special-equipment register contributes to the pages that gather many apps (see
jianguan.core.panels): a business's devices as 使用单位 (一户一档), and the follow-up tasks of overdue
examinations on the to-do home. Scoped by this app's selectors: a station counts the devices in its
jurisdiction, wherever the operator is registered."""

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

from . import selectors
from .choices import DueState, EquipmentStatus, TaskStatus

DUE_TONE = {DueState.OVERDUE: "danger", DueState.FAILED: "danger", DueState.WARNING: "warning"}


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def tasks_url(**params) -> str:
    """The follow-up task list (open tab), narrowed by its filters (due, station)."""
    return _url("equipment:tasks", **params)


@register_business_panel("equipment.devices", order=10)
def business_equipment(actor, business, on: dt.date) -> BusinessPanel:
    qs = selectors.equipment_list(actor=actor, filters={"operator": business.uscc})
    figures = qs.order_by().aggregate(
        total=Counted("id"),
        in_use=Counted("id", filter=Q(status=EquipmentStatus.IN_USE)),
        overdue=Counted("id", filter=Q(status=EquipmentStatus.IN_USE, due_state=DueState.OVERDUE)),
        warning=Counted("id", filter=Q(status=EquipmentStatus.IN_USE, due_state=DueState.WARNING)),
    )

    def listed(**more) -> str:
        return _url("equipment:list", operator=business.uscc, **more)

    counts = [
        Count("在用", figures["in_use"], listed(status=EquipmentStatus.IN_USE)),
        Count("超期未检", figures["overdue"], listed(status=EquipmentStatus.IN_USE, due_state=DueState.OVERDUE),
              tone="danger" if figures["overdue"] else ""),
        Count("检验预警", figures["warning"], listed(status=EquipmentStatus.IN_USE, due_state=DueState.WARNING),
              tone="warning" if figures["warning"] else ""),
    ]
    rows = [
        Row(
            text=f"{d.reg_code} {d.type.name}", url=reverse("equipment:detail", args=[d.pk]),
            note=d.get_status_display(), when=d.next_due.isoformat() if d.next_due else "",
            badge=d.get_due_state_display(), tone=DUE_TONE.get(d.due_state, ""),
        )
        for d in qs[:ROWS]
    ]
    return BusinessPanel(
        title="特种设备", total=figures["total"], unit="台", counts=counts, rows=rows,
        more_url=reverse("equipment:operator", args=[business.pk]), empty="未作为使用单位登记特种设备。",
    )


@register_todo("equipment.tasks", order=30)
def follow_up_tasks(actor, on: dt.date, until: dt.date) -> Todo:
    qs = selectors.task_list(actor=actor, status=TaskStatus.OPEN)
    figures = due_figures(qs, "due_on", on, until)
    rows = [
        Row(
            text=f"{t.equipment.reg_code} {t.equipment.operator.name}", url=reverse("equipment:detail", args=[t.equipment_id]),
            note=t.station.name, when=t.due_on.isoformat(), tone="danger" if t.due_on < on else "warning",
        )
        for t in qs.filter(due_on__lte=until)[:ROWS]
    ]
    return Todo(
        label="特种设备跟进任务", unit="项", hint="定期检验超期设备，须在办理期限内核查并办结", rows=rows,
        overdue=Count("已逾期", figures["overdue"], tasks_url(due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], tasks_url(due="soon"), tone="warning"),
        open=Count("全部", figures["open"], tasks_url()),
    )
