"""Special-equipment panels on the home page (see jianguan.core.dashboard).

In-use devices by 种类 × 检验状态, and the 检验状态 split: one GROUP BY each, scoped like the
ledger's selectors, read from the equipment_due_state / equipment_report_pass indexes.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from jianguan.core.dashboard import register_panel
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .choices import DueState, EquipmentStatus
from .models import CatalogueEntry, Equipment

UNIT = "台"
# The states shown, in order; 不适用 (no due date yet) is shown only when such devices exist.
STATES = [DueState.NORMAL, DueState.WARNING, DueState.OVERDUE, DueState.FAILED]
NO_DUE_LABEL = "无检验日期"


def _list_url(**params) -> str:
    return f"{reverse('equipment:list')}?{urlencode(params)}"


def _in_use_counts(actor: User) -> dict[tuple[str, str], int]:
    rows = (
        Equipment.objects.filter(scope_q(actor=actor), status=EquipmentStatus.IN_USE)
        .values_list("type_id", "due_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(type_code, state): n for type_code, state, n in rows}


# Traffic-light colours so the states read at a glance: normal, warning, overdue, failed.
STATE_COLOURS = {
    DueState.NORMAL: "#2e7d32",
    DueState.WARNING: "#e0a100",
    DueState.OVERDUE: "#d32f2f",
    DueState.FAILED: "#7f1d1d",
    DueState.NOT_APPLICABLE: "#9aa5b1",
}


@register_panel("equipment.in_use_by_type", "在用特种设备检验状态（按设备种类）", order=40)
def in_use_by_type(actor: User) -> dict:
    counts = _in_use_counts(actor)
    codes = sorted({code for code, _ in counts})
    names = dict(CatalogueEntry.objects.filter(code__in=codes).values_list("code", "name"))
    states = list(STATES)
    if any(state == DueState.NOT_APPLICABLE for _, state in counts):
        states.append(DueState.NOT_APPLICABLE)
    return {
        "type": "bar",
        "stack": True,
        "categories": [names.get(code, code) for code in codes],
        "series": [
            {
                "name": NO_DUE_LABEL if state == DueState.NOT_APPLICABLE else DueState(state).label,
                "data": [counts.get((code, state), 0) for code in codes],
                "color": STATE_COLOURS.get(state, "#9aa5b1"),
            }
            for state in states
        ],
        "unit": UNIT,
        "subtitle": "在用设备，按最近一次检验状态计算结果",
        "links": [_list_url(type=code, status=EquipmentStatus.IN_USE) for code in codes],
    }


@register_panel("equipment.due_states", "在用特种设备检验状态", order=45)
def due_states(actor: User) -> dict:
    counts: dict[str, int] = {}
    for (_, state), n in _in_use_counts(actor).items():
        counts[state] = counts.get(state, 0) + n
    states = list(STATES) + ([DueState.NOT_APPLICABLE] if counts.get(DueState.NOT_APPLICABLE) else [])
    return {
        "type": "pie",
        "categories": [NO_DUE_LABEL if s == DueState.NOT_APPLICABLE else DueState(s).label for s in states],
        "series": [{"name": "在用设备", "data": [counts.get(s, 0) for s in states]}],
        "unit": UNIT,
        "subtitle": "超期、不合格的设备不得使用",
        "links": [_list_url(status=EquipmentStatus.IN_USE, due_state=s) for s in states],
    }
