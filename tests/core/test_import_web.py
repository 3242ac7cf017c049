"""One web import for every ledger registered for import: /imports/ lists those the user may import,
/imports/<ledger>/ uploads, previews (dry run) and confirms; long files show a progress bar fed by
htmx polling; the errors workbook is built when asked for."""

import io

import openpyxl
import pytest
from django.urls import reverse

from jianguan.core.importing import Column, Ledger, registry
from jianguan.core.importing import web as import_web
from jianguan.core.models import DocumentNumberFormat, ImportBatch
from jianguan.equipment.models import Equipment
from jianguan.equipment.resources import EQUIPMENT_HEADERS
from jianguan.org.models import Subdistrict

from ..equipment.test_import import row as equipment_row
from ..factories import BusinessFactory, make_uscc
from ..sheets import xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx_file(headers, rows, name="台账.xlsx"):
    return xlsx_upload(rows, headers, name)


def upload(client, ledger, headers, rows, **extra):
    response = client.post(reverse("imports:upload", args=[ledger]), {"file": xlsx_file(headers, rows), **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


@pytest.fixture
def operator(org):
    return BusinessFactory(subdistrict=org.subs["dongguan"], name="东关物业有限公司")


# ---------------------------------------------------------------- the list of ledgers


def test_list_shows_the_ledgers_each_user_may_import(client, org):
    client.force_login(org.users.dept)
    page = client.get(reverse("imports:list")).content.decode()
    for label in ("市场主体", "特种设备", "特种设备生产单位", "历史监督检查", "全国12315平台数据"):
        assert label in page, label
    assert reverse("imports:upload", args=["equipment"]) in page
    assert reverse("imports:upload", args=["subdistricts"]) not in page  # administrators only
    assert "隐患问题台账" not in page  # export only
    client.force_login(org.users.admin)
    assert reverse("imports:upload", args=["subdistricts"]) in client.get(reverse("imports:list")).content.decode()
    client.force_login(org.users.leader)
    page = client.get(reverse("imports:list")).content.decode()
    assert "没有可以导入的台账" in page and reverse("imports:upload", args=["equipment"]) not in page


def test_unknown_ledger_is_404_and_refused_ledger_403(client, org):
    client.force_login(org.users.dept)
    assert client.get(reverse("imports:upload", args=["nope"])).status_code == 404
    refused = client.get(reverse("imports:upload", args=["subdistricts"]))
    assert refused.status_code == 403 and "只有系统管理员可以导入街道和监管所" in refused.content.decode()
    assert client.get(reverse("imports:upload", args=["findings"])).status_code == 403


# ---------------------------------------------------------------- ledgers that were CLI-only


def test_equipment_upload_preview_confirm(client, org, operator):
    client.force_login(org.users.dept)
    page = client.get(reverse("imports:upload", args=["equipment"])).content.decode()
    assert "导入特种设备" in page and "设备注册代码" in page and "上传并预览" in page
    rows = [equipment_row(reg="31103701020000000001", uscc=operator.uscc),
            equipment_row(reg="31103701020000000002", uscc=operator.uscc)]
    preview_url = upload(client, "equipment", EQUIPMENT_HEADERS, rows)
    assert preview_url == reverse("imports:preview", args=["equipment", preview_url.rstrip("/").rsplit("/", 1)[-1]])
    preview = client.get(preview_url)
    text = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in text and "新增" in text
    assert not Equipment.objects.exists()
    done = client.post(preview_url)
    text = done.content.decode()
    assert done.status_code == 200 and "导入完成" in text
    assert reverse("equipment:list") in text  # to the rows just written
    assert sorted(Equipment.objects.values_list("reg_code", flat=True)) == ["31103701020000000001", "31103701020000000002"]
    assert ImportBatch.objects.get().ledger == "equipment"
    assert client.post(preview_url).status_code == 404


def test_equipment_option_creates_operators_to_verify(client, org):
    client.force_login(org.users.dept)
    page = client.get(reverse("imports:upload", args=["equipment"])).content.decode()
    assert 'name="create_operators"' in page
    code = make_uscc()
    rows = [equipment_row(uscc=code, name="待核实物业有限公司")]
    without = client.get(upload(client, "equipment", EQUIPMENT_HEADERS, rows)).content.decode()
    assert "确认导入" not in without
    preview_url = upload(client, "equipment", EQUIPMENT_HEADERS, rows, create_operators="on")
    text = client.get(preview_url).content.decode()
    assert f"将新建待核实使用单位 1 家：待核实物业有限公司（{code}）" in text
    assert "新建待核实使用单位 1 家" in client.post(preview_url).content.decode()
    assert Equipment.objects.get().operator.needs_verification


def test_subdistricts_by_an_administrator(client, org):
    client.force_login(org.users.admin)
    preview_url = upload(client, "subdistricts", ["街道代码", "街道名称", "所属监管所"],
                         [["370102009", "新设街道", "东关市场监管所"]])
    assert client.post(preview_url).status_code == 200
    assert Subdistrict.objects.get(code="370102009").station == org.east


def test_errors_workbook_is_built_when_asked_and_names_each_reason(client, org, operator, settings):
    client.force_login(org.users.dept)
    rows = [equipment_row(uscc=operator.uscc), equipment_row(uscc=operator.uscc, kind="飞船")]
    preview_url = upload(client, "equipment", EQUIPMENT_HEADERS, rows)
    text = client.get(preview_url).content.decode()
    assert "第 3 行" in text and "飞船" in text and "确认导入" not in text
    assert not list((settings.MEDIA_ROOT / "imports").rglob("*.errors.xlsx"))  # nothing built for the preview
    report = client.get(preview_url + "errors/")
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "错误原因" and values[1][-1] is None and "飞船" in values[2][-1]


# ---------------------------------------------------------------- long files: progress by htmx


def test_long_file_runs_through_htmx_with_progress(client, org, operator, monkeypatch):
    monkeypatch.setattr(import_web, "INLINE_BYTES", 0)  # every file counts as long
    client.force_login(org.users.dept)
    rows = [equipment_row(uscc=operator.uscc) for _ in range(3)]
    preview_url = upload(client, "equipment", EQUIPMENT_HEADERS, rows)
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(preview_url).content.decode()
    run_url = reverse("imports:run", args=["equipment", token])
    progress_url = reverse("imports:progress", args=["equipment", token])
    assert f'hx-post="{run_url}"' in page and f'hx-get="{progress_url}"' in page
    assert "<script" not in page.split("</head>", 1)[1]  # no inline script: the CSP forbids it
    htmx = {"HTTP_HX_REQUEST": "true"}
    checked = client.post(run_url, {"mode": "check"}, **htmx).content.decode()
    assert "确认导入" in checked and "<html" not in checked
    progress = client.get(progress_url, **htmx)
    assert progress.status_code == 286  # htmx stops polling
    assert 'value="3"' in progress.content.decode() and "3 / 3" in progress.content.decode()
    started = client.post(preview_url, **htmx).content.decode()  # 确认导入 starts the write
    assert f'hx-post="{run_url}"' in started and "hx-vals='{\"mode\": \"write\"}'" in started
    assert not Equipment.objects.exists()
    done = client.post(run_url, {"mode": "write"}, **htmx).content.decode()
    assert "导入完成" in done and Equipment.objects.count() == 3


# ---------------------------------------------------------------- a later module's ledger


class NumberFormatLedger(Ledger):
    """A ledger as a later module would register it: no page code of its own."""

    name = "number_formats"
    label = "文书编号格式"
    model = DocumentNumberFormat
    key = "kind"
    home_url = "imports:list"
    columns = (Column("文书种类", "kind", required=True), Column("名称", "label", required=True),
               Column("编号格式", "pattern", required=True))


NUMBER_FORMAT_LEDGER = NumberFormatLedger()


def test_a_ledger_registered_later_gets_the_pages(client, org, monkeypatch):
    registry.ledger_names()  # the apps' own ledgers first, as in a running system
    monkeypatch.setitem(registry._LEDGERS, "number_formats", NUMBER_FORMAT_LEDGER)
    client.force_login(org.users.dept)
    assert "文书编号格式" in client.get(reverse("imports:list")).content.decode()
    preview_url = upload(client, "number_formats", ["文书种类", "名称", "编号格式"], [["test_kind", "测试文书", "T{year}{n:04d}"]])
    assert "确认导入" in client.get(preview_url).content.decode()
    assert client.post(preview_url).status_code == 200
    assert DocumentNumberFormat.objects.get(kind="test_kind").pattern == "T{year}{n:04d}"


def test_old_addresses_still_work(client, org):
    client.force_login(org.users.dept)
    assert client.get(reverse("businesses:import_upload")).status_code == 200
    assert client.get(reverse("complaints:ledger_import")).status_code == 200
    assert reverse("imports:list") in client.get(reverse("businesses:import_upload")).content.decode()


def test_upload_still_checks_the_csrf_token(org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users.dept)
    for url in (reverse("imports:upload", args=["equipment"]), reverse("businesses:import_upload")):
        response = client.post(url, {"file": xlsx_file(EQUIPMENT_HEADERS, [])})
        assert response.status_code == 403 and "CSRF" in response.content.decode()
