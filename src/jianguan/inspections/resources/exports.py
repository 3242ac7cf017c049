"""The two export ledgers: 监督检查台账 (one row per inspection) and 隐患问题台账 (one per finding).

Rows are read in chunks of 5000 with one query per chunk for each many-valued column (devices,
inspectors, the number of findings), never one per row. Both are scoped to the actor: a station's
staff export their own jurisdiction.
"""

from __future__ import annotations

from django.db.models import Count, Q

from jianguan.core.errors import DomainError
from jianguan.core.importing import Column, Context, Ledger, format_date
from jianguan.org.models import Subdistrict
from jianguan.org.selectors import scope_q

from ..choices import Escalation, FindingStatus, InspectionKind, InspectionResult, InspectionStatus, Severity
from ..models import Finding, Inspection

JOIN = "、"
CHUNK = 5000

INSPECTION_EXPORT_HEADERS = (
    "检查编号",
    "检查日期",
    "检查类型",
    "统一社会信用代码",
    "单位名称",
    "所属街道",
    "设备注册代码",
    "检查人员执法证号",
    "检查人员",
    "实施人",
    "检查结果",
    "专项行动",
    "状态",
    "发现问题数",
)
FINDING_EXPORT_HEADERS = (
    "问题编号",
    "发现日期",
    "统一社会信用代码",
    "单位名称",
    "设备注册代码",
    "隐患等级",
    "问题描述",
    "法律依据",
    "整改期限",
    "状态",
    "整改报告日期",
    "复查期限",
    "整改完成日期",
    "升级处置",
)


def actor_scope(actor) -> Q:
    """Everything for the command line and superusers; a station's jurisdiction for its staff."""
    if actor is None or actor.is_superuser:
        return Q()
    return scope_q(actor=actor)


def _chunks(rows):
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label(choices, value) -> str:
    return dict(choices.choices).get(value, value or "")


class _ExportOnly(Ledger):
    import_hint = ""

    def check_import(self, actor) -> None:
        raise DomainError("export_only", f"{self.label}只能导出，不能导入。{self.import_hint}")

    def prepare(self, ctx: Context) -> None:
        ctx.data["subdistrict_names"] = dict(Subdistrict.objects.values_list("pk", "name"))


class InspectionLedger(_ExportOnly):
    """`jianguan export inspections`. Importing under the same name reads the historical-inspection
    file instead (its own headers): the import command asks `for_run()` for that ledger."""

    name = "inspections"
    label = "监督检查台账"
    model = Inspection
    key = "number"
    import_hint = "导入历史检查请使用导入表头：日期、检查类型、统一社会信用代码……（见 docs/inspections.md）"
    columns = (
        Column("检查编号", "number"),
        Column("检查日期", "date"),
        Column("检查类型", "kind"),
        Column("统一社会信用代码", "business_uscc"),
        Column("单位名称", "business_name"),
        Column("所属街道", "subdistrict_id"),
        Column("设备注册代码", "equipment_codes"),
        Column("检查人员执法证号", "inspector_certs"),
        Column("检查人员", "inspector_names"),
        Column("实施人", "performed_by"),
        Column("检查结果", "result"),
        Column("专项行动", "campaign_name"),
        Column("状态", "status"),
        Column("发现问题数", "finding_count"),
    )

    def for_run(self, *, ip: str | None = None, **options):
        from .history import HistoryLedger

        return HistoryLedger(per_run=True)

    def export_queryset(self, ctx: Context):
        return Inspection.objects.filter(actor_scope(ctx.actor)).order_by("date", "number")

    def export_rows(self, ctx: Context):
        fields = (
            "pk", "number", "date", "kind", "business__uscc", "business__name", "subdistrict_id", "performed_by",
            "result", "campaign__name", "status",
        )
        rows = self.export_queryset(ctx).values_list(*fields).iterator(chunk_size=CHUNK)
        names = ctx.data["subdistrict_names"]
        for chunk in _chunks(rows):
            ids = [row[0] for row in chunk]
            devices: dict[int, list[str]] = {}
            through = Inspection.equipment.through.objects.filter(inspection_id__in=ids).order_by("equipment__reg_code")
            for inspection_id, reg_code in through.values_list("inspection_id", "equipment__reg_code"):
                devices.setdefault(inspection_id, []).append(reg_code)
            people: dict[int, list[tuple[str, str]]] = {}
            through = Inspection.inspectors.through.objects.filter(inspection_id__in=ids).order_by("pk")
            for inspection_id, cert, full_name, username in through.values_list(
                "inspection_id", "user__cert_no", "user__full_name", "user__username"
            ):
                people.setdefault(inspection_id, []).append((cert or "", full_name or username))
            counts = dict(
                Finding.objects.filter(inspection_id__in=ids).values("inspection_id").annotate(n=Count("pk"))
                .values_list("inspection_id", "n")
            )
            for pk, number, date, kind, uscc, name, subdistrict_id, performed_by, result, campaign, status in chunk:
                team = people.get(pk, [])
                yield [
                    number,
                    format_date(date),
                    _label(InspectionKind, kind),
                    uscc,
                    name,
                    names.get(subdistrict_id, ""),
                    JOIN.join(devices.get(pk, [])),
                    JOIN.join(cert for cert, _ in team if cert),
                    JOIN.join(person for _, person in team),
                    performed_by,
                    _label(InspectionResult, result),
                    campaign or "",
                    _label(InspectionStatus, status),
                    counts.get(pk, 0),
                ]


def format_escalation(escalation: str, on) -> str:
    if not escalation:
        return ""
    label = _label(Escalation, escalation)
    return f"{label}（{format_date(on)}）" if on else label


class FindingLedger(_ExportOnly):
    """`jianguan export findings`: every finding with where its rectification loop stands."""

    name = "findings"
    label = "隐患问题台账"
    model = Finding
    key = "id"
    import_hint = "问题随历史检查一并导入（jianguan import inspections 文件）。"
    columns = (
        Column("问题编号", "id"),
        Column("发现日期", "found_on"),
        Column("统一社会信用代码", "business_uscc"),
        Column("单位名称", "business_name"),
        Column("设备注册代码", "equipment_code"),
        Column("隐患等级", "severity"),
        Column("问题描述", "description"),
        Column("法律依据", "legal_basis"),
        Column("整改期限", "deadline"),
        Column("状态", "status"),
        Column("整改报告日期", "reported_on"),
        Column("复查期限", "recheck_due"),
        Column("整改完成日期", "closed_on"),
        Column("升级处置", "escalation"),
    )

    def export_queryset(self, ctx: Context):
        return Finding.objects.filter(actor_scope(ctx.actor)).order_by("found_on", "id")

    def export_rows(self, ctx: Context):
        fields = (
            "pk", "found_on", "business__uscc", "business__name", "equipment__reg_code", "severity", "description",
            "legal_basis", "deadline", "status", "reported_on", "recheck_due", "recheck_due_provisional", "closed_on",
            "escalation", "escalated_on",
        )
        for (
            pk, found_on, uscc, name, reg_code, severity, description, legal_basis, deadline, status, reported_on,
            recheck_due, provisional, closed_on, escalation, escalated_on,
        ) in self.export_queryset(ctx).values_list(*fields).iterator(chunk_size=CHUNK):
            recheck = format_date(recheck_due)
            yield [
                pk,
                format_date(found_on),
                uscc,
                name,
                reg_code or "",
                _label(Severity, severity),
                description,
                legal_basis,
                format_date(deadline),
                _label(FindingStatus, status),
                format_date(reported_on),
                f"{recheck}（暂定）" if recheck and provisional else recheck,
                format_date(closed_on),
                format_escalation(escalation, escalated_on),
            ]


INSPECTION_LEDGER = InspectionLedger()
FINDING_LEDGER = FindingLedger()
