"""The web import: upload -> preview -> confirm, errors report, scope and leadership refusal."""

import io

import openpyxl
import pytest
from django.urls import reverse

from jianguan.businesses.models import Business
from jianguan.businesses.resources import HEADERS
from jianguan.core.importing import REASON_HEADER
from jianguan.core.models import ImportBatch

from ..factories import make_uscc
from ..sheets import xlsx_upload as sheet_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx_upload(rows, name="台账.xlsx"):
    return sheet_upload(rows, HEADERS, name)


def row(street="东关街道", kind="企业"):
    return [
        make_uscc(),
        "历下区网页导入商贸有限公司",
        kind,
        "李四",
        "经十路1号",
        street,
        "",
        "2021/3/4",
        "",
        "",
    ]


def upload(client, rows, name="台账.xlsx"):
    response = client.post(reverse("businesses:import_upload"), {"file": xlsx_upload(rows, name)})
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def test_upload_preview_confirm(client, org, settings):
    client.force_login(org.users.dept)
    page = client.get(reverse("businesses:import_upload"))
    assert "上传并预览" in page.content.decode()
    preview_url = upload(client, [row(), row(street="西关街道")])
    preview = client.get(preview_url)
    text = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in text and "台账.xlsx" in text
    assert preview.context["result"].created == 2
    assert not Business.objects.exists()
    done = client.post(preview_url)
    assert done.status_code == 200 and "导入完成" in done.content.decode()
    assert Business.objects.count() == 2
    batch = ImportBatch.objects.get()
    assert (batch.actor, batch.file_name, batch.created_count) == (org.users.dept, "台账.xlsx", 2)
    assert client.post(preview_url).status_code == 404  # the upload is gone once written
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())


def test_preview_lists_errors_and_offers_report(client, org):
    client.force_login(org.users.dept)
    preview_url = upload(client, [row(), row(kind="公司"), row(street="火星街道")])
    preview = client.get(preview_url)
    text = preview.content.decode()
    assert "确认导入" not in text
    assert "第 3 行" in text and "主体类型“公司”不在可选值内" in text
    assert "第 4 行" in text and "所属街道“火星街道”不存在" in text
    report = client.get(preview_url + "errors/")
    assert report.status_code == 200
    assert "attachment" in report["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == REASON_HEADER and rows[2][-1].startswith("主体类型：")
    # Confirming a bad file anyway writes nothing.
    assert client.post(preview_url).status_code == 400
    assert not Business.objects.exists()


def test_confirm_validates_again(client, org):
    client.force_login(org.users.dept)
    preview_url = upload(client, [row()])
    org.subs["dongguan"].name = "改名街道"
    org.subs["dongguan"].save()
    response = client.post(preview_url)
    assert response.status_code == 400
    assert "所属街道“东关街道”不存在" in response.content.decode()
    assert not Business.objects.exists()


def test_non_spreadsheet_and_wrong_type(client, org):
    client.force_login(org.users.dept)
    fake = io.BytesIO(b"just text, not a workbook")
    fake.name = "fake.xlsx"
    preview_url = client.post(reverse("businesses:import_upload"), {"file": fake})["Location"]
    text = client.get(preview_url).content.decode()
    assert "不是有效的 Excel（.xlsx）文件" in text
    pdf = io.BytesIO(b"%PDF")
    pdf.name = "a.pdf"
    response = client.post(reverse("businesses:import_upload"), {"file": pdf})
    assert response.status_code == 400 and "只能导入 .xlsx 或 .csv" in response.content.decode()
    assert client.post(reverse("businesses:import_upload"), {}).status_code == 400


def test_station_user_only_in_scope(client, org):
    client.force_login(org.users.east)
    preview_url = upload(client, [row(), row(street="西关街道")])
    text = client.get(preview_url).content.decode()
    assert "“西关街道”不在您的辖区范围内" in text
    assert client.post(preview_url).status_code == 400
    assert not Business.objects.exists()


def test_leadership_is_refused(client, org):
    client.force_login(org.users.leader)
    response = client.get(reverse("businesses:import_upload"))
    assert response.status_code == 403
    assert "局领导账号只读，不能导入市场主体" in response.content.decode()
    assert client.post(reverse("businesses:import_upload"), {"file": xlsx_upload([row()])}).status_code == 403


def test_someone_elses_upload_is_not_found(client, org):
    client.force_login(org.users.dept)
    preview_url = upload(client, [row()])
    client.force_login(org.users.admin)
    assert client.get(preview_url).status_code == 404
    assert client.get(preview_url + "errors/").status_code == 404
