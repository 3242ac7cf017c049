"""The business ledger through the engine and the `jianguan import/export businesses` commands."""

import datetime as dt
import importlib

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.businesses.models import Business
from jianguan.businesses.resources import BUSINESS_LEDGER, HEADERS
from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import REASON_HEADER, run_export, run_import
from jianguan.core.models import ImportBatch

from .. import sheets
from ..factories import BusinessFactory, make_uscc

pytestmark = pytest.mark.django_db


def row(
    uscc=None,
    name="历下区示例商贸有限公司",
    kind="企业",
    street="东关街道",
    est="2020-01-02",
    status="",
    sdate="",
):
    return [uscc or make_uscc(), name, kind, "张三", "示例路1号", street, "F5211", est, status, sdate]


def write_xlsx(path, rows, headers=HEADERS):
    return sheets.write_xlsx(path, rows, headers)


def write_csv(path, rows, encoding="utf-8", headers=HEADERS):
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def command(name: str):
    # The class itself: django-import-export ships commands of the same names.
    return importlib.import_module(f"jianguan.core.management.commands.{name}").Command()


def snapshot():
    return sorted(Business.objects.values_list("uscc", "name", "subdistrict_id", "reg_status", "version"))


def test_valid_xlsx_is_imported(org, tmp_path):
    rows = [
        row(name="甲公司"),
        row(name="乙个体户", kind="个体工商户", street="370102003", est=dt.datetime(2019, 3, 4)),
        row(name="丙合作社", kind="农民专业合作社", status="注销", sdate="2025年6月30日"),
    ]
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "b.xlsx", rows), actor=org.users.dept)
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    second = Business.objects.get(name="乙个体户")
    assert second.subdistrict == org.subs["xiguan"]
    assert second.entity_type == "individual"
    assert second.established_on == dt.date(2019, 3, 4)
    closed = Business.objects.get(name="丙合作社")
    assert (closed.reg_status, closed.status_date) == ("deregistered", dt.date(2025, 6, 30))
    assert Business.objects.get(name="甲公司").reg_status == "active"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_and_date_form(org, tmp_path, encoding):
    rows = [row(est="2026-05-01"), row(est="2026/5/1"), row(est="2026年5月1日")]
    result = run_import(BUSINESS_LEDGER, write_csv(tmp_path / "b.csv", rows, encoding))
    assert result.accepted, result.errors
    assert set(Business.objects.values_list("established_on", flat=True)) == {dt.date(2026, 5, 1)}


def test_lowercase_uscc_is_stored_upper_case(org, tmp_path):
    code = make_uscc().replace("9", "9")
    lower = code[:-1] + code[-1].lower()
    run_import(BUSINESS_LEDGER, write_csv(tmp_path / "b.csv", [row(uscc=f" {lower} ")]))
    assert Business.objects.filter(uscc=code.upper()).exists()


def _bad_cases():
    good = make_uscc()
    wrong_digit = good[:-1] + ("0" if good[-1] != "0" else "1")
    return [
        ("wrong check digit", [row(), row(uscc=wrong_digit)], 3, "统一社会信用代码", "校验位错误"),
        ("wrong length", [row(uscc=good[:17])], 2, "统一社会信用代码", "应为18位，实为17位"),
        ("unknown entity type", [row(), row(), row(kind="公司")], 4, "主体类型", "“公司”不在可选值内"),
        ("unknown subdistrict", [row(street="不存在街道")], 2, "所属街道", "所属街道“不存在街道”不存在"),
        ("unreadable date", [row(est="2026年13月1日")], 2, "成立日期", "无法识别"),
        ("impossible date", [row(est="2026-02-30")], 2, "成立日期", "没有2月30日"),
        ("duplicate uscc", [row(uscc=good), row(), row(uscc=good)], 4, "统一社会信用代码", "与第 3 行重复"),
        ("unknown status", [row(status="歇业")], 2, "登记状态", "不在可选值内"),
        ("status without date", [row(status="吊销")], 2, "状态日期", "必须填写状态日期"),
        ("empty name", [row(name="")], 2, "名称", "名称不能为空"),
    ]


@pytest.mark.parametrize(
    ("case", "rows", "bad_row", "column", "reason"),
    _bad_cases(),
    ids=lambda v: v if isinstance(v, str) and " " in v else "",
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_bad_row_rejects_the_whole_file(org, tmp_path, case, rows, bad_row, column, reason, fmt):
    existing = BusinessFactory(subdistrict=org.subs["dongguan"])
    before = snapshot()
    path = tmp_path / f"b.{fmt}"
    writer = write_xlsx if fmt == "xlsx" else write_csv
    # An update of an existing business in the same file must be rolled back too.
    rows = [[existing.uscc, "改过的名称", *row()[2:]], *rows]
    bad_row += 1
    result = run_import(BUSINESS_LEDGER, writer(path, rows))
    assert not result.accepted
    assert [(e.row, e.column) for e in result.errors] == [(bad_row, column)]
    assert reason in result.errors[0].reason
    assert snapshot() == before
    assert not ImportBatch.objects.exists()


def test_missing_required_column_lists_expected_headers(org, tmp_path):
    headers = [h for h in HEADERS if h != "所属街道"]
    path = write_xlsx(tmp_path / "b.xlsx", [[v for i, v in enumerate(row()) if i != 5]], headers=headers)
    result = run_import(BUSINESS_LEDGER, path)
    assert result.file_error.startswith("缺少必填列：所属街道。")
    assert "、".join(HEADERS) in result.file_error
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "文件为空"),
        ("empty.xlsx", b"", "文件为空"),
        ("renamed.xlsx", "统一社会信用代码,名称\n".encode(), "不是有效的 Excel（.xlsx）文件"),
        ("renamed2.xlsx", b"%PDF-1.7 binary\x00\x01", "不是有效的 Excel（.xlsx）文件"),
    ],
)
def test_unreadable_files_are_rejected(org, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_import(BUSINESS_LEDGER, path)
    assert message in result.file_error
    assert not Business.objects.exists()


def test_header_only_file_is_empty(org, tmp_path):
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "b.xlsx", []))
    assert "没有数据行" in result.file_error


def test_twice_imported_file_changes_nothing(org, tmp_path):
    path = write_xlsx(
        tmp_path / "b.xlsx", [row(), row(status="迁出", sdate="2024/1/2"), row(kind="个体工商户")]
    )
    run_import(BUSINESS_LEDGER, path)
    before = snapshot()
    again = run_import(BUSINESS_LEDGER, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot() == before


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_then_import_round_trips(org, tmp_path, suffix):
    BusinessFactory.create_batch(3, subdistrict=org.subs["jiefang"])
    BusinessFactory(
        subdistrict=org.subs["xiguan"],
        reg_status="revoked",
        status_date=dt.date(2025, 1, 5),
        industry_code="5211",
    )
    path = tmp_path / f"out.{suffix}"
    assert run_export(BUSINESS_LEDGER, path) == 4
    before = snapshot()
    result = run_import(BUSINESS_LEDGER, path)
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_export_uses_labels_and_iso_dates(org, tmp_path):
    b = BusinessFactory(
        subdistrict=org.subs["xiguan"], entity_type="individual", established_on=dt.date(2021, 2, 3)
    )
    path = tmp_path / "out.xlsx"
    run_export(BUSINESS_LEDGER, path)
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(HEADERS)
    assert rows[1][:3] == (b.uscc, b.name, "个体工商户")
    assert (rows[1][5], rows[1][7], rows[1][8]) == ("西关街道", "2021-02-03", "存续")


def test_update_records_audit_batch_with_changed_fields_only(org, tmp_path):
    old = BusinessFactory(subdistrict=org.subs["dongguan"], name="旧名称")
    path = tmp_path / "b.csv"
    new_code = make_uscc()
    export_row = [
        old.uscc,
        "新名称",
        "企业",
        old.legal_rep,
        old.address,
        "东关街道",
        "",
        "2020-01-01",
        "存续",
        "",
    ]
    write_csv(path, [export_row, row(uscc=new_code)])
    result = run_import(BUSINESS_LEDGER, path, actor=org.users.dept)
    assert (result.created, result.updated) == (1, 1)
    batch = ImportBatch.objects.get()
    assert (batch.ledger, batch.file_name, batch.actor, batch.created_count, batch.updated_count) == (
        "businesses",
        "b.csv",
        org.users.dept,
        1,
        1,
    )
    assert len(batch.file_sha256) == 64
    assert batch.changes == {
        "created": [new_code],
        "updated": [{"key": old.uscc, "before": {"name": "旧名称"}, "after": {"name": "新名称"}}],
    }
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(ImportBatch))
    assert entry.object_pk == str(batch.pk) and entry.actor == org.users.dept
    old.refresh_from_db()
    assert (old.name, old.version) == ("新名称", 2)


def test_dry_run_writes_nothing(org, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", [row(), row()])
    result = run_import(BUSINESS_LEDGER, path, dry_run=True)
    assert result.accepted and result.created == 2
    assert not Business.objects.exists() and not ImportBatch.objects.exists()


def test_station_user_limited_to_own_subdistricts(org, tmp_path):
    foreign = BusinessFactory(subdistrict=org.subs["xiguan"])
    rows = [
        row(street="东关街道"),
        row(street="西关街道"),
        [foreign.uscc, "改名", "企业", "", "", "东关街道", "", "2020-01-01", "", ""],
    ]
    result = run_import(BUSINESS_LEDGER, write_csv(tmp_path / "b.csv", rows), actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属街道"), (4, "统一社会信用代码")]
    assert "不在您的辖区范围内" in result.errors[0].reason
    assert Business.objects.count() == 1
    ok = run_import(BUSINESS_LEDGER, write_csv(tmp_path / "ok.csv", [row()]), actor=org.users.east)
    assert ok.accepted


def test_leadership_cannot_import(org, tmp_path):
    with pytest.raises(PermissionDenied, match="局领导"):
        run_import(BUSINESS_LEDGER, write_csv(tmp_path / "b.csv", [row()]), actor=org.users.leader)


# ---- the commands ------------------------------------------------------------------------


def test_command_imports_and_reports(org, tmp_path, capsys):
    path = write_csv(tmp_path / "b.csv", [row(), row()], "gbk")
    call_command(command("import"), "businesses", str(path))
    out = capsys.readouterr().out
    assert "新增 2" in out
    assert ImportBatch.objects.get().actor == org.users.admin  # the first superuser


def test_command_dry_run_prints_counts(org, tmp_path, capsys):
    BusinessFactory(subdistrict=org.subs["dongguan"])
    path = tmp_path / "b.xlsx"
    run_export(BUSINESS_LEDGER, path)
    wb = openpyxl.load_workbook(path)
    wb.active.append(row())
    wb.save(path)
    call_command(command("import"), "businesses", str(path), "--dry-run", "--user", "dept")
    out = capsys.readouterr().out
    assert "新增 1，更新 0，未变 1，错误 0 行" in out
    assert Business.objects.count() == 1


def test_command_rejects_bad_file_with_summary_and_report(org, tmp_path, capsys):
    path = write_xlsx(tmp_path / "b.xlsx", [row(), row(kind="公司"), row(street="火星街道")])
    with pytest.raises(CommandError) as caught:
        call_command(command("import"), "businesses", str(path))
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert "3\t主体类型\t主体类型“公司”不在可选值内" in err
    assert "4\t所属街道\t" in err
    report = tmp_path / "b.errors.xlsx"
    assert str(report) in err
    ws = openpyxl.load_workbook(report).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == REASON_HEADER
    assert rows[1][-1] is None and "不在可选值内" in rows[2][-1] and "火星街道" in rows[3][-1]
    assert not Business.objects.exists()


def test_command_rejects_non_spreadsheet(org, tmp_path, capsys):
    path = tmp_path / "b.xlsx"
    path.write_text("hello")
    with pytest.raises(CommandError):
        call_command(command("import"), "businesses", str(path))
    assert "不是有效的 Excel" in capsys.readouterr().err
    assert (tmp_path / "b.errors.xlsx").exists()


def test_command_refuses_leadership_and_unknown_user(org, tmp_path):
    path = write_csv(tmp_path / "b.csv", [row()])
    with pytest.raises(CommandError, match="局领导"):
        call_command(command("import"), "businesses", str(path), "--user", "leader")
    with pytest.raises(CommandError, match="不存在"):
        call_command(command("import"), "businesses", str(path), "--user", "nobody")


def test_export_command(org, tmp_path, capsys):
    BusinessFactory.create_batch(2, subdistrict=org.subs["dongguan"])
    call_command(command("export"), "businesses", str(tmp_path / "all.csv"))
    assert "已导出 2 条记录" in capsys.readouterr().out
    text = (tmp_path / "all.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)


def test_command_exit_code_from_the_command_line(org, tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, which would drop the test's transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    path = write_csv(tmp_path / "b.csv", [row(kind="公司")])
    with pytest.raises(SystemExit) as caught:
        command("import").run_from_argv(["jianguan", "import", "businesses", str(path)])
    assert caught.value.code == 1
    assert "导入被拒绝" in capsys.readouterr().err
    assert not Business.objects.exists()


def test_jianguan_import_runs_our_command():
    from django.core.management import get_commands

    assert get_commands()["import"] == "jianguan.core"
    assert get_commands()["export"] == "jianguan.core"


def test_fixed_error_report_can_be_imported_again(org, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", [row(), row(street="火星街道")])
    result = run_import(BUSINESS_LEDGER, path)
    report = tmp_path / "b.errors.xlsx"
    from jianguan.core.importing import write_error_report

    write_error_report(path, result, report)
    wb = openpyxl.load_workbook(report)
    wb.active["F3"] = "东关街道"
    wb.save(report)
    again = run_import(BUSINESS_LEDGER, report)
    assert again.accepted and again.created == 2
