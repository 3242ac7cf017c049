"""The import/export engine itself: readers, encodings, dates, the error report, progress, registry."""

import datetime as dt
import io

import openpyxl
import pytest

from jianguan.core.importing import (
    REASON_HEADER,
    CellError,
    FileRejected,
    ImportResult,
    RowError,
    errors_path,
    get_ledger,
    open_table,
    parse_date,
    summary_lines,
    terminal_progress,
    write_error_report,
)

pytestmark = pytest.mark.django_db  # the limits a file is read under are rules in the database

ROWS = [["街道代码", "街道名称", "所属监管所"], ["370102001", "东关街道", "东关市场监管所"]]


def write_csv(path, rows, encoding):
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def read_all(path):
    with open_table(path) as table:
        return table.headers, list(table.rows), table


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    path = write_csv(tmp_path / "s.csv", ROWS, encoding)
    headers, rows, table = read_all(path)
    assert headers == ROWS[0]
    assert rows == [(2, ROWS[1])]
    assert table.encoding == ("gbk" if encoding.startswith("gb") else "utf-8")


def test_csv_with_undecodable_bytes_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("街道代码\n".encode() + b"\xff\xfe\xfa\xfb\x81\n")
    with pytest.raises(FileRejected, match="编码无法识别"):
        read_all(path)


def test_xlsx_reads_text_numbers_and_real_dates(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["代码", "日期"])
    ws.append([370102001, dt.datetime(2026, 5, 1)])
    ws.append([None, None])
    ws.append(["  A1 ", dt.date(2026, 5, 2)])
    wb.save(tmp_path / "t.xlsx")
    headers, rows, _ = read_all(tmp_path / "t.xlsx")
    assert headers == ["代码", "日期"]
    assert rows[0] == (2, ["370102001", dt.datetime(2026, 5, 1)])
    assert rows[2][0] == 4
    assert parse_date(rows[0][1][1]) == dt.date(2026, 5, 1)


@pytest.mark.parametrize(
    "raw", ["2026-05-01", "2026/5/1", "2026年5月1日", " 2026-5-1 ", "2026.05.01", "2026-05-01 00:00:00"]
)
def test_date_forms(raw):
    assert parse_date(raw) == dt.date(2026, 5, 1)


@pytest.mark.parametrize("raw", ["2026-13-01", "2026年2月30日", "5/1/2026", "明天", "20260501"])
def test_unreadable_dates_give_a_reason(raw):
    with pytest.raises(CellError, match="无法识别"):
        parse_date(raw)


def test_empty_date_is_none():
    assert parse_date("") is None and parse_date(None) is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.xlsx", "这不是表格".encode(), "不是有效的 Excel"),
        ("fake.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "不是有效的 Excel"),
        ("zip.xlsx", b"PK\x03\x04" + b"\x00" * 100, "不是有效的 Excel"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Excel"),
        ("empty.xlsx", b"", "文件为空"),
        ("empty.csv", b"", "文件为空"),
        ("blank.csv", b"\r\n\r\n", "文件为空"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "不支持的文件类型"),
    ],
)
def test_unreadable_files_are_rejected_with_a_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=message):
        read_all(path)


def test_error_report_keeps_original_rows_and_adds_reason(tmp_path):
    source = write_csv(tmp_path / "s.csv", [*ROWS, ["370102002", "解放路街道", ""]], "gbk")
    result = ImportResult(ledger="subdistricts", file_name="s.csv", dry_run=False, rows=2)
    result.errors = [RowError(3, "所属监管所", "所属监管所不能为空"), RowError(3, "", "另一个问题")]
    report = write_error_report(source, result, errors_path(source))
    assert report.name == "s.errors.xlsx"
    ws = openpyxl.load_workbook(report).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0] == [*ROWS[0], REASON_HEADER]
    assert values[1] == [*ROWS[1], None]
    assert values[2][:2] == ["370102002", "解放路街道"]
    assert values[2][3] == "所属监管所：所属监管所不能为空；另一个问题"


def test_error_report_for_unreadable_file(tmp_path):
    source = tmp_path / "x.xlsx"
    source.write_bytes(b"not a spreadsheet")
    result = ImportResult(
        ledger="subdistricts", file_name="x.xlsx", dry_run=False, file_error="文件不是有效的"
    )
    ws = openpyxl.load_workbook(write_error_report(source, result, errors_path(source))).active
    assert list(ws.iter_rows(values_only=True)) == [(REASON_HEADER,), ("文件不是有效的",)]


def test_summary_lists_first_errors_and_total():
    result = ImportResult(ledger="b", file_name="f.csv", dry_run=False, rows=100)
    result.errors = [RowError(n, "名称", "名称不能为空") for n in range(2, 82)]
    lines = summary_lines(result, limit=50)
    assert "80 行存在错误" in lines[0]
    assert lines[3] == "2\t名称\t名称不能为空"
    assert lines[-1].startswith("……另有 30 处错误")


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal_and_for_long_files():
    assert terminal_progress(io.StringIO()) is None
    stream = Tty()
    report = terminal_progress(stream, threshold=5000)
    report(2000, 3000)
    assert stream.getvalue() == ""
    report(2000, 10000)
    report(10000, 10000)
    assert "已处理 2000/10000 行（20%）" in stream.getvalue()
    assert stream.getvalue().endswith("\n")


def test_registry_resolves_lazily():
    assert get_ledger("businesses").headers[0] == "统一社会信用代码"
    assert get_ledger("subdistricts").headers == ["街道代码", "街道名称", "所属监管所"]
    with pytest.raises(LookupError, match="没有名为"):
        get_ledger("nothing")
