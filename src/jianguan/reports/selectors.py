"""Reads of the reports app for a user: templates, scopes the user may report on, snapshots."""

from django.db.models import QuerySet

from jianguan.campaigns.selectors import campaign_list
from jianguan.core.errors import NotFound, PermissionDenied
from jianguan.core.periods import Scope
from jianguan.org.choices import Role
from jianguan.org.models import User
from jianguan.org.selectors import station_list, subdistricts_in_scope

from .engine import sync_builtin_templates
from .models import ReportSnapshot, ReportTemplate
from .services import EDITORS


def template_list() -> QuerySet[ReportTemplate]:
    """Every template, the shipped ones copied in first so that they always appear."""
    sync_builtin_templates()
    return ReportTemplate.objects.select_related("updated_by").order_by("key")


def template_get(*, key: str) -> ReportTemplate:
    template = template_list().filter(key=key).first()
    if template is None:
        raise NotFound(f"报表模板“{key}”不存在")
    return template


def can_edit_templates(actor) -> bool:
    return actor is not None and actor.is_authenticated and (actor.role in EDITORS or actor.is_superuser)


def campaign_choices() -> list[tuple[str, str]]:
    """Campaigns a report may be about (code, "name（start 至 end）"), the latest first. Campaigns are
    bureau-wide; a station user's figures are their station's share."""
    return [(c.code, f"{c.name}（{c.start} 至 {c.end}）") for c in campaign_list()]


def scope_choices(*, actor: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scopes the actor may report on, grouped for a <select>: (group label, [(value, label)])."""
    subs = list(subdistricts_in_scope(actor=actor).order_by("station__code", "code"))
    if actor.role == Role.STATION:
        station = actor.org_unit
        head = [(f"station:{station.code}", f"{station.name}（全所）")] if station else []
        return [("本所", head), ("街道（乡镇）", [(f"subdistrict:{s.code}", s.name) for s in subs])]
    groups = [("全局", [("bureau", "全局")])]
    groups.append(("监管所", [(f"station:{s.code}", s.name) for s in station_list()]))
    by_station: dict[str, list] = {}
    for sub in subs:
        by_station.setdefault(sub.station.name, []).append((f"subdistrict:{sub.code}", sub.name))
    groups.extend((f"{name} · 街道", items) for name, items in by_station.items())
    return groups


def default_scope(*, actor: User) -> str:
    if actor.role == Role.STATION and actor.org_unit:
        return f"station:{actor.org_unit.code}"
    return "bureau"


def check_scope(*, actor: User, scope: Scope, allow_bureau: bool = False) -> None:
    """A station user reports on their station or its subdistricts only."""
    if actor.role != Role.STATION:
        return
    if scope.kind == "bureau":
        if allow_bureau:
            return  # the figures are filtered to the actor's jurisdiction anyway
        raise PermissionDenied("监管所人员只能选择本所或本所辖区内的街道")
    allowed = {v for _, items in scope_choices(actor=actor) for v, _ in items}
    if scope.text not in allowed:
        raise PermissionDenied(f"“{scope.label}”不在您的辖区范围内")


def snapshot_list(*, actor: User) -> QuerySet[ReportSnapshot]:
    """Station users see the snapshots they generated; bureau-wide roles see all."""
    qs = ReportSnapshot.objects.select_related("author").order_by("-created_at", "-pk")
    if actor.role == Role.STATION:
        qs = qs.filter(author=actor)
    return qs


def snapshot_get(*, actor: User, pk) -> ReportSnapshot:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("报表快照编号无效") from None
    snapshot = snapshot_list(actor=actor).filter(pk=pk).first()
    if snapshot is None:
        raise NotFound("报表快照不存在或不在您的查看范围内")
    return snapshot
