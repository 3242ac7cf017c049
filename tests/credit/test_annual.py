"""Annual reports: the ledger (import, refusals, export), a single filing, the marks a filing restores,
and the 年报率 figures with their drill-downs."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import get_ledger, run_export, run_import
from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.credit.choices import EntryStatus, RemovalReason
from jianguan.credit.models import AbnormalEntry, AnnualReport
from jianguan.credit.services.annual import annual_report_file

from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import AnnualReportFactory, entry

pytestmark = pytest.mark.django_db


def _xlsx(path, rows, headers=("统一社会信用代码", "年度", "报送日期")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


@pytest.fixture
def org():
    return make_org()


def test_import_upserts_by_business_and_year_and_exports_the_same(org, tmp_path):
    a = BusinessFactory(subdistrict=org.subs["dongguan"])
    b = BusinessFactory(subdistrict=org.subs["xiguan"], entity_type="individual")
    AnnualReportFactory(business=a, year=2024, filed_on=dt.date(2025, 5, 1))
    path = _xlsx(tmp_path / "ar.xlsx", [
        (a.uscc, "2024", "2025-04-02"),      # known: new date
        (a.uscc, 2025, dt.date(2026, 3, 1)),  # new year for the same business
        (b.uscc, "2025年", "2026/6/30"),
    ])
    result = run_import(get_ledger("annual_reports"), path)
    assert result.accepted, result.errors
    assert (result.created, result.updated) == (2, 1)
    assert AnnualReport.objects.get(business=a, year=2024).filed_on == dt.date(2025, 4, 2)
    assert AnnualReport.objects.get(business=b, year=2025).filed_on == dt.date(2026, 6, 30)
    again = run_import(get_ledger("annual_reports"), path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    out = tmp_path / "export.xlsx"
    assert run_export(get_ledger("annual_reports"), out) == 3
    ws = load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["统一社会信用代码", "年度", "报送日期"]
    assert sorted(rows[1:]) == sorted([[a.uscc, "2024", "2025-04-02"], [a.uscc, "2025", "2026-03-01"],
                                       [b.uscc, "2025", "2026-06-30"]])
    # export -> import round-trips unchanged
    back = run_import(get_ledger("annual_reports"), out)
    assert (back.created, back.updated, back.unchanged) == (0, 0, 3)


def test_bad_rows_are_refused_with_row_column_and_reason_and_nothing_is_written(org, tmp_path):
    a = BusinessFactory(subdistrict=org.subs["dongguan"])
    other = BusinessFactory(subdistrict=org.subs["dongguan"])
    unknown = BusinessFactory.build().uscc
    today = dt.date.today()
    path = _xlsx(tmp_path / "bad.xlsx", [
        (a.uscc, "2025", "2026-03-01"),              # fine, but the file has bad rows
        (unknown, "2025", "2026-03-01"),             # not registered
        (a.uscc, "二〇二四", "2025-03-01"),           # bad year
        (a.uscc, "2023", "2023-12-31"),              # before the window opens
        (other.uscc, str(today.year - 1), (today + dt.timedelta(days=1)).isoformat()),  # future
        (a.uscc, str(today.year), today.isoformat()),  # the current year cannot be reported yet
        (a.uscc, "2025", "2026-04-01"),              # the same business and year twice
    ])
    result = run_import(get_ledger("annual_reports"), path)
    assert not result.accepted
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "统一社会信用代码"), (4, "年度"), (5, "报送日期"), (6, "报送日期"), (7, "年度"), (8, "统一社会信用代码")}
    reasons = {e.row: e.reason for e in result.errors}
    assert "不是已登记的市场主体" in reasons[3]
    assert "早于 2024-01-01" in reasons[5]
    assert "晚于今天" in reasons[6]
    assert "重复" in reasons[8]
    assert AnnualReport.objects.count() == 0


def test_station_imports_only_its_businesses_and_leadership_not_at_all(org, tmp_path):
    east_b = BusinessFactory(subdistrict=org.subs["dongguan"])
    west_b = BusinessFactory(subdistrict=org.subs["xiguan"])
    path = _xlsx(tmp_path / "s.xlsx", [(east_b.uscc, "2025", "2026-03-01"), (west_b.uscc, "2025", "2026-03-01")])
    result = run_import(get_ledger("annual_reports"), path, actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    with pytest.raises(PermissionDenied):
        run_import(get_ledger("annual_reports"), path, actor=org.users.leader)


def test_cli_import(org, tmp_path):
    a = BusinessFactory(subdistrict=org.subs["dongguan"])
    path = _xlsx(tmp_path / "cli.xlsx", [(a.uscc, "2025", "2026-03-01")])
    call_command("import", "annual_reports", str(path), stdout=io.StringIO())
    assert AnnualReport.objects.filter(business=a, year=2025).exists()


def test_filing_restores_an_individual_business_mark_in_the_same_import(org, tmp_path):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="individual")
    company = BusinessFactory(subdistrict=org.subs["dongguan"])
    old_mark = entry(shop, report_year=2024, listed_on=dt.date(2025, 7, 20))
    mark = entry(shop, report_year=2025, listed_on=dt.date(2026, 7, 20))
    listing = entry(company, report_year=2025, listed_on=dt.date(2026, 7, 20))
    path = _xlsx(tmp_path / "late.xlsx", [(shop.uscc, "2025", "2026-08-03"), (company.uscc, "2025", "2026-08-03")])
    assert run_import(get_ledger("annual_reports"), path).accepted
    for e in (old_mark, mark):
        e.refresh_from_db()
        assert (e.status, e.removal_reason, e.removed_on) == (EntryStatus.REMOVED, RemovalReason.FILED, dt.date(2026, 8, 3))
    listing.refresh_from_db()
    assert listing.status == EntryStatus.LISTED  # a listed enterprise leaves only on application


def test_single_filing_restores_the_mark_not_before_its_listing_and_not_a_later_year(org):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="individual")
    mark = entry(shop, report_year=2024, listed_on=dt.date(2025, 7, 20))
    later = entry(shop, report_year=2025, listed_on=dt.date(2026, 7, 20))
    # filed on a day before the mark was decided (the filing arrived late in jianguan)
    annual_report_file(actor=org.users.east, business=shop, year=2024, filed_on=dt.date(2025, 7, 10))
    mark.refresh_from_db()
    later.refresh_from_db()
    assert (mark.status, mark.removed_on) == (EntryStatus.REMOVED, dt.date(2025, 7, 20))
    assert later.status == EntryStatus.LISTED
    assert AbnormalEntry.objects.filter(status=EntryStatus.LISTED).count() == 1


def test_single_filing_is_checked_and_scoped(org):
    west_b = BusinessFactory(subdistrict=org.subs["xiguan"])
    with pytest.raises(PermissionDenied):
        annual_report_file(actor=org.users.east, business=west_b, year=2025, filed_on=dt.date(2026, 3, 1))
    with pytest.raises(DomainError) as exc:
        annual_report_file(actor=org.users.west, business=west_b, year=2025, filed_on=dt.date(2025, 12, 31))
    assert exc.value.extra == {"field": "filed_on"}
    report = annual_report_file(actor=org.users.west, business=west_b, year=2025, filed_on=dt.date(2026, 3, 1))
    assert annual_report_file(actor=None, business=west_b, year=2025, filed_on=dt.date(2026, 3, 2)).pk == report.pk


# ---------------------------------------------------------------- figures


def _world(org):
    """2025 reports as of 2026-05-31 (window open) and 2026-12-01 (closed)."""
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    b = {
        "e_filed": BusinessFactory(subdistrict=east),
        "e_late": BusinessFactory(subdistrict=east),  # files after the first as-of date
        "e_none": BusinessFactory(subdistrict=west),
        "e_new": BusinessFactory(subdistrict=east, established_on=dt.date(2026, 1, 1)),  # not due for 2025
        "e_edge": BusinessFactory(subdistrict=east, established_on=dt.date(2025, 12, 31)),  # due
        "i_filed": BusinessFactory(subdistrict=west, entity_type="individual"),
        "i_gone_early": BusinessFactory(subdistrict=west, entity_type="individual", reg_status="deregistered",
                                        status_date=dt.date(2026, 3, 1)),
        "i_gone_late": BusinessFactory(subdistrict=west, entity_type="individual", reg_status="revoked",
                                       status_date=dt.date(2026, 7, 1)),  # after the window: due
        "c_filed": BusinessFactory(subdistrict=east, entity_type="cooperative"),
    }
    AnnualReportFactory(business=b["e_filed"], year=2025, filed_on=dt.date(2026, 2, 1))
    AnnualReportFactory(business=b["e_late"], year=2025, filed_on=dt.date(2026, 6, 15))
    AnnualReportFactory(business=b["e_none"], year=2024, filed_on=dt.date(2025, 3, 1))  # another year
    AnnualReportFactory(business=b["i_filed"], year=2025, filed_on=dt.date(2026, 1, 1))
    AnnualReportFactory(business=b["c_filed"], year=2025, filed_on=dt.date(2026, 6, 30))
    return b


KEYS = ["credit.annual_report_rate", "credit.annual_reports_due", "credit.annual_reports_filed", "credit.annual_reports_missing"]


def test_rate_due_filed_missing_per_type_and_drilldowns(org):
    b = _world(org)
    v = compute(KEYS, Params.build(as_of="2026-12-01"))  # report year 2025 by default
    assert v["credit.annual_reports_due[企业]"] == 4  # filed, late, none, edge
    assert v["credit.annual_reports_filed[企业]"] == 2
    assert v["credit.annual_reports_missing[企业]"] == 2
    assert str(v["credit.annual_report_rate[企业]"]) == "50.00"
    assert v["credit.annual_reports_due[个体工商户]"] == 2  # filed, gone late
    assert str(v["credit.annual_report_rate[个体工商户]"]) == "50.00"
    assert str(v["credit.annual_report_rate[农民专业合作社]"]) == "100.00"
    assert (v["credit.annual_reports_due"], v["credit.annual_reports_filed"]) == (7, 4)
    assert str(v["credit.annual_report_rate"]) == "57.14"

    p = Params.build(as_of="2026-12-01")
    missing = {x.pk for x in drilldown("credit.annual_reports_missing", p)}
    assert missing == {b["e_none"].pk, b["e_edge"].pk, b["i_gone_late"].pk}
    assert {x.pk for x in drilldown("credit.annual_reports_missing", p, part="企业")} == {b["e_none"].pk, b["e_edge"].pk}
    assert drilldown("credit.annual_reports_filed", p).count() == 4
    assert drilldown("credit.annual_report_rate", p, part="企业").count() == 2


def test_as_of_during_the_window_and_report_year_parameter(org):
    _world(org)
    v = compute(KEYS, Params.build(as_of="2026-05-31"))
    # i_gone_early ended 2026-03-01, before the as-of date: not due; e_late not filed yet
    assert (v["credit.annual_reports_due"], v["credit.annual_reports_filed"]) == (7, 2)
    v = compute(KEYS, Params.build(as_of="2026-02-01", report_year=2025))
    assert v["credit.annual_reports_due[个体工商户]"] == 3  # i_gone_early still there on 2026-02-01
    v = compute(KEYS, Params.build(as_of="2026-05-31", report_year=2024))
    assert v["credit.annual_reports_filed"] == 1


def test_station_scope_and_cli_json(org):
    _world(org)
    v = compute(KEYS, Params.build(as_of="2026-12-01"), actor=org.users.east)
    assert (v["credit.annual_reports_due"], v["credit.annual_reports_filed"]) == (4, 3)
    out = io.StringIO()
    call_command("figures", "credit.annual_report_rate", "credit.annual_reports_due", "--as-of", "2026-12-01",
                 "--report-year", "2025", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert "57.14" in json.dumps(data, ensure_ascii=False)
