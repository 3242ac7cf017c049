"""投诉举报台账: the import of the national 12315 platform's export (through complaint_receive, all or
nothing, known numbers skipped) and the ledger export (clocks, masking, disclosures, scope, filters)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import include, path, reverse

from jianguan import urls as root_urls
from jianguan.complaints import urls as complaint_urls
from jianguan.complaints import urls_ledger
from jianguan.complaints.choices import Category, Channel, Kind, Status
from jianguan.complaints.models import Complaint, Disclosure, Event
from jianguan.complaints.resources import COMPLAINT_LEDGER, EXPORT_HEADERS, IMPORT_HEADERS
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import REASON_HEADER, errors_path, get_ledger, run_export, run_import
from jianguan.core.models import ImportBatch
from jianguan.org.models import User

from .. import sheets
from ..factories import BusinessFactory
from .conftest import at
from .official import add_working_days

# The ledger pages within the "complaints" namespace, as jianguan/complaints/urls.py includes them.
urlpatterns = [
    path("complaints/", include(([*complaint_urls.urlpatterns, path("", include(urls_ledger))], "complaints")))
    if getattr(pattern, "namespace", None) == "complaints" else pattern
    for pattern in root_urls.urlpatterns
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

HOLIDAY_DATES = [dt.date(2026, 9, 30), dt.date(2026, 10, 9), dt.date(2026, 12, 28)]
MILK = "在该超市购买的牛奶已过保质期，要求退一赔十。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def row(shop=None, *, number="GJ202609300001", received="2026-09-30 10:15:00", kind="投诉", name=None, uscc=None,
        address="东关大街1号", street="东关街道", content=MILK, amount="25.80", person="张三", phone="13812341234",
        channel="12315热线"):
    return [
        number, received, kind, shop.name if name is None and shop else (name or ""),
        shop.uscc if uscc is None and shop else (uscc or ""), address, street, content, amount, person, phone, channel,
    ]


def write_xlsx(path, rows, headers=IMPORT_HEADERS):
    return sheets.write_xlsx(path, rows, headers)


def read_xlsx(path) -> list[dict]:
    sheet = openpyxl.load_workbook(path).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def importing(path, actor=None, **kw):
    return run_import(COMPLAINT_LEDGER.for_run(), path, actor=actor, **kw)


def exporting(tmp_path, actor=None, name="台账.xlsx", **kw) -> list[dict]:
    out = tmp_path / name
    ledger = COMPLAINT_LEDGER.for_export(**kw) if kw else get_ledger("complaints")
    run_export(ledger, out, actor=actor)
    if out.suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    return read_xlsx(out)


def grant_personal_info(user) -> User:
    user.user_permissions.add(Permission.objects.get(codename="view_personal_info", content_type__app_label="complaints"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


@pytest.fixture
def west_shop(org):
    return BusinessFactory(name="西关饭店", subdistrict=org.subs["xiguan"])


# ---------------------------------------------------------------- import


def test_each_row_is_registered_like_any_other_channel(org, shop, tmp_path):
    rows = [
        row(shop),
        # Without a USCC the street routes it; a report needs no complainant.
        row(number="GJ202609300002", kind="举报", name="无名小店", uscc="", address="西关大街8号", street="西关街道",
            content="该店销售过期食品，请依法查处。", amount="", person="", phone="", channel="全国12315平台（微信）"),
        # A real Excel date cell is read as it is.
        row(number="GJ202609300003", received=dt.datetime(2026, 9, 30, 16, 5), kind="咨询", name="", uscc="", address="",
            street="", content="请问网购退货的规定？", amount="", person="李四", phone="0531-88881234"),
        # Nowhere to route it: the triage queue.
        row(number="GJ202609300004", received="2026年9月30日 15:20", kind="举报", name="流动摊贩", uscc="", address="不详",
            street="火星街道", content="路边摊贩售卖无证熟食。", amount="", person="", phone=""),
        # The same person, respondent and text an hour later: flagged, as on the hotline.
        row(shop, number="GJ202609300005", received="2026/9/30 11:15"),
    ]
    result = importing(write_xlsx(tmp_path / "12315.xlsx", rows), actor=org.users.dept)
    assert result.accepted, [str(e) for e in result.errors]
    assert (result.rows, result.created, result.unchanged) == (5, 5, 0)

    first, report, inquiry, stray, again = Complaint.objects.order_by("number")
    assert all(c.channel == Channel.NATIONAL and c.created_by == org.users.dept for c in (first, report, inquiry))
    assert first.number == "GJ202609300001" and first.channel_text == "12315热线"
    assert first.received_at == at(dt.date(2026, 9, 30), 10).replace(minute=15)
    assert (first.kind, first.status, first.business, first.station) == (Kind.COMPLAINT, Status.RECEIVED, shop, org.east)
    assert first.category == Category.FOOD and first.amount == Decimal("25.80")
    assert (first.accept_due, first.accept_due_provisional) == add_working_days(dt.date(2026, 9, 30), 7)
    assert (report.kind, report.status, report.station, report.channel_text) == (
        Kind.REPORT, Status.VERIFYING, org.west, "全国12315平台（微信）")
    assert report.filing_due == add_working_days(dt.date(2026, 9, 30), 15)[0] and report.accept_due is None
    assert (inquiry.kind, inquiry.status, inquiry.complainant_phone) == (Kind.INQUIRY, Status.RECEIVED, "0531-88881234")
    assert inquiry.received_at == at(dt.date(2026, 9, 30), 16).replace(minute=5)
    assert stray.status == Status.TRIAGE and stray.subdistrict_text == "火星街道"
    assert stray.received_at == at(dt.date(2026, 9, 30), 15).replace(minute=20)
    assert again.duplicate_of == first and again.received_at.minute == 15
    assert Event.objects.filter(action="登记").count() == 5
    assert "全国12315平台导入" in first.events.get().note

    batch = ImportBatch.objects.get()
    assert batch.ledger == "complaints" and batch.actor == org.users.dept
    assert sorted(batch.changes["created"]) == [c.number for c in (first, report, inquiry, stray, again)]


def test_preview_notes_say_what_the_file_will_register(org, shop, tmp_path):
    ledger = COMPLAINT_LEDGER.for_run()
    path = write_xlsx(tmp_path / "12315.xlsx", [
        row(shop), row(shop, number="GJ2", received="2026-09-30 12:00"),
        row(number="GJ3", kind="举报", name="流动摊贩", uscc="", address="不详", street="", person="", phone=""),
    ])
    result = run_import(ledger, path, dry_run=True)
    assert result.accepted and result.created == 3
    assert not Complaint.objects.exists() and not ImportBatch.objects.exists()
    assert ledger.notes(dry_run=True) == [
        "将登记 3 件（投诉 2 件、举报 1 件）",
        "其中 1 件未能匹配到登记主体或街道，进入待分派队列",
        "其中 1 件与已登记的件疑似重复（同一人、同一对象、相同内容），已标注",
    ]


def test_csv_in_gbk_is_read(org, shop, tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_HEADERS)
    writer.writerow(row(shop))
    path = tmp_path / "12315.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    result = importing(path)
    assert result.accepted and Complaint.objects.get().respondent_name == shop.name


def test_known_numbers_are_skipped_and_never_overwritten(org, shop, receive, tmp_path):
    """The foundation's re-import: 新增 0、更新 0. A number on file is counted 未变, whatever the row says."""
    on_file = receive(number="GJ202609300001")
    path = write_xlsx(tmp_path / "12315.xlsx", [
        row(shop, content="平台上改过的诉求内容", phone="13999999999"),
        row(shop, number="GJ202609300002", content="另一件：面包发霉。"),
    ])
    ledger = COMPLAINT_LEDGER.for_run()
    result = run_import(ledger, path)
    assert result.accepted and (result.created, result.updated, result.unchanged) == (1, 0, 1)
    on_file.refresh_from_db()
    assert on_file.content == MILK and on_file.complainant_phone == "13812341234" and on_file.channel == Channel.HOTLINE
    assert ledger.notes()[-1] == "1 行的登记编号已登记，已跳过（不覆盖系统中的记录）"


def test_round_trip_exported_rows_reimport_as_the_same_numbers(org, shop, west_shop, today, tmp_path):
    rows = [row(shop), row(west_shop, number="GJ202609300002", kind="举报", street="西关街道", person="", phone="")]
    assert importing(write_xlsx(tmp_path / "12315.xlsx", rows)).accepted
    for name in ("台账.xlsx", "台账.csv"):
        exported = exporting(tmp_path, name=name)
        assert list(exported[0]) == list(EXPORT_HEADERS)
        assert [r["登记编号"] for r in exported] == ["GJ202609300001", "GJ202609300002"]
        again = importing(tmp_path / name)
        assert again.accepted, [str(e) for e in again.errors]
        assert (again.rows, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)
    assert sorted(Complaint.objects.values_list("number", flat=True)) == ["GJ202609300001", "GJ202609300002"]
    first = exporting(tmp_path)[0]
    assert {h: first[h] for h in IMPORT_HEADERS} == {
        "登记编号": "GJ202609300001", "登记时间": "2026-09-30 10:15:00", "类型": "投诉", "被投诉举报对象名称": shop.name,
        "被投诉举报对象统一社会信用代码": shop.uscc, "对象地址": "东关大街1号", "所属街道": "东关街道", "诉求内容": MILK,
        "涉及金额": "25.80", "投诉举报人姓名": "张*", "联系电话": "138****1234", "来源渠道": "12315热线",
    }


# A registration time later than now, whatever day the suite runs on.
FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()

BAD_ROWS = [
    ({"kind": "投拆"}, "类型", "类型“投拆”不在可选值内（投诉、举报、咨询）"),
    ({"phone": "1381234"}, "联系电话", "“1381234”不是有效的中国大陆电话号码"),
    ({"received": f"{FUTURE} 09:00:00"}, "登记时间", f"{FUTURE} 09:00 晚于当前时间"),
    ({"received": "九月三十日"}, "登记时间", "登记时间“九月三十日”无法识别"),
    ({"content": ""}, "诉求内容", "诉求内容不能为空"),
    ({"uscc": "91370102MA3C12345X"}, "被投诉举报对象统一社会信用代码", "统一社会信用代码"),
    ({"amount": "二十元"}, "涉及金额", "“二十元”不是金额"),
    ({"phone": "", "person": ""}, "联系电话", "投诉须留下投诉人姓名和联系电话"),
    ({"number": "GJ202609300001"}, "登记编号", "与第 2 行重复"),
]


BAD_ROW_IDS = ["unknown-kind", "bad-phone", "future-time", "unreadable-time", "no-content", "bad-uscc", "bad-amount",
               "complaint-without-contact", "number-twice"]


@pytest.mark.parametrize(("bad", "column", "reason"), BAD_ROWS, ids=BAD_ROW_IDS)
def test_a_bad_row_names_row_and_column_and_nothing_is_saved(org, shop, tmp_path, bad, column, reason):
    good = row(shop)
    bad_row = row(shop, **{"number": "GJ202609300002", "content": "另一件：面包发霉。", **bad})
    path = write_xlsx(tmp_path / "12315.xlsx", [good, bad_row, row(shop, number="GJ202609300003", content="第三件。")])
    result = importing(path, actor=org.users.dept)
    assert not result.accepted
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    message = str(result.errors[0])
    assert message.startswith(f"第 3 行【{column}】：") and reason in message
    # The good rows were registered in the run's transaction, and rolled back with it.
    assert not Complaint.objects.exists() and not Event.objects.exists() and not ImportBatch.objects.exists()


def test_wrong_headers_reject_the_whole_file(org, shop, tmp_path):
    headers = ["登记号" if h == "登记编号" else h for h in IMPORT_HEADERS if h != "联系电话"]
    path = write_xlsx(tmp_path / "12315.xlsx", [row(shop)[:10] + row(shop)[11:]], headers=headers)
    result = importing(path)
    assert not result.accepted and not result.errors
    assert result.file_error.startswith("缺少必填列：登记编号、联系电话。第 1 行应为表头，依次为：登记编号、登记时间、类型")
    assert not Complaint.objects.exists()


def test_leaders_may_not_import_and_stations_only_their_own(org, shop, west_shop, tmp_path):
    path = write_xlsx(tmp_path / "12315.xlsx", [
        row(shop),
        row(west_shop, number="GJ202609300002", street="西关街道"),
        row(number="GJ202609300003", name="流动摊贩", uscc="", address="不详", street=""),
    ])
    with pytest.raises(PermissionDenied, match="局领导账号只读"):
        importing(path, actor=org.users.leader)
    result = importing(path, actor=org.users.east)
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属街道"), (4, "所属街道")]
    assert "应由西关市场监管所承办，不在您的辖区范围内" in result.errors[0].reason
    assert "进入局待分派队列" in result.errors[1].reason
    assert not Complaint.objects.exists()
    assert importing(path, actor=org.users.dept).accepted


def test_the_export_ledger_is_not_an_import(org, shop, tmp_path):
    path = write_xlsx(tmp_path / "12315.xlsx", [row(shop)])
    with pytest.raises(DomainError, match="只能导出"):
        run_import(COMPLAINT_LEDGER, path)
    with pytest.raises(DomainError, match="只用于导入"):
        run_export(COMPLAINT_LEDGER.for_run(), tmp_path / "x.xlsx")


def test_command_imports_and_reports_errors_with_a_workbook(org, shop, tmp_path, capsys):
    path = write_xlsx(tmp_path / "12315.xlsx", [row(shop)])
    call_command("import", "complaints", str(path), "--dry-run")
    assert "将登记 1 件（投诉 1 件）" in capsys.readouterr().out and not Complaint.objects.exists()
    call_command("import", "complaints", str(path), "--user", "dept")
    assert Complaint.objects.get().created_by == org.users.dept
    bad = write_xlsx(tmp_path / "坏.xlsx", [row(shop, number="GJ2", phone="123")])
    with pytest.raises(CommandError, match="导入被拒绝"):
        call_command("import", "complaints", str(bad))
    report = openpyxl.load_workbook(errors_path(bad)).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0][-1] == REASON_HEADER and rows[1][-1].startswith("联系电话：")
    out = tmp_path / "导出.csv"
    call_command("export", "complaints", str(out), "--user", "west")
    assert "已导出 0 条记录" in capsys.readouterr().out


# ---------------------------------------------------------------- export: the acceptance test


def test_exported_clocks_equal_the_official_calendar_and_2027_is_provisional(org, shop, today, tmp_path):
    """Complaints and reports received on 2026-09-30, 2026-10-09 and 2026-12-28, imported from a file:
    the exported 受理期限 / 立案决定期限 are 7 / 15 working days on the official calendar; those
    reaching 2027 (no published calendar yet) say 暂定, the others 正式."""
    today(dt.date(2027, 1, 4))
    rows = []
    for day in HOLIDAY_DATES:
        stamp = f"{day:%Y%m%d}"
        rows.append(row(shop, number=f"C{stamp}", received=f"{day} 09:30:00", content=f"{day} 买到过期牛奶，要求退款。"))
        rows.append(row(shop, number=f"R{stamp}", received=f"{day} 14:00:00", kind="举报",
                        content=f"{day} 该超市销售过期牛奶，请依法查处。", person="", phone=""))
    result = importing(write_xlsx(tmp_path / "12315.xlsx", rows), actor=org.users.dept)
    assert result.accepted, [str(e) for e in result.errors]
    out = tmp_path / "台账.xlsx"
    assert run_export(get_ledger("complaints"), out, actor=org.users.dept) == 6
    exported = {r["登记编号"]: r for r in read_xlsx(out)}
    assert len(exported) == 6
    natures = {}
    for day in HOLIDAY_DATES:
        stamp = f"{day:%Y%m%d}"
        complaint, report = exported[f"C{stamp}"], exported[f"R{stamp}"]
        accept_due, accept_provisional = add_working_days(day, 7)
        filing_due, filing_provisional = add_working_days(day, 15)
        assert (complaint["受理期限"], complaint["立案决定期限"], complaint["调解期限"]) == (accept_due.isoformat(), None, None)
        assert (report["立案决定期限"], report["受理期限"]) == (filing_due.isoformat(), None)
        assert complaint["期限性质"] == ("暂定" if accept_provisional else "正式")
        assert report["期限性质"] == ("暂定" if filing_provisional else "正式")
        natures[complaint["受理期限"]] = complaint["期限性质"]
        natures[report["立案决定期限"]] = report["期限性质"]
    # Spelled out: the deadlines in 2027 are provisional, all the others final.
    assert natures == {due: "暂定" if due.startswith("2027") else "正式" for due in natures}
    assert [exported[n]["期限性质"] for n in ("C20261228", "R20261228")] == ["暂定", "暂定"]
    assert exported["C20261228"]["受理期限"] == "2027-01-06"
    assert exported["C20260930"]["受理期限"] == "2026-10-15"  # the National Day holidays are skipped


# ---------------------------------------------------------------- export: personal data, scope, filters


@pytest.fixture
def ledger_rows(org, shop, west_shop, receive):
    """East: a complaint and an anonymous report; west: a complaint; the triage queue: a report."""
    east = receive(number="E1")
    anonymous = receive(Kind.REPORT, number="E2", content="该超市销售过期牛奶。", complainant_name="", complainant_phone="")
    west = receive(number="W1", respondent_name=west_shop.name, respondent_uscc=west_shop.uscc, complainant_name="欧阳娜娜",
                   complainant_phone="0531-88881234", day=dt.date(2026, 10, 9))
    stray = receive(Kind.REPORT, number="T1", respondent_name="流动摊贩", respondent_uscc="", respondent_address="不详",
                    content="路边摊贩售卖无证熟食。", day=dt.date(2026, 10, 9))
    return east, anonymous, west, stray


def test_personal_data_is_masked_by_default(org, ledger_rows, tmp_path):
    exported = {r["登记编号"]: r for r in exporting(tmp_path, actor=org.users.dept)}
    assert (exported["E1"]["投诉举报人姓名"], exported["E1"]["联系电话"]) == ("张*", "138****1234")
    assert (exported["W1"]["投诉举报人姓名"], exported["W1"]["联系电话"]) == ("欧***", "0531-****1234")
    assert (exported["E2"]["投诉举报人姓名"], exported["E2"]["联系电话"]) == (None, None)
    assert not Disclosure.objects.exists()
    with pytest.raises(PermissionDenied, match="没有查看投诉举报人个人信息的权限"):
        exporting(tmp_path, actor=org.users.dept, unmasked=True)


def test_unmasked_only_with_the_permission_and_each_record_disclosed(org, ledger_rows, tmp_path):
    east, anonymous, west, stray = ledger_rows
    user = grant_personal_info(org.users.dept)
    exported = {r["登记编号"]: r for r in exporting(tmp_path, actor=user, unmasked=True, ip="10.0.0.8")}
    assert (exported["E1"]["投诉举报人姓名"], exported["E1"]["联系电话"]) == ("张三", "13812341234")
    assert exported["W1"]["联系电话"] == "0531-88881234"
    # One disclosure per exported record that shows a person (the anonymous report shows none).
    disclosures = Disclosure.objects.order_by("complaint__number")
    assert [(d.complaint, d.user, d.purpose, d.ip) for d in disclosures] == [
        (east, user, "导出", "10.0.0.8"), (stray, user, "导出", "10.0.0.8"), (west, user, "导出", "10.0.0.8"),
    ]


def test_a_station_exports_only_its_own_rows(org, ledger_rows, tmp_path):
    assert [r["登记编号"] for r in exporting(tmp_path, actor=org.users.east)] == ["E1", "E2"]
    assert [r["登记编号"] for r in exporting(tmp_path, actor=org.users.west)] == ["W1"]
    everything = exporting(tmp_path, actor=org.users.dept)
    assert [r["登记编号"] for r in everything] == ["E1", "E2", "T1", "W1"]  # by 登记时间, then number
    by_number = {r["登记编号"]: r for r in everything}
    assert (by_number["E1"]["承办单位"], by_number["E1"]["处理状态"]) == ("东关市场监管所", "待受理")
    assert (by_number["T1"]["承办单位"], by_number["T1"]["处理状态"], by_number["T1"]["所属街道"]) == (None, "待分派", None)


def test_filters_as_on_the_list_page(org, ledger_rows, tmp_path):
    def numbers(**filters):
        return [r["登记编号"] for r in exporting(tmp_path, actor=org.users.dept, filters=filters)]

    assert numbers(kind=Kind.REPORT) == ["E2", "T1"]
    assert numbers(status=Status.TRIAGE) == ["T1"]
    assert numbers(received_from=dt.date(2026, 10, 1)) == ["T1", "W1"]
    assert numbers(received_to=dt.date(2026, 9, 30), kind=Kind.COMPLAINT) == ["E1"]
    assert numbers(respondent="西关饭店") == ["W1"]


# ---------------------------------------------------------------- pages


def xlsx_upload(rows, name="12315导出.xlsx"):
    buffer = io.BytesIO()
    write_xlsx(buffer, rows)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_import_pages_upload_preview_confirm(client, org, shop, settings):
    client.force_login(org.users.dept)
    page = client.get(reverse("complaints:ledger_import"))
    assert page.status_code == 200 and "上传并预览" in page.content.decode()
    response = client.post(reverse("complaints:ledger_import"), {"file": xlsx_upload([row(shop)])})
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url)
    text = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in text and "将登记 1 件（投诉 1 件）" in text
    assert not Complaint.objects.exists()
    done = client.post(preview_url)
    assert done.status_code == 200 and "导入完成" in done.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.NATIONAL and complaint.created_by == org.users.dept
    assert client.post(preview_url).status_code == 404  # the upload is gone once written
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())
    # Importing the same file again: nothing new, the number is skipped.
    preview_url = client.post(reverse("complaints:ledger_import"), {"file": xlsx_upload([row(shop)])})["Location"]
    assert "1 行的登记编号已登记，将跳过" in client.get(preview_url).content.decode()


def test_import_preview_lists_errors_and_offers_the_report(client, org, shop):
    client.force_login(org.users.dept)
    rows = [row(shop), row(shop, number="GJ2", kind="投拆"), row(shop, number="GJ3", phone="123")]
    preview_url = client.post(reverse("complaints:ledger_import"), {"file": xlsx_upload(rows)})["Location"]
    text = client.get(preview_url).content.decode()
    assert "确认导入" not in text
    assert "第 3 行" in text and "类型“投拆”不在可选值内" in text
    assert "第 4 行" in text and "“123”不是有效的中国大陆电话号码" in text
    report = client.get(reverse("complaints:ledger_import_errors", args=[preview_url.rstrip("/").rsplit("/", 1)[-1]]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    assert client.post(preview_url).status_code == 400
    assert not Complaint.objects.exists()


def test_import_pages_refuse_leaders_and_other_uploads(client, org, shop):
    client.force_login(org.users.leader)
    assert client.get(reverse("complaints:ledger_import")).status_code == 403
    client.force_login(org.users.dept)
    preview_url = client.post(reverse("complaints:ledger_import"), {"file": xlsx_upload([row(shop)])})["Location"]
    pdf = io.BytesIO(b"%PDF")
    pdf.name = "a.pdf"
    response = client.post(reverse("complaints:ledger_import"), {"file": pdf})
    assert response.status_code == 400 and "只能导入 .xlsx 或 .csv" in response.content.decode()
    client.force_login(org.users.admin)
    assert client.get(preview_url).status_code == 404


def _download(response) -> list[dict]:
    assert response.status_code == 200, response.content.decode()
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_export_page_masks_scopes_filters_and_records_disclosures(client, org, ledger_rows):
    client.force_login(org.users.east)
    page = client.get(reverse("complaints:ledger_export") + "?kind=report&received_from=2026-09-01")
    text = page.content.decode()
    assert page.status_code == 200 and "导出完整的投诉举报人姓名" not in text
    assert page.context["form"].initial == {"kind": "report", "received_from": "2026-09-01"}
    rows = _download(client.post(reverse("complaints:ledger_export"), {"format": "xlsx"}))
    assert [(r["登记编号"], r["联系电话"]) for r in rows] == [("E1", "138****1234"), ("E2", None)]
    # Ticking the box without the permission is refused, and nothing is disclosed.
    response = client.post(reverse("complaints:ledger_export"), {"format": "xlsx", "unmasked": "on"})
    assert response.status_code == 403 and not Disclosure.objects.exists()

    user = grant_personal_info(org.users.dept)
    client.force_login(user)
    assert "导出完整的投诉举报人姓名" in client.get(reverse("complaints:ledger_export")).content.decode()
    rows = _download(client.post(reverse("complaints:ledger_export"), {"format": "xlsx", "kind": "complaint"}))
    assert [(r["登记编号"], r["联系电话"]) for r in rows] == [("E1", "138****1234"), ("W1", "0531-****1234")]
    assert not Disclosure.objects.exists()  # masked unless the box is ticked
    rows = _download(client.post(reverse("complaints:ledger_export"), {"format": "xlsx", "kind": "complaint", "unmasked": "on"}))
    assert [(r["登记编号"], r["投诉举报人姓名"]) for r in rows] == [("E1", "张三"), ("W1", "欧阳娜娜")]
    assert sorted(Disclosure.objects.values_list("complaint__number", "purpose", "ip")) == [
        ("E1", "导出", "127.0.0.1"), ("W1", "导出", "127.0.0.1")]

    response = client.post(reverse("complaints:ledger_export"), {"format": "csv", "status": Status.TRIAGE})
    assert response.status_code == 200 and ".csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(EXPORT_HEADERS) and "T1" in body and "E1" not in body
    bad = client.post(reverse("complaints:ledger_export"), {"format": "xlsx", "received_from": "2026-10-09", "received_to": "2026-10-01"})
    assert bad.status_code == 400 and "早于开始日期" in bad.content.decode()
