"""抽检样品台账 and 快检台账: real .xlsx files written with openpyxl, imported through the engine and the
`jianguan import|export samples|quicktests` commands, and read back. What a person meets with a file: the
row errors and the errors workbook (nothing written), a known 抽样单编号 updated (the result and the disposal
arriving later), export → import unchanged, a sample handled here that a file may only complete, the
station's jurisdiction, the quick tests' natural key, the web import."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jianguan.businesses.rules import with_check_digit
from jianguan.core.importing import REASON_HEADER, errors_path, run_export, run_import
from jianguan.core.models import ImportBatch, ProvisionalDeadline
from jianguan.sampling.choices import Conclusion, DisposalStatus, QuickTestResult, SamplingType
from jianguan.sampling.models import FoodCategory, QuickTest, Sample, UnqualifiedItem
from jianguan.sampling.resources import (
    QUICKTEST_HEADERS,
    QUICKTEST_LEDGER,
    SAMPLE_EXPORT_HEADERS,
    SAMPLE_HEADERS,
    SAMPLE_LEDGER,
)
from jianguan.sampling.services import Item, sample_result
from jianguan.sampling.services.common import set_clocks

from .. import sheets
from ..factories import BusinessFactory
from .factories import QuickTestFactory, sampled

pytestmark = pytest.mark.django_db

# 2027's holidays are not published as this is written: a clock ending there is 暂定.
try:
    import chinese_calendar

    chinese_calendar.is_workday(dt.date(2027, 1, 4))
    GUESSING_2027 = False
except NotImplementedError:
    GUESSING_2027 = True


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shops(org):
    """A registered business in each subdistrict, by subdistrict key."""
    return {key: BusinessFactory(subdistrict=sub, name=f"{sub.name}某某超市") for key, sub in org.subs.items()}


def row(**cells) -> list:
    """One sample ledger row; keywords are the headers."""
    base = {
        "抽样单编号": "DC26370102000001", "抽样日期": "2026-09-01", "抽检类型": "监督抽检", "被抽样单位名称": "城东菜市场张记摊位",
        "被抽样单位统一社会信用代码": "", "所属街道": "东关街道", "业态": "农贸市场", "食品大类": "蔬菜制品", "样品名称": "腌制萝卜",
        "规格型号": "散装", "生产日期或批号": "2026-08-20", "标称生产者名称": "某某酱菜厂", "检验机构": "济南市食品药品检验检测中心",
        "报告日期": "", "检验结论": "", "不合格项目": "", "处置完成日期": "",
    }
    unknown = set(cells) - set(base)
    assert not unknown, unknown
    base.update(cells)
    return [base[h] for h in SAMPLE_HEADERS]


QUALIFIED = {"报告日期": "2026-09-18", "检验结论": "合格"}
UNQUALIFIED = {"报告日期": "2026-09-18", "检验结论": "不合格", "不合格项目": "苯甲酸及其钠盐、脱氢乙酸及其钠盐"}


def write(tmp_path, rows, name="抽检台账.xlsx", headers=SAMPLE_HEADERS):
    return sheets.write_xlsx(tmp_path / name, rows, headers)


def importing(path, actor=None, **kw):
    return run_import(SAMPLE_LEDGER.for_run(), path, actor=actor, **kw)


def read(path) -> list[dict]:
    """A workbook's rows as {header: text}, as a person reads them."""
    rows = openpyxl.load_workbook(path).active.iter_rows(values_only=True)
    headers = next(rows)
    return [{h: "" if v is None else str(v) for h, v in zip(headers, values, strict=True)} for values in rows]


def export(tmp_path, ledger="samples", name="导出.xlsx", user=None) -> list[dict]:
    out = tmp_path / name
    call_command("export", ledger, str(out), *(["--user", user] if user else []), stdout=io.StringIO())
    return read(out)


# ---------------------------------------------------------------- samples: one row at a time


def test_an_imported_sample_is_derived_from_its_row(org, shops, tmp_path):
    shop = shops["xiguan"]
    rows = [
        row(),  # a stall, not registered: kept by name in the subdistrict the row names; still at the institution
        row(抽样单编号="S-2", 被抽样单位名称=shop.name, 被抽样单位统一社会信用代码=shop.uscc.lower(), 所属街道="", 业态="超市",
            食品大类="食用农产品", 样品名称="韭菜", 生产日期或批号=dt.datetime(2026, 8, 30), **UNQUALIFIED, 处置完成日期="2026/11/2"),
        row(抽样单编号="S-3", 抽检类型="风险监测", 被抽样单位名称="外地某食品有限公司",
            被抽样单位统一社会信用代码=with_check_digit("91440300000000001"), 所属街道="", 报告日期="2026年9月20日",
            检验结论="问题样品", 不合格项目="铅（以Pb计）"),
        row(抽样单编号="S-4", 抽样日期="2026-10-09", 报告日期="2026-10-30", 检验结论="不合格", 不合格项目="2,4-滴"),
        row(抽样单编号="S-5", 抽样日期="2026-10-20", **{"报告日期": "2026-11-20", "检验结论": "合格"}),
    ]
    result = importing(write(tmp_path, rows), actor=org.users.dept)
    assert result.accepted, [str(e) for e in result.errors]
    assert result.created == 5
    stall, disposed, risk, late, qualified = (Sample.objects.get(number=n) for n in ("DC26370102000001", "S-2", "S-3", "S-4", "S-5"))
    assert all(s.imported and s.created_by == org.users.dept and s.version == 1 for s in (stall, disposed, risk, late))

    assert (stall.business, stall.business_name, stall.subdistrict) == (None, "城东菜市场张记摊位", org.subs["dongguan"])
    assert (stall.sampling_type, stall.conclusion, stall.report_on) == (SamplingType.SUPERVISION, Conclusion.PENDING, None)
    assert (stall.business_format.name, stall.food_category.name, stall.batch) == ("农贸市场", "蔬菜制品", "2026-08-20")
    assert (stall.disposal_status, stall.send_due, stall.disposal_due) == (DisposalStatus.AWAITING, dt.date(2026, 9, 8), None)

    # A registered code links the business; its subdistrict decides the station. A date cell is a date.
    assert (disposed.business, disposed.business_uscc, disposed.subdistrict) == (shop, shop.uscc, org.subs["xiguan"])
    assert disposed.batch == "2026-08-30" and disposed.food_category.name == "食用农产品"
    assert list(disposed.items.values_list("name", flat=True)) == ["苯甲酸及其钠盐", "脱氢乙酸及其钠盐"]
    assert (disposed.conclusion, disposed.disposed_on, disposed.disposal_status) == (
        Conclusion.UNQUALIFIED, dt.date(2026, 11, 2), DisposalStatus.DISPOSED)
    # The ledger's completion needs no lead or reason: the sample is disposed as the ledger says.
    assert (disposed.lead, disposed.no_case_reason, disposed.cause) == (None, "", "")
    # 5 working days from Friday 09-18: Sunday 09-20 is worked (调休), 09-25 is the Mid-Autumn holiday.
    assert disposed.service_due == dt.date(2026, 9, 24)
    assert disposed.disposal_due == dt.date(2026, 12, 17)  # 90 days

    assert (risk.sampling_type, risk.conclusion, risk.business, risk.subdistrict) == (SamplingType.RISK, Conclusion.PROBLEM, None, None)
    assert (risk.disposal_status, risk.disposal_due) == (DisposalStatus.NONE, None)
    assert list(risk.items.values_list("name", flat=True)) == ["铅（以Pb计）"]

    # Reported 10-30: 90 days end on 2027-01-28, in a year whose calendar may not be known (暂定).
    assert list(late.items.values_list("name", flat=True)) == ["2,4-滴"]  # a comma inside a name is kept
    assert late.disposal_due == dt.date(2027, 1, 28) and late.disposal_status == DisposalStatus.DISPOSING
    assert late.dues_provisional == GUESSING_2027
    registered = set(ProvisionalDeadline.objects.filter(app_label="sampling").values_list("object_ref", "field_name"))
    assert registered == ({(f"sample:{late.pk}", "disposal_due")} if GUESSING_2027 else set())
    assert qualified.disposal_status == DisposalStatus.NONE and qualified.service_due is None

    # The services' own clock computation gives the same dates.
    for sample in (stall, disposed, risk, late, qualified):
        clocks = [getattr(sample, f) for f in ("send_due", "service_due", "disposal_due", "dues_provisional", "disposal_status")]
        set_clocks(sample)
        assert [getattr(sample, f) for f in ("send_due", "service_due", "disposal_due", "dues_provisional", "disposal_status")] == clocks
    batch = ImportBatch.objects.get()
    assert (batch.ledger, batch.created_count, batch.actor) == ("samples", 5, org.users.dept)
    assert batch.changes["created"] == ["DC26370102000001", "S-2", "S-3", "S-4", "S-5"]


BAD_ROWS = [
    # (cells, header, words in the reason)
    ({"业态": "夜市"}, "业态", "业态“夜市”不存在，可选：生产、批发、超市"),
    ({"食品大类": "零食"}, "食品大类", "食品大类“零食”不存在"),
    ({"所属街道": "火星街道"}, "所属街道", "所属街道“火星街道”不存在"),
    ({"抽样日期": "2026-02-30"}, "抽样日期", "2026年没有2月30日"),
    ({"抽样日期": "9月1日"}, "抽样日期", "无法识别"),
    ({"抽样日期": "2099-01-01"}, "抽样日期", "晚于今天"),
    ({"被抽样单位统一社会信用代码": "91370102000000001X"}, "被抽样单位统一社会信用代码", "校验位错误"),
    ({"被抽样单位统一社会信用代码": "9137010200"}, "被抽样单位统一社会信用代码", "应为18位"),
    ({"抽检类型": "风险监测", **UNQUALIFIED}, "检验结论", "风险监测不作合格判定"),
    ({"抽检类型": "专项抽检"}, "抽检类型", "抽检类型“专项抽检”不在可选值内"),
    ({**QUALIFIED, "检验结论": "问题样品", "不合格项目": "铅"}, "检验结论", "“问题样品”只用于风险监测"),
    ({**UNQUALIFIED, "不合格项目": ""}, "不合格项目", "检验结论为不合格，须填写不合格项目"),
    ({**QUALIFIED, "不合格项目": "铅"}, "不合格项目", "合格的样品没有不合格项目"),
    ({**QUALIFIED, "处置完成日期": "2026-10-01"}, "处置完成日期", "检验结论为合格的样品无需核查处置"),
    ({"处置完成日期": "2026-10-01"}, "处置完成日期", "尚无检验结论"),
    ({**UNQUALIFIED, "处置完成日期": "2026-09-10"}, "处置完成日期", "处置完成日期 2026-09-10 早于报告日期 2026-09-18"),
    ({"检验结论": "合格"}, "报告日期", "检验结论为合格，须填写报告日期"),
    ({"报告日期": "2026-09-18"}, "检验结论", "填写了报告日期，须填写检验结论"),
    ({**QUALIFIED, "报告日期": "2026-08-18"}, "报告日期", "报告日期 2026-08-18 早于抽样日期 2026-09-01"),
    ({**QUALIFIED, "检验结论": "基本合格"}, "检验结论", "检验结论“基本合格”不在可选值内"),
    ({**UNQUALIFIED, "不合格项目": "铅、镉、铅"}, "不合格项目", "不合格项目“铅”重复填写"),
    ({"样品名称": ""}, "样品名称", "样品名称不能为空"),
    ({"抽样日期": "2018-05-02"}, "抽样日期", "规则“sampling.send_working_days”在抽样日期 2018-05-02 没有生效的取值"),
    ({"食品大类": "糕点"}, "食品大类", "食品大类“糕点”自 2026-06-01 起停用，抽样日期 2026-09-01 不能再用"),
]


def test_bad_rows_are_named_in_the_errors_workbook_and_nothing_is_written(org, tmp_path):
    FoodCategory.objects.filter(name="糕点").update(disabled_on=dt.date(2026, 6, 1))
    rows = [row(抽样单编号="GOOD-1")]
    rows += [row(抽样单编号=f"BAD-{i}", **cells) for i, (cells, _, _) in enumerate(BAD_ROWS)]
    rows.append(row(抽样单编号="GOOD-1"))  # the same number twice
    path = write(tmp_path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入被拒绝"):
        call_command("import", "samples", str(path), stdout=io.StringIO(), stderr=err)
    assert not Sample.objects.exists() and not UnqualifiedItem.objects.exists() and not ImportBatch.objects.exists()

    values = list(openpyxl.load_workbook(errors_path(path)).active.iter_rows(values_only=True))
    assert list(values[0]) == [*SAMPLE_HEADERS, REASON_HEADER]
    assert values[1][-1] is None  # the good row
    for i, (_, header, words) in enumerate(BAD_ROWS):
        reason = values[i + 2][-1] or ""
        assert f"{header}：" in reason and words in reason, (i, reason)
        assert f"\n{i + 3}\t{header}\t" in err.getvalue()
    assert "与第 2 行重复" in values[-1][-1]


def test_a_file_without_a_required_column_is_refused_whole(org, tmp_path):
    headers = [h for h in SAMPLE_HEADERS if h != "食品大类"]
    path = write(tmp_path, [[c for h, c in zip(SAMPLE_HEADERS, row(), strict=True) if h != "食品大类"]], headers=headers)
    result = importing(path)
    assert "缺少必填列：食品大类" in result.file_error and not Sample.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(org, tmp_path):
    path = write(tmp_path, [row(), row(抽样单编号="S-2", **UNQUALIFIED)])
    out = io.StringIO()
    call_command("import", "samples", str(path), "--dry-run", stdout=out)
    assert "试导入（未写入）校验通过" in out.getvalue() and "新增 2" in out.getvalue()
    assert "文件中的抽检样品 2 批次：待检验 1 批次、不合格 1 批次" in out.getvalue()
    assert not Sample.objects.exists() and not ImportBatch.objects.exists()


# ---------------------------------------------------------------- upsert and round trip


def test_a_known_number_is_updated_when_its_result_and_disposal_arrive(org, tmp_path):
    rows = [row(), row(抽样单编号="S-2"), row(抽样单编号="S-3")]
    assert importing(write(tmp_path, rows)).created == 3
    first = Sample.objects.get(number="DC26370102000001")
    assert (first.conclusion, first.disposal_status, first.disposal_due) == (Conclusion.PENDING, DisposalStatus.AWAITING, None)

    # The report arrives: one unqualified, one qualified.
    rows[0], rows[1] = row(**UNQUALIFIED), row(抽样单编号="S-2", **QUALIFIED)
    result = importing(write(tmp_path, rows, name="报告.xlsx"))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1), [str(e) for e in result.errors]
    again = Sample.objects.get(number=first.number)
    assert (again.pk, again.version, again.conclusion) == (first.pk, 2, Conclusion.UNQUALIFIED)
    assert (again.disposal_status, again.service_due, again.disposal_due) == (
        DisposalStatus.DISPOSING, dt.date(2026, 9, 24), dt.date(2026, 12, 17))
    assert list(again.items.values_list("name", flat=True)) == ["苯甲酸及其钠盐", "脱氢乙酸及其钠盐"]
    assert Sample.objects.get(number="S-2").disposal_status == DisposalStatus.NONE
    changes = ImportBatch.objects.latest("pk").changes["updated"]
    assert changes[0]["key"] == first.number
    assert changes[0]["before"]["conclusion"] == "待检验" and changes[0]["after"]["conclusion"] == "不合格"
    assert changes[0]["after"]["item_names"] == "苯甲酸及其钠盐、脱氢乙酸及其钠盐"

    # The disposal is completed, and an item found wrongly named is corrected.
    rows[0] = row(**UNQUALIFIED | {"不合格项目": "苯甲酸及其钠盐"}, 处置完成日期="2026-11-30")
    result = importing(write(tmp_path, rows, name="处置.xlsx"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    done = Sample.objects.get(number=first.number)
    assert (done.version, done.disposal_status, done.disposed_on) == (3, DisposalStatus.DISPOSED, dt.date(2026, 11, 30))
    assert list(done.items.values_list("name", flat=True)) == ["苯甲酸及其钠盐"]

    # The same file again: nothing changes.
    result = importing(write(tmp_path, rows, name="处置.xlsx"))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Sample.objects.count() == 3 and UnqualifiedItem.objects.count() == 1


def test_export_adds_where_the_sample_stands_and_round_trips(org, shops, tmp_path):
    shop = shops["xiguan"]
    rows = [
        row(**UNQUALIFIED),
        row(抽样单编号="S-2", 被抽样单位名称=shop.name, 被抽样单位统一社会信用代码=shop.uscc, 所属街道="", **QUALIFIED),
        row(抽样单编号="S-3", 抽样日期="2026-10-09", 报告日期="2026-10-30", 检验结论="不合格", 不合格项目="铅", 处置完成日期="2026-11-20"),
        row(抽样单编号="S-4", 抽检类型="风险监测", 报告日期="2026-09-20", 检验结论="问题样品", 不合格项目="铅、镉"),
        row(抽样单编号="S-5"),
    ]
    assert importing(write(tmp_path, rows)).accepted
    exported = export(tmp_path)
    by_number = {r["抽样单编号"]: r for r in exported}
    assert [r["抽样单编号"] for r in exported] == ["DC26370102000001", "S-2", "S-4", "S-5", "S-3"]  # by sampling date
    unq, ok, late, risk, pending = (by_number[n] for n in ("DC26370102000001", "S-2", "S-3", "S-4", "S-5"))
    assert [unq[h] for h in ("送达期限", "处置期限", "期限性质", "处置状态")] == ["2026-09-24", "2026-12-17", "正式", "核查处置中"]
    assert (unq["检验结论"], unq["不合格项目"], unq["所属街道"]) == ("不合格", "苯甲酸及其钠盐、脱氢乙酸及其钠盐", "东关街道")
    assert [ok[h] for h in ("所属街道", "送达期限", "处置期限", "期限性质", "处置状态")] == ["西关街道", "", "", "", "无需处置"]
    nature = "暂定" if GUESSING_2027 else "正式"
    assert [late[h] for h in ("处置期限", "期限性质", "处置状态")] == ["2027-01-28", nature, "已处置"]
    assert (risk["抽检类型"], risk["检验结论"], risk["不合格项目"], risk["处置状态"]) == ("风险监测", "问题样品", "铅、镉", "无需处置")
    assert (pending["检验结论"], pending["处置状态"]) == ("待检验", "待出具报告")

    for name in ("往返.xlsx", "往返.csv"):
        out = tmp_path / name
        assert run_export(SAMPLE_LEDGER, out) == 5
        if out.suffix == ".xlsx":
            assert [c.value for c in next(openpyxl.load_workbook(out).active.iter_rows())] == list(SAMPLE_EXPORT_HEADERS)
        result = importing(out)
        assert result.accepted, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    # A station exports its own jurisdiction.
    assert [r["抽样单编号"] for r in export(tmp_path, name="西关.xlsx", user="west")] == ["S-2"]


def test_a_result_overturned_by_retest_round_trips(org, shops, tmp_path):
    """复检合格: the sample is 合格 and the ledger lists no items, though its record keeps those of the first
    report; exporting and importing it back changes nothing."""
    from jianguan.sampling.choices import RetestOutcome
    from jianguan.sampling.services import sample_retest_request, sample_retest_result, sample_serve

    from .factories import unqualified

    sample = unqualified(org, sampled_on=dt.date(2026, 9, 1), report_on=dt.date(2026, 9, 28))
    sample = sample_serve(actor=None, sample=sample, served_on=dt.date(2026, 9, 29))
    sample = sample_retest_request(actor=None, sample=sample, requested_on=dt.date(2026, 10, 9))
    sample = sample_retest_result(actor=None, sample=sample, report_on=dt.date(2026, 10, 30), outcome=RetestOutcome.OVERTURNED)
    assert sample.items.exists()
    out = tmp_path / "往返.xlsx"
    assert run_export(SAMPLE_LEDGER, out) == 1
    assert [(r["检验结论"], r["不合格项目"], r["处置状态"]) for r in read(out)] == [("合格", "", "无需处置")]
    result = importing(out)
    assert result.accepted, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_sample_handled_here_may_only_be_completed_by_a_file(org, tmp_path):
    recorded = sampled(org, number="P-1", sample_name="腌制萝卜")  # on the pages, at a registered business
    out = tmp_path / "现有.xlsx"
    run_export(SAMPLE_LEDGER, out)
    assert importing(out).unchanged == 1
    exported = read(out)[0]

    # The result arrives by the ledger: accepted, the sample's clocks start.
    with_result = {**exported, **UNQUALIFIED}
    result = importing(write(tmp_path, [[with_result[h] for h in SAMPLE_HEADERS]], name="结果.xlsx"))
    assert result.updated == 1, [str(e) for e in result.errors]
    recorded.refresh_from_db()
    assert (recorded.conclusion, recorded.disposal_status, recorded.imported) == (Conclusion.UNQUALIFIED, DisposalStatus.DISPOSING, False)

    # Another result, or another sample name, is refused: the record is this system's.
    changed = {**with_result, "检验结论": "合格", "不合格项目": "", "样品名称": "腌制黄瓜"}
    result = importing(write(tmp_path, [[changed[h] for h in SAMPLE_HEADERS]], name="改.xlsx"))
    assert not result.accepted
    assert "是在本系统中登记的样品，台账只能补录检验结论（待检验时）和处置完成日期，不能修改（样品名称、检验结论、不合格项目与系统中的记录不一致）" in str(result.errors[0])

    # Entered on the result page with measured values: the same names keep them.
    recorded = sample_result(actor=None, sample=sampled(org, number="P-2"), report_on=dt.date(2026, 9, 18),
                             conclusion=Conclusion.UNQUALIFIED, items=[Item("铅", "1.2", "0.5", "mg/kg")])
    out = tmp_path / "全部.xlsx"
    run_export(SAMPLE_LEDGER, out)
    rows = {r["抽样单编号"]: r for r in read(out)}
    rows["P-2"]["处置完成日期"] = "2026-10-08"  # the disposal completed: it may be filled in
    result = importing(write(tmp_path, [[r[h] for h in SAMPLE_HEADERS] for r in rows.values()], name="处置.xlsx"))
    assert (result.updated, result.unchanged) == (1, 1), [str(e) for e in result.errors]
    recorded.refresh_from_db()
    assert (recorded.disposal_status, recorded.disposed_on) == (DisposalStatus.DISPOSED, dt.date(2026, 10, 8))
    assert list(recorded.items.values_list("name", "measured", "standard", "unit")) == [("铅", "1.2", "0.5", "mg/kg")]


def test_a_station_imports_only_its_own_jurisdiction_and_leadership_nothing(org, shops, tmp_path):
    rows = [row(抽样单编号="E-1"),
            row(抽样单编号="E-2", 被抽样单位名称=shops["jiefang"].name, 被抽样单位统一社会信用代码=shops["jiefang"].uscc, 所属街道=""),
            row(抽样单编号="W-1", 所属街道="西关街道"),
            row(抽样单编号="N-1", 所属街道="")]
    result = importing(write(tmp_path, rows), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(4, "所属街道"), (5, "所属街道")]
    assert "“西关街道”不在您的辖区范围内" in str(result.errors[0])
    result = importing(write(tmp_path, rows[:2]), actor=org.users.east)
    assert result.created == 2
    # The west station may not change the east's samples.
    result = importing(write(tmp_path, [row(抽样单编号="E-1", **QUALIFIED)]), actor=org.users.west)
    assert "不在您的辖区范围内，您无权修改" in str(result.errors[0])
    with pytest.raises(Exception, match="局领导账号只读"):
        importing(write(tmp_path, rows[:1]), actor=org.users.leader)


# ---------------------------------------------------------------- quick tests


def qrow(**cells) -> list:
    base = {"检测日期": "2026-09-01", "检测地点": "东关农贸市场快检室", "统一社会信用代码": "", "样品名称": "小白菜",
            "检测项目": "农药残留", "检测结果": "阴性"}
    base.update(cells)
    return [base[h] for h in QUICKTEST_HEADERS]


def quick_importing(path, actor=None, **kw):
    return run_import(QUICKTEST_LEDGER.for_run(), path, actor=actor, **kw)


def test_quick_tests_are_keyed_by_what_was_tested_where_and_when(org, shops, tmp_path):
    shop = shops["dongguan"]
    rows = [
        qrow(),
        qrow(样品名称="韭菜"),
        qrow(检测项目="甲醛", 检测结果="阳性"),
        qrow(检测日期=dt.date(2026, 9, 2), 检测地点=shop.name, 统一社会信用代码=shop.uscc, 样品名称="猪肉", 检测项目="瘦肉精"),
    ]
    path = sheets.write_xlsx(tmp_path / "快检.xlsx", rows, QUICKTEST_HEADERS)
    result = quick_importing(path, actor=org.users.dept)
    assert result.created == 4, [str(e) for e in result.errors]
    tests = list(QuickTest.objects.order_by("pk"))
    assert all(t.imported and t.created_by == org.users.dept for t in tests)
    assert [t.result for t in tests] == [QuickTestResult.NEGATIVE] * 2 + [QuickTestResult.POSITIVE, QuickTestResult.NEGATIVE]
    linked = tests[3]
    assert (linked.business, linked.subdistrict, linked.tested_on, linked.product) == (shop, shop.subdistrict, dt.date(2026, 9, 2), "猪肉")
    assert tests[0].business is None and tests[0].subdistrict is None

    # Imported again: nothing doubles. A result corrected: updated, not added.
    assert (quick_importing(path).unchanged, QuickTest.objects.count()) == (4, 4)
    rows[1] = qrow(样品名称="韭菜", 检测结果="阳性")
    rows.append(qrow(检测日期="2026-09-03"))  # the same test another day is another test
    result = quick_importing(sheets.write_xlsx(tmp_path / "快检2.xlsx", rows, QUICKTEST_HEADERS))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 3)
    assert QuickTest.objects.count() == 5 and QuickTest.objects.get(product="韭菜").result == QuickTestResult.POSITIVE
    assert ImportBatch.objects.latest("pk").changes["updated"][0]["after"] == {"result": "阳性"}

    # Export → import: unchanged; the export has the import's columns.
    out = tmp_path / "快检导出.xlsx"
    call_command("export", "quicktests", str(out), stdout=io.StringIO())
    assert [c.value for c in next(openpyxl.load_workbook(out).active.iter_rows())] == list(QUICKTEST_HEADERS)
    assert read(out)[-1] == dict(zip(QUICKTEST_HEADERS, qrow(检测日期="2026-09-03"), strict=True))
    assert quick_importing(out).unchanged == 5


def test_bad_quick_test_rows_are_refused_with_their_reasons(org, tmp_path):
    followed = QuickTestFactory(product="芹菜", result=QuickTestResult.POSITIVE, sample=sampled(org))
    rows = [
        qrow(检测结果="可疑"),
        qrow(检测日期="2026-13-01"),
        qrow(统一社会信用代码="91370102000000001X"),
        qrow(检测项目=""),
        qrow(检测日期="2099-01-01"),
        qrow(样品名称=followed.product, 检测项目=followed.item, 检测地点=followed.place, 检测结果="阴性"),
        qrow(), qrow(),
    ]
    result = quick_importing(sheets.write_xlsx(tmp_path / "快检.xlsx", rows, QUICKTEST_HEADERS))
    reasons = [str(e) for e in result.errors]
    assert reasons[0] == "第 2 行【检测结果】：检测结果“可疑”不在可选值内（阴性、阳性）"
    assert "第 3 行【检测日期】：日期“2026-13-01”无法识别" in reasons[1]
    assert "第 4 行【统一社会信用代码】" in reasons[2] and "校验位错误" in reasons[2]
    assert reasons[3] == "第 5 行【检测项目】：检测项目不能为空"
    assert "第 6 行【检测日期】：检测日期 2099-01-01 晚于今天" in reasons[4]
    assert reasons[5] == "第 7 行【检测结果】：该快检阳性结果已登记跟进抽样，检测结果不能再改"
    assert "第 9 行【检测日期】" in reasons[6] and "与第 8 行重复" in reasons[6]
    assert QuickTest.objects.count() == 1

    # A station imports the tests of its own registered businesses only.
    east_shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    west_shop = BusinessFactory(subdistrict=org.subs["xiguan"])
    rows = [qrow(统一社会信用代码=east_shop.uscc), qrow(统一社会信用代码=west_shop.uscc), qrow(样品名称="菠菜")]
    result = quick_importing(sheets.write_xlsx(tmp_path / "东关.xlsx", rows, QUICKTEST_HEADERS), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码"), (4, "统一社会信用代码")]


# ---------------------------------------------------------------- the commands and the web import


def test_the_commands_import_and_export_both_ledgers(org, tmp_path):
    samples = write(tmp_path, [row(), row(抽样单编号="S-2", **UNQUALIFIED)])
    out = io.StringIO()
    call_command("import", "samples", str(samples), stdout=out)
    assert "新增 2" in out.getvalue() and "不合格 1 批次，其中已填写处置完成日期 0 批次" in out.getvalue()
    tests = sheets.write_xlsx(tmp_path / "快检.xlsx", [qrow(), qrow(检测结果="阳性", 样品名称="豆芽")], QUICKTEST_HEADERS)
    out = io.StringIO()
    call_command("import", "quicktests", str(tests), stdout=out)
    assert "新增 2" in out.getvalue() and "文件中的快检 2 次：阳性 1 次" in out.getvalue()

    for ledger, count in (("samples", 2), ("quicktests", 2)):
        for suffix in (".xlsx", ".csv"):
            target = tmp_path / f"{ledger}{suffix}"
            out = io.StringIO()
            call_command("export", ledger, str(target), stdout=out)
            assert f"已导出 {count} 条记录" in out.getvalue()
            out = io.StringIO()
            call_command("import", ledger, str(target), stdout=out)
            assert f"未变 {count}" in out.getvalue(), out.getvalue()


def test_the_web_import_takes_the_sample_ledger(client, org):
    client.force_login(org.users.dept)
    listing = client.get(reverse("imports:list")).content.decode()
    assert reverse("imports:upload", args=["samples"]) in listing
    assert reverse("imports:upload", args=["quicktests"]) in listing
    page = client.get(reverse("imports:upload", args=["samples"])).content.decode()
    assert "导入抽检样品台账" in page and "不合格项目" in page
    assert reverse("sampling:export") in page  # 导出台账 next to the upload
    page = client.get(reverse("imports:upload", args=["quicktests"])).content.decode()
    assert "导入快检台账" in page and "检测项目" in page and reverse("sampling:quicktest_export") in page
    upload = sheets.xlsx_upload([row(), row(抽样单编号="S-2", **UNQUALIFIED)], SAMPLE_HEADERS)
    response = client.post(reverse("imports:upload", args=["samples"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"]).content.decode()
    assert "确认导入" in preview and "确认后将新增 2 批次" in preview and not Sample.objects.exists()
    done = client.post(response["Location"])
    assert done.status_code == 200 and "导入完成" in done.content.decode()
    assert reverse("sampling:list") in done.content.decode()  # on to the samples just written
    assert Sample.objects.get(number="S-2").disposal_status == DisposalStatus.DISPOSING

    # A bad file: the preview names the row, and the errors workbook is offered.
    upload = sheets.xlsx_upload([row(抽样单编号="S-3", 业态="夜市")], SAMPLE_HEADERS)
    response = client.post(reverse("imports:upload", args=["samples"]), {"file": upload})
    preview = client.get(response["Location"]).content.decode()
    assert "业态“夜市”不存在" in preview and not Sample.objects.filter(number="S-3").exists()
    client.force_login(org.users.leader)
    assert reverse("imports:upload", args=["samples"]) not in client.get(reverse("imports:list")).content.decode()
