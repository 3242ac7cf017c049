"""The quick-test ledger (快检台账): import and export. See the package's docstring."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import Column, Context, Ledger, format_date, parse_date, text, url_if_routed
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict
from jianguan.org.selectors import scope_q

from ..choices import QuickTestResult
from ..models import QuickTest
from ..services.ledger import quicktests_import
from .columns import CHUNK, format_result, parse_result, parse_uscc


class TestKey:
    """The natural key of a quick test: (检测日期, 检测地点, 统一社会信用代码, 样品名称, 检测项目).

    The engine keys a row by one column's value, and a quick test has no single column that names it; so
    the 检测日期 column's parser starts a key for its row and the parsers of the other four columns add
    their parts to it (the engine parses a row's cells in the ledger's column order, the date first, and
    reads the key only once the whole row is parsed)."""

    __slots__ = ("day", "place", "uscc", "product", "item")
    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, day=None, place="", uscc="", product="", item=""):
        self.day, self.place, self.uscc, self.product, self.item = day, place, uscc, product, item

    @classmethod
    def of(cls, test: QuickTest) -> TestKey:
        return cls(test.tested_on, test.place, test.business_uscc, test.product, test.item)

    def parts(self) -> tuple:
        return (self.day, self.place, self.uscc, self.product, self.item)

    def __eq__(self, other):
        return isinstance(other, TestKey) and self.parts() == other.parts()

    def __hash__(self):
        return hash(self.parts())

    def __str__(self):
        return " ".join(str(p) for p in self.parts() if p)

    def __repr__(self):
        return f"TestKey({self})"


def parse_test_day(value, ctx) -> TestKey | None:
    key = ctx.data["key"] = TestKey()  # a fresh key, even when the date is bad: the row's parts go there
    key.day = parse_date(value, ctx)
    return key if key.day is not None else None


def format_test_day(value, ctx) -> str:
    return format_date(value.day if isinstance(value, TestKey) else value)


def _part(attr: str, parse=text):
    def parse_part(value, ctx):
        part = parse(value, ctx)
        setattr(ctx.data["key"], attr, part)
        return part

    return parse_part


class _QuickTestsOnFile:
    """Stands in for the model where the engine looks up the rows on file by their key: the quick tests
    with the keys of the batch, found in one query by their days, products and items."""

    _meta = QuickTest._meta

    class objects:  # noqa: N801 - the manager's name on a model
        @staticmethod
        def in_bulk(keys=None, *, field_name="pk"):
            wanted = set(keys or ())
            if not wanted:
                return {}
            q = Q(tested_on__in={k.day for k in wanted}, product__in={k.product for k in wanted},
                  item__in={k.item for k in wanted})
            found = {}
            for test in QuickTest.objects.filter(q).order_by("pk"):
                key = TestKey.of(test)
                if key in wanted and key not in found:
                    test.key = str(key)  # as clean_row writes the row's key: text, for the import batch's record
                    found[key] = test
            return found


class QuickTestLedger(Ledger):
    """快检台账: import by the natural key (a re-imported row updates its quick test's result, never doubles
    it) and export with the same columns. One instance per run for the notes."""

    name = "quicktests"
    label = "快检记录"
    model = _QuickTestsOnFile
    key = "key"
    import_title = "导入快检台账"
    home_label = "快检记录"
    import_intro = ("上传快检台账（Excel .xlsx 或 CSV），先预览校验结果，确认后才写入；任何一行有错则整个文件不写入。"
                    "检测日期、检测地点、统一社会信用代码、样品名称和检测项目都相同的为同一次快检，再次导入不会重复。")
    columns = (
        Column("检测日期", "key", required=True, parse=parse_test_day, format=format_test_day),
        Column("检测地点", "place", required=True, parse=_part("place")),
        Column("统一社会信用代码", "business_uscc", parse=_part("uscc", parse_uscc)),
        Column("样品名称", "product", required=True, parse=_part("product")),
        Column("检测项目", "item", required=True, parse=_part("item")),
        Column("检测结果", "result", required=True, parse=parse_result, format=format_result),
    )

    def __init__(self):
        super().__init__()
        self.stats: dict = {}

    @property
    def home_url(self) -> str:  # where the done page of an import leads
        return url_if_routed("sampling:quicktests")

    @property
    def export_url(self) -> str:
        return url_if_routed("sampling:quicktest_export")

    def for_run(self, *, ip: str | None = None, **options) -> QuickTestLedger:
        return QuickTestLedger()

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP and not actor.is_superuser:
            raise PermissionDenied("局领导账号只读，不能导入快检记录")

    def import_instructions(self, actor) -> list[str]:
        lines = [
            "检测日期、检测地点、统一社会信用代码、样品名称、检测项目相同的为同一次快检：再次导入只更新检测结果，不会重复计数。",
            "检测地点填市场或经营单位名称；受检单位已登记的填统一社会信用代码（须校验通过，自动关联并确定所属街道），摊位等不填。",
            "检测项目如 农药残留、兽药残留、非法添加、二氧化硫、甲醛；检测结果填 阴性 或 阳性。",
            "日期可写 2026-05-01、2026/5/1 或 2026年5月1日，不能晚于今天。",
        ]
        if actor is not None and actor.role == Role.STATION and not actor.is_superuser:
            lines.append("您只能导入本所辖区内已登记单位的快检记录（须填写统一社会信用代码）；其他由食品等业务科室导入。")
        return lines

    def will_write(self, result) -> str:
        return f"确认后将新增 {result.created} 条、更新 {result.updated} 条快检记录。"

    def notes(self, *, dry_run: bool = False) -> list[str]:
        s = self.stats
        if not s or not s["rows"]:
            return []
        lines = [f"文件中的快检 {s['rows']} 次：阳性 {s['positive']} 次"]
        if s["unlinked"]:
            lines.append(f"有 {s['unlinked']} 次的统一社会信用代码未在市场主体中登记（未关联，按原文保留）")
        return lines

    def display(self, attr: str, value, ctx: Context):
        if attr == "key":
            return str(value)
        if attr in ("place", "business_uscc", "product", "item", "result"):
            return super().display(attr, value, ctx)
        return "" if value is None else str(value)

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        ctx.data.update(
            key=TestKey(),
            scope=(set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
                   if scoped else None),
            today=timezone.localdate(),
            pending_usccs=set(),
            businesses={},  # uscc -> (pk, subdistrict_id)
        )
        self.stats = ctx.data["stats"] = {"rows": 0, "positive": 0, "unlinked": 0}

    def _load(self, ctx: Context) -> None:
        data = ctx.data
        usccs, data["pending_usccs"] = sorted(data["pending_usccs"] - data["businesses"].keys()), set()
        for i in range(0, len(usccs), CHUNK):
            found = Business.objects.filter(uscc__in=usccs[i : i + CHUNK]).values_list("uscc", "pk", "subdistrict_id")
            data["businesses"].update({uscc: (pk, sub) for uscc, pk, sub in found})

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"]:
            self._load(ctx)
        key = values["key"]
        uscc = values.get("business_uscc", "")
        business_id, subdistrict_id = data["businesses"].get(uscc, (None, None)) if uscc else (None, None)
        problems = []
        if key.day > data["today"]:
            problems.append(("检测日期", f"检测日期 {key.day} 晚于今天，只能导入已经做过的快检"))
        scope = data["scope"]
        if scope is not None and subdistrict_id not in scope:
            why = ("须填写本所辖区内已登记单位的统一社会信用代码；不属于任何街道的快检由食品等业务科室导入"
                   if subdistrict_id is None else "该单位不在您的辖区范围内")
            problems.append(("统一社会信用代码", why))
        result = values["result"]
        if existing is not None and existing.sample_id and result != existing.result:
            problems.append(("检测结果", "该快检阳性结果已登记跟进抽样，检测结果不能再改"))
        if problems:
            return problems
        # The key as text from here on: the import batch records it (JSON), and the quick test on file has it so.
        values.update(key=str(key), tested_on=key.day, business_id=business_id, subdistrict_id=subdistrict_id)
        if existing is None:
            values.setdefault("business_uscc", "")
        stats = data["stats"]
        stats["rows"] += 1
        stats["positive"] += result == QuickTestResult.POSITIVE
        stats["unlinked"] += bool(uscc) and business_id is None
        return []

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        creates = [{attr: v for attr, v in values.items() if attr != "key"} for values in creates]
        quicktests_import(actor=ctx.actor, creates=creates, updates=updates)

    def export_queryset(self, ctx: Context):
        qs = QuickTest.objects.all()
        if ctx.actor is not None and not ctx.actor.is_superuser:
            qs = qs.filter(scope_q(actor=ctx.actor))
        return qs.order_by("tested_on", "pk")

    def export_rows(self, ctx: Context):
        fields = ("tested_on", "place", "business_uscc", "product", "item", "result")
        for r in self.export_queryset(ctx).values_list(*fields, named=True).iterator(chunk_size=CHUNK):
            yield [format_date(r.tested_on), r.place, r.business_uscc, r.product, r.item, format_result(r.result, ctx)]

