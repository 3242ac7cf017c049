"""The import of historical cases (CaseImportLedger): see the package's docstring."""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import Column, Context, Ledger, format_date, parse_date
from jianguan.core.masking import mask_name
from jianguan.core.models import DocumentNumberFormat, DocumentSequence, ProvisionalDeadline, Rule
from jianguan.core.rules import rule_value
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User

from ..choices import CaseStatus, NoPenaltyReason, PenaltyKind, Procedure, RespondentKind
from ..deadlines import decision_period
from ..models import Case, CaseCategory, CaseStep
from .columns import (
    AMOUNT_ATTRS,
    APP,
    CHUNK,
    CLOCK_RULES,
    NEW_DEFAULTS,
    NUMBERED,
    RULE_KEYS,
    SIMPLE_KINDS,
    STATUS_LABELS,
    format_amount,
    format_category,
    format_days,
    format_kinds,
    format_procedure,
    format_reason,
    format_source,
    number_pattern,
    parse_amount,
    parse_category,
    parse_certificates,
    parse_days,
    parse_decision_number,
    parse_kinds,
    parse_procedure,
    parse_reason,
    parse_source,
    parse_uscc,
)

# The fields whose change re-registers a case's provisional decision deadline.
CLOCK_FIELDS = {"filed_on", "suspended_days", "decision_due", "decision_due_provisional", "status"}


# ---- the ledger --------------------------------------------------------------------------------------


class CaseImportLedger(Ledger):
    """The import of historical cases. One instance per run (`CASE_LEDGER.for_run()`): it keeps what the
    run did for notes()."""

    name = "cases"
    label = "行政处罚案件"
    model = Case
    key = "number"
    import_title = "导入行政处罚案件台账"
    home_url = "cases:list"
    home_label = "行政处罚案件"
    import_intro = "上传历史行政处罚案件台账（Excel .xlsx 或 CSV），先预览校验结果，确认后才写入；任何一行有错则整个文件不写入。"
    columns = (
        Column("案件编号", "number", required=True),
        Column("立案日期", "filed_on", required=True, parse=parse_date, format=format_date),
        Column("案件类别", "category_id", required=True, parse=parse_category, format=format_category),
        Column("案由", "cause", required=True),
        Column("当事人名称", "respondent_name", required=True),
        Column("当事人统一社会信用代码", "respondent_uscc", parse=parse_uscc, max_length=30),
        Column("程序类型", "procedure", parse=parse_procedure, format=format_procedure),
        Column("案件来源", "source", parse=parse_source, format=format_source),
        Column("承办人员执法证号", "officer_cert_nos", parse=parse_certificates),
        Column("中止天数", "suspended_days", parse=parse_days, format=format_days, default=0),
        Column("处罚决定书文号", "decision_number", parse=parse_decision_number),
        Column("决定日期", "decided_on", parse=parse_date, format=format_date),
        Column("处罚种类", "penalty_kinds", parse=parse_kinds, format=format_kinds),
        Column("罚款金额", "fine_amount", parse=parse_amount, format=format_amount, default=Decimal("0.00")),
        Column("没收违法所得金额", "confiscated_income", parse=parse_amount, format=format_amount, default=Decimal("0.00")),
        Column("没收物品货值", "confiscated_value", parse=parse_amount, format=format_amount, default=Decimal("0.00")),
        Column("不予处罚理由", "exempt_reason", parse=parse_reason, format=format_reason),
        Column("结案日期", "closed_on", parse=parse_date, format=format_date),
    )

    def __init__(self):
        super().__init__()
        self.header_of = {c.attr: c.header for c in self.columns}
        self.stats: dict = {}

    # ---- what the pages and the command say --------------------------------------------------------

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP and not actor.is_superuser:
            raise PermissionDenied("局领导账号只读，不能导入行政处罚案件")

    def import_instructions(self, actor) -> list[str]:
        lines = [
            "按案件编号新增或更新：已导入的历史案件会被更新，没有变化的行不受影响；在本系统中立案办理的案件不能通过导入修改。",
            "案件类别填 食品、药品、特种设备 等（本局案件类别表中的名称）；程序类型填 一般程序 或 简易程序（空为一般程序）；"
            "案件来源填 投诉举报、监督检查、抽检、移送、上级交办 或 其他（空为其他）。",
            "当事人为单位的填统一社会信用代码（须校验通过，已登记的市场主体自动关联并确定所属街道和监管所）；自然人不填。",
            "承办人员执法证号不少于2个，以、分隔；中止天数为整数，空为0；金额单位为元，最多两位小数。",
            "已作出决定的填决定日期、处罚决定书文号，以及处罚种类（多个以、分隔，如 警告、罚款）或不予处罚理由（二者只填其一）。",
            "日期可写 2026-05-01、2026/5/1 或 2026年5月1日，不能晚于今天；办案期限按立案日期起90日加中止天数计算，遇节假日顺延。",
        ]
        if actor is not None and actor.role == Role.STATION and not actor.is_superuser:
            lines.append("您只能导入当事人在本所辖区内的案件（当事人须为已登记的市场主体）。")
        return lines

    def will_write(self, result) -> str:
        return f"确认后将新增 {result.created} 件、更新 {result.updated} 件行政处罚案件。"

    def notes(self, *, dry_run: bool = False) -> list[str]:
        s = self.stats
        if not s or not s["rows"]:
            return []
        statuses = "、".join(f"{STATUS_LABELS[k]} {n} 件" for k, n in s["status"].items() if n)
        lines = [f"文件中的历史案件 {s['rows']} 件：{statuses}"]
        if s["provisional"]:
            lines.append(f"其中 {s['provisional']} 件尚未决定的案件，办案期限落在尚未公布节假日安排的年度，为暂定期限，"
                         "公布后由“jianguan calendar refresh”重算")
        if s["unlinked_certs"]:
            lines.append(f"有 {len(s['unlinked_certs'])} 个执法证号不是本系统用户的执法证号（未关联承办人员），已按原文保留")
        return lines

    def display(self, attr: str, value, ctx: Context):
        if attr in self.header_of:
            return super().display(attr, value, ctx)
        return "" if value is None else str(value)  # what the row derives (状态, 办案期限 …)

    # ---- reference data ----------------------------------------------------------------------------

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        categories = list(CaseCategory.objects.values_list("pk", "code", "name", "disabled_on"))
        ids = {code: pk for pk, code, _, _ in categories} | {name: pk for pk, _, name, _ in categories}
        rule_versions: dict[str, list[dt.date]] = {}
        for key, valid_from in Rule.objects.filter(key__in=RULE_KEYS).order_by("valid_from").values_list("key", "valid_from"):
            rule_versions.setdefault(key, []).append(valid_from)
        users = User.objects.exclude(cert_no__isnull=True).exclude(cert_no="").values_list("cert_no", "pk")
        ctx.data.update(
            category_ids=ids,
            category_names={pk: name for pk, _, name, _ in categories},
            category_names_text="、".join(name for _, _, name, disabled in categories if disabled is None),
            category_disabled={pk: disabled for pk, _, _, disabled in categories if disabled is not None},
            users_by_cert={cert.strip().upper(): pk for cert, pk in users},
            scope=(set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
                   if scoped else None),
            today=timezone.localdate(),
            # Imported cases carried on here (an import writes no step): a file no longer changes them.
            worked_on=set(CaseStep.objects.filter(case__imported=True).values_list("case_id", flat=True).distinct()),
            calendar=WorkingCalendar(),  # one snapshot for the whole file
            rule_versions=rule_versions,
            periods={},  # versions of CLOCK_RULES -> calendar days of the decision clock without suspension
            rules={},  # (key, version) -> value
            pending_usccs=set(),
            pending_decisions=set(),
            businesses={},  # uscc -> (pk, subdistrict_id)
            decision_numbers={},  # 处罚决定书文号 -> 案件编号, this file's and those on file
            officers={},  # 案件编号 -> user pks
            clock_days={},  # 案件编号 -> calendar days of its decision clock
        )
        self.stats = ctx.data["stats"] = {"rows": 0, "status": dict.fromkeys(CaseStatus.values, 0), "provisional": 0,
                                          "unlinked_certs": set()}

    def _load(self, ctx: Context) -> None:
        """The batch's businesses and decision numbers on file, read by its first clean_row(): the whole
        batch is parsed by then."""
        data = ctx.data
        usccs, data["pending_usccs"] = sorted(data["pending_usccs"] - data["businesses"].keys()), set()
        if usccs:
            found = Business.objects.filter(uscc__in=usccs).values_list("uscc", "pk", "subdistrict_id")
            data["businesses"].update({uscc: (pk, sub) for uscc, pk, sub in found})
        known = data["decision_numbers"]
        numbers, data["pending_decisions"] = sorted(data["pending_decisions"] - known.keys()), set()
        if numbers:
            for decision_number, number in Case.objects.filter(decision_number__in=numbers).values_list(
                    "decision_number", "number").order_by("pk"):
                known.setdefault(decision_number, number)
            for decision_number in numbers:
                known.setdefault(decision_number, None)

    @staticmethod
    def _version(ctx: Context, key: str, on: dt.date) -> dt.date:
        """The first day of the version of rule `key` in force on `on`: a rule's value only changes there,
        so each version is read once per file, whatever the number of dates. A date before the first
        version is looked up as it is (rule_value then says which rule is missing)."""
        versions = ctx.data["rule_versions"].get(key, ())
        i = bisect.bisect_right(versions, on)
        return versions[i - 1] if i else on

    def _rule(self, ctx: Context, key: str, on: dt.date):
        version = self._version(ctx, key, on)
        cache = ctx.data["rules"]
        if (key, version) not in cache:
            cache[key, version] = rule_value(key, on=version)
        return cache[key, version]

    def _clock(self, ctx: Context, filed_on: dt.date, suspended: int):
        """The decision deadline as set_decision_due computes it (decision_period from the rules in force
        on the filing day, then forward off rest days), with one calendar snapshot for the whole file.
        The suspended days add to the period one for one (rules.decision_period_days)."""
        versions = tuple(self._version(ctx, key, filed_on) for key in CLOCK_RULES)
        periods = ctx.data["periods"]
        if versions not in periods:
            periods[versions] = decision_period(filed_on)
        days = periods[versions] + suspended
        return ctx.data["calendar"].add_calendar_days(filed_on, days), days

    # ---- one row -----------------------------------------------------------------------------------

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"] or data["pending_decisions"]:
            self._load(ctx)
        number = values["number"]
        if existing is not None:
            self._keep_masked_name(values, existing)
            if set(values.get("penalty_kinds", ())) == set(existing.penalty_kinds or ()):
                values["penalty_kinds"] = existing.penalty_kinds  # the same kinds in another order
            if not existing.imported or existing.pk in data["worked_on"]:
                return self._clean_live(values, existing)
        else:
            for attr, default in NEW_DEFAULTS.items():
                values.setdefault(attr, default)

        def get(attr):
            return values[attr] if attr in values else getattr(existing, attr)

        problems: list[tuple[str, str]] = []
        today = data["today"]
        filed_on, decided_on, closed_on = get("filed_on"), get("decided_on"), get("closed_on")
        for attr, day in (("filed_on", filed_on), ("decided_on", decided_on), ("closed_on", closed_on)):
            if day is not None and day > today:
                problems.append((self.header_of[attr], f"{self.header_of[attr]} {day} 晚于今天，只能导入已经发生的办案环节"))
        disabled = data["category_disabled"].get(get("category_id"))
        if disabled is not None and disabled <= filed_on:
            name = data["category_names"][get("category_id")]
            problems.append(("案件类别", f"案件类别“{name}”自 {disabled} 起停用，立案日期 {filed_on} 不能再用"))
        name = get("respondent_name")
        if existing is None and len(name) > 1 and set(name[1:]) == {"*"}:
            problems.append(("当事人名称", f"“{name}”是遮蔽后的姓名，新案件须填写当事人的完整名称"))

        # 当事人: a registered business gives its subdistrict (and station); no code is a natural person.
        uscc = get("respondent_uscc")
        business_id, subdistrict_id = data["businesses"].get(uscc, (None, None)) if uscc else (None, None)
        kind = RespondentKind.ORGANISATION if uscc else RespondentKind.PERSON
        scope = data["scope"]
        if scope is not None:
            if existing is not None and existing.subdistrict_id not in scope:
                problems.append(("案件编号", f"案件 {number} 不在您的辖区范围内，您无权修改"))
            elif subdistrict_id not in scope:
                problems.append(("当事人统一社会信用代码", "当事人须为本所辖区内已登记的市场主体；其他案件由稽查等业务科室导入"))

        try:
            problems += self._check_officers(ctx, get("officer_cert_nos"), filed_on)
            problems += self._check_decision(ctx, values, existing, get, kind)
            due, days = self._clock(ctx, filed_on, get("suspended_days"))
        except DomainError as exc:  # a rule not in force on the case's dates
            return [*problems, ("立案日期", exc.message)]
        if decided_on is not None and decided_on < filed_on:
            problems.append(("决定日期", f"决定日期 {decided_on} 早于立案日期 {filed_on}"))
        if closed_on is not None:
            if closed_on < filed_on:
                problems.append(("结案日期", f"结案日期 {closed_on} 早于立案日期 {filed_on}"))
            elif decided_on is not None and closed_on < decided_on:
                problems.append(("结案日期", f"结案日期 {closed_on} 早于决定日期 {decided_on}"))
        if problems:
            return problems

        status = CaseStatus.CLOSED if closed_on else CaseStatus.DECIDED if decided_on else CaseStatus.FILED
        exempt_reason = get("exempt_reason")
        values.update(
            status=status, exempt=bool(exempt_reason), decision_due=due.date, decision_due_provisional=due.provisional,
            respondent_kind=kind, business_id=business_id, subdistrict_id=subdistrict_id, imported=True,
        )
        certs = [c for c in get("officer_cert_nos").split("、") if c]
        data["officers"][number] = [data["users_by_cert"][c] for c in certs if c in data["users_by_cert"]]
        data["clock_days"][number] = days
        stats = data["stats"]
        stats["rows"] += 1
        stats["status"][status] += 1
        stats["provisional"] += due.provisional and status == CaseStatus.FILED
        stats["unlinked_certs"].update(c for c in certs if c not in data["users_by_cert"])
        return []

    @staticmethod
    def _keep_masked_name(values: dict, existing: Case) -> None:
        """A person's name as a masked export shows it (张*) stands for the name on file."""
        name = values.get("respondent_name")
        if name and name != existing.respondent_name and existing.respondent_kind == RespondentKind.PERSON \
                and name == mask_name(existing.respondent_name):
            values["respondent_name"] = existing.respondent_name

    def _clean_live(self, values: dict, existing: Case) -> list[tuple[str, str]]:
        """A case handled in jianguan (filed here, or imported and carried on here: it has steps on its
        timeline): the file may repeat it (an export re-imported), never change it."""
        if values.get("officer_cert_nos", "").upper() == (existing.officer_cert_nos or "").upper():
            values["officer_cert_nos"] = existing.officer_cert_nos
        changed = [self.header_of[attr] for attr, value in values.items() if getattr(existing, attr) != value]
        if not changed:
            return []
        how = "导入后已在本系统中继续办理" if existing.imported else "是在本系统中立案办理的案件"
        return [("案件编号", f"案件 {existing.number} {how}，不能通过台账导入修改"
                            f"（{'、'.join(changed)}与系统中的记录不一致）")]

    def _check_officers(self, ctx: Context, certs: str, filed_on: dt.date) -> list[tuple[str, str]]:
        minimum = int(self._rule(ctx, "cases.min_officers", filed_on))
        count = len([c for c in certs.split("、") if c])
        if count < minimum:
            return [("承办人员执法证号", f"须填写不少于{minimum}名承办人员的执法证号（以、分隔），实为{count}名")]
        return []

    def _check_decision(self, ctx: Context, values: dict, existing, get, kind: str) -> list[tuple[str, str]]:
        """决定: penalties or 不予处罚 (one of them, only with a decision date), amounts that match the
        penalties, a decision number not used by another case, and the limits of 简易程序."""
        problems = []
        decided_on, kinds, reason = get("decided_on"), set(get("penalty_kinds")), get("exempt_reason")
        decision_number = get("decision_number")
        amounts = {attr: get(attr) for attr in AMOUNT_ATTRS}
        if decided_on is None:
            if kinds:
                problems.append(("处罚种类", "未填写决定日期，不能填写处罚种类"))
            if reason:
                problems.append(("不予处罚理由", "未填写决定日期，不能填写不予处罚理由"))
            if decision_number:
                problems.append(("处罚决定书文号", "未填写决定日期，不能填写处罚决定书文号"))
            problems += [(AMOUNT_ATTRS[a], f"未填写决定日期，不能填写{AMOUNT_ATTRS[a]}") for a, v in amounts.items() if v]
        else:
            if not kinds and not reason:
                problems.append(("处罚种类", "填写了决定日期，须填写处罚种类，或不予处罚的填写不予处罚理由"))
            if not decision_number:
                problems.append(("处罚决定书文号", "填写了决定日期，须填写处罚决定书文号"))
        if reason:
            label = NoPenaltyReason(reason).label
            if kinds:
                problems.append(("不予处罚理由", f"不予处罚（{label}）的案件不能同时填写处罚种类"))
            problems += [(AMOUNT_ATTRS[a], f"不予处罚（{label}）的案件不能有{AMOUNT_ATTRS[a]}") for a, v in amounts.items() if v]
        elif decided_on is not None:
            problems += self._check_amounts(kinds, amounts)
        if get("procedure") == Procedure.SIMPLE:
            problems += self._check_simple(ctx, decided_on, kinds, reason, amounts["fine_amount"], kind)
        if decision_number:
            holder = self._decision_holder(ctx, decision_number, values["number"])
            if holder is not None:
                problems.append(("处罚决定书文号", f"处罚决定书文号 {decision_number} 已用于案件 {holder}"))
        return problems

    @staticmethod
    def _check_amounts(kinds: set, amounts: dict) -> list[tuple[str, str]]:
        problems = []
        for kind, attr in ((PenaltyKind.FINE, "fine_amount"), (PenaltyKind.CONFISCATE_INCOME, "confiscated_income")):
            if kind in kinds and not amounts[attr]:
                problems.append((AMOUNT_ATTRS[attr], f"处罚种类含“{kind.label}”，须填写{AMOUNT_ATTRS[attr]}"))
            elif amounts[attr] and kind not in kinds:
                problems.append(("处罚种类", f"填写了{AMOUNT_ATTRS[attr]}，处罚种类须含“{kind.label}”"))
        if amounts["confiscated_value"] and PenaltyKind.CONFISCATE_PROPERTY not in kinds:
            problems.append(("处罚种类", f"填写了没收物品货值，处罚种类须含“{PenaltyKind.CONFISCATE_PROPERTY.label}”"))
        return problems

    def _check_simple(self, ctx, decided_on, kinds, reason, fine, kind) -> list[tuple[str, str]]:
        if reason:
            return [("程序类型", "简易程序只用于当场给予警告或罚款；不予处罚的案件应为一般程序")]
        if decided_on is None:
            return [("程序类型", "简易程序案件当场作出决定，须填写决定日期和处罚种类")]
        other = [PenaltyKind(k).label for k in kinds if k not in SIMPLE_KINDS]
        if other:
            return [("处罚种类", f"简易程序只能给予警告或罚款，不能给予{'、'.join(other)}，应为一般程序")]
        person = kind == RespondentKind.PERSON
        limit = self._rule(ctx, "cases.simple_fine_person" if person else "cases.simple_fine_organisation", decided_on)
        if fine > limit:
            who = "自然人" if person else "单位"
            return [("罚款金额", f"简易程序对{who}罚款不得超过{limit}元（实为{fine}元），应为一般程序")]
        return []

    @staticmethod
    def _decision_holder(ctx: Context, decision_number: str, number: str) -> str | None:
        """The other case already holding this decision number (in the file or on file), if any."""
        known = ctx.data["decision_numbers"]
        holder = known.get(decision_number)
        if holder is None or holder == number:
            known[decision_number] = number
            return None
        return holder

    # ---- writing -----------------------------------------------------------------------------------

    def new_instance(self, values: dict, ctx: Context) -> Case:
        actor = ctx.actor if getattr(ctx.actor, "pk", None) else None
        return Case(**values, created_by=actor)

    def touch(self, instance: Case, ctx: Context) -> list[str]:
        instance.version += 1
        return ["version"]

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        created = Case.objects.bulk_create([self.new_instance(v, ctx) for v in creates], batch_size=self.write_batch_size)
        super().write([], updates, ctx)
        updated = [(case, set(changed)) for case, changed in updates]
        relinked = [case for case, changed in updated if "officer_cert_nos" in changed]
        reclocked = [case for case, changed in updated if changed & CLOCK_FIELDS]
        self._link_officers(created, relinked, ctx)
        self._register_provisional(created + reclocked, ctx)
        self._advance_numbering([*created, *(case for case, _ in updated)])

    def _link_officers(self, created: list[Case], relinked: list[Case], ctx: Context) -> None:
        through = Case.officers.through
        if relinked:
            through.objects.filter(case_id__in=[c.pk for c in relinked]).delete()
        cases = created + relinked
        officers = ctx.data["officers"]
        through.objects.bulk_create(
            [through(case_id=case.pk, user_id=user) for case in cases for user in officers.get(case.number, ())],
            batch_size=self.write_batch_size,
        )

    def _register_provisional(self, cases: list[Case], ctx: Context) -> None:
        """As set_decision_due does for each case: drop the unresolved registration, register again when
        the new deadline is provisional (re-registering a resolved one makes it unresolved again) — and,
        as the decision service does, not for a case already decided or closed: its clock has stopped."""
        if not cases:
            return
        refs = [f"case:{case.pk}" for case in cases]
        for i in range(0, len(refs), CHUNK):
            ProvisionalDeadline.objects.filter(app_label=APP, object_ref__in=refs[i : i + CHUNK], field_name="decision_due",
                                               resolved_at__isnull=True).delete()
        days = ctx.data["clock_days"]
        rows = [
            ProvisionalDeadline(app_label=APP, object_ref=f"case:{case.pk}", field_name="decision_due", start=case.filed_on,
                                calendar_days=days[case.number], due=case.decision_due)
            for case in cases if case.decision_due_provisional and case.status == CaseStatus.FILED
        ]
        ProvisionalDeadline.objects.bulk_create(
            rows, batch_size=self.write_batch_size, update_conflicts=True,
            unique_fields=["app_label", "object_ref", "field_name"],
            update_fields=["start", "working_days", "calendar_days", "due", "resolved_at"],
        )

    def _advance_numbering(self, cases: list[Case]) -> None:
        """An imported 案件编号 or 文号 in the system's own format moves that series on past it, so the next
        number jianguan issues is never one a historical case already holds."""
        formats = dict(DocumentNumberFormat.objects.filter(kind__in=[k for kinds in NUMBERED.values() for k in kinds])
                       .values_list("kind", "pattern"))
        highest: dict[tuple[str, int], int] = {}
        for attr, kinds in NUMBERED.items():
            patterns = [(kind, number_pattern(formats[kind])) for kind in kinds if kind in formats]
            for case in cases:
                value = getattr(case, attr)
                for kind, pattern in patterns if value else ():
                    if match := pattern.match(value):
                        key = (kind, int(match["year"]) if "year" in pattern.groupindex else case.filed_on.year)
                        highest[key] = max(highest.get(key, 0), int(match["n"]))
        for (kind, year), n in highest.items():
            sequence, _ = DocumentSequence.objects.select_for_update().get_or_create(kind=kind, year=year)
            if sequence.last < n:
                sequence.last = n
                sequence.save(update_fields=["last"])

    def export_rows(self, ctx: Context):
        raise DomainError("import_only", "导出请用 jianguan export cases 文件")

