"""The subdistrict ledger (街道/乡镇 and the station covering each) for the import/export engine.

A station named in 所属监管所 that does not exist yet is created on write (kind station, code
"S" + the next free number, under the bureau when there is one). Each subdistrict has exactly one
station: the foreign key itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import CellError, Column, Context, Ledger, register, text

from .choices import OrgKind, Role
from .models import OrgUnit, Subdistrict

HEADERS = ("街道代码", "街道名称", "所属监管所")


@dataclass(frozen=True)
class NewStation:
    """A station the file names that does not exist yet; created when the batch is written."""

    name: str


def parse_station(value, ctx) -> int | NewStation | None:
    raw = text(value, ctx)
    if not raw:
        return None
    stations = ctx.data["stations"]
    if raw in stations:
        return stations[raw]
    if raw in ctx.data["other_units"]:
        raise CellError(f"“{raw}”是{ctx.data['other_units'][raw]}，不是市场监管所")
    return NewStation(raw)


def format_station(value, ctx) -> str:
    if isinstance(value, NewStation):
        return value.name
    return ctx.data["station_names"].get(value, "")


def next_station_code(taken: set[str]) -> str:
    numbers = [int(m.group(1)) for code in taken if (m := re.fullmatch(r"S(\d+)", code))]
    n = max(numbers, default=0) + 1
    while f"S{n}" in taken:
        n += 1
    return f"S{n}"


class SubdistrictLedger(Ledger):
    name = "subdistricts"
    label = "街道"
    model = Subdistrict
    key = "code"
    home_url = "admin:org_subdistrict_changelist"
    columns = (
        Column("街道代码", "code", required=True),
        Column("街道名称", "name", required=True),
        Column("所属监管所", "station_id", required=True, parse=parse_station, format=format_station),
    )

    def check_import(self, actor) -> None:
        if actor is not None and not actor.is_superuser and actor.role != Role.ADMIN:
            raise PermissionDenied("只有系统管理员可以导入街道和监管所")

    def import_instructions(self, actor) -> list[str]:
        return ["按街道代码新增或更新；所属监管所填监管所名称或代码，不存在的监管所按名称新建。"]

    def prepare(self, ctx: Context) -> None:
        stations, station_names, other_units = {}, {}, {}
        for pk, kind, code, name in OrgUnit.objects.values_list("pk", "kind", "code", "name"):
            if kind == OrgKind.STATION:
                stations[name] = stations[code] = pk
                station_names[pk] = name
            else:
                other_units[name] = OrgKind(kind).label
        ctx.data.update(stations=stations, station_names=station_names, other_units=other_units)
        ctx.data["names_in_db"] = dict(Subdistrict.objects.values_list("name", "code"))
        ctx.data["names_in_file"] = {}

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        name, code = values["name"], values["code"]
        owner = ctx.data["names_in_db"].get(name)
        if owner is not None and owner != code:
            return [("街道名称", f"街道名称“{name}”已被街道代码 {owner} 使用")]
        first = ctx.data["names_in_file"].setdefault(name, code)
        if first != code:
            return [("街道名称", f"街道名称“{name}”在本文件中已用于街道代码 {first}")]
        return []

    def _create_stations(self, rows: list[dict], ctx: Context) -> None:
        wanted = {v["station_id"].name for v in rows if isinstance(v.get("station_id"), NewStation)}
        if not wanted:
            return
        bureau = OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").first()
        taken = set(OrgUnit.objects.values_list("code", flat=True))
        for name in sorted(wanted):
            code = next_station_code(taken)
            taken.add(code)
            station = OrgUnit.objects.create(kind=OrgKind.STATION, name=name, code=code, parent=bureau)
            ctx.data["stations"][name] = station.pk
            ctx.data["station_names"][station.pk] = name
        for values in rows:
            if isinstance(values.get("station_id"), NewStation):
                values["station_id"] = ctx.data["stations"][values["station_id"].name]

    def write(self, creates, updates, ctx: Context) -> None:
        moved = [
            (inst, {"station_id": inst.station_id})
            for inst, _ in updates
            if isinstance(inst.station_id, NewStation)
        ]
        self._create_stations([*creates, *(holder for _, holder in moved)], ctx)
        for instance, holder in moved:
            instance.station_id = holder["station_id"]
        super().write(creates, updates, ctx)


SUBDISTRICT_LEDGER = SubdistrictLedger()

register(SUBDISTRICT_LEDGER)
