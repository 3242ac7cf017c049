"""The XLSX output: the 指标 sheet equals the report's values; each drill-down sheet lists exactly the records counted."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jianguan.core.periods import Params
from jianguan.reports import renderers
from jianguan.reports.engine import build_report, json_number
from jianguan.reports.renderers import xlsx_out
from jianguan.reports.renderers.xlsx_out import sheet_title

from ..factories import BusinessFactory


@pytest.fixture
def report(org):
    subs = org.subs
    for _ in range(3):
        BusinessFactory(subdistrict=subs["dongguan"], established_on=dt.date(2019, 5, 1))
    BusinessFactory(subdistrict=subs["xiguan"], entity_type="individual", established_on=dt.date(2026, 2, 1))
    BusinessFactory(subdistrict=subs["jiefang"], entity_type="cooperative", established_on=dt.date(2026, 3, 15))
    BusinessFactory(subdistrict=subs["jinan"], reg_status="deregistered", status_date=dt.date(2026, 4, 1))
    BusinessFactory(subdistrict=subs["jinan"], reg_status="revoked", status_date=dt.date(2026, 5, 1),
                    name="=HYPERLINK(\"http://x\")有限公司")
    BusinessFactory(subdistrict=subs["dongguan"], established_on=dt.date(2026, 7, 1))  # after the period
    return build_report("work_summary", Params.build(period="2026H1"))


def workbook(report, **options):
    return load_workbook(io.BytesIO(renderers.render(report, "xlsx", **options)))


def indicator_table(book) -> dict:
    sheet = book["指标"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指标标识", "名称", "分项", "数值", "单位", "口径", "参数")
    return {r[0]: r for r in rows[1:]}


def test_indicator_sheet_equals_the_report_values(report):
    book = workbook(report)
    assert book.sheetnames == ["指标", "正文", "报表信息"]
    table = indicator_table(book)
    assert {k: v[3] for k, v in table.items()} == {k: json_number(v) for k, v in report.values.items()}
    assert table["businesses.active"][1:3] == ("实有市场主体", None)
    assert table["businesses.active[企业]"][2] == "企业"
    assert table["businesses.new[个体工商户]"][3] == 1
    assert table["businesses.active"][4] == "户"
    assert table["businesses.active"][6].startswith("截至2026年6月30日")
    assert table["businesses.new"][6].startswith("统计期间：2026年上半年")
    sheet = book["指标"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["G1"].font.b
    assert sheet.column_dimensions["F"].width >= 30
    assert isinstance(sheet["D2"].value, int)


def test_rates_have_two_decimals(report):
    report.values["businesses.active"] = Decimal("97.666")
    sheet = workbook(report)["指标"]
    cell = next(row[3] for row in sheet.iter_rows(min_row=2) if row[0].value == "businesses.active")
    assert cell.value == 97.67
    assert cell.number_format == "0.00"


def test_text_and_info_sheets(report):
    book = workbook(report)
    lines = [r[0] for r in book["正文"].iter_rows(values_only=True)]
    assert lines[0] == report.title
    assert any(line.startswith("截至2026年6月30日") for line in lines)
    info = dict(book["报表信息"].iter_rows(values_only=True))
    assert info["SHA-256"] == report.sha256


def test_no_drilldown_sheets_unless_asked(report):
    assert len(workbook(report, drilldowns=False).sheetnames) == 3


def test_each_drilldown_sheet_lists_exactly_the_records_counted(report):
    book = workbook(report, drilldowns=True, actor=None)
    expected = {
        "实有市场主体": "businesses.active",
        "新增市场主体": "businesses.new",
        "注销市场主体": "businesses.deregistered",
        "吊销市场主体": "businesses.revoked",
    }
    assert set(expected) <= set(book.sheetnames)
    for title, key in expected.items():
        sheet = book[title]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("统一社会信用代码", "名称", "主体类型", "所属街道", "成立日期", "登记状态", "状态日期")
        assert len(rows) - 1 == report.values[key], key
        assert sheet.freeze_panes == "A2"
    active = book["实有市场主体"]
    established = active.cell(row=2, column=5)
    assert established.is_date and established.value.date() == dt.date(2019, 5, 1)
    revoked = book["吊销市场主体"]
    name = revoked.cell(row=2, column=2)
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")  # text, never a formula


def test_drilldowns_follow_the_actor_scope(org):
    BusinessFactory(subdistrict=org.subs["dongguan"])
    BusinessFactory(subdistrict=org.subs["xiguan"])
    params = Params.build(period="2026H1")
    report = build_report("work_summary", params, actor=org.users.east)
    assert report.values["businesses.active"] == 1
    book = workbook(report, drilldowns=True, actor=org.users.east)
    assert book["实有市场主体"].max_row - 1 == 1


def test_large_drilldowns_continue_on_a_second_sheet(report, monkeypatch):
    monkeypatch.setattr(xlsx_out, "MAX_ROWS", 3)  # header + 2 records a sheet
    book = workbook(report, drilldowns=True)
    parts = [name for name in book.sheetnames if name.startswith("实有市场主体")]
    assert parts == ["实有市场主体", "实有市场主体(2)", "实有市场主体(3)"]
    assert sum(book[name].max_row - 1 for name in parts) == report.values["businesses.active"]


def test_sheet_titles_are_valid_and_unique():
    taken = {"指标"}
    assert sheet_title("指标", taken) == "指标(2)"
    assert sheet_title("a/b[c]:d*e?f\\g", taken) == "a_b_c__d_e_f_g"
    long = sheet_title("很" * 40, taken)
    assert len(long) == 31
    again = sheet_title("很" * 40, taken)
    assert len(again) == 31 and again.endswith("(2)")


def test_value_rows_match_column_value(report):
    """The fast path (values_list, choices mapped) gives the same cells as column_value on instances."""
    from jianguan.businesses.indicators import COLUMNS
    from jianguan.businesses.models import Business
    from jianguan.core.indicators import Column

    qs = Business.objects.select_related("subdistrict").order_by("pk")
    assert xlsx_out._value_plan(Business, COLUMNS) is not None
    assert xlsx_out._value_plan(Business, (Column("记录", "__str__"),)) is None
    assert xlsx_out._value_plan(Business, (Column("街道", "subdistrict"),)) is None
    fast = list(xlsx_out._records(qs, COLUMNS))
    slow = [tuple(xlsx_out._cell_value(xlsx_out.column_value(b, c.path)) for c in COLUMNS) for b in qs]
    assert fast == slow and len(fast) == Business.objects.count()
    assert list(xlsx_out._records(qs, xlsx_out.FALLBACK_COLUMNS)) == [(str(b),) for b in qs]
