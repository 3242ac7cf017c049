"""The business ledger (市场主体台账) for the import/export engine: headers, parsers, checks."""

from __future__ import annotations

from django.utils import timezone

from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import (
    CellError,
    Column,
    Context,
    Ledger,
    choice,
    format_date,
    parse_date,
    register,
    text,
)
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict

from .choices import UNCLASSIFIED_LABEL, CreditRiskClass, EntityType, RegStatus
from .models import Business
from .rules import UsccError, entity_type_problem, normalize_uscc

HEADERS = (
    "统一社会信用代码",
    "名称",
    "主体类型",
    "法定代表人",
    "住所",
    "所属街道",
    "行业代码",
    "成立日期",
    "登记状态",
    "状态日期",
    "信用风险分类",
    "分类日期",
)


def parse_uscc(value, ctx) -> str:
    raw = text(value, ctx)
    if not raw:
        return ""
    try:
        return normalize_uscc(raw)
    except UsccError as exc:
        raise CellError(f"“{raw}”：{exc}") from None


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


# 信用风险分类: the letter, the short name (A类) or the full label (A类（低风险）); blank or 未分类 is 未分类.
_CREDIT_CLASSES = {UNCLASSIFIED_LABEL: ""}
for _value, _label in CreditRiskClass.choices:
    _CREDIT_CLASSES.update({_value: _value, _label: _value, _label.partition("（")[0]: _value})
_CREDIT_CLASS_ALLOWED = (
    "A、B、C、D，或 " + "、".join(CreditRiskClass.labels) + f"；空白为{UNCLASSIFIED_LABEL}"
)


def parse_credit_class(value, ctx) -> str:
    raw = text(value, ctx)
    # a类 / A类(低风险) / A 类 as typed in Excel
    key = raw.upper().replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")
    try:
        return _CREDIT_CLASSES[key] if key else ""
    except KeyError:
        raise CellError(f"信用风险分类“{raw}”不在可选值内（{_CREDIT_CLASS_ALLOWED}）") from None


def format_credit_class(value, ctx) -> str:
    return value or ""


parse_entity_type, format_entity_type = choice(EntityType, noun="主体类型")
parse_reg_status, format_reg_status = choice(RegStatus, noun="登记状态", empty=RegStatus.ACTIVE)


class BusinessLedger(Ledger):
    name = "businesses"
    label = "市场主体"
    model = Business
    key = "uscc"
    home_url = "businesses:list"
    columns = (
        Column("统一社会信用代码", "uscc", required=True, parse=parse_uscc),
        Column("名称", "name", required=True),
        Column("主体类型", "entity_type", required=True, parse=parse_entity_type, format=format_entity_type),
        Column("法定代表人", "legal_rep"),
        Column("住所", "address"),
        Column(
            "所属街道", "subdistrict_id", required=True, parse=parse_subdistrict, format=format_subdistrict
        ),
        Column("行业代码", "industry_code"),
        Column("成立日期", "established_on", required=True, parse=parse_date, format=format_date),
        Column("登记状态", "reg_status", parse=parse_reg_status, format=format_reg_status),
        Column("状态日期", "status_date", parse=parse_date, format=format_date),
        # Optional: a file without these columns leaves every business's class as it is.
        Column("信用风险分类", "credit_risk_class", parse=parse_credit_class, format=format_credit_class),
        Column("分类日期", "credit_risk_class_on", parse=parse_date, format=format_date),
    )

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP:
            raise PermissionDenied("局领导账号只读，不能导入市场主体")

    def import_instructions(self, actor) -> list[str]:
        lines = [
            "按统一社会信用代码新增或更新：已有的主体会被更新，没有变化的行不受影响。",
            "主体类型填 企业、个体工商户、农民专业合作社 或 其他组织（机关、事业单位、社会组织等，统一社会信用代码第1位不是9的）；登记状态填 存续、迁出、注销 或 吊销（空为存续），非存续须填状态日期。",
            "所属街道填街道名称或街道代码；日期可写 2026-05-01、2026/5/1 或 2026年5月1日。",
            "信用风险分类、分类日期两列可以省略，省略时不改动已有的分类；有“信用风险分类”列时填 A、B、C、D"
            "（也可写 A类 或 A类（低风险）等），空白为未分类。",
        ]
        if actor is not None and actor.role == Role.STATION:
            lines.append("您只能导入本监管所辖区内的市场主体。")
        return lines

    def will_write(self, result) -> str:
        return f"确认后将新增 {result.created} 个、更新 {result.updated} 个市场主体。"

    def prepare(self, ctx: Context) -> None:
        ids, names = {}, {}
        for pk, code, name in Subdistrict.objects.values_list("pk", "code", "name"):
            ids[code] = ids[name] = pk
            names[pk] = name
        ctx.data["subdistrict_ids"], ctx.data["subdistrict_names"] = ids, names
        actor = ctx.actor
        # Superusers act bureau-wide whatever their role says (the CLI's default actor).
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        ctx.data["scope"] = (
            set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
            if scoped
            else None
        )
        ctx.data["now"] = timezone.now()

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        problems = []
        scope = ctx.data["scope"]
        if scope is not None:
            if existing is not None and existing.subdistrict_id not in scope:
                problems.append(("统一社会信用代码", "该市场主体登记在其他监管所辖区，您无权修改"))
            if values.get("subdistrict_id") not in scope and "subdistrict_id" in values:
                name = ctx.data["subdistrict_names"].get(values["subdistrict_id"], "")
                problems.append(("所属街道", f"“{name}”不在您的辖区范围内"))
        status = values.get("reg_status", existing.reg_status if existing else RegStatus.ACTIVE)
        status_date = values.get("status_date", existing.status_date if existing else None)
        if status != RegStatus.ACTIVE and status_date is None:
            problems.append(("状态日期", f"登记状态为“{RegStatus(status).label}”时必须填写状态日期"))
        established = values.get("established_on", existing.established_on if existing else None)
        if status_date and established and status_date < established:
            problems.append(("状态日期", f"状态日期 {status_date} 早于成立日期 {established}"))
        entity_type = values.get("entity_type", existing.entity_type if existing else "")
        if reason := entity_type_problem(values.get("uscc", ""), entity_type):
            problems.append(("主体类型", reason))
        if "credit_risk_class" in values or "credit_risk_class_on" in values:
            problems += self._clean_credit_class(values, existing)
        return problems

    @staticmethod
    def _clean_credit_class(values: dict, existing) -> list[tuple[str, str]]:
        old_class = existing.credit_risk_class if existing is not None else ""
        credit_class = values.get("credit_risk_class", old_class)
        if "credit_risk_class_on" not in values and credit_class != old_class:
            # A new class (or 未分类) without its own date must not keep the replaced class's date.
            values["credit_risk_class_on"] = None
        class_on = values.get("credit_risk_class_on", existing.credit_risk_class_on if existing else None)
        if not credit_class and class_on:
            return [("分类日期", f"信用风险分类为{UNCLASSIFIED_LABEL}时不能填写分类日期")]
        return []

    def touch(self, instance: Business, ctx: Context) -> list[str]:
        instance.version += 1
        instance.updated_at = ctx.data["now"]
        return ["version", "updated_at"]

    def export_queryset(self, ctx: Context):
        qs = Business.objects.order_by("uscc")
        if ctx.data.get("scope") is not None:
            qs = qs.filter(subdistrict_id__in=ctx.data["scope"])
        return qs


BUSINESS_LEDGER = BusinessLedger()

register(BUSINESS_LEDGER)
