"""Report pages: generation and downloads per role, drill-down, indicators, template editor, scope."""

import datetime as dt
import io
import json

import pytest

from jianguan.reports.models import ReportSnapshot, ReportTemplate

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db

ROLES = ["leader", "dept", "east", "admin"]


@pytest.fixture
def shops(org):
    made = []
    for i in range(3):
        made.append(BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="individual", established_on=dt.date(2026, 2, i + 1)))
    made.append(BusinessFactory(subdistrict=org.subs["jiefang"], established_on=dt.date(2019, 5, 1)))
    made += BusinessFactory.create_batch(2, subdistrict=org.subs["xiguan"], established_on=dt.date(2026, 3, 1))
    return made


def _login(client, org, role):
    client.force_login(getattr(org.users, role))


@pytest.mark.parametrize("role", ROLES)
def test_pages_load_for_each_role(client, org, shops, role):
    _login(client, org, role)
    for url in ["/reports/", "/reports/indicators/", "/reports/templates/", "/reports/snapshots/",
                "/reports/templates/work_summary/edit/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/reports/", {"template": "work_summary", "period": "2026H1"}).content.decode()
    assert 'class="figure"' in page and "工作总结" in page
    assert "报表" in client.get("/").content.decode()


def test_report_page_saves_a_snapshot_with_author(client, org, shops):
    _login(client, org, "dept")
    client.get("/reports/", {"template": "work_summary", "period": "2026H1"})
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.author == org.users.dept
    assert snapshot.parameters["period"] == "2026H1"
    assert snapshot.values["businesses.new"] == "5"


def test_indicators_page_lists_every_indicator(client, org):
    _login(client, org, "east")
    page = client.get("/reports/indicators/").content.decode()
    for key in ["businesses.active", "businesses.new", "businesses.deregistered", "businesses.revoked"]:
        assert key in page
    assert "主体类型" in page and "截至日期" in page and "统计期间" in page and "户" in page


@pytest.mark.parametrize(
    "query, message",
    [
        ({"period": "2026H3"}, "无法识别的统计期间"),
        ({"period": "2026-02-30..2026-03-01"}, "日期不存在"),
        ({"as_of": "2026-13-01"}, "截至日期无法识别"),
        ({"period": ""}, "请填写统计期间"),
        ({"period": "2026H1", "scope": "station:NOPE"}, "监管所代码“NOPE”不存在"),
        ({"period": "2026H1", "scope": "galaxy"}, "无法识别的范围"),
        ({"period": "2026H1", "template": "no_such"}, "报表模板"),
    ],
)
def test_bad_parameters_show_a_chinese_message_never_500(client, org, query, message):
    _login(client, org, "dept")
    response = client.get("/reports/", {"template": "work_summary", **query})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportSnapshot.objects.exists()


def test_invalid_template_shows_its_problems_with_lines(client, org):
    ReportTemplate.objects.create(key="broken", title="坏模板", body="# 标题\n\n实有{{ businesses.activ }}户\n")
    _login(client, org, "dept")
    response = client.get("/reports/", {"template": "broken", "period": "2026H1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第3行" in page and "businesses.activ" in page


FORMATS = {
    "html": "text/html",
    "md": "text/markdown",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_downloads_have_the_right_content_type(client, org, shops, fmt):
    _login(client, org, "dept")
    response = client.get(f"/reports/download/{fmt}/", {"template": "work_summary", "period": "2026H1", "drilldowns": "1"})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(FORMATS[fmt])
    assert "attachment" in response["Content-Disposition"]
    assert ReportSnapshot.objects.count() == 1
    body = response.content
    if fmt == "json":
        data = json.loads(body)
        assert data["indicators"]["businesses.new"] == 5
        assert data["sha256"] == ReportSnapshot.objects.get().sha256
    if fmt == "html":
        assert b'class="figure"' in body and b"http://testserver/reports/drill/" in body
    if fmt == "docx":
        assert body[:2] == b"PK"


def test_download_with_bad_parameters_shows_the_form(client, org):
    _login(client, org, "dept")
    response = client.get("/reports/download/json/", {"template": "work_summary", "period": "bad"})
    assert response.status_code == 400 and "无法识别的统计期间" in response.content.decode()
    assert client.get("/reports/download/pdf/", {"template": "work_summary", "period": "2026H1"}).status_code == 404


# ---------------------------------------------------------------- station scope


def test_station_user_may_not_pick_another_station_or_its_subdistricts(client, org, shops):
    _login(client, org, "east")
    for scope in ["station:S2", f"subdistrict:{org.subs['xiguan'].code}", "bureau"]:
        response = client.get("/reports/", {"template": "work_summary", "period": "2026H1", "scope": scope})
        assert response.status_code == 400, scope
        assert "辖区" in response.content.decode() or "本所" in response.content.decode()
    assert not ReportSnapshot.objects.exists()
    page = client.get("/reports/").content.decode()
    assert "station:S1" in page and "station:S2" not in page and org.subs["xiguan"].code not in page


def test_station_user_figures_are_their_own(client, org, shops):
    _login(client, org, "east")
    client.get("/reports/", {"template": "work_summary", "period": "2026H1", "scope": "station:S1"})
    assert ReportSnapshot.objects.get().values["businesses.new"] == "3"
    # the drill-down of another station's scope is refused, a bureau one is filtered to the station
    drill = client.get("/reports/drill/businesses.new/", {"period": "2026H1", "scope": "station:S2"})
    assert drill.status_code == 404
    drill = client.get("/reports/drill/businesses.new/", {"period": "2026H1", "scope": "bureau"})
    assert 'data-total="3"' in drill.content.decode()


def test_department_user_picks_any_scope(client, org, shops):
    _login(client, org, "dept")
    client.get("/reports/", {"template": "work_summary", "period": "2026H1", "scope": "station:S2"})
    assert ReportSnapshot.objects.get().values["businesses.new"] == "2"


# ---------------------------------------------------------------- drill-down


def test_drill_paginates_at_100_and_keeps_the_total(client, org):
    sub = org.subs["dongguan"]
    BusinessFactory.create_batch(130, subdistrict=sub, established_on=dt.date(2026, 4, 1))
    _login(client, org, "dept")
    query = {"period": "2026H1", "scope": "bureau"}
    first = client.get("/reports/drill/businesses.new/", query).content.decode()
    assert 'data-total="130"' in first and first.count("<tr><td class=\"num\">") == 100
    second = client.get("/reports/drill/businesses.new/", {**query, "page": 2}).content.decode()
    assert 'data-total="130"' in second and second.count("<tr><td class=\"num\">") == 30
    assert "导出 Excel" in first and "返回" in first


def test_drill_export_is_an_excel_file_of_exactly_the_records(client, org, shops):
    from openpyxl import load_workbook

    _login(client, org, "dept")
    response = client.get("/reports/drill/businesses.new/export/", {"period": "2026H1", "part": "个体工商户"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FORMATS["xlsx"])
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 1 + 3
    assert sheet.cell(1, 1).value == "统一社会信用代码"


def test_drill_with_bad_parameters_is_404(client, org):
    _login(client, org, "dept")
    assert client.get("/reports/drill/businesses.nope/", {"period": "2026H1"}).status_code == 404
    assert client.get("/reports/drill/businesses.new/", {"period": "bad"}).status_code == 404
    assert client.get("/reports/drill/businesses.new/", {"period": "2026H1", "part": "公司"}).status_code == 404


# ---------------------------------------------------------------- templates


def _edit_data(template, body, **extra):
    return {"title": template.title, "body": body, "version": template.version, **extra}


def test_department_and_admin_may_edit(client, org):
    for role in ("dept", "admin"):
        _login(client, org, role)
        page = client.get("/reports/templates/work_summary/edit/").content.decode()
        assert "保存" in page and "readonly" not in page.split('id="id_body"')[1].split(">")[0]
        template = ReportTemplate.objects.get(key="work_summary")
        body = template.body + f"\n{role}补充：本期新增{{{{ businesses.new }}}}户。\n"
        response = client.post("/reports/templates/work_summary/edit/", _edit_data(template, body))
        assert response.status_code == 302
        template.refresh_from_db()
        assert f"{role}补充" in template.body and template.customized and template.updated_by == getattr(org.users, role)


@pytest.mark.parametrize("role", ["leader", "east"])
def test_others_get_a_read_only_view_and_403_on_save(client, org, role):
    _login(client, org, role)
    page = client.get("/reports/templates/work_summary/edit/").content.decode()
    assert "只读" in page and "readonly" in page.split('id="id_body"')[1].split(">")[0]
    template = ReportTemplate.objects.get(key="work_summary")
    response = client.post("/reports/templates/work_summary/edit/", _edit_data(template, "# 改"))
    assert response.status_code == 403
    assert client.post("/reports/templates/work_summary/restore/").status_code == 403
    template.refresh_from_db()
    assert template.version == 1


def test_save_refuses_an_invalid_template_with_its_line(client, org):
    _login(client, org, "dept")
    client.get("/reports/templates/")
    template = ReportTemplate.objects.get(key="work_summary")
    response = client.post("/reports/templates/work_summary/edit/", _edit_data(template, "# 标题\n\n{{ businesses.activ }}\n"))
    assert response.status_code == 400
    assert "第3行" in response.content.decode()
    template.refresh_from_db()
    assert template.version == 1


def test_save_with_a_stale_version_is_refused(client, org):
    _login(client, org, "dept")
    client.get("/reports/templates/")
    template = ReportTemplate.objects.get(key="work_summary")
    data = _edit_data(template, template.body + "\n补充。\n")
    assert client.post("/reports/templates/work_summary/edit/", data).status_code == 302
    response = client.post("/reports/templates/work_summary/edit/", {**data, "body": template.body + "\n另一处。\n"})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()


def test_restore_builtin(client, org):
    _login(client, org, "dept")
    client.get("/reports/templates/")
    template = ReportTemplate.objects.get(key="work_summary")
    original = template.body
    client.post("/reports/templates/work_summary/edit/", _edit_data(template, original + "\n补充。\n"))
    assert client.post("/reports/templates/work_summary/restore/").status_code == 302
    template.refresh_from_db()
    assert template.body == original and not template.customized


def test_editor_page_has_live_preview_and_syntax_help(client, org):
    _login(client, org, "dept")
    page = client.get("/reports/templates/work_summary/edit/").content.decode()
    assert 'hx-post="/reports/templates/work_summary/preview/"' in page
    assert 'hx-trigger="input changed delay:500ms"' in page
    assert "{{ businesses.active[&quot;个体工商户&quot;] }}" in page or '{{ businesses.active["个体工商户"] }}' in page
    assert "nonzero_parts" in page and "恢复内置版本" in page


def test_preview_renders_the_draft_or_its_problems_with_lines(client, org, shops):
    _login(client, org, "dept")
    url = "/reports/templates/work_summary/preview/"
    ok = client.post(url, {"body": "# 草稿\n本期新增{{ businesses.new }}户。", "period": "2026H1", "scope": "bureau"})
    assert ok.status_code == 200
    assert 'class="figure"' in ok.content.decode() and ">5</a>" in ok.content.decode()
    bad = client.post(url, {"body": "# 草稿\n\n{{ businesses.activ }}\n{% if %}", "period": "2026H1"}).content.decode()
    assert "第" in bad and "行" in bad and "problems" in bad
    unknown = client.post(url, {"body": "a\nb\n{{ businesses.activ }}", "period": "2026H1"}).content.decode()
    assert "第3行" in unknown
    bad_period = client.post(url, {"body": "x", "period": "2026H9"}).content.decode()
    assert "无法识别的统计期间" in bad_period
    assert not ReportSnapshot.objects.exists()


def test_preview_is_refused_to_a_station_user_even_for_their_own_station(client, org, shops):
    # A draft is arbitrary template text: only those who may edit templates may render one.
    _login(client, org, "east")
    for scope in ("station:S1", "station:S2"):
        response = client.post("/reports/templates/work_summary/preview/",
                               {"body": "{{ businesses.new }}", "period": "2026H1", "scope": scope})
        assert response.status_code == 403 and 'class="figure"' not in response.content.decode()
