"""The sample ledger (抽检样品台账): the import (SampleImportLedger) and the export (SampleLedger).
See the package's docstring."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import Column, Context, Ledger, format_date, parse_date, url_if_routed
from jianguan.core.models import Rule
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict
from jianguan.org.selectors import scope_q

from ..choices import Conclusion, SamplingType
from ..deadlines import CLOCKS
from ..models import BusinessFormat, FoodCategory, Sample, UnqualifiedItem
from ..services.ledger import samples_import
from .columns import (
    CHUNK,
    DISPOSAL_LABELS,
    FINAL,
    PROVISIONAL,
    SAMPLE_EXPORT_EXTRA,
    format_category,
    format_conclusion,
    format_format,
    format_items,
    format_sampling_type,
    format_subdistrict,
    parse_batch,
    parse_category,
    parse_conclusion,
    parse_format,
    parse_items,
    parse_number,
    parse_sampling_type,
    parse_subdistrict,
    parse_uscc,
)

# What a new sample holds when its file leaves a column out (the model's defaults).
NEW_DEFAULTS = {
    "sampling_type": SamplingType.SUPERVISION, "business_uscc": "", "subdistrict_id": None, "specification": "",
    "batch": "", "producer_name": "", "institution": "", "report_on": None, "conclusion": Conclusion.PENDING,
    "item_names": (), "disposed_on": None,
}
JUDGED = (Conclusion.QUALIFIED, Conclusion.UNQUALIFIED, Conclusion.PROBLEM)
WITH_ITEMS = (Conclusion.UNQUALIFIED, Conclusion.PROBLEM)
# The rules behind a sample's clocks, by the date each clock starts from (deadlines.CLOCKS): a row whose
# date is before a rule's first version is refused here rather than failing when its clocks are computed.
RULES_BY_START = {}
for _field, (_key, _kind, _start) in CLOCKS.items():
    RULES_BY_START.setdefault(_start, []).append((_field, _key))
# What a sample handled here may still receive from a file: its result while it is 待检验, its disposal
# completion while it has none.
RESULT_ATTRS = frozenset({"report_on", "conclusion", "item_names"})
# Work recorded on the pages that makes an imported sample one handled here.
WORK_FIELDS = ("sent_on", "served_on", "retest_requested_on", "objection_on", "lead_id", "cause", "disposal_note",
               "no_case_reason", "removed_qty", "recalled_qty", "destroyed_qty", "stopped_selling")

def _reference(model, noun: str) -> dict:
    rows = list(model.objects.values_list("pk", "code", "name", "disabled_on"))
    return {
        "noun": noun,
        "ids": {name: pk for pk, _, name, _ in rows},
        "names": {pk: name for pk, _, name, _ in rows},
        "choices": "、".join(name for _, _, name, disabled in rows if disabled is None),
        "disabled": {pk: disabled for pk, _, _, disabled in rows if disabled is not None},
    }


def _subdistricts() -> dict:
    rows = list(Subdistrict.objects.values_list("pk", "code", "name"))
    return {
        "noun": "所属街道",
        "ids": {code: pk for pk, code, _ in rows} | {name: pk for pk, _, name in rows},
        "names": {pk: name for pk, _, name in rows},
        "choices": "、".join(name for _, _, name in rows),
    }


def handled_here(sample: Sample) -> bool:
    """Recorded on the pages, or imported and carried on there (sent, served, retested, disposed …)."""
    return not sample.imported or any(getattr(sample, f) not in (None, "", False) for f in WORK_FIELDS)


class SampleImportLedger(Ledger):
    """The import of the sample ledger. One instance per run (`SAMPLE_LEDGER.for_run()`): it keeps what
    the run did for notes()."""

    name = "samples"
    label = "抽检样品"
    model = Sample
    key = "number"
    import_title = "导入抽检样品台账"
    home_label = "抽检样品"
    import_intro = ("上传抽检样品台账（Excel .xlsx 或 CSV），先预览校验结果，确认后才写入；任何一行有错则整个文件不写入。"
                    "已登记的抽样单编号再次导入即为更新（如补录检验结论和处置完成日期）。")
    columns = (
        Column("抽样单编号", "number", required=True, parse=parse_number),
        Column("抽样日期", "sampled_on", required=True, parse=parse_date, format=format_date),
        Column("抽检类型", "sampling_type", parse=parse_sampling_type, format=format_sampling_type),
        Column("被抽样单位名称", "business_name", required=True),
        Column("被抽样单位统一社会信用代码", "business_uscc", parse=parse_uscc),
        Column("所属街道", "subdistrict_id", parse=parse_subdistrict, format=format_subdistrict),
        Column("业态", "business_format_id", required=True, parse=parse_format, format=format_format),
        Column("食品大类", "food_category_id", required=True, parse=parse_category, format=format_category),
        Column("样品名称", "sample_name", required=True),
        Column("规格型号", "specification"),
        Column("生产日期或批号", "batch", parse=parse_batch),
        Column("标称生产者名称", "producer_name"),
        Column("检验机构", "institution"),
        Column("报告日期", "report_on", parse=parse_date, format=format_date),
        Column("检验结论", "conclusion", parse=parse_conclusion, format=format_conclusion),
        Column("不合格项目", "item_names", parse=parse_items, format=format_items),
        Column("处置完成日期", "disposed_on", parse=parse_date, format=format_date),
    )

    def __init__(self):
        super().__init__()
        self.header_of = {c.attr: c.header for c in self.columns}
        self.stats: dict = {}

    @property
    def home_url(self) -> str:  # where the done page of an import leads
        return url_if_routed("sampling:list")

    @property
    def export_url(self) -> str:
        return url_if_routed("sampling:export")

    # ---- what the pages and the command say --------------------------------------------------------

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP and not actor.is_superuser:
            raise PermissionDenied("局领导账号只读，不能导入抽检样品")

    def import_instructions(self, actor) -> list[str]:
        lines = [
            "按抽样单编号新增或更新：已登记的样品再次导入即为更新（如检验结论、处置完成日期后来才有），内容相同的行计为“未变”。"
            "在本系统中登记或继续处置的样品，台账只能补录检验结论（待检验时）和处置完成日期（尚未处置完成时）。",
            "抽检类型填 监督抽检、风险监测 或 评价性抽检（空为监督抽检）；业态、食品大类填本系统参考表中的名称；"
            "所属街道填街道名称，被抽样单位已登记的可不填（按登记的所属街道）。",
            "被抽样单位统一社会信用代码须校验通过，已登记的市场主体自动关联；摊位等未登记的经营者不填。",
            "检验结论填 合格 或 不合格（风险监测填 合格 或 问题样品），尚未出具报告的留空；有结论的须填报告日期。"
            "不合格（问题样品）须填不合格项目，多个以、分隔；合格的不填。",
            "处置完成日期只用于不合格样品，不能早于报告日期；核查处置期限为报告日期起90日，遇节假日顺延。",
            "日期可写 2026-05-01、2026/5/1 或 2026年5月1日，不能晚于今天。",
        ]
        if actor is not None and actor.role == Role.STATION and not actor.is_superuser:
            lines.append("您只能导入所属街道在本所辖区内的样品（须填写所属街道，或被抽样单位为已登记的市场主体）。")
        return lines

    def will_write(self, result) -> str:
        return f"确认后将新增 {result.created} 批次、更新 {result.updated} 批次抽检样品。"

    def notes(self, *, dry_run: bool = False) -> list[str]:
        s = self.stats
        if not s or not s["rows"]:
            return []
        counts = "、".join(f"{label} {s['conclusion'][value]} 批次" for value, label in Conclusion.choices
                          if s["conclusion"][value])
        lines = [f"文件中的抽检样品 {s['rows']} 批次：{counts}"]
        if s["unqualified"]:
            lines.append(f"不合格 {s['unqualified']} 批次，其中已填写处置完成日期 {s['disposed']} 批次")
        if s["unlinked"]:
            lines.append(f"有 {s['unlinked']} 批次的被抽样单位统一社会信用代码未在市场主体中登记（未关联，按原文保留）")
        return lines

    def display(self, attr: str, value, ctx: Context):
        if attr in self.header_of:
            return super().display(attr, value, ctx)
        return "" if value is None else str(value)  # what the row derives (business_id …)

    # ---- reference data ----------------------------------------------------------------------------

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        first_rules: dict[str, dt.date] = {}
        keys = [key for key, _, _ in CLOCKS.values()]
        for key, valid_from in Rule.objects.filter(key__in=keys).order_by("-valid_from").values_list("key", "valid_from"):
            first_rules[key] = valid_from
        ctx.data.update(
            formats=_reference(BusinessFormat, "业态"),
            categories=_reference(FoodCategory, "食品大类"),
            subdistricts=_subdistricts(),
            scope=(set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
                   if scoped else None),
            today=timezone.localdate(),
            calendar=WorkingCalendar(),  # one snapshot for the whole file
            first_rules=first_rules,
            pending_usccs=set(),
            pending_numbers=set(),
            businesses={},  # uscc -> (pk, subdistrict_id)
            items={},  # sample pk -> names of its 不合格项目, for the samples of the batch on file
        )
        self.stats = ctx.data["stats"] = {"rows": 0, "conclusion": dict.fromkeys(Conclusion.values, 0), "unqualified": 0,
                                          "disposed": 0, "unlinked": 0}

    def _load(self, ctx: Context) -> None:
        """The batch's registered businesses and the items of its samples on file, read by its first
        clean_row(): the whole batch is parsed by then."""
        data = ctx.data
        usccs, data["pending_usccs"] = sorted(data["pending_usccs"] - data["businesses"].keys()), set()
        for i in range(0, len(usccs), CHUNK):
            found = Business.objects.filter(uscc__in=usccs[i : i + CHUNK]).values_list("uscc", "pk", "subdistrict_id")
            data["businesses"].update({uscc: (pk, sub) for uscc, pk, sub in found})
        numbers, data["pending_numbers"] = sorted(data["pending_numbers"]), set()
        for i in range(0, len(numbers), CHUNK):
            rows = (UnqualifiedItem.objects.filter(sample__number__in=numbers[i : i + CHUNK])
                    .order_by("sample_id", "order", "pk").values_list("sample_id", "name"))
            for sample_id, name in rows:
                data["items"].setdefault(sample_id, []).append(name)

    # ---- one row -----------------------------------------------------------------------------------

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"] or data["pending_numbers"]:
            self._load(ctx)
        if existing is not None:
            # As the export writes them: a sample whose result was overturned (复检合格, 异议成立) is 合格 and
            # lists no items, though the items of the first report stay on its record.
            has_items = existing.conclusion in WITH_ITEMS
            existing.item_names = tuple(data["items"].get(existing.pk, ())) if has_items else ()
        else:
            for attr, default in NEW_DEFAULTS.items():
                values.setdefault(attr, default)

        def get(attr):
            return values[attr] if attr in values else getattr(existing, attr)

        number = values["number"]
        sampled_on, report_on, disposed_on = get("sampled_on"), get("report_on"), get("disposed_on")
        sampling_type, conclusion, items = get("sampling_type"), get("conclusion"), get("item_names")
        problems: list[tuple[str, str]] = []
        today = data["today"]
        for attr, day in (("sampled_on", sampled_on), ("report_on", report_on), ("disposed_on", disposed_on)):
            if day is not None and day > today:
                header = self.header_of[attr]
                problems.append((header, f"{header} {day} 晚于今天，只能导入已经发生的抽检环节"))
        for attr, kind in (("business_format_id", "formats"), ("food_category_id", "categories")):
            disabled = data[kind]["disabled"].get(get(attr))
            if disabled is not None and disabled <= sampled_on:
                name = data[kind]["names"][get(attr)]
                problems.append((self.header_of[attr], f"{data[kind]['noun']}“{name}”自 {disabled} 起停用，"
                                                       f"抽样日期 {sampled_on} 不能再用"))

        # 被抽样单位: a registered code gives the business and, unless the row names one, its subdistrict.
        uscc = get("business_uscc")
        business_id, business_sub = data["businesses"].get(uscc, (None, None)) if uscc else (None, None)
        subdistrict_id = get("subdistrict_id") or business_sub
        scope = data["scope"]
        if scope is not None:
            if existing is not None and existing.subdistrict_id not in scope:
                problems.append(("抽样单编号", f"抽样单 {number} 不在您的辖区范围内，您无权修改"))
            elif subdistrict_id is None:
                problems.append(("所属街道", "须填写所属街道（或被抽样单位为已登记的市场主体）；"
                                             "不属于任何街道的样品由食品等业务科室导入"))
            elif subdistrict_id not in scope:
                name = data["subdistricts"]["names"][subdistrict_id]
                problems.append(("所属街道", f"“{name}”不在您的辖区范围内"))

        problems += self._check_result(sampling_type, sampled_on, report_on, conclusion, items, disposed_on)
        problems += self._check_rules(ctx, sampled_on, report_on, conclusion)
        if problems:
            return problems
        values.update(business_id=business_id, subdistrict_id=subdistrict_id)
        if existing is not None and handled_here(existing):
            problems = self._check_handled_here(values, existing)
            if problems:
                return problems

        stats = data["stats"]
        stats["rows"] += 1
        stats["conclusion"][conclusion] += 1
        stats["unqualified"] += conclusion == Conclusion.UNQUALIFIED
        stats["disposed"] += disposed_on is not None
        stats["unlinked"] += bool(uscc) and business_id is None
        return []

    def _check_result(self, sampling_type, sampled_on, report_on, conclusion, items, disposed_on) -> list[tuple[str, str]]:
        """检验结论 with its report date and items, as the result page (sample_result) asks them; and a
        disposal only of an unqualified result (sample_dispose)."""
        problems = []
        type_label = SamplingType(sampling_type).label
        if conclusion == Conclusion.UNQUALIFIED and sampling_type == SamplingType.RISK:
            problems.append(("检验结论", "风险监测不作合格判定，发现问题的样品检验结论应填“问题样品”"))
        elif conclusion == Conclusion.PROBLEM and sampling_type != SamplingType.RISK:
            problems.append(("检验结论", f"“问题样品”只用于风险监测；{type_label}的检验结论为合格或不合格"))
        if conclusion in JUDGED and report_on is None:
            problems.append(("报告日期", f"检验结论为{Conclusion(conclusion).label}，须填写报告日期"))
        if conclusion == Conclusion.PENDING and report_on is not None:
            problems.append(("检验结论", "填写了报告日期，须填写检验结论（合格、不合格，风险监测为合格或问题样品）"))
        if report_on is not None and report_on < sampled_on:
            problems.append(("报告日期", f"报告日期 {report_on} 早于抽样日期 {sampled_on}"))
        if conclusion in WITH_ITEMS and not items:
            problems.append(("不合格项目", f"检验结论为{Conclusion(conclusion).label}，须填写不合格项目（多个以、分隔）"))
        elif items and conclusion not in WITH_ITEMS:
            why = "合格的样品没有不合格项目" if conclusion == Conclusion.QUALIFIED else "尚无检验结论，不能填写不合格项目"
            problems.append(("不合格项目", why))
        if disposed_on is not None:
            if conclusion == Conclusion.QUALIFIED:
                problems.append(("处置完成日期", "检验结论为合格的样品无需核查处置，不能填写处置完成日期"))
            elif conclusion == Conclusion.PROBLEM:
                problems.append(("处置完成日期", "风险监测的问题样品不作核查处置（转风险防控），不能填写处置完成日期"))
            elif conclusion == Conclusion.PENDING:
                problems.append(("处置完成日期", "尚无检验结论，不能填写处置完成日期"))
            elif report_on is not None and disposed_on < report_on:
                problems.append(("处置完成日期", f"处置完成日期 {disposed_on} 早于报告日期 {report_on}"))
        return problems

    def _check_rules(self, ctx: Context, sampled_on, report_on, conclusion) -> list[tuple[str, str]]:
        """The periods behind the clocks must be in force on the days they start from (the versioned rules
        sampling.*): otherwise the clocks cannot be computed."""
        starts = {"sampled_on": sampled_on}
        if conclusion == Conclusion.UNQUALIFIED and report_on is not None:
            starts["report_on"] = report_on
        first_rules = ctx.data["first_rules"]
        for start, day in starts.items():
            for _, key in RULES_BY_START[start]:
                first = first_rules.get(key)
                if first is None or day < first:
                    since = f"（最早的版本自 {first} 起施行）" if first else "（尚无任何版本）"
                    header = self.header_of[start]
                    return [(header, f"规则“{key}”在{header} {day} 没有生效的取值{since}，请管理员在“规则参数”中补充")]
        return []

    def _check_handled_here(self, values: dict, existing: Sample) -> list[tuple[str, str]]:
        """A sample recorded or carried on in jianguan: the file may repeat it (an export re-imported) and
        fill in what it lacks — its result while 待检验, its disposal completion — but not change it."""
        allowed = set()
        if existing.conclusion == Conclusion.PENDING:
            allowed |= RESULT_ATTRS
            if not existing.institution:
                allowed.add("institution")
        if existing.disposed_on is None:
            allowed.add("disposed_on")
        changed = [attr for attr, value in values.items() if getattr(existing, attr) != value and attr not in allowed]
        if not changed:
            return []
        how = "导入后已在本系统中继续办理" if existing.imported else "是在本系统中登记的样品"
        headers = "、".join(dict.fromkeys(self.header_of.get(attr, self._derived_header(attr)) for attr in changed))
        return [("抽样单编号", f"抽样单 {existing.number} {how}，台账只能补录检验结论（待检验时）和处置完成日期，"
                               f"不能修改（{headers}与系统中的记录不一致）")]

    @staticmethod
    def _derived_header(attr: str) -> str:
        return {"business_id": "被抽样单位统一社会信用代码"}.get(attr, attr)

    # ---- writing -----------------------------------------------------------------------------------

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        samples_import(actor=ctx.actor, creates=creates, updates=updates, calendar=ctx.data["calendar"])

    def export_rows(self, ctx: Context):
        raise DomainError("import_only", "导出请用 jianguan export samples 文件")


class SampleLedger(SampleImportLedger):
    """The export (SAMPLE_EXPORT_HEADERS): every sample the actor may see, its import columns and then
    where it stands (送达期限, 处置期限, 期限性质, 处置状态). The import under this name is
    SampleImportLedger, which reads the import columns and leaves the others."""

    label = "抽检样品台账"
    columns = SampleImportLedger.columns + tuple(Column(h, f"export_{i}") for i, h in enumerate(SAMPLE_EXPORT_EXTRA))

    def __init__(self):
        Ledger.__init__(self)
        self.header_of = {c.attr: c.header for c in self.columns}
        self.stats = {}

    def for_run(self, *, ip: str | None = None, **options) -> SampleImportLedger:
        return SampleImportLedger()

    def check_import(self, actor) -> None:
        raise DomainError("use_for_run", "导入请用 SAMPLE_LEDGER.for_run() 给出的台账（jianguan import samples 文件）")

    def prepare(self, ctx: Context) -> None:
        ctx.data.update(formats=_reference(BusinessFormat, "业态"), categories=_reference(FoodCategory, "食品大类"),
                        subdistricts=_subdistricts())

    def export_queryset(self, ctx: Context):
        qs = Sample.objects.all()
        if ctx.actor is not None and not ctx.actor.is_superuser:
            qs = qs.filter(scope_q(actor=ctx.actor))
        return qs.order_by("sampled_on", "number")

    def export_rows(self, ctx: Context):
        qs = self.export_queryset(ctx)
        items: dict[int, list[str]] = {}
        with_items = UnqualifiedItem.objects.filter(sample__in=qs.filter(conclusion__in=WITH_ITEMS).values("pk"))
        for sample_id, name in with_items.order_by("sample_id", "order", "pk").values_list("sample_id", "name"):
            items.setdefault(sample_id, []).append(name)
        fields = (
            "pk", "number", "sampled_on", "sampling_type", "business_name", "business_uscc", "subdistrict_id",
            "business_format_id", "food_category_id", "sample_name", "specification", "batch", "producer_name",
            "institution", "report_on", "conclusion", "disposed_on", "service_due", "disposal_due", "dues_provisional",
            "disposal_status",
        )
        for r in qs.values_list(*fields, named=True).iterator(chunk_size=CHUNK):
            nature = (PROVISIONAL if r.dues_provisional else FINAL) if (r.service_due or r.disposal_due) else ""
            yield [
                r.number, format_date(r.sampled_on), format_sampling_type(r.sampling_type, ctx), r.business_name,
                r.business_uscc, format_subdistrict(r.subdistrict_id, ctx), format_format(r.business_format_id, ctx),
                format_category(r.food_category_id, ctx), r.sample_name, r.specification, r.batch, r.producer_name,
                r.institution, format_date(r.report_on), format_conclusion(r.conclusion, ctx),
                format_items(items.get(r.pk), ctx), format_date(r.disposed_on),
                format_date(r.service_due), format_date(r.disposal_due), nature,
                DISPOSAL_LABELS.get(r.disposal_status, r.disposal_status),
            ]
