"""行政处罚案件台账: a ledger nobody has seen before, imported through `jianguan import cases`, against an
independent reckoning of the same file (ledger_script.py: openpyxl and chinesecalendar, no jianguan):
the export's decision deadlines and the work summary's figures. Then what a person meets with a file:
the row errors and the errors workbook, upserts by 案件编号, export → import unchanged, the web import."""

import datetime as dt
import io
import json
import random
from decimal import ROUND_HALF_UP, Decimal

import chinese_calendar
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from jianguan.businesses.rules import with_check_digit
from jianguan.cases.choices import (
    CaseStatus,
    NoPenaltyReason,
    PenaltyKind,
    Procedure,
    RespondentKind,
    StepKind,
)
from jianguan.cases.models import Case, CaseCategory
from jianguan.cases.resources import CASE_LEDGER, EXPORT_HEADERS, IMPORT_HEADERS
from jianguan.cases.services.filing import add_step, case_file, set_decision_due
from jianguan.core.importing import REASON_HEADER, errors_path, run_export, run_import
from jianguan.core.models import ImportBatch, ProvisionalDeadline
from jianguan.core.numbering import next_document_number
from jianguan.org.choices import Role

from .. import sheets
from ..factories import BusinessFactory, UserFactory
from . import ledger_script

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)  # the generated ledger ends here; every date in it is in the past
SEED = 20261207
PERIODS = {  # as `--period`, and as the script's [start, end]
    "2025": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    "2026H1": (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    "2026Q3": (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    "2026-10": (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    "2026": (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
}
REASONS = NoPenaltyReason.labels


def _calendar_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 4))
    except NotImplementedError:
        return False
    return True


# 2027's holidays are not published as this is written: its deadlines are provisional (暂定) until the
# calendar package (or an administrator) knows the year.
GUESSING_2027 = not _calendar_knows(2027)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(org):
    """Registered businesses in each subdistrict and the bureau's certified officers."""
    businesses = [BusinessFactory(subdistrict=sub, name=f"{sub.name[:2]}商贸有限公司{i}")
                  for i, sub in enumerate(list(org.subs.values()) * 5)]
    officers = [UserFactory(username=f"officer{i}", role=Role.DEPARTMENT, org_unit=org.dept, cert_no=f"37010219{i:03d}",
                            cert_valid_until=dt.date(2030, 12, 31)) for i in range(8)]
    return businesses, officers


# ---------------------------------------------------------------- a ledger nobody has seen


def _cell_date(rng: random.Random, day: dt.date | None):
    """Dates as people type them: real date cells, 2026/5/1, 2026年5月1日 or 2026-05-01."""
    if day is None:
        return ""
    form = rng.randrange(4)
    return (day, f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day.isoformat())[form]


def _money(rng: random.Random, amount: Decimal):
    if not amount:
        return ""
    form = rng.randrange(3)
    return (f"{amount:.2f}", f"{amount:,.2f}", f"{amount}元")[form]


def _filing_day(rng: random.Random) -> dt.date:
    """Mostly any day of 2025–2026, with crowds whose 90 days end around the 2026 National Day, around
    the 2026 year end and in 2027 (a year the calendar does not know yet: 暂定)."""
    bands = [
        (0.45, dt.date(2025, 1, 1), dt.date(2026, 11, 30)),
        (0.20, dt.date(2026, 6, 25), dt.date(2026, 7, 12)),  # + 90 days: 2026-09-23 … 2026-10-10
        (0.20, dt.date(2026, 9, 22), dt.date(2026, 10, 12)),  # + 90 days: 2026-12-21 … 2027-01-10
        (0.15, dt.date(2025, 9, 25), dt.date(2025, 10, 10)),  # + 90 days: around the 2025 year end
    ]
    pick, total = rng.random(), 0.0
    for share, first, last in bands:
        total += share
        if pick <= total:
            return first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return bands[0][2]


def generate_ledger(rng: random.Random, businesses, officers, categories, n: int = 400) -> list[list]:
    certs = [u.cert_no for u in officers] + ["37019999001", "37019999002"]  # two who are not users here
    rows, decision_seq, exempt_turn = [], 0, 0
    for i in range(1, n + 1):
        filed = _filing_day(rng)
        who = rng.random()
        if who < 0.35:
            shop = rng.choice(businesses)
            name, uscc, person = shop.name, shop.uscc, False
        elif who < 0.55:
            name, uscc, person = f"外省{i}号贸易有限公司", with_check_digit(f"9144030{i:010d}"), False
        else:
            name, uscc, person = rng.choice(SURNAMES) + rng.choice(["某", "小明", "建国", "丽"]), "", True
        suspended = rng.choice([0] * 6 + [rng.randint(1, 60)] * 3 + [rng.randint(61, 120)])
        simple = rng.random() < 0.15
        decided = closed = None
        kinds: list[str] = []
        fine = income = value = Decimal(0)
        reason = ""
        if simple:
            decided = filed
            kinds = rng.choice([["警告"], ["罚款"], ["警告", "罚款"]])
            if "罚款" in kinds:
                fine = Decimal(rng.randint(100, 20000)) / 100 if person else Decimal(rng.randint(50, 3000))
            suspended = 0
        elif rng.random() < 0.7:
            decided = filed + dt.timedelta(days=rng.randint(5, 90 + suspended))
            if decided > TODAY:
                decided = None
            elif rng.random() < 0.25:
                reason = REASONS[exempt_turn % len(REASONS)]  # every reason, in turn
                exempt_turn += 1
            else:
                kinds = rng.sample(["警告", "罚款", "没收违法所得", "没收非法财物", "责令停产停业", "通报批评"], rng.randint(1, 3))
                if "罚款" in kinds:
                    fine = Decimal(rng.randint(50000, 50000000)) / 100
                if "没收违法所得" in kinds:
                    income = Decimal(rng.randint(100, 2000000)) / 100
                if "没收非法财物" in kinds and rng.random() < 0.8:
                    value = Decimal(rng.randint(100, 500000)) / 100
        if decided is not None and rng.random() < 0.6:
            closed = decided + dt.timedelta(days=rng.randint(0, 60))
            closed = None if closed > TODAY else closed
        elif decided is None and rng.random() < 0.03:
            closed = filed + dt.timedelta(days=rng.randint(10, 40))  # 销案: closed without a decision
            closed = None if closed > TODAY else closed
        decision_number = ""
        if decided is not None:
            decision_seq += 1
            decision_number = f"济历市监{'不罚' if reason else '罚'}〔{decided.year}〕{decision_seq}号"
        team = rng.sample(certs, rng.randint(2, 3))
        rows.append([
            f"济历市监案〔{filed.year}〕{i:04d}号", _cell_date(rng, filed), rng.choice(categories),
            f"涉嫌违法行为第{i}号（{rng.choice(['销售过期食品', '虚假宣传', '未按规定检验', '无照经营', '价格欺诈'])}）",
            name, uscc, "简易程序" if simple else rng.choice(["一般程序", "一般程序", ""]),
            rng.choice(["投诉举报", "监督检查", "抽检", "移送", "上级交办", "其他", ""]), "、".join(team),
            "" if suspended == 0 and rng.random() < 0.5 else suspended, decision_number, _cell_date(rng, decided),
            "、".join(kinds), _money(rng, fine), _money(rng, income), _money(rng, value), reason, _cell_date(rng, closed),
        ])
    return rows


def _export(tmp_path, name="导出.xlsx", user=None) -> list[dict]:
    out = tmp_path / name
    call_command("export", "cases", str(out), *(["--user", user] if user else []), stdout=io.StringIO())
    return ledger_script.read_rows(out)


def _figures(period: str) -> dict:
    out = io.StringIO()
    call_command("figures", "cases.*", "--period", period, stdout=out)
    return json.loads(out.getvalue())["indicators"]


def _work_summary(period: str) -> dict:
    out = io.StringIO()
    call_command("report", "work_summary", "--period", period, "--format", "json", "--no-snapshot", stdout=out)
    return json.loads(out.getvalue())


def _wan(amount: Decimal) -> str:
    """元 as the summary writes them: 万元 with two decimals, rounded half up (四舍五入)."""
    return str((amount / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


SCRIPT_KEYS = ("cases.filed", "cases.penalty_amount", "cases.confiscated_value", "cases.exempt", "cases.simple",
               "cases.decided", "cases.closed")


def _as_number(value):
    return float(value) if isinstance(value, Decimal) else value


def test_a_ledger_never_seen_gives_the_scripts_deadlines_and_figures(world, tmp_path):
    businesses, officers = world
    categories = list(CaseCategory.objects.values_list("name", flat=True))
    rows = generate_ledger(random.Random(SEED), businesses, officers, categories)
    path = sheets.write_xlsx(tmp_path / "历史案件台账.xlsx", rows, IMPORT_HEADERS)
    script_rows = ledger_script.read_rows(path)
    # The ledger has what it must exercise.
    assert {r["案件类别"] for r in script_rows} == set(categories)
    assert {r["不予处罚理由"] for r in script_rows} >= set(REASONS)
    assert sum(1 for r in script_rows if r["程序类型"] == "简易程序" and r["罚款金额"]) >= 10
    assert sum(1 for r in script_rows if not r["当事人统一社会信用代码"]) >= 100
    assert sum(1 for r in script_rows if (r["中止天数"] or "0") != "0") >= 50

    out = io.StringIO()
    call_command("import", "cases", str(path), stdout=out)
    assert "新增 400" in out.getvalue(), out.getvalue()

    # (a) the export's decision deadlines are the official calendar's.
    expected = ledger_script.deadlines(script_rows)
    exported = _export(tmp_path)
    assert len(exported) == 400
    assert {r["案件编号"]: (r["办案期限"], r["期限性质"]) for r in exported} == expected
    natures = [nature for _, nature in expected.values()]
    assert natures.count("正式") >= 300
    assert natures.count("暂定") >= 20 or not GUESSING_2027
    national_day = [due for due, _ in expected.values() if "2026-10-01" <= due <= "2026-10-09"]
    year_end = [due for due, _ in expected.values() if "2026-12-28" <= due <= "2027-01-05"]
    assert national_day and year_end
    assert "2026-10-01" not in {due for due, _ in expected.values()}  # the holiday itself is never a deadline

    # (b) the figures of the work summary and of 取数 are the script's.
    for period, (start, end) in PERIODS.items():
        want = ledger_script.figures(script_rows, start, end)
        got = _figures(period)
        report = _work_summary(period)
        summary = report["indicators"]
        for key in SCRIPT_KEYS:
            assert got[key] == _as_number(want[key]), (period, key)
            assert summary[key] == _as_number(want[key]), (period, key)
        for prefix in ("cases.filed[", "cases.exempt["):
            parts = {k: v for k, v in got.items() if k.startswith(prefix)}
            assert parts == {k: want.get(k, 0) for k in parts}, (period, prefix)
            assert {k for k, v in want.items() if k.startswith(prefix)} <= parts.keys()
            assert {k: summary[k] for k in parts} == parts, (period, prefix)
        # … and the sentences of its 执法办案 section say them.
        text = report["text"]
        assert f"立案查处各类案件{want['cases.filed']}件" in text, period
        assert f"结案{want['cases.closed']}件，罚没款{_wan(want['cases.penalty_amount'])}万元" in text, period
        assert f"没收物品货值{_wan(want['cases.confiscated_value'])}万元" in text, period
        assert f"依法不予行政处罚{want['cases.exempt']}件" in text, period


# ---------------------------------------------------------------- one row at a time


def row(**cells) -> list:
    """One ledger row; keywords are the headers."""
    base = {
        "案件编号": "济历市监案〔2026〕0001号", "立案日期": "2026-03-02", "案件类别": "食品", "案由": "销售超过保质期的食品",
        "当事人名称": "张某", "当事人统一社会信用代码": "", "程序类型": "一般程序", "案件来源": "投诉举报",
        "承办人员执法证号": "37010219000、37010219001", "中止天数": "", "处罚决定书文号": "", "决定日期": "",
        "处罚种类": "", "罚款金额": "", "没收违法所得金额": "", "没收物品货值": "", "不予处罚理由": "", "结案日期": "",
    }
    unknown = set(cells) - set(base)
    assert not unknown, unknown
    base.update(cells)
    return [base[h] for h in IMPORT_HEADERS]


DECIDED = {"处罚决定书文号": "济历市监罚〔2026〕7号", "决定日期": "2026-05-08", "处罚种类": "警告、罚款", "罚款金额": "5000"}


def write(tmp_path, rows, name="台账.xlsx", headers=IMPORT_HEADERS):
    return sheets.write_xlsx(tmp_path / name, rows, headers)


def importing(path, actor=None, **kw):
    return run_import(CASE_LEDGER.for_run(), path, actor=actor, **kw)


def test_an_imported_case_is_derived_from_its_row(world, org, tmp_path):
    businesses, officers = world
    shop = businesses[0]
    rows = [
        row(),
        row(案件编号="B-2", 当事人名称=shop.name, 当事人统一社会信用代码=shop.uscc.lower(), 中止天数="12", **DECIDED,
            结案日期="2026-06-01", 承办人员执法证号="37010219002，37019999001"),
        row(案件编号="B-3", 当事人名称="外地某公司", 当事人统一社会信用代码=with_check_digit("91440300000000001"),
            处罚决定书文号="济历市监不罚〔2026〕1号", 决定日期="2026-04-01", 不予处罚理由="初次违法且危害后果轻微并及时改正"),
        row(案件编号="B-4", 立案日期="2026-10-20", 程序类型="", 案件来源=""),
        # Decided: its clock has stopped, so its provisional deadline is not registered for a refresh.
        row(案件编号="B-5", 立案日期="2026-10-20", 处罚决定书文号="济历市监罚〔2026〕9号", 决定日期="2026-11-20",
            处罚种类="警告"),
    ]
    result = importing(write(tmp_path, rows), actor=org.users.dept)
    assert result.accepted, [str(e) for e in result.errors]
    filed, decided, exempt, late = (Case.objects.get(number=n) for n in ("济历市监案〔2026〕0001号", "B-2", "B-3", "B-4"))
    assert all(c.imported and c.created_by == org.users.dept for c in (filed, decided, exempt, late))

    assert (filed.status, filed.respondent_kind, filed.business, filed.subdistrict) == (CaseStatus.FILED, RespondentKind.PERSON, None, None)
    assert filed.category.name == "食品" and filed.source == "complaint" and filed.suspended_days == 0
    assert set(filed.officers.all()) == set(officers[:2]) and filed.officer_cert_nos == "37010219000、37010219001"
    assert (filed.decision_due, filed.decision_due_provisional) == (dt.date(2026, 6, 1), False)  # 05-31 is a Sunday

    assert (decided.status, decided.business, decided.subdistrict) == (CaseStatus.CLOSED, shop, shop.subdistrict)
    assert decided.respondent_uscc == shop.uscc and decided.respondent_kind == RespondentKind.ORGANISATION
    assert decided.penalty_kinds == [PenaltyKind.WARNING, PenaltyKind.FINE] and decided.fine_amount == Decimal("5000.00")
    assert decided.penalty_amount == Decimal("5000.00") and not decided.exempt
    assert list(decided.officers.all()) == [officers[2]]  # the other number is kept, not linked
    assert decided.officer_cert_nos == "37010219002、37019999001"
    assert decided.decision_due == dt.date(2026, 6, 12)  # 90 + 12 days

    assert (exempt.status, exempt.exempt, exempt.exempt_reason) == (CaseStatus.DECIDED, True, NoPenaltyReason.FIRST_MINOR)
    assert exempt.business is None and exempt.respondent_kind == RespondentKind.ORGANISATION

    assert (late.procedure, late.source) == (Procedure.GENERAL, "other")
    assert (late.decision_due, late.decision_due_provisional) == (dt.date(2027, 1, 18), GUESSING_2027)
    # Registered for `jianguan calendar refresh`, exactly as the filing service registers its own.
    registered = [(r.object_ref, r.field_name, r.start, r.calendar_days, r.due)
                  for r in ProvisionalDeadline.objects.filter(app_label="cases")]
    assert registered == ([(f"case:{late.pk}", "decision_due", late.filed_on, 90, late.decision_due)] if GUESSING_2027 else [])
    # The filing service's own clock gives the same dates.
    for case in (filed, decided, exempt, late):
        due = (case.decision_due, case.decision_due_provisional)
        set_decision_due(case)
        assert (case.decision_due, case.decision_due_provisional) == due
    assert ImportBatch.objects.get().ledger == "cases"


BAD_ROWS = [
    # (cells, header, words in the reason)
    ({"案件类别": "航天"}, "案件类别", "案件类别“航天”不存在"),
    ({"当事人统一社会信用代码": "91370102000000001X"}, "当事人统一社会信用代码", "校验位错误"),
    ({**DECIDED, "决定日期": "2026-03-01"}, "决定日期", "决定日期 2026-03-01 早于立案日期 2026-03-02"),
    ({**DECIDED, "不予处罚理由": "超过追责时效", "处罚种类": ""}, "罚款金额", "不予处罚（超过追责时效）的案件不能有罚款金额"),
    ({**DECIDED, "罚款金额": "-200"}, "罚款金额", "金额不能为负数"),
    ({**DECIDED, "处罚种类": ""}, "处罚种类", "须填写处罚种类，或不予处罚的填写不予处罚理由"),
    ({**DECIDED, "处罚种类": "警告、罚款、打板子"}, "处罚种类", "处罚种类“打板子”不在可选值内"),
    ({**DECIDED, "处罚种类": "警告、罚款", "不予处罚理由": "违法事实不成立", "罚款金额": ""}, "不予处罚理由", "不能同时填写处罚种类"),
    ({**DECIDED, "不予处罚理由": "情节特殊"}, "不予处罚理由", "不予处罚理由“情节特殊”不在可选值内"),
    ({"处罚种类": "警告"}, "处罚种类", "未填写决定日期，不能填写处罚种类"),
    ({**DECIDED, "处罚种类": "警告"}, "处罚种类", "填写了罚款金额，处罚种类须含“罚款”"),
    ({**DECIDED, "罚款金额": "12.345"}, "罚款金额", "最多保留两位小数"),
    ({**DECIDED, "程序类型": "简易程序"}, "罚款金额", "简易程序对自然人罚款不得超过200元"),
    ({**DECIDED, "程序类型": "速决程序"}, "程序类型", "程序类型“速决程序”不在可选值内"),
    ({"承办人员执法证号": "37010219000"}, "承办人员执法证号", "不少于2名"),
    ({"中止天数": "三天"}, "中止天数", "不是整数"),
    ({"立案日期": "2026-02-30"}, "立案日期", "2026年没有2月30日"),
    ({"立案日期": "2099-01-01"}, "立案日期", "晚于今天"),
    ({**DECIDED, "结案日期": "2026-05-01"}, "结案日期", "结案日期 2026-05-01 早于决定日期 2026-05-08"),
    ({**DECIDED, "处罚决定书文号": ""}, "处罚决定书文号", "须填写处罚决定书文号"),
    ({"案件来源": "群众来信"}, "案件来源", "案件来源“群众来信”不在可选值内"),
]


def test_a_dry_run_checks_and_writes_nothing(world, tmp_path):
    path = write(tmp_path, [row(), row(案件编号="B-2", 立案日期="2026-10-20")])
    out = io.StringIO()
    call_command("import", "cases", str(path), "--dry-run", stdout=out)
    assert "试导入（未写入）校验通过" in out.getvalue() and "新增 2" in out.getvalue()
    assert not Case.objects.exists() and not ProvisionalDeadline.objects.exists() and not ImportBatch.objects.exists()


def test_bad_rows_are_named_in_the_errors_workbook_and_nothing_is_written(world, tmp_path):
    rows = [row(案件编号="GOOD-1")]
    rows += [row(案件编号=f"BAD-{i}", **cells) for i, (cells, _, _) in enumerate(BAD_ROWS)]
    rows.append(row(案件编号="GOOD-1"))  # the same number twice
    path = write(tmp_path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入被拒绝"):
        call_command("import", "cases", str(path), stdout=io.StringIO(), stderr=err)
    assert not Case.objects.exists() and not ImportBatch.objects.exists()

    sheet = openpyxl.load_workbook(errors_path(path)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [*IMPORT_HEADERS, REASON_HEADER]
    assert values[1][-1] is None  # the good row
    for i, (_, header, words) in enumerate(BAD_ROWS):
        reason = values[i + 2][-1] or ""
        assert f"{header}：" in reason and words in reason, (i, reason)
        assert f"\n{i + 3}\t{header}\t" in err.getvalue()
    assert "与第 2 行重复" in values[-1][-1]


def test_a_station_imports_only_its_own_jurisdiction_and_leadership_nothing(world, org, tmp_path):
    businesses, _ = world
    east_shop = next(b for b in businesses if b.subdistrict.station == org.east)
    west_shop = next(b for b in businesses if b.subdistrict.station == org.west)
    rows = [row(案件编号="E-1", 当事人名称=east_shop.name, 当事人统一社会信用代码=east_shop.uscc),
            row(案件编号="W-1", 当事人名称=west_shop.name, 当事人统一社会信用代码=west_shop.uscc),
            row(案件编号="P-1")]
    result = importing(write(tmp_path, rows), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "当事人统一社会信用代码"), (4, "当事人统一社会信用代码")]
    assert importing(write(tmp_path, rows[:1]), actor=org.users.east).accepted
    with pytest.raises(Exception, match="局领导账号只读"):
        importing(write(tmp_path, rows[:1]), actor=org.users.leader)


def test_upsert_by_number_and_export_import_round_trip(world, org, tmp_path):
    businesses, _ = world
    rows = [row(), row(案件编号="B-2", 当事人名称=businesses[1].name, 当事人统一社会信用代码=businesses[1].uscc, **DECIDED),
            row(案件编号="B-3", 立案日期="2026-09-30")]
    assert importing(write(tmp_path, rows)).created == 3
    first = Case.objects.get(number="济历市监案〔2026〕0001号")

    # The same case decided since, and a suspension found in the files: updated, not duplicated.
    rows[0] = row(**DECIDED | {"处罚决定书文号": "济历市监罚〔2026〕8号"}, 中止天数="30", 结案日期="2026-06-10")
    result = importing(write(tmp_path, rows, name="第二次.xlsx"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2), [str(e) for e in result.errors]
    again = Case.objects.get(number=first.number)
    assert (again.pk, again.status, again.version) == (first.pk, CaseStatus.CLOSED, first.version + 1)
    assert (again.suspended_days, again.decision_due) == (30, dt.date(2026, 6, 30))
    changes = ImportBatch.objects.latest("pk").changes["updated"][0]
    assert changes["key"] == first.number and changes["after"]["status"] == CaseStatus.CLOSED

    # Export, re-import: nothing changes — and the file has the export's columns.
    for name in ("往返.xlsx", "往返.csv"):
        out = tmp_path / name
        assert run_export(CASE_LEDGER, out) == 3
        if out.suffix == ".xlsx":
            assert [c.value for c in next(openpyxl.load_workbook(out).active.iter_rows())] == list(EXPORT_HEADERS)
        result = importing(out)
        assert result.accepted, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_the_export_adds_where_the_case_stands(world, org, tmp_path):
    businesses, _ = world
    shop = next(b for b in businesses if b.subdistrict == org.subs["xiguan"])
    rows = [row(当事人名称=shop.name, 当事人统一社会信用代码=shop.uscc, **DECIDED), row(案件编号="P-1", 立案日期="2026-10-09")]
    assert importing(write(tmp_path, rows)).accepted
    by_number = {r["案件编号"]: r for r in _export(tmp_path)}
    decided, person = by_number["济历市监案〔2026〕0001号"], by_number["P-1"]
    assert (decided["状态"], decided["办案期限"], decided["期限性质"]) == ("已决定", "2026-06-01", "正式")
    assert (decided["所属街道"], decided["承办监管所"], decided["罚款金额"]) == ("西关街道", "西关市场监管所", "5000.00")
    nature = "暂定" if GUESSING_2027 else "正式"
    assert (person["状态"], person["办案期限"], person["期限性质"], person["所属街道"]) == ("已立案", "2027-01-07", nature, "")
    assert person["当事人名称"] == "张某"
    # A station sees the cases of its jurisdiction, a person's name masked.
    west = _export(tmp_path, "西关.xlsx", user="west")
    assert [r["案件编号"] for r in west] == ["济历市监案〔2026〕0001号"]
    assert _export(tmp_path, "东关.xlsx", user="east") == []


def test_a_masked_export_re_imported_keeps_the_names(world, org, tmp_path):
    assert importing(write(tmp_path, [row(当事人名称="欧阳娜娜")])).accepted
    out = tmp_path / "遮蔽.xlsx"
    run_export(CASE_LEDGER, out, actor=org.users.dept)
    assert ledger_script.read_rows(out)[0]["当事人名称"] == "欧***"
    result = importing(out)
    assert (result.unchanged, result.updated) == (1, 0)
    assert Case.objects.get().respondent_name == "欧阳娜娜"
    masked_new = write(tmp_path, [row(案件编号="N-1", 当事人名称="李*")], name="新.xlsx")
    assert "遮蔽后的姓名" in str(importing(masked_new).errors[0])


def test_a_case_handled_here_is_not_changed_by_a_file(world, org, tmp_path):
    businesses, officers = world
    category = CaseCategory.objects.get(name="价格")
    with transaction.atomic():
        live = case_file(actor=None, filed_on=dt.date(2026, 11, 2), category=category, cause="价格欺诈",
                         officers=officers[:2], approved_by="王局长", business=businesses[0])
    out = tmp_path / "现有.xlsx"
    run_export(CASE_LEDGER, out)
    assert importing(out).unchanged == 1
    exported = ledger_script.read_rows(out)[0]
    exported["案由"] = "改过的案由"
    result = importing(write(tmp_path, [[exported[h] for h in IMPORT_HEADERS]], name="改.xlsx"))
    assert "是在本系统中立案办理的案件，不能通过台账导入修改（案由与系统中的记录不一致）" in str(result.errors[0])
    assert Case.objects.get(pk=live.pk).cause == "价格欺诈"


def test_an_imported_case_carried_on_here_is_no_longer_changed_by_a_file(world, tmp_path):
    path = write(tmp_path, [row()])
    assert importing(path).accepted
    case = Case.objects.get()
    with transaction.atomic():
        add_step(case, kind=StepKind.INVESTIGATION, on=dt.date(2026, 3, 5), actor=None, old_status=CaseStatus.FILED,
                 new_status=CaseStatus.INVESTIGATING)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.INVESTIGATING)
    assert importing(path).unchanged == 1  # the same row: nothing to change
    result = importing(write(tmp_path, [row(**DECIDED)], name="补录.xlsx"))
    assert "导入后已在本系统中继续办理，不能通过台账导入修改" in str(result.errors[0])
    assert Case.objects.get().status == CaseStatus.INVESTIGATING


def test_imported_numbers_in_the_systems_format_move_its_numbering_on(world, tmp_path):
    rows = [row(案件编号="市监立〔2026〕15号"), row(案件编号="市监立〔2026〕3号", **DECIDED | {"处罚决定书文号": "市监处罚〔2026〕40号"})]
    assert importing(write(tmp_path, rows)).accepted
    with transaction.atomic():
        assert next_document_number("case", 2026) == "市监立〔2026〕16号"
        assert next_document_number("case", 2025) == "市监立〔2025〕1号"
        assert next_document_number("penalty_decision", 2026) == "市监处罚〔2026〕41号"


def test_the_web_import_page_takes_the_case_ledger(client, world, org):
    client.force_login(org.users.dept)
    assert reverse("imports:upload", args=["cases"]) in client.get(reverse("imports:list")).content.decode()
    page = client.get(reverse("imports:upload", args=["cases"])).content.decode()
    assert "导入行政处罚案件台账" in page and "承办人员执法证号" in page
    upload = sheets.xlsx_upload([row(), row(案件编号="B-2", **DECIDED)], IMPORT_HEADERS)
    response = client.post(reverse("imports:upload", args=["cases"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"]).content.decode()
    assert "确认导入" in preview and "确认后将新增 2 件" in preview and not Case.objects.exists()
    done = client.post(response["Location"])
    assert done.status_code == 200 and "导入完成" in done.content.decode()
    assert reverse("cases:list") in done.content.decode()  # on to the cases just written
    assert Case.objects.count() == 2 and Case.objects.get(number="B-2").status == CaseStatus.DECIDED
    client.force_login(org.users.leader)
    assert reverse("imports:upload", args=["cases"]) not in client.get(reverse("imports:list")).content.decode()
