"""Shared by the equipment and producer ledgers: headers, business and subdistrict cells, scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, entity_type_for_uscc, normalize_uscc
from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import CellError, Context, choice, text
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict

from ..choices import CatalogueLevel, EquipmentStatus, ExamConclusion

EQUIPMENT_HEADERS = (
    "设备注册代码",
    "设备种类",
    "设备类别",
    "设备品种",
    "使用单位统一社会信用代码",
    "使用单位名称",
    "使用地点",
    "所属街道",
    "使用登记证编号",
    "登记日期",
    "设备状态",
    "状态日期",
    "上次检验日期",
    "检验结论",
    "下次检验日期",
    "维保单位统一社会信用代码",
    "保险截止日期",
)
PRODUCER_HEADERS = ("统一社会信用代码", "名称", "许可项目", "许可证编号", "有效期至")


def entity_type_from_uscc(uscc: str) -> str:
    """The 主体类型 an operator created from the file gets: 其他组织 for a code not issued by market regulation
    (a school, a hospital …), else 企业 / 个体工商户 / 农民专业合作社 by the code's second character."""
    return entity_type_for_uscc(uscc)


@dataclass(frozen=True)
class NewOperator:
    """An operator the file names that is not in the registry; created (待核实) when written."""

    uscc: str


# ---- shared: subdistricts, scope, businesses by USCC ----------------------------------------


def _prepare_common(ctx: Context) -> None:
    ids, names = {}, {}
    for pk, code, name in Subdistrict.objects.values_list("pk", "code", "name"):
        ids[code] = ids[name] = pk
        names[pk] = name
    actor = ctx.actor
    # Superusers act bureau-wide whatever their role says (the CLI's default actor).
    scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
    ctx.data.update(
        subdistrict_ids=ids,
        subdistrict_names=names,
        scope=(
            set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
            if scoped
            else None
        ),
        now=timezone.now(),
        uscc_cache={},  # raw cell text -> normalised code (or the CellError message)
        business_ids={},  # uscc -> (pk, subdistrict_id), for every code resolved so far
        business_usccs={},  # pk -> uscc
        business_missing=set(),
        pending_usccs=set(),
    )


def parse_business_uscc(value, ctx) -> str:
    """A valid USCC, noted for the batch's one registry look-up; the ledger turns it into a pk."""
    raw = text(value, ctx)
    if not raw:
        return ""
    cache = ctx.data["uscc_cache"]
    code = cache.get(raw)
    if code is None:
        try:
            code = normalize_uscc(raw)
        except UsccError as exc:
            code = CellError(f"“{raw}”：{exc}")
        cache[raw] = code
    if isinstance(code, CellError):
        raise code
    if code not in ctx.data["business_ids"]:
        ctx.data["pending_usccs"].add(code)
    return code


def format_business(value, ctx) -> str:
    if isinstance(value, NewOperator):
        return value.uscc
    return ctx.data["business_usccs"].get(value, "" if value is None else str(value))


def parse_subdistrict(value, ctx) -> int | None:
    raw = text(value, ctx)
    if not raw:
        return None
    try:
        return ctx.data["subdistrict_ids"][raw]
    except KeyError:
        raise CellError(f"所属街道“{raw}”不存在，请填写本局已登记的街道名称或街道代码") from None


def format_subdistrict(value, ctx) -> str:
    return ctx.data["subdistrict_names"].get(value, "")


def _resolve_pending_usccs(ctx: Context) -> None:
    data = ctx.data
    pending = data["pending_usccs"] - data["business_missing"]
    pending.difference_update(data["business_ids"])
    data["pending_usccs"] = set()
    if not pending:
        return
    found = Business.objects.filter(uscc__in=pending).values_list("uscc", "pk", "subdistrict_id")
    for uscc, pk, subdistrict_id in found:
        data["business_ids"][uscc] = (pk, subdistrict_id)
        data["business_usccs"][pk] = uscc
        pending.discard(uscc)
    data["business_missing"].update(pending)


def _refuse_leadership(actor, what: str) -> None:
    if actor is not None and actor.role == Role.LEADERSHIP and not actor.is_superuser:
        raise PermissionDenied(f"局领导账号只读，不能导入{what}")


# ---- equipment ------------------------------------------------------------------------------

_LEVEL_NOUN = {
    CatalogueLevel.TYPE: "设备种类",
    CatalogueLevel.CATEGORY: "设备类别",
    CatalogueLevel.VARIETY: "设备品种",
}


def _catalogue_parser(level: str):
    noun = _LEVEL_NOUN[level]

    def parse(value, ctx) -> str | None:
        raw = text(value, ctx)
        if not raw:
            return None
        catalogue = ctx.data["catalogue"]
        code = catalogue[level].get(raw) or catalogue[level].get(raw.upper())
        if code is None:
            if raw in catalogue["ambiguous"][level]:
                raise CellError(f"{noun}名称“{raw}”在特种设备目录中不止一项，请填写代码")
            other = catalogue["any"].get(raw) or catalogue["any"].get(raw.upper())
            if other is not None:
                entry = catalogue["entries"][other]
                raise CellError(
                    f"“{raw}”是{_LEVEL_NOUN[entry.level]}（{entry.code} {entry.name}），不是{noun}"
                )
            raise CellError(f"{noun}“{raw}”不在特种设备目录中，请填写目录代码（如 3000）或名称（如 电梯）")
        if level == CatalogueLevel.TYPE and not catalogue["entries"][code].registrable:
            raise CellError(
                f"{catalogue['entries'][code].name}不办理使用登记（{code}），不能列入使用登记台账"
            )
        return code

    return parse


def format_catalogue(value, ctx) -> str:
    """The catalogue name (what people read), or the code when the name would be ambiguous."""
    if not value:
        return ""
    entry = ctx.data["catalogue"]["entries"].get(value)
    if entry is None:
        return value
    return value if entry.name in ctx.data["catalogue"]["ambiguous"][entry.level] else entry.name


def parse_reg_code(value, ctx) -> str:
    code = "".join(text(value, ctx).split()).upper()
    if code:
        ctx.data["pending_codes"].append(code)
    return code


parse_status, format_status = choice(EquipmentStatus, noun="设备状态", empty=EquipmentStatus.IN_USE)
parse_conclusion, format_conclusion = choice(ExamConclusion, noun="检验结论")


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    level: str
    parent: str | None
    registrable: bool


