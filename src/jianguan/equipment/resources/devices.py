"""The device ledger (特种设备台账) with its latest periodic examination."""

from __future__ import annotations

import bisect
import datetime as dt

from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError
from jianguan.core.importing import Column, Context, Ledger, format_date, parse_date
from jianguan.core.models import Rule
from jianguan.core.rules import parse_rule_value, rule_value

from ..choices import CatalogueLevel, EquipmentStatus
from ..models import CatalogueEntry, Equipment, Examination
from ..rules import add_months, can_transition, cycle_rule_keys, due_state
from .common import (
    NewOperator,
    _catalogue_parser,
    _Entry,
    _prepare_common,
    _refuse_leadership,
    _resolve_pending_usccs,
    entity_type_from_uscc,
    format_business,
    format_catalogue,
    format_conclusion,
    format_status,
    format_subdistrict,
    parse_business_uscc,
    parse_conclusion,
    parse_reg_code,
    parse_status,
    parse_subdistrict,
)


class EquipmentLedger(Ledger):
    name = "equipment"
    label = "特种设备"
    model = Equipment
    key = "reg_code"
    home_url = "equipment:list"
    export_url = "equipment:export"
    import_options = (("create_operators", "使用单位不在市场主体台账中时，按使用单位名称新建并标记为待核实"),)
    columns = (
        Column("设备注册代码", "reg_code", required=True, parse=parse_reg_code),
        Column(
            "设备种类",
            "type_id",
            required=True,
            parse=_catalogue_parser(CatalogueLevel.TYPE),
            format=format_catalogue,
        ),
        Column(
            "设备类别",
            "category_id",
            parse=_catalogue_parser(CatalogueLevel.CATEGORY),
            format=format_catalogue,
        ),
        Column(
            "设备品种", "variety_id", parse=_catalogue_parser(CatalogueLevel.VARIETY), format=format_catalogue
        ),
        Column(
            "使用单位统一社会信用代码",
            "operator_id",
            required=True,
            parse=parse_business_uscc,
            format=format_business,
        ),
        Column("使用单位名称", "operator_name", max_length=200),
        Column("使用地点", "address"),
        Column(
            "所属街道", "subdistrict_id", required=True, parse=parse_subdistrict, format=format_subdistrict
        ),
        Column("使用登记证编号", "use_cert_no"),
        Column("登记日期", "registered_on", required=True, parse=parse_date, format=format_date),
        Column("设备状态", "status", parse=parse_status, format=format_status),
        Column("状态日期", "status_date", parse=parse_date, format=format_date),
        Column("上次检验日期", "exam_date", parse=parse_date, format=format_date),
        Column("检验结论", "exam_conclusion", parse=parse_conclusion, format=format_conclusion),
        Column("下次检验日期", "exam_next_due", parse=parse_date, format=format_date),
        Column(
            "维保单位统一社会信用代码", "maintainer_id", parse=parse_business_uscc, format=format_business
        ),
        Column("保险截止日期", "insurance_until", parse=parse_date, format=format_date),
    )
    # Columns of the file that are not fields of the device: read in clean_row, then dropped.
    FILE_ONLY = ("operator_name", "exam_date", "exam_conclusion", "exam_next_due")

    def __init__(self, *, create_operators: bool = False, per_run: bool = False):
        super().__init__()
        self.create_operators = create_operators
        self.per_run = per_run
        self.new_operators: dict[str, dict] = {}

    def for_run(self, *, create_operators: bool = False, ip: str | None = None) -> EquipmentLedger:
        """A ledger for one run with its options; after the run, `notes()` tells what it created."""
        return EquipmentLedger(create_operators=create_operators, per_run=True)

    def notes(self, *, dry_run: bool = False) -> list[str]:
        """Summary lines of the last run of a per-run ledger: the operators created 待核实."""
        if not self.new_operators:
            return []
        verb = "将新建" if dry_run else "新建"
        names = "、".join(f"{spec['name']}（{uscc}）" for uscc, spec in self.new_operators.items())
        return [f"{verb}待核实使用单位 {len(self.new_operators)} 家：{names}"]

    # ---- hooks -----------------------------------------------------------------------------

    def check_import(self, actor) -> None:
        _refuse_leadership(actor, "特种设备台账")

    def import_instructions(self, actor) -> list[str]:
        return [
            "按设备注册代码新增或更新；设备种类、类别、品种填目录名称或代码，使用单位按统一社会信用代码对应市场主体台账。",
            "有检验日期时须填检验结论；下次检验日期空白时按检验周期规则推算并标为“推算”。",
            "使用单位不在市场主体台账中时整行报错；勾选下方选项可按使用单位名称新建（标记为待核实）。",
            "所属街道填街道名称或街道代码；日期可写 2026-05-01、2026/5/1 或 2026年5月1日。",
        ]

    def prepare(self, ctx: Context) -> None:
        _prepare_common(ctx)
        entries, by_level, seen_names, ambiguous = {}, {}, {}, {}
        rows = CatalogueEntry.objects.values_list("code", "name", "level", "parent__code", "registrable")
        for code, name, level, parent, registrable in rows:
            entries[code] = _Entry(code, name, level, parent, registrable)
            seen_names.setdefault(level, {}).setdefault(name, []).append(code)
        for level in CatalogueLevel.values:
            names = seen_names.get(level, {})
            ambiguous[level] = {name for name, codes in names.items() if len(codes) > 1}
            mapping = {name: codes[0] for name, codes in names.items() if len(codes) == 1}
            mapping.update({code: code for code, entry in entries.items() if entry.level == level})
            by_level[level] = mapping
        any_level = {e.name: e.code for e in entries.values()}
        any_level.update({code: code for code in entries})
        by_level.update(entries=entries, ambiguous=ambiguous, any=any_level)
        cycles: dict[str, list] = {}
        for key, valid_from, value, unit in (
            Rule.objects.filter(key__startswith="equipment.exam_cycle.")
            .order_by("key", "valid_from")
            .values_list("key", "valid_from", "value", "unit")
        ):
            try:
                months = parse_rule_value(value, unit, key)
            except DomainError:
                months = None  # like estimated_due(): an unusable version counts as no rule
            cycles.setdefault(key, []).append((valid_from, months))
        ctx.data.update(
            catalogue=by_level,
            cycles=cycles,
            cycle_keys={},
            pending_codes=[],
            exams={},
            exam_writes=[],
            new_operators={},
            create_operators=self.create_operators,
        )
        if self.per_run:
            self.new_operators = ctx.data["new_operators"]

    def _load_batch(self, ctx: Context) -> None:
        """The batch's look-ups, run by its first clean_row(): businesses and examinations."""
        data = ctx.data
        _resolve_pending_usccs(ctx)
        codes, data["pending_codes"] = data["pending_codes"], []
        exams: dict[str, dict] = {}
        if codes:
            found = Examination.objects.filter(equipment__reg_code__in=codes).values_list(
                "equipment__reg_code", "date", "pk", "conclusion", "next_due"
            )
            for reg_code, date, pk, conclusion, next_due in found:
                exams.setdefault(reg_code, {})[date] = (pk, conclusion, next_due)
        data["exams"] = exams
        data["exam_writes"] = []  # the previous batch is written (or the import is failing) by now

    def estimate_due(
        self, ctx: Context, variety: str | None, category: str | None, type_code: str, since: dt.date
    ):
        """services.estimated_due() without a query per device: the cycle rules are in ctx."""
        data = ctx.data
        combo = (variety, category, type_code)
        versions = data["cycle_keys"].get(combo)
        if versions is None:
            versions = [
                data["cycles"][key]
                for key in cycle_rule_keys(variety, category, type_code)
                if key in data["cycles"]
            ]
            data["cycle_keys"][combo] = versions
        for rule in versions:
            i = bisect.bisect_right(rule, (since, float("inf"))) - 1
            if i >= 0 and rule[i][1] is not None:
                return add_months(since, rule[i][1])
        return None

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_codes"] or data["pending_usccs"]:
            self._load_batch(ctx)  # the first row of a batch: every row of it is parsed by now
        has_next_column = "exam_next_due" in values
        operator_name = values.pop("operator_name", None) or ""
        exam_date = values.pop("exam_date", None)
        conclusion = values.pop("exam_conclusion", None)
        exam_next = values.pop("exam_next_due", None)
        problems: list[tuple[str, str]] = []

        def current(attr, default=None):
            return values[attr] if attr in values else (getattr(existing, attr) if existing else default)

        # Scope: a station imports devices of its own subdistricts only.
        scope = data["scope"]
        if scope is not None:
            if existing is not None and existing.subdistrict_id not in scope:
                problems.append(("设备注册代码", "该设备登记在其他监管所辖区，您无权修改"))
            if "subdistrict_id" in values and values["subdistrict_id"] not in scope:
                name = data["subdistrict_names"].get(values["subdistrict_id"], "")
                problems.append(("所属街道", f"“{name}”不在您的辖区范围内"))

        # Catalogue: 类别 under its 种类, 品种 under its 类别.
        entries = data["catalogue"]["entries"]
        type_code = values["type_id"]
        category, variety = current("category_id"), current("variety_id")
        if variety and not category:
            category = values["category_id"] = entries[variety].parent
        if category and entries[category].parent != type_code:
            problems.append(
                ("设备类别", f"设备类别“{entries[category].name}”不属于设备种类“{entries[type_code].name}”")
            )
        elif variety and entries[variety].parent != category:
            problems.append(
                ("设备品种", f"设备品种“{entries[variety].name}”不属于设备类别“{entries[category].name}”")
            )

        # Operator and maintainer: in the registry, or (operators only) created 待核实 on request.
        uscc = values["operator_id"]
        known = data["business_ids"].get(uscc)
        new_operator = None
        if known is not None:
            values["operator_id"] = known[0]
        elif data["create_operators"]:
            if not operator_name:
                problems.append(
                    ("使用单位名称", f"使用单位 {uscc} 不在市场主体台账中，新建时必须填写使用单位名称")
                )
            else:
                first = data["new_operators"].get(uscc)
                if first is not None and first["name"] != operator_name:
                    problems.append(
                        (
                            "使用单位名称",
                            f"使用单位 {uscc} 在本文件前面的行中名称为“{first['name']}”，与本行不一致",
                        )
                    )
                new_operator = first or {
                    "name": operator_name,
                    "subdistrict_id": current("subdistrict_id"),
                    "established_on": current("registered_on"),
                }
            values["operator_id"] = NewOperator(uscc)
        else:
            who = f"使用单位“{operator_name}”（{uscc}）" if operator_name else f"使用单位 {uscc}"
            problems.append(
                (
                    "使用单位统一社会信用代码",
                    f"{who}不在市场主体台账中；请先导入该市场主体，或以 --create-operators 新建为待核实使用单位",
                )
            )
        maintainer = values.get("maintainer_id")
        if maintainer:
            known = data["business_ids"].get(maintainer)
            if known is None:
                problems.append(
                    (
                        "维保单位统一社会信用代码",
                        f"维保单位 {maintainer} 不在市场主体台账中，请先导入该市场主体",
                    )
                )
            else:
                values["maintainer_id"] = known[0]
        elif "maintainer_id" in values:
            values["maintainer_id"] = None

        # Status: 状态日期 unless 在用, 报废/注销 final, a sealed device stays out of use.
        status = current("status", EquipmentStatus.IN_USE)
        status_date = current("status_date")
        registered_on = current("registered_on")
        if status != EquipmentStatus.IN_USE and status_date is None:
            problems.append(("状态日期", f"设备状态为“{EquipmentStatus(status).label}”时必须填写状态日期"))
        if status_date and registered_on and status_date < registered_on:
            problems.append(("状态日期", f"状态日期 {status_date} 早于登记日期 {registered_on}"))
        if existing is not None and status != existing.status:
            if not can_transition(existing.status, status):
                problems.append(
                    (
                        "设备状态",
                        f"设备状态不能由“{existing.get_status_display()}”变为“{EquipmentStatus(status).label}”"
                        "（报废、注销为最终状态）",
                    )
                )
            elif existing.sealed and status == EquipmentStatus.IN_USE:
                problems.append(("设备状态", "设备已被查封，须先解除查封才能恢复使用"))

        # The examination on the row, and the device's next due date from the latest one.
        if conclusion and exam_date is None:
            problems.append(("上次检验日期", "填写检验结论时必须填写上次检验日期"))
        if exam_date is not None and not conclusion:
            problems.append(("检验结论", "填写上次检验日期时必须填写检验结论"))
        if exam_date is not None and exam_next is not None and exam_next <= exam_date:
            problems.append(("下次检验日期", f"下次检验日期 {exam_next} 应晚于上次检验日期 {exam_date}"))
        on_file = data["exams"].get(values["reg_code"], {}) if existing is not None else {}
        latest_on_file = max(on_file) if on_file else None
        if exam_date is not None and (latest_on_file is None or exam_date >= latest_on_file):
            next_due, estimated, last = exam_next, False, conclusion
        elif latest_on_file is not None:
            _, last, next_due = on_file[latest_on_file]
            estimated = False
            if exam_date is None and exam_next is not None and exam_next != next_due:
                problems.append(
                    (
                        "下次检验日期",
                        f"该设备已有 {latest_on_file} 的检验记录（下次检验日期 {next_due or '未填'}），"
                        "下次检验日期以检验报告为准；请同时填写上次检验日期和检验结论",
                    )
                )
        elif exam_next is not None:
            next_due, estimated, last = exam_next, False, ""
        elif (
            existing is not None
            and not has_next_column
            and existing.next_due
            and not existing.next_due_estimated
        ):
            next_due, estimated, last = existing.next_due, False, existing.last_conclusion
        elif status == EquipmentStatus.IN_USE and registered_on is not None and not problems:
            next_due = self.estimate_due(ctx, variety, category, type_code, registered_on)
            estimated, last = next_due is not None, ""
        elif existing is not None and existing.next_due_estimated:
            next_due, estimated, last = existing.next_due, True, ""
        else:
            next_due, estimated, last = None, False, ""
        if problems:
            return problems
        values["next_due"], values["next_due_estimated"], values["last_conclusion"] = (
            next_due,
            estimated,
            last or "",
        )

        if new_operator is not None:
            data["new_operators"].setdefault(uscc, new_operator)
        if exam_date is not None:
            before = on_file.get(exam_date)
            if before is None or before[1:] != (conclusion, exam_next):
                pk = existing.pk if existing is not None else None
                data["exam_writes"].append((values["reg_code"], pk, exam_date, conclusion, exam_next, before))
        return []

    def display(self, attr: str, value, ctx: Context):
        if attr == "next_due":
            return format_date(value)
        if attr == "next_due_estimated":
            return "是" if value else "否"
        if attr == "last_conclusion":
            return format_conclusion(value, ctx)
        return super().display(attr, value, ctx)

    def touch(self, instance: Equipment, ctx: Context) -> list[str]:
        instance.version += 1
        instance.updated_at = ctx.data["now"]
        return ["version", "updated_at"]

    def _create_operators(self, creates: list[dict], updates: list, ctx: Context) -> None:
        data = ctx.data
        holders = [v for v in creates if isinstance(v["operator_id"], NewOperator)]
        moved = [inst for inst, _ in updates if isinstance(inst.operator_id, NewOperator)]
        wanted = {v["operator_id"].uscc for v in holders} | {inst.operator_id.uscc for inst in moved}
        wanted.difference_update(data["business_ids"])
        if wanted:
            specs = data["new_operators"]
            created = Business.objects.bulk_create(
                [
                    Business(
                        uscc=uscc,
                        name=specs[uscc]["name"],
                        entity_type=entity_type_from_uscc(uscc),
                        subdistrict_id=specs[uscc]["subdistrict_id"],
                        established_on=specs[uscc]["established_on"],
                        needs_verification=True,
                    )
                    for uscc in sorted(wanted)
                ]
            )
            if any(b.pk is None for b in created):  # a database that does not return ids
                created = list(Business.objects.filter(uscc__in=wanted).only("pk", "uscc", "subdistrict_id"))
            for business in created:
                data["business_ids"][business.uscc] = (business.pk, business.subdistrict_id)
                data["business_usccs"][business.pk] = business.uscc
        for values in holders:
            values["operator_id"] = data["business_ids"][values["operator_id"].uscc][0]
        for instance in moved:
            instance.operator_id = data["business_ids"][instance.operator_id.uscc][0]

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        self._create_operators(creates, updates, ctx)
        ids: dict[str, int] = {}
        if creates:
            # New devices get their due state now, so the first refresh after a large import only
            # opens tasks instead of rewriting every row it just wrote.
            today = timezone.localdate()
            warning_days = int(rule_value("equipment.due_warning_days", on=today))
            for values in creates:
                values["due_state"] = due_state(
                    status=values.get("status") or EquipmentStatus.IN_USE, next_due=values.get("next_due"),
                    last_conclusion=values.get("last_conclusion") or "", on=today, warning_days=warning_days,
                )
                values["due_state_on"] = today
            devices = Equipment.objects.bulk_create(
                [Equipment(**values) for values in creates], batch_size=self.write_batch_size
            )
            ids = {d.reg_code: d.pk for d in devices}
            if any(pk is None for pk in ids.values()):
                ids = dict(Equipment.objects.filter(reg_code__in=ids).values_list("reg_code", "pk"))
        super().write([], updates, ctx)
        new_exams, changed_exams = [], []
        for reg_code, pk, date, conclusion, next_due, before in ctx.data["exam_writes"]:
            equipment_id = pk if pk is not None else ids[reg_code]
            if before is None:
                new_exams.append(
                    Examination(
                        equipment_id=equipment_id, date=date, conclusion=conclusion, next_due=next_due
                    )
                )
            else:
                changed_exams.append(Examination(pk=before[0], conclusion=conclusion, next_due=next_due))
        ctx.data["exam_writes"] = []
        if new_exams:
            Examination.objects.bulk_create(new_exams, batch_size=self.write_batch_size)
        if changed_exams:
            Examination.objects.bulk_update(changed_exams, ["conclusion", "next_due"], batch_size=500)

    # ---- export ----------------------------------------------------------------------------

    def export_queryset(self, ctx: Context):
        qs = Equipment.objects.order_by("reg_code")
        if ctx.data.get("scope") is not None:
            qs = qs.filter(subdistrict_id__in=ctx.data["scope"])
        return qs

    def export_rows(self, ctx: Context):
        fields = (
            "pk",
            "reg_code",
            "type_id",
            "category_id",
            "variety_id",
            "operator__uscc",
            "operator__name",
            "address",
            "subdistrict_id",
            "use_cert_no",
            "registered_on",
            "status",
            "status_date",
            "next_due",
            "next_due_estimated",
            "maintainer__uscc",
            "insurance_until",
        )
        chunk: list[tuple] = []
        for row in self.export_queryset(ctx).values_list(*fields).iterator(chunk_size=5000):
            chunk.append(row)
            if len(chunk) >= 5000:
                yield from self._export_chunk(chunk, ctx)
                chunk = []
        if chunk:
            yield from self._export_chunk(chunk, ctx)

    def _export_chunk(self, chunk: list[tuple], ctx: Context):
        latest: dict[int, tuple] = {}
        exams = (
            Examination.objects.filter(equipment_id__in=[row[0] for row in chunk])
            .order_by("equipment_id", "date")
            .values_list("equipment_id", "date", "conclusion", "next_due")
        )
        for equipment_id, date, conclusion, next_due in exams:
            latest[equipment_id] = (date, conclusion, next_due)
        for (
            pk,
            reg_code,
            type_code,
            category,
            variety,
            operator_uscc,
            operator_name,
            address,
            subdistrict_id,
            use_cert_no,
            registered_on,
            status,
            status_date,
            next_due,
            estimated,
            maintainer_uscc,
            insurance_until,
        ) in chunk:
            exam = latest.get(pk)
            if exam is not None:
                exam_date, conclusion, exam_next = exam
            else:
                exam_date, conclusion, exam_next = None, "", (None if estimated else next_due)
            yield [
                reg_code,
                format_catalogue(type_code, ctx),
                format_catalogue(category, ctx),
                format_catalogue(variety, ctx),
                operator_uscc,
                operator_name,
                address,
                format_subdistrict(subdistrict_id, ctx),
                use_cert_no,
                format_date(registered_on),
                format_status(status, ctx),
                format_date(status_date),
                format_date(exam_date),
                format_conclusion(conclusion, ctx),
                format_date(exam_next),
                maintainer_uscc or "",
                format_date(insurance_until),
            ]


EQUIPMENT_LEDGER = EquipmentLedger()

