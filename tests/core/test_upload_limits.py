"""What an import file may cost: upload size, the uncompressed size of an .xlsx, the length of a
cell (checked while streaming, before openpyxl builds anything), and the deletion of uploads
nobody confirmed."""

import datetime as dt
import io
import json
import os
import time
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from jianguan.businesses.resources import HEADERS
from jianguan.core.importing import FileRejected, get_ledger, open_table, run_import
from jianguan.core.models import Rule

from ..factories import make_uscc
from ..sheets import xlsx_bytes as sheet_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def set_rule(key: str, value: int) -> None:
    assert Rule.objects.filter(key=key).update(value=str(value)) == 1, key


def business_row(name="历下区示例商贸有限公司"):
    return [make_uscc(), name, "企业", "张三", "示例路1号", "东关街道", "", "2020-01-02", "", ""]


def xlsx_bytes(rows, headers=HEADERS[:10]) -> bytes:
    return sheet_bytes(rows, headers)


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def raw_xlsx(rows, *, shared: bool = False) -> bytes:
    """A minimal workbook written by hand (openpyxl would cut long texts to 32,767 characters):
    rows of texts, as shared strings or as inline strings."""
    strings: list[str] = []
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, text in enumerate(row):
            ref = f"{_column(c)}{r}"
            if shared:
                strings.append(text)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/>'
        + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kinds}.sharedStrings+xml"/>' if shared else "")
        + "</Types>",
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{rels}">'
        f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{office}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{rels}">'
        f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (f'<Relationship Id="rId2" Type="{office}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
        + "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
    }
    if shared:
        items = "".join(f"<si><t>{text}</t></si>" for text in strings)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{main}" count="{len(strings)}">{items}</sst>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def inline_xlsx(cell_text: str) -> bytes:
    return raw_xlsx([["统一社会信用代码", "名称"], ["x", cell_text]])


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """The files openpyxl was asked to open (it opens none: each is refused first)."""
    calls = []

    def refused(path, *args, **kwargs):
        calls.append(path)
        raise AssertionError("openpyxl opened a file the guard should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refused)
    return calls


def rejection(path) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        with open_table(path) as table:
            list(table.rows)
    return caught.value


# ---------------------------------------------------------------- .xlsx before openpyxl


def test_one_huge_shared_string_is_refused_before_openpyxl_names_its_cell(tmp_path, openpyxl_calls):
    path = tmp_path / "big.xlsx"
    path.write_bytes(raw_xlsx([HEADERS[:3], ["码1", "名1", "企业"], ["码2", "x" * 5_000_000, "企业"]], shared=True))
    assert path.stat().st_size < 50_000  # small on disk, large inflated
    error = rejection(path)
    assert not openpyxl_calls
    assert error.code == "import_cell_too_long"
    assert "第 3 行第 B 列（单元格 B3）" in error.message and "32767" in error.message


def test_one_huge_inline_cell_is_refused_before_openpyxl_names_its_cell(tmp_path, openpyxl_calls):
    path = tmp_path / "inline.xlsx"
    path.write_bytes(inline_xlsx("y" * 400_000))
    error = rejection(path)
    assert not openpyxl_calls
    assert "第 2 行第 B 列（单元格 B2）" in error.message


def test_uncompressed_size_over_the_rule_is_refused(tmp_path, openpyxl_calls):
    set_rule("imports.xlsx_uncompressed_max_mb", 1)
    path = tmp_path / "many.xlsx"
    path.write_bytes(xlsx_bytes([business_row(name=f"商贸有限公司{i:06d}") for i in range(20_000)]))
    error = rejection(path)
    assert error.code == "import_file_too_large" and "解压后" in error.message and "1.0 MB" in error.message
    assert not openpyxl_calls


def test_a_member_larger_than_it_declares_is_refused(tmp_path, openpyxl_calls):
    data = bytearray(inline_xlsx("正常内容"))
    # Shrink the sheet's declared size in the central directory (offset 24 of its record).
    name = b"xl/worksheets/sheet1.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path = tmp_path / "lying.xlsx"
    path.write_bytes(bytes(data))
    assert rejection(path).code in {"import_file_too_large", "import_file_format"}
    assert not openpyxl_calls


# ---------------------------------------------------------------- while rows stream


def test_a_cell_past_excels_limit_names_row_and_header(tmp_path):
    path = tmp_path / "long.xlsx"
    path.write_bytes(raw_xlsx([HEADERS[:3], ["码1", "名1", "企业"], ["码2", "长" * 40_000, "企业"]], shared=True))
    error = rejection(path)
    assert error.code == "import_cell_too_long"
    assert "第 3 行第 B 列“名称”" in error.message and "40000 个字符" in error.message


def test_a_csv_cell_past_the_limit_names_row_and_header(tmp_path):
    path = tmp_path / "long.csv"
    lines = [",".join(HEADERS[:10]), ",".join(business_row()), ",".join(business_row(name="长" * 40_000))]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "第 3 行第 B 列“名称”" in rejection(path).message


def test_a_csv_with_an_unclosed_quote_is_refused_with_its_row(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(",".join(HEADERS[:10]) + '\n"' + "x,\n" * 100_000, encoding="utf-8")
    error = rejection(path)
    assert error.code == "import_cell_too_long" and "第 2 行" in error.message


def test_a_header_wider_than_excel_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a," * 20_000, encoding="utf-8")
    assert "16384" in rejection(path).message


def test_the_import_reports_the_limit_as_the_file_error(org, tmp_path):
    path = tmp_path / "long.xlsx"
    path.write_bytes(raw_xlsx([HEADERS[:10], business_row(name="长" * 40_000)]))
    result = run_import(get_ledger("businesses"), path, actor=org.users.dept, dry_run=True)
    assert "第 2 行第 B 列“名称”" in result.file_error


# ---------------------------------------------------------------- the web upload


def upload(client, data: bytes, name: str, url=None):
    file = io.BytesIO(data)
    file.name = name
    return client.post(url or reverse("businesses:import_upload"), {"file": file})


def test_an_upload_over_the_size_rule_is_refused_and_not_kept(client, org, settings):
    set_rule("imports.upload_max_mb", 1)
    client.force_login(org.users.dept)
    big = (",".join(HEADERS[:10]) + "\n").encode() + b"x" * (1024 * 1024 + 10)
    response = upload(client, big, "big.csv")
    assert response.status_code == 400
    assert "超过上传上限 1.0 MB" in response.content.decode()
    imports = settings.MEDIA_ROOT / "imports"
    assert not imports.exists() or not any(imports.iterdir())


def test_unconfirmed_uploads_are_deleted_after_the_rule(client, org, settings):
    from jianguan.core import tasks  # noqa: F401  -- where core registers its periodic jobs
    from jianguan.core.importing.uploads import purge_unconfirmed
    from jianguan.core.schedule import PERIODIC

    client.force_login(org.users.dept)
    old = upload(client, xlsx_bytes([business_row()]), "old.xlsx")["Location"]
    fresh = upload(client, xlsx_bytes([business_row()]), "fresh.xlsx")["Location"]
    folders = {p.name: p for p in (settings.MEDIA_ROOT / "imports").iterdir()}
    assert len(folders) == 2
    old_folder = next(p for name, p in folders.items() if name in old.replace("-", ""))
    meta = json.loads((old_folder / "meta.json").read_text(encoding="utf-8"))
    meta["uploaded_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)).isoformat()
    (old_folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    past = time.time() - 25 * 3600
    os.utime(old_folder, (past, past))

    assert purge_unconfirmed() == 1
    assert not old_folder.exists()
    assert client.get(old).status_code == 404
    assert client.get(fresh).status_code == 200

    set_rule("imports.unconfirmed_keep_hours", 0)
    job = PERIODIC["imports.purge_unconfirmed"]
    assert job.every <= dt.timedelta(hours=1)
    assert job.func() == 1  # the scheduled job is the same function
    assert not any((settings.MEDIA_ROOT / "imports").iterdir())
