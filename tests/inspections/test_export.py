"""`jianguan export inspections|findings`: 监督检查台账 and 隐患问题台账, scoped to the actor."""

import csv
import datetime as dt

import openpyxl
import pytest
from django.core.management import call_command

from jianguan.core.importing import get_ledger, run_export, run_import
from jianguan.inspections.choices import DocumentKind, Escalation, InspectionKind, InspectionStatus
from jianguan.inspections.resources import (
    FINDING_EXPORT_HEADERS,
    HISTORY_HEADERS,
    HISTORY_LEDGER,
    INSPECTION_EXPORT_HEADERS,
)
from jianguan.inspections.services.campaigns import campaign_create
from jianguan.inspections.services.findings import (
    document_issue,
    finding_escalate,
    finding_recheck,
    finding_report,
)
from jianguan.inspections.services.inspections import inspection_create

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from .factories import inspection_with_finding, inspector, team

pytestmark = pytest.mark.django_db


def read(path):
    sheet = openpyxl.load_workbook(path).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    return rows[0], rows[1:]


@pytest.fixture
def records(org):
    """An east inspection in a campaign with two findings in different states, and a west one."""
    estate = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关物业有限公司")
    lift = EquipmentFactory(operator=estate, subdistrict=org.subs["dongguan"], reg_code="31103701990000000001")
    campaign = campaign_create(
        actor=org.users.dept, code="ZQSH", name="中秋守护", start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 10),
        lead_department=org.dept,
    )
    inspection, finding, inspectors = inspection_with_finding(
        org, date=dt.date(2026, 9, 24), deadline=dt.date(2026, 9, 30), campaign=campaign, business=estate, equipment=lift,
    )
    document_issue(actor=inspectors[0], inspection=inspection, kind=DocumentKind.SUPERVISION_ORDER, findings=[finding],
                   issued_on=dt.date(2026, 9, 24))
    finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 30), text="已修复")
    finding.refresh_from_db()
    checkers = team(org.east)
    finding_recheck(actor=checkers[0], pk=finding.pk, version=finding.version, date=dt.date(2026, 10, 12), passed=True, inspectors=checkers)
    west_shop = BusinessFactory(subdistrict=org.subs["xiguan"], name="西关饭店")
    west_officer = inspector(org.west)
    _, west_finding, _ = inspection_with_finding(
        org, date=dt.date(2026, 10, 9), deadline=dt.date(2026, 10, 20), business=west_shop, actor=west_officer,
    )
    west_finding.refresh_from_db()
    finding_escalate(actor=west_officer, pk=west_finding.pk, version=west_finding.version, escalation=Escalation.CASE_LEAD,
                     on=dt.date(2026, 10, 21), reason="逾期未整改")
    self_check = inspection_create(
        actor=org.users.admin, kind=InspectionKind.SELF, business=west_shop, date=dt.date(2026, 10, 1), performed_by="企业安全员",
    )
    return inspection, finding, inspectors, west_finding, self_check


def test_inspection_ledger_headers_and_values(org, records, tmp_path):
    inspection, finding, inspectors, _, self_check = records
    path = tmp_path / "检查.xlsx"
    assert run_export(get_ledger("inspections"), path) == 4  # two inspections, the re-check, the self-check
    headers, rows = read(path)
    assert headers == list(INSPECTION_EXPORT_HEADERS)
    assert openpyxl.load_workbook(path).active.title == "监督检查台账"
    by_number = {r[0]: dict(zip(headers, r, strict=True)) for r in rows}
    first = by_number[inspection.number]
    assert first == {
        "检查编号": inspection.number,
        "检查日期": "2026-09-24",
        "检查类型": "日常检查",
        "统一社会信用代码": inspection.business.uscc,
        "单位名称": "东关物业有限公司",
        "所属街道": "东关街道",
        "设备注册代码": "31103701990000000001",
        "检查人员执法证号": "、".join(u.cert_no for u in inspectors),
        "检查人员": "、".join(u.full_name for u in inspectors),
        "实施人": None,
        "检查结果": "责令整改",
        "专项行动": "中秋守护",
        "状态": "已完成",
        "发现问题数": "1",
    }
    recheck = next(r for r in by_number.values() if r["检查类型"] == "回头看")
    assert recheck["检查日期"] == "2026-10-12" and recheck["发现问题数"] == "0" and recheck["专项行动"] is None
    own = by_number[self_check.number]
    assert own["实施人"] == "企业安全员" and own["检查人员执法证号"] is None and own["状态"] == InspectionStatus.SCHEDULED.label
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # by date


def test_finding_ledger_headers_and_values(org, records, tmp_path):
    _, finding, _, west_finding, _ = records
    path = tmp_path / "问题.xlsx"
    assert run_export(get_ledger("findings"), path) == 2
    headers, rows = read(path)
    assert headers == list(FINDING_EXPORT_HEADERS)
    closed, escalated = (dict(zip(headers, r, strict=True)) for r in rows)
    assert closed == {
        "问题编号": str(finding.pk),
        "发现日期": "2026-09-24",
        "统一社会信用代码": finding.business.uscc,
        "单位名称": "东关物业有限公司",
        "设备注册代码": "31103701990000000001",
        "隐患等级": "一般",
        "问题描述": "灭火器过期",
        "法律依据": None,
        "整改期限": "2026-09-30",
        "状态": "整改完成",
        "整改报告日期": "2026-09-30",
        "复查期限": "2026-10-20",
        "整改完成日期": "2026-10-12",
        "升级处置": None,
    }
    assert escalated["状态"] == "已升级处置" and escalated["升级处置"] == "移交立案线索（2026-10-21）"
    assert escalated["单位名称"] == "西关饭店" and escalated["整改完成日期"] is None


def test_exports_are_scoped_to_a_station(org, records, tmp_path):
    east_user = inspector(org.east, username="east_exporter")
    path = tmp_path / "东关.xlsx"
    assert run_export(get_ledger("findings"), path, actor=east_user) == 1
    assert run_export(get_ledger("inspections"), path, actor=east_user) == 2
    _, rows = read(path)
    assert {r[5] for r in rows} == {"东关街道"}
    assert run_export(get_ledger("inspections"), path, actor=org.users.dept) == 4


def test_export_command_writes_csv(org, records, tmp_path, capsys):
    path = tmp_path / "问题.csv"
    call_command("export", "findings", str(path))
    assert "已导出 2 条记录" in capsys.readouterr().out
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(FINDING_EXPORT_HEADERS) and len(rows) == 3
    call_command("export", "inspections", str(tmp_path / "检查.xlsx"), "--user", "east")
    assert "已导出 2 条记录" in capsys.readouterr().out  # the east station's inspection and its re-check


def test_imported_history_comes_out_in_both_ledgers(org, tmp_path):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关食品超市")
    a, b = team(org.east)
    source = tmp_path / "历史.xlsx"
    book = openpyxl.Workbook()
    book.active.append(list(HISTORY_HEADERS))
    certs = f"{a.cert_no}、{b.cert_no}"
    book.active.append(["2026-05-06", "日常检查", shop.uscc, "", certs, "发现问题", "过期食品", "2026-05-10", "2026-05-09"])
    book.active.append(["2026-05-06", "日常检查", shop.uscc, "", certs, "发现问题", "标签不全", "2026-05-12", ""])
    book.save(source)
    assert run_import(HISTORY_LEDGER, source, actor=org.users.admin).accepted

    path = tmp_path / "检查.xlsx"
    assert run_export(get_ledger("inspections"), path) == 1
    headers, rows = read(path)
    exported = dict(zip(headers, rows[0], strict=True))
    assert (exported["检查日期"], exported["检查类型"], exported["统一社会信用代码"], exported["检查人员执法证号"]) == (
        "2026-05-06", "日常检查", shop.uscc, certs)
    assert (exported["检查结果"], exported["状态"], exported["发现问题数"]) == ("发现问题", "已完成", "2")

    assert run_export(get_ledger("findings"), path) == 2
    headers, rows = read(path)
    found = [dict(zip(headers, r, strict=True)) for r in rows]
    assert [(f["问题描述"], f["状态"], f["整改期限"], f["整改完成日期"]) for f in found] == [
        ("过期食品", "整改完成", "2026-05-10", "2026-05-09"),
        ("标签不全", "待整改", "2026-05-12", None),
    ]
