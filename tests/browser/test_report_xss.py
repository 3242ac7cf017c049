"""Stored XSS through report templates, in a real browser: a department user cannot save markup, and
what does get through the check (a tag split around a placeholder, a template stored before the
check existed) never runs for the leader who opens the report, on the page or in the HTML download.
Every page carries the CSP, and htmx, ECharts, the admin and the API docs still work under it."""

import datetime as dt
import re

import pytest

from jianguan.core.models import Rule
from jianguan.reports.models import ReportTemplate

from ..inspections.factories import inspection_with_finding

pytestmark = pytest.mark.browser

PASSWORD = "Jianguan#2026"
MARKUP = '<img src=x onerror="window.__xss=1">'
SPLIT = '# 本局报告\n本期<{{ "img" }} src=x onerror="window.__xss=1">新增{{ businesses.new }}户。\n'


@pytest.fixture
def seeded(transactional_db, org):
    """The browser conftest put the data migrations' rows back (rules, formats…) before this test."""
    assert Rule.objects.filter(key__startswith="reports.render_").exists()
    return org


def _login(context, live_server, username):
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


def _watch(page) -> list[str]:
    """Console errors ("Refused to execute inline script…" for a CSP violation) and uncaught exceptions;
    not the status of a page that is refused on purpose (400) or the admin's missing favicon (404)."""
    errors: list[str] = []

    def console(msg):
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def _previewed(page):
    """Wait, after what the block does, for the template page's preview request to be answered."""
    return page.expect_response(lambda r: "/preview/" in r.url and r.request.method == "POST")


def _ran(page) -> bool:
    return page.evaluate("typeof window.__xss") != "undefined"


def test_template_markup_never_runs_for_the_reader(browser, live_server, seeded, tmp_path):
    editor_context = browser.new_context(locale="zh-CN")
    editor = _login(editor_context, live_server, "dept")
    errors = _watch(editor)
    edit_url = f"{live_server.url}/reports/templates/work_summary/edit/"

    # Markup in the template is refused with a Chinese message naming the line.
    # The page previews on load and on input (htmx); each step waits for its preview before the next request: the
    # test database (SQLite in memory, shared by the server's threads) cannot wait for another thread's lock.
    with _previewed(editor):
        editor.goto(edit_url)
    with _previewed(editor):
        editor.fill("#id_body", "# 标题\n" + MARKUP)
    with _previewed(editor):  # the refused form comes back and previews again
        editor.click("button.primary:has-text('保存')")
    assert "第2行：模板中不能含有 HTML 标记" in editor.locator(".alert.error").first.inner_text()
    assert not _ran(editor)

    # The live preview (htmx) works under the CSP and shows a split tag as text.
    with _previewed(editor):
        editor.goto(edit_url)
    with _previewed(editor):
        editor.fill("#id_body", SPLIT)
    editor.locator("#preview .report-paper").filter(has_text="onerror").wait_for()
    assert "<img src=x onerror=" in editor.locator("#preview .report-paper").inner_text()
    assert not _ran(editor)
    with _previewed(editor):  # saved, the page opens again and previews
        editor.click("button.primary:has-text('保存')")
        editor.wait_for_url(edit_url)
    assert "已保存" in editor.locator(".messages").inner_text()
    assert errors == []
    editor_context.close()

    ReportTemplate.objects.create(key="legacy", title="旧模板", body="# 旧模板\n" + MARKUP + "\n")

    context = browser.new_context(locale="zh-CN")
    leader = _login(context, live_server, "leader")
    errors = _watch(leader)
    response = leader.goto(f"{live_server.url}/reports/?template=work_summary&period=2026H1")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    paper = leader.locator(".report-paper").inner_text()
    assert "<img src=x onerror=" in paper  # shown as text
    assert leader.locator(".report-paper img").count() == 0
    assert not _ran(leader)

    # The HTML download, opened as a file (no CSP there): the escaping alone keeps it inert.
    download = leader.request.get(f"{live_server.url}/reports/download/html/?template=work_summary&period=2026H1")
    assert download.status == 200
    path = tmp_path / "report.html"
    path.write_bytes(download.body())
    leader.goto(path.as_uri())
    assert "<img src=x onerror=" in leader.locator("body").inner_text()
    assert leader.locator("img").count() == 0
    assert not _ran(leader)

    # A template stored before the check: refused when opened, its markup shown only as text.
    response = leader.goto(f"{live_server.url}/reports/?template=legacy&period=2026H1")
    assert response.status == 400
    assert "模板中不能含有 HTML 标记" in leader.locator(".alert.error").first.inner_text()
    assert leader.locator("img").count() == 0 and not _ran(leader)
    assert errors == []
    context.close()


def test_pages_with_scripts_work_under_the_csp(browser, live_server, seeded):
    from ..inspections.test_pages import campaign

    drive = campaign(seeded)
    for _ in range(2):
        inspection_with_finding(seeded, campaign=drive, date=dt.date(2026, 9, 1))
    context = browser.new_context(locale="zh-CN")
    page = _login(context, live_server, "admin")
    errors = _watch(page)

    page.goto(f"{live_server.url}/inspections/campaigns/{drive.code}/")  # ECharts from a static file
    page.wait_for_function("document.getElementById('campaign-chart')?.dataset.rendered === '1'")
    page.goto(f"{live_server.url}/api/v1/docs")  # Swagger UI
    page.locator(".swagger-ui .info").wait_for()
    page.goto(f"{live_server.url}/admin/reports/reporttemplate/")  # the Django admin
    page.locator("#result_list, #changelist").first.wait_for()
    page.goto(f"{live_server.url}/reports/")  # the period helper (data-fill in forms.js)
    page.select_option("select[aria-label='常用统计期间']", index=1)
    assert page.input_value("input[name=period]") != ""
    assert errors == []
    context.close()
