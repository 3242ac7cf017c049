"""The 投诉举报 (12315) ledgers for the import/export engine (jianguan.core.importing).

- `complaints` (COMPLAINT_LEDGER): exported as 投诉举报台账, one row per item: the twelve headers of
  the national 12315 platform's export, then where the item stands (处理状态 … 办结时间). Scoped to
  the actor (selectors.in_scope), optionally filtered; the complainant's name and phone are masked
  unless a permitted user asks for them, and then each record shown is logged as a Disclosure.
- Importing under the same name reads the national platform's export (NationalImportLedger, which
  the import command gets from `COMPLAINT_LEDGER.for_run()`). Every new row is registered through
  complaint_receive(channel=NATIONAL), so routing, classification, clocks and duplicate flags are
  those of every other channel, and whatever that service refuses is the row's error, in its column.

The natural key is 登记编号. A number already on file is skipped and counted as 未变 (the
foundation's re-import gives 新增 0、更新 0): the platform's exports overlap from one week to the next,
and the record here has been handled since, so the file never overwrites it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import CellError, Column, Context, Ledger, choice, format_date, register, text
from jianguan.org.choices import Role

from .choices import Channel, Kind, Status
from .models import Complaint, Disclosure
from .privacy import PERMISSION, mask_name, mask_phone
from .selectors import in_scope, matching
from .services.intake import complaint_receive

IMPORT_HEADERS = (
    "登记编号",
    "登记时间",
    "类型",
    "被投诉举报对象名称",
    "被投诉举报对象统一社会信用代码",
    "对象地址",
    "所属街道",
    "诉求内容",
    "涉及金额",
    "投诉举报人姓名",
    "联系电话",
    "来源渠道",
)
EXPORT_HEADERS = IMPORT_HEADERS + (
    "处理状态",
    "承办单位",
    "受理期限",
    "调解期限",
    "立案决定期限",
    "期限性质",
    "办结时间",
)
EXPORT_PURPOSE = "导出"
PROVISIONAL, FINAL = "暂定", "正式"
CHUNK = 5000


# ---- import ------------------------------------------------------------------------------------


class _Blank:
    """An empty cell of a column the file must have. The engine reads `required` as "present and
    filled in"; the platform's export always has all twelve columns but leaves many cells empty (an
    inquiry names no respondent, an anonymous report leaves no phone). So every column is required,
    and a file missing one is refused as a whole, while an empty cell of these columns parses to
    BLANK, which the engine does not take for empty; clean_row() turns it back into ""."""

    __slots__ = ()

    def __repr__(self):
        return "BLANK"


BLANK = _Blank()


def may_be_empty(value, ctx):
    return text(value, ctx) or BLANK


_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]\s*(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d+)?)?)?$"
)


def parse_received_at(value, ctx) -> dt.datetime | None:
    """A real Excel date(time) cell, or 2026-09-30 10:15:00 / 2026/9/30 10:15 / 2026年9月30日 10:15;
    a date alone is that day's 00:00. Local time (the platform exports Beijing time)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        raw = str(value).strip()
        if not raw:
            return None
        match = _DATETIME.match(raw)
        if not match:
            raise CellError(f"登记时间“{raw}”无法识别，应为 2026-09-30 10:15:00、2026/9/30 10:15 或 2026年9月30日 10:15 的形式")
        try:
            moment = dt.datetime(*(int(part) if part else 0 for part in match.groups()))
        except ValueError:
            raise CellError(f"登记时间“{raw}”无法识别：不是有效的日期和时间") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def format_received_at(value, ctx=None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


parse_kind, format_kind = choice(Kind, noun="类型")


class NationalImportLedger(Ledger):
    """The national 12315 platform's export. One instance per run: it keeps what the run registered."""

    name = "complaints"
    label = "全国12315平台导出"
    model = Complaint
    key = "number"
    import_title = "导入全国12315平台数据"
    import_intro = "上传从全国12315平台导出的 Excel（.xlsx）或 CSV（UTF-8 或 GBK）文件，先预览校验结果，确认后才登记。"
    home_url = "complaints:queue"
    home_label = "投诉举报待办"
    export_url = "complaints:ledger_export"
    count_labels = (("created", "新登记"), ("unchanged", "已有（跳过）"))
    # The attrs are complaint_receive()'s keywords, so a refusal's extra["field"] names the column.
    columns = (
        Column("登记编号", "number", required=True),
        Column("登记时间", "received_at", required=True, parse=parse_received_at, format=format_received_at),
        Column("类型", "kind", required=True, parse=parse_kind, format=format_kind),
        Column("被投诉举报对象名称", "respondent_name", required=True, parse=may_be_empty),
        # complaint_receive() takes up to 30 characters and normalizes them (spaces, case) to 18.
        Column("被投诉举报对象统一社会信用代码", "respondent_uscc", required=True, parse=may_be_empty, max_length=30),
        Column("对象地址", "respondent_address", required=True, parse=may_be_empty),
        Column("所属街道", "subdistrict_text", required=True, parse=may_be_empty),
        Column("诉求内容", "content", required=True),
        Column("涉及金额", "amount", required=True, parse=may_be_empty),
        Column("投诉举报人姓名", "complainant_name", required=True, parse=may_be_empty),
        Column("联系电话", "complainant_phone", required=True, parse=may_be_empty),
        Column("来源渠道", "channel_text", required=True, parse=may_be_empty),
    )

    def __init__(self, *, ip: str | None = None):
        super().__init__()
        self.ip = ip
        self.header_of = {c.attr: c.header for c in self.columns}
        self.stats: dict = {}

    def notes(self, *, dry_run: bool = False) -> list[str]:
        """What the last run registered: by kind, how many wait in triage, suspected duplicates, skipped."""
        s = self.stats
        if not s:
            return []
        lines = []
        registered = sum(s["kinds"].values())
        if registered:
            kinds = "、".join(f"{Kind(kind).label} {n} 件" for kind, n in s["kinds"].items() if n)
            lines.append(f"{'将登记' if dry_run else '已登记'} {registered} 件（{kinds}）")
        if s["triage"]:
            lines.append(f"其中 {s['triage']} 件未能匹配到登记主体或街道，进入待分派队列")
        if s["duplicates"]:
            lines.append(f"其中 {s['duplicates']} 件与已登记的件疑似重复（同一人、同一对象、相同内容），已标注")
        if s["skipped"]:
            lines.append(f"{s['skipped']} 行的登记编号已登记，{'将' if dry_run else '已'}跳过（不覆盖系统中的记录）")
        return lines

    # ---- hooks -----------------------------------------------------------------------------

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP:
            raise PermissionDenied("局领导账号只读，不能导入投诉举报")

    def import_instructions(self, actor) -> list[str]:
        lines = [
            "每一行按“全国12315平台导入”渠道登记，与热线、网上登记的件一样自动分派承办单位、分类、计算期限、标注疑似重复。",
            "以登记编号识别：系统中已有的登记编号整行跳过（计入“未变”），不会覆盖已在办理的记录；同一文件中登记编号不能重复。",
            "类型填 投诉、举报 或 咨询；登记时间可写 2026-09-30 10:15:00、2026/9/30 10:15 或 2026年9月30日 10:15，不能晚于当前时间。",
            "统一社会信用代码可以为空，填写时须校验通过；联系电话须为有效的手机或固定电话；诉求内容不能为空。",
        ]
        if actor is not None and actor.role == Role.STATION:
            lines.append("您只能导入按街道分派给本所承办的件。")
        return lines

    def will_write(self, result) -> str:
        return f"确认后将登记 {result.created} 件。"

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        # As in every ledger: a station's staff import only what their station handles.
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        ctx.data["station"] = actor.org_unit_id if scoped else None
        self.stats = ctx.data["stats"] = {
            "kinds": dict.fromkeys(Kind.values, 0), "triage": 0, "duplicates": 0, "skipped": 0,
        }

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        stats = ctx.data["stats"]
        number = values["number"]
        if existing is not None:
            # Nothing of the row is compared or written: the engine counts it as 未变.
            values.clear()
            values["number"] = number
            stats["skipped"] += 1
            return []
        fields = {attr: ("" if value is BLANK else value) for attr, value in values.items()}
        # Registered here, row by row, in a savepoint of the engine's one transaction: later rows see
        # earlier ones (duplicate flags), and the dry run refuses exactly what the real run would.
        # A file with any bad row, and every dry run, is rolled back as a whole by the engine.
        try:
            with transaction.atomic():
                complaint = complaint_receive(actor=ctx.actor, channel=Channel.NATIONAL, ip=self.ip, **fields)
                self._check_scope(complaint, ctx)
        except DomainError as exc:
            return [self._problem(exc)]
        stats["kinds"][complaint.kind] += 1
        stats["triage"] += complaint.status == Status.TRIAGE
        stats["duplicates"] += complaint.duplicate_of_id is not None
        return []

    def _check_scope(self, complaint: Complaint, ctx: Context) -> None:
        station = ctx.data["station"]
        if station is None:
            return
        routed = complaint.station
        if routed is None:
            raise DomainError(
                "out_of_scope", "未能匹配到登记主体或街道，该件将进入局待分派队列；监管所只能导入本所承办的件",
                {"field": "subdistrict_text"},
            )
        if routed.pk != station:
            raise DomainError(
                "out_of_scope", f"该件按街道应由{routed.name}承办，不在您的辖区范围内", {"field": "subdistrict_text"}
            )

    def _problem(self, exc: DomainError) -> tuple[str, str]:
        """The service's refusal as (header, reason): its field named as the file's column."""
        field = exc.extra.get("field") or next(iter(exc.extra.get("fields") or {}), "")
        header = self.header_of.get(field, "")
        reason = exc.message
        if header and reason.startswith(f"{header}："):
            reason = reason[len(header) + 1 :]
        return header, reason

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        """Nothing left to write: clean_row() registered each new row through the service."""

    def export_rows(self, ctx: Context):
        raise DomainError("import_only", "全国12315平台导出表只用于导入；导出请用“投诉举报台账”（jianguan export complaints 文件）")


# ---- export ------------------------------------------------------------------------------------


def _label(choices, value) -> str:
    return dict(choices.choices).get(value, value or "")


class ComplaintLedger(Ledger):
    """`jianguan export complaints FILE [--user U]` and the export page. `for_export()` gives an
    instance with the page's filters and, for a permitted user, the unmasked personal data."""

    name = "complaints"
    label = "投诉举报台账"
    model = Complaint
    key = "number"
    columns = tuple(
        Column(header, attr)
        for header, attr in zip(
            EXPORT_HEADERS,
            (
                "number", "received_at", "kind", "respondent_name", "respondent_uscc", "respondent_address",
                "subdistrict", "content", "amount", "complainant_name", "complainant_phone", "channel_text",
                "status", "station", "accept_due", "mediation_due", "filing_due", "deadline_nature", "closed_on",
            ),
            strict=True,
        )
    )

    def __init__(self, *, filters: dict | None = None, unmasked: bool = False, ip: str | None = None):
        super().__init__()
        self.filters = dict(filters or {})
        self.unmasked = unmasked
        self.ip = ip

    def for_run(self, *, ip: str | None = None, **options) -> NationalImportLedger:
        """The ledger an import under this name reads: the national platform's export."""
        return NationalImportLedger(ip=ip)

    def for_export(self, *, filters: dict | None = None, unmasked: bool = False, ip: str | None = None) -> ComplaintLedger:
        """filters: those of the list page (全部记录) under its names: number, respondent, received_from,
        received_to (登记日期, inclusive), kind, category, status; applied by selectors.matching, as there."""
        return ComplaintLedger(filters=filters, unmasked=unmasked, ip=ip)

    def check_import(self, actor) -> None:
        raise DomainError(
            "export_only", "投诉举报台账只能导出；导入请使用全国12315平台的导出文件（jianguan import complaints 文件）"
        )

    def prepare(self, ctx: Context) -> None:
        if self.unmasked and not (ctx.actor is not None and ctx.actor.has_perm(PERMISSION)):
            raise PermissionDenied("您没有查看投诉举报人个人信息的权限，只能导出遮蔽后的台账")

    def export_queryset(self, ctx: Context):
        qs = in_scope(ctx.actor) if ctx.actor is not None else Complaint.objects.all()
        return matching(qs, self.filters).order_by("received_at", "number")

    def export_rows(self, ctx: Context):
        fields = (
            "pk", "number", "received_at", "kind", "respondent_name", "respondent_uscc", "respondent_address",
            "subdistrict__name", "subdistrict_text", "content", "amount", "complainant_name", "complainant_phone",
            "channel", "channel_text", "status", "subdistrict__station__name", "accept_due", "accept_due_provisional",
            "mediation_due", "mediation_due_provisional", "filing_due", "filing_due_provisional", "closed_on",
        )
        rows = self.export_queryset(ctx).values_list(*fields, named=True).iterator(chunk_size=CHUNK)
        disclosed: list[Disclosure] = []
        for r in rows:
            name, phone = r.complainant_name, r.complainant_phone
            if not self.unmasked:
                name, phone = mask_name(name), mask_phone(phone)
            elif name or phone:  # as privacy.personal_info(): only what actually shows a person is logged
                disclosed.append(Disclosure(complaint_id=r.pk, user=ctx.actor, purpose=EXPORT_PURPOSE, ip=self.ip))
                if len(disclosed) >= CHUNK:
                    Disclosure.objects.bulk_create(disclosed)
                    disclosed = []
            # The clocks of the kind: acceptance and mediation for a complaint, the filing decision for a report.
            none = (None, False)
            is_complaint = r.kind == Kind.COMPLAINT
            accept = (r.accept_due, r.accept_due_provisional) if is_complaint else none
            mediation = (r.mediation_due, r.mediation_due_provisional) if is_complaint else none
            filing = (r.filing_due, r.filing_due_provisional) if r.kind == Kind.REPORT else none
            shown = [provisional for due, provisional in (accept, mediation, filing) if due]
            nature = (PROVISIONAL if any(shown) else FINAL) if shown else ""
            yield [
                r.number,
                format_received_at(r.received_at),
                _label(Kind, r.kind),
                r.respondent_name,
                r.respondent_uscc,
                r.respondent_address,
                r.subdistrict__name or r.subdistrict_text,
                r.content,
                "" if r.amount is None else str(r.amount),
                name,
                phone,
                r.channel_text or _label(Channel, r.channel),
                _label(Status, r.status),
                r.subdistrict__station__name or "",
                format_date(accept[0]),
                format_date(mediation[0]),
                format_date(filing[0]),
                nature,
                format_date(r.closed_on),
            ]
        if disclosed:
            Disclosure.objects.bulk_create(disclosed)


COMPLAINT_LEDGER = ComplaintLedger()

register(COMPLAINT_LEDGER)
