"""Importing historical inspections: `jianguan import inspections FILE` through the engine."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import errors_path, get_ledger, run_import
from jianguan.core.models import ImportBatch
from jianguan.inspections.choices import FindingStatus, InspectionKind, InspectionResult, InspectionStatus
from jianguan.inspections.models import Finding, Inspection
from jianguan.inspections.resources import HISTORY_HEADERS, HISTORY_LEDGER
from jianguan.inspections.services.imports import finding_import_closed

from .. import sheets
from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory, make_uscc
from .factories import inspection_with_finding, inspector

pytestmark = pytest.mark.django_db


def write_xlsx(path, rows, headers=HISTORY_HEADERS):
    return sheets.write_xlsx(path, rows, headers)


def row(date="2026-05-06", kind="日常检查", uscc="", codes="", certs="", result="未发现问题", description="", deadline="", closed=""):
    return [date, kind, uscc, codes, certs, result, description, deadline, closed]


def snapshot():
    return (
        sorted(Inspection.objects.values_list("number", "kind", "date", "business_id", "result", "status")),
        sorted(Finding.objects.values_list("description", "status", "deadline", "closed_on")),
    )


@pytest.fixture
def world(org):
    """Two businesses of the east station (one with two elevators), a west business, and inspectors."""
    shop = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关食品超市")
    estate = BusinessFactory(subdistrict=org.subs["jiefang"], name="解放路物业有限公司")
    west = BusinessFactory(subdistrict=org.subs["xiguan"], name="西关饭店")
    lifts = [EquipmentFactory(operator=estate, subdistrict=org.subs["jiefang"]) for _ in range(2)]
    other = EquipmentFactory(operator=west, subdistrict=org.subs["xiguan"])
    a, b = inspector(org.east, full_name="张明"), inspector(org.east, full_name="李华")
    expired = inspector(org.east, full_name="赵强", valid_until=dt.date(2026, 3, 31))
    return shop, estate, west, lifts, other, (a, b, expired)


def good_rows(world):
    shop, estate, west, lifts, other, (a, b, _) = world
    team = f"{a.cert_no}、{b.cert_no}"
    return [
        row(uscc=shop.uscc, certs=team),
        # One inspection that found two problems: two rows, the second already rectified.
        row(date="2026-05-08", kind="专项检查", uscc=estate.uscc, codes=f"{lifts[0].reg_code}", certs=f"{a.cert_no},{b.cert_no}",
            result="责令整改", description="电梯维保记录不全", deadline="2026-05-20"),
        row(date="2026-05-08", kind="专项检查", uscc=estate.uscc, codes=lifts[1].reg_code, certs=f"{b.cert_no}，{a.cert_no}",
            result="责令整改", description="应急报警装置失效", deadline="2026/5/15", closed="2026年5月14日"),
        # The business's own self-inspection needs no certified inspectors.
        row(date="2026-06-01", kind="企业自查", uscc=shop.uscc, result="发现问题", description="冷藏柜温度记录缺失", deadline="2026-06-10"),
        row(date="2026-06-02", kind="社区巡查", uscc=west.uscc, result="未发现问题"),
    ]


def test_good_file_imports_inspections_and_findings_through_the_services(org, world, tmp_path):
    shop, estate, west, lifts, _, (a, b, _) = world
    path = write_xlsx(tmp_path / "历史检查.xlsx", good_rows(world))
    result = run_import(HISTORY_LEDGER, path, actor=org.users.admin)
    assert result.accepted, result.errors
    assert (result.rows, result.created) == (5, 5)

    inspections = Inspection.objects.order_by("date", "pk")
    assert inspections.count() == 4  # the two rows of 2026-05-08 are one inspection
    assert all(i.source == "import" and i.status == InspectionStatus.COMPLETED for i in inspections)
    assert all(i.number.startswith("JC2026") for i in inspections)
    routine, special, own, community = inspections
    assert (routine.kind, routine.result, routine.business, routine.inspector_count) == (
        InspectionKind.ROUTINE, InspectionResult.NO_PROBLEM, shop, 2)
    assert set(special.inspectors.all()) == {a, b}
    assert set(special.equipment.all()) == set(lifts)
    assert special.result == InspectionResult.ORDERED
    findings = list(special.findings.order_by("pk"))
    assert [(f.description, f.status, f.deadline, f.closed_on, f.equipment) for f in findings] == [
        ("电梯维保记录不全", FindingStatus.OPEN, dt.date(2026, 5, 20), None, lifts[0]),
        ("应急报警装置失效", FindingStatus.CLOSED, dt.date(2026, 5, 15), dt.date(2026, 5, 14), lifts[1]),
    ]
    assert findings[0].found_on == dt.date(2026, 5, 8) and findings[0].subdistrict == org.subs["jiefang"]
    assert own.kind == InspectionKind.SELF and own.performed_by == shop.name and own.inspector_count == 0
    assert own.findings.get().status == FindingStatus.OPEN
    assert community.performed_by == "社区网格员" and community.subdistrict == org.subs["xiguan"]

    # One import batch naming the inspections, and the historical closure is in the audit log.
    batch = ImportBatch.objects.get()
    assert batch.ledger == "inspections" and batch.created_count == 5
    assert special.number in batch.changes["created"]
    closure = LogEntry.objects.get_for_object(findings[1]).filter(action=LogEntry.Action.UPDATE).get()
    assert closure.actor == org.users.admin and "closed_on" in closure.changes


def test_reimporting_the_same_file_is_refused_as_duplicates(org, world, tmp_path):
    path = write_xlsx(tmp_path / "历史检查.xlsx", good_rows(world))
    assert run_import(HISTORY_LEDGER, path, actor=org.users.admin).accepted
    before = snapshot()
    again = run_import(HISTORY_LEDGER, path, actor=org.users.admin)
    assert not again.accepted
    assert again.error_rows == 5
    assert all("重复" in e.reason and "不能再次导入" in e.reason for e in again.errors)
    number = Inspection.objects.get(kind=InspectionKind.SPECIAL).number
    assert any(e.row == 3 and number in e.reason for e in again.errors)
    assert snapshot() == before


def test_a_row_repeated_in_the_file_is_refused(org, world, tmp_path):
    rows = good_rows(world)
    path = write_xlsx(tmp_path / "dup.xlsx", [*rows, rows[1]])
    result = run_import(HISTORY_LEDGER, path, actor=org.users.admin)
    assert [(e.row, e.column) for e in result.errors] == [(7, "")]
    assert "与本文件前面一行重复" in result.errors[0].reason
    assert not Inspection.objects.exists()


def bad_rows(world):
    """(row, column, reason fragment) — each kind of bad row the import must refuse."""
    shop, estate, west, lifts, other, (a, b, expired) = world
    team = f"{a.cert_no}、{b.cert_no}"
    return [
        (row(uscc=make_uscc(), certs=team), "统一社会信用代码", "统一社会信用代码未登记"),
        (row(uscc="91370102MA3C0000X1", certs=team), "统一社会信用代码", "校验位"),
        (row(uscc=shop.uscc, certs=f"{a.cert_no}、{expired.cert_no}"), "检查人员执法证号", "已失效"),
        (row(uscc=shop.uscc, certs=a.cert_no), "检查人员执法证号", "不少于2名"),
        (row(uscc=shop.uscc, certs=f"{a.cert_no}、99999999"), "检查人员执法证号", "执法证号 99999999 未登记"),
        (row(uscc=shop.uscc, certs=f"{a.cert_no}、{a.cert_no}"), "检查人员执法证号", "重复填写"),
        (row(uscc=shop.uscc, certs=team, result="发现问题", description="过期食品", deadline="2026-05-01"),
         "整改期限", "整改期限 2026-05-01 早于检查日期 2026-05-06"),
        (row(uscc=shop.uscc, certs=team, result="发现问题", description="过期食品"), "整改期限", "必须填写整改期限"),
        (row(uscc=shop.uscc, certs=team, result="发现问题"), "问题描述", "必须填写问题描述"),
        (row(uscc=shop.uscc, certs=team, result="未发现问题", description="过期食品", deadline="2026-05-20"),
         "检查结果", "检查结果不能为“未发现问题”"),
        (row(uscc=shop.uscc, certs=team, result="发现问题", description="过期食品", deadline="2026-05-20", closed="2026-05-01"),
         "整改完成日期", "早于检查日期"),
        (row(uscc=shop.uscc, certs=team, deadline="2026-05-20"), "整改期限", "未填写问题描述"),
        (row(uscc=estate.uscc, codes=other.reg_code, certs=team), "设备注册代码", "的使用单位不是“解放路物业有限公司”"),
        (row(uscc=estate.uscc, codes="3110370199000000000X", certs=team), "设备注册代码", "设备注册代码未登记"),
        (row(kind="抽查", uscc=shop.uscc, certs=team), "检查类型", "检查类型“抽查”不在可选值内"),
        (row(uscc=shop.uscc, certs=team, result="合格"), "检查结果", "检查结果“合格”不在可选值内"),
        (row(date="2026-02-30", uscc=shop.uscc, certs=team), "日期", "没有2月30日"),
        (row(date="", uscc=shop.uscc, certs=team), "日期", "日期不能为空"),
        (row(date="2030-01-02", uscc=shop.uscc, certs=team), "日期", "晚于今天"),
    ]


@pytest.mark.parametrize("case", range(19))
def test_each_bad_row_rejects_the_whole_file(org, world, tmp_path, case):
    bad, column, reason = bad_rows(world)[case]
    # The bad row sits between good ones: nothing at all is written.
    path = write_xlsx(tmp_path / "bad.xlsx", [*good_rows(world)[:2], bad, *good_rows(world)[2:]])
    result = run_import(HISTORY_LEDGER, path, actor=org.users.admin)
    assert not result.accepted
    assert [(e.row, e.column) for e in result.errors] == [(4, column)], result.errors
    assert reason in result.errors[0].reason, result.errors[0].reason
    assert not Inspection.objects.exists() and not Finding.objects.exists() and not ImportBatch.objects.exists()


def test_without_an_actor_the_inspections_record_no_user(org, world, tmp_path):
    """Like the other ledgers: the command line without --user and without a superuser."""
    path = write_xlsx(tmp_path / "历史检查.xlsx", good_rows(world))
    assert run_import(HISTORY_LEDGER, path, actor=None).accepted
    assert Inspection.objects.count() == 4 and not Inspection.objects.exclude(created_by=None).exists()
    assert Finding.objects.filter(status=FindingStatus.CLOSED).count() == 1


def test_dry_run_validates_and_writes_nothing(org, world, tmp_path):
    path = write_xlsx(tmp_path / "历史检查.xlsx", good_rows(world))
    result = run_import(HISTORY_LEDGER, path, actor=org.users.admin, dry_run=True)
    assert result.accepted and result.created == 5
    assert not Inspection.objects.exists() and not ImportBatch.objects.exists()


def test_rows_of_one_inspection_must_agree_on_the_result(org, world, tmp_path):
    rows = good_rows(world)
    rows[2][5] = "发现问题"
    result = run_import(HISTORY_LEDGER, write_xlsx(tmp_path / "x.xlsx", rows), actor=org.users.admin)
    assert [(e.row, e.column) for e in result.errors] == [(4, "检查结果")]
    assert "检查结果为“责令整改”，与本行不一致" in result.errors[0].reason


def test_station_imports_only_its_jurisdiction_and_leaders_not_at_all(org, world, tmp_path):
    shop, estate, west, *_ = world
    station_user = inspector(org.east, username="east_clerk")
    path = write_xlsx(tmp_path / "x.xlsx", good_rows(world))
    result = run_import(HISTORY_LEDGER, path, actor=station_user)
    assert [(e.row, e.column) for e in result.errors] == [(6, "统一社会信用代码")]
    assert "不在您的辖区范围内" in result.errors[0].reason
    with pytest.raises(PermissionDenied):
        run_import(HISTORY_LEDGER, path, actor=org.users.leader)



def test_missing_column_rejects_the_file(org, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["2026-05-06", "日常检查", "", "", "", ""]], headers=HISTORY_HEADERS[:2] + HISTORY_HEADERS[3:])
    result = run_import(HISTORY_LEDGER, path, actor=org.users.admin)
    assert result.file_error and "统一社会信用代码" in result.file_error


def test_csv_in_gbk_is_read(org, world, tmp_path):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HISTORY_HEADERS, *good_rows(world)])  # quotes the cell "A,B"
    path = tmp_path / "历史检查.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    result = run_import(HISTORY_LEDGER, path, actor=org.users.admin)
    assert result.accepted, (result.file_error, result.errors)
    assert Inspection.objects.count() == 4


def test_command_imports_and_reports_errors_with_a_workbook(org, world, tmp_path, capsys):
    assert "inspections" in get_ledger("inspections").name
    path = write_xlsx(tmp_path / "历史检查.xlsx", good_rows(world))
    call_command("import", "inspections", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "校验通过" in out and "将导入检查 4 次" in out and "发现问题 3 条（其中已整改完成 1 条）" in out
    assert not Inspection.objects.exists()
    call_command("import", "inspections", str(path))
    out = capsys.readouterr().out
    assert "已导入检查 4 次" in out and Inspection.objects.count() == 4

    with pytest.raises(CommandError, match="导入被拒绝"):
        call_command("import", "inspections", str(path))
    err = capsys.readouterr().err
    assert "整个文件未写入任何数据" in err
    report = openpyxl.load_workbook(errors_path(path)).active
    assert [c.value for c in report[1]] == [*HISTORY_HEADERS, "错误原因"]
    assert "不能再次导入" in report.cell(row=2, column=len(HISTORY_HEADERS) + 1).value
    assert Inspection.objects.count() == 4


def test_findings_ledger_is_export_only(org, tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["1"]], headers=["问题编号"])
    with pytest.raises(CommandError, match="只能导出"):
        call_command("import", "findings", str(path))
    with pytest.raises(CommandError, match="不支持 --create-operators"):
        call_command("import", "inspections", str(path), "--create-operators")
    with pytest.raises(DomainError, match="只能导出"):
        run_import(get_ledger("inspections"), path)


def test_historical_closure_only_for_imported_open_findings(org, world, tmp_path):
    _, finding, inspectors = inspection_with_finding(org)
    with pytest.raises(DomainError, match="只有导入的历史检查"):
        finding_import_closed(actor=inspectors[0], pk=finding.pk, closed_on=dt.date(2026, 9, 10))
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_numbers_follow_the_dates_whatever_the_row_order(org, world, tmp_path):
    path = write_xlsx(tmp_path / "reversed.xlsx", list(reversed(good_rows(world))))
    assert run_import(HISTORY_LEDGER, path, actor=org.users.admin).accepted
    by_number = list(Inspection.objects.order_by("number").values_list("date", flat=True))
    assert by_number == sorted(by_number)
