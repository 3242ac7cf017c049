"""The web import in a real browser: an equipment file with an error shows the error and its errors
workbook downloads; a good file previews, confirms and its rows are on the equipment list. Every
file goes the long-file way (htmx run and progress bar) so that this path runs under the CSP."""

import re

import openpyxl
import pytest

from jianguan.core.importing import web as import_web
from jianguan.equipment.resources import EQUIPMENT_HEADERS

from ..equipment.test_import import row as equipment_row
from ..factories import BusinessFactory

pytestmark = pytest.mark.browser


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(EQUIPMENT_HEADERS))
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_equipment_import_on_the_web(page, live_server, transactional_db, org, tmp_path, settings, monkeypatch, screenshot_dir):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(import_web, "INLINE_BYTES", 0)  # the progress bar and htmx run for every file
    operator = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关物业有限公司")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "dept")
    page.fill("#id_password", "Jianguan#2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"{live_server.url}/imports/")
    page.get_by_role("link", name="导入特种设备", exact=True).click()
    page.wait_for_url(re.compile(r"/imports/equipment/$"))

    bad = write_xlsx(tmp_path / "设备台账.xlsx", [
        equipment_row(reg="31103701020000000001", uscc=operator.uscc),
        equipment_row(reg="31103701020000000002", uscc=operator.uscc, kind="飞船"),
    ])
    page.set_input_files("#id_file", str(bad))
    page.click("text=上传并预览")
    page.wait_for_selector("table.import-errors")
    text = page.locator("#import-run").inner_text()
    assert "第 3 行" in text and "飞船" in text and "确认导入" not in text
    with page.expect_download() as download_info:
        page.click("text=下载错误报告")
    report = tmp_path / "report.xlsx"
    download_info.value.save_as(report)
    assert download_info.value.suggested_filename == "设备台账.errors.xlsx"
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert rows[0][-1] == "错误原因" and "飞船" in rows[2][-1]

    page.get_by_role("link", name="重新上传").click()
    page.wait_for_url(re.compile(r"/imports/equipment/$"))
    good = write_xlsx(tmp_path / "设备台账2.xlsx", [
        equipment_row(reg="31103701020000000001", uscc=operator.uscc),
        equipment_row(reg="31103701020000000002", uscc=operator.uscc),
    ])
    page.set_input_files("#id_file", str(good))
    page.click("text=上传并预览")
    page.wait_for_selector("text=校验通过")
    assert page.locator("progress").count() == 0  # the bar goes once the check is done
    page.click("text=确认导入")
    page.wait_for_selector("text=导入完成")
    page.screenshot(path=str(screenshot_dir / "jianguan_import_done.png"), full_page=True)
    page.click("text=查看特种设备")
    page.wait_for_url(re.compile(r"/equipment/"))
    listing = page.locator("main").inner_text()
    assert "31103701020000000001" in listing and "31103701020000000002" in listing
    assert errors == []
