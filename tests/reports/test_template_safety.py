"""Report templates are text written by staff and read by everyone: their literal text is escaped in
HTML, markup and |safe are refused, only editors may preview, sandbox escapes and runaway templates
answer a Chinese message naming the line (never a 500, never a hang)."""

import datetime as dt
import time

import pytest
from django.core.management import CommandError, call_command

from jianguan.core.errors import DomainError
from jianguan.core.models import Rule
from jianguan.core.periods import Params
from jianguan.reports import services
from jianguan.reports.engine import build_report
from jianguan.reports.links import link_maker
from jianguan.reports.models import ReportTemplate
from jianguan.reports.templating import TemplateInvalid, check_template

pytestmark = pytest.mark.django_db

PREVIEW = "/reports/templates/work_summary/preview/"
# `<` before a placeholder: no tag in the literal text for the check to see, a tag once rendered.
SPLIT_TAG = '# 报告\n本期<{{ "img" }} src=x onerror="window.__xss=1">新增{{ businesses.new }}户。\n'


def _problems(body: str) -> list[str]:
    return [str(p) for p in check_template(body)[0]]


def _legacy(key: str, body: str) -> ReportTemplate:
    """A template stored before the check existed (written straight to the table)."""
    return ReportTemplate.objects.create(key=key, title="旧模板", body=body)


# ---------------------------------------------------------------- escaping


def test_literal_text_is_escaped_in_the_html_of_a_report(org):
    params = Params.build(period="2026H1")
    report = build_report(ReportTemplate(key="t", title="t", body=SPLIT_TAG), params, link=link_maker(params))
    assert "<img" not in report.html
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in report.html
    assert 'class="figure"' in report.html  # figures still link to their drill-down
    assert '<img src=x onerror="window.__xss=1">' in report.text  # plain text formats keep the text as written


def test_report_page_and_html_download_show_the_text_escaped(client, org):
    _legacy("split", "x")
    services.template_update(actor=org.users.dept, key="split", body=SPLIT_TAG, version=1)
    client.force_login(org.users.leader)
    query = {"template": "split", "period": "2026H1"}
    for response in (client.get("/reports/", query), client.get("/reports/download/html/", query)):
        assert response.status_code == 200
        content = response.content.decode()
        assert "<img" not in content
        assert "&lt;img src=x onerror=" in content


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("# 标题\n\n<img src=x onerror=alert(1)>", "第3行：模板中不能含有 HTML 标记"),
        ("<script>alert(1)</script>", "第1行：模板中不能含有 HTML 标记"),
        ("一\n</p><p>", "第2行：模板中不能含有 HTML 标记"),
        ("<!-- x -->", "模板中不能含有 HTML 标记"),
        ("一\n{{ bureau|safe }}", "第2行：不能使用“safe”过滤器"),
        ("{% autoescape false %}{{ bureau }}{% endautoescape %}", "第1行：不能使用 autoescape"),
        ('{{ "<b>" }}', "第1行：模板中不能含有 HTML 标记"),
    ],
)
def test_markup_and_safe_are_refused_by_the_check(org, body, fragment):
    problems = _problems(body)
    assert any(fragment in p for p in problems), problems


def test_comparisons_in_the_text_are_not_markup(org):
    assert _problems("合格率<90%时通报；a < b，c > d & e。") == []


def test_saving_markup_is_refused_with_a_chinese_message(org):
    _legacy("m", "x")
    with pytest.raises(DomainError) as exc:
        services.template_update(actor=org.users.dept, key="m", body="<img src=x onerror=alert(1)>", version=1)
    assert "第1行：模板中不能含有 HTML 标记" in exc.value.message


def test_a_stored_template_with_markup_is_refused_when_opened(client, org):
    _legacy("old", '# 标题\n<img src=x onerror="window.__xss=1">\n')
    client.force_login(org.users.leader)
    for url in ("/reports/", "/reports/download/html/"):
        response = client.get(url, {"template": "old", "period": "2026H1"})
        assert response.status_code == 400
        content = response.content.decode()
        assert "<img src=x" not in content and "模板中不能含有 HTML 标记" in content


# ---------------------------------------------------------------- who may preview


@pytest.mark.parametrize("role", ["east", "leader"])
def test_preview_is_refused_to_those_who_may_not_edit(client, org, role):
    client.force_login(getattr(org.users, role))
    response = client.post(PREVIEW, {"body": "{{ businesses.new }}", "period": "2026H1"})
    assert response.status_code == 403
    page = client.get("/reports/templates/work_summary/edit/").content.decode()
    assert "/preview/" not in page, "preview offered"  # the read-only view offers no preview it would refuse


@pytest.mark.parametrize("role", ["dept", "admin"])
def test_editors_may_preview(client, org, role):
    client.force_login(getattr(org.users, role))
    response = client.post(PREVIEW, {"body": "{{ businesses.new }}", "period": "2026H1"})
    assert response.status_code == 200 and 'class="figure"' in response.content.decode()


# ---------------------------------------------------------------- sandbox and budget


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("一\n{{ ''.__class__ }}", "第2行"),
        ("一\n二\n{{ businesses.new|attr('__class__') }}", "第3行"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "第1行"),
        ("一\n{% for i in range(10**8) %}{% endfor %}", "第2行"),
        ("一\n{{ 2**100000 }}", "第2行"),
        ("{{ 10**(10**10) }}", "第1行"),
        ("{{ 'x' * 10**9 }}", "第1行"),
        ("{{ bureau.ljust(10**9) }}", "第1行"),
        ("{{ [1] * 10**9 }}", "第1行"),
        ("{{ '%0999999999d' % 1 }}", "第1行"),
    ],
)
def test_sandbox_escapes_give_a_chinese_message_with_the_line(client, org, body, fragment):
    client.force_login(org.users.dept)
    started = time.monotonic()
    response = client.post(PREVIEW, {"body": body, "period": "2026H1"})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="alert error"' in content and fragment in content, content[:2000]


NESTED = "# 标题\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
DOUBLING = "{% set s = bureau ~ bureau %}" + "".join("{% set s = s ~ s %}" for _ in range(40)) + "{{ s|length }}"


@pytest.mark.parametrize(
    "body, fragment",
    [
        (NESTED, "第3行：循环次数超过上限"),
        ("{% for i in range(30000) %}{{ bureau }}{{ bureau }}{{ bureau }}{{ bureau }}{{ bureau }}{% endfor %}", "输出超过上限"),
        (DOUBLING, "第1行：文字长度超过上限"),
    ],
)
def test_render_budget_stops_runaway_templates(client, org, body, fragment):
    client.force_login(org.users.dept)
    started = time.monotonic()
    response = client.post(PREVIEW, {"body": body, "period": "2026H1"})
    assert time.monotonic() - started < 5
    content = response.content.decode()
    assert response.status_code == 200 and fragment in content, content[:2000]


def test_render_time_budget_is_a_versioned_rule(client, org):
    body = "{% for i in range(20000) %}{{ i }}{% endfor %}"
    client.force_login(org.users.dept)
    assert "超过" not in client.post(PREVIEW, {"body": body, "period": "2026H1"}).content.decode()
    Rule.objects.create(key="reports.render_max_ms", label="新版", value="1", unit="count", valid_from=dt.date(2026, 1, 1))
    Rule.objects.create(key="reports.render_max_output", label="新版", value="10000000", unit="count",
                        valid_from=dt.date(2026, 1, 1))
    started = time.monotonic()
    content = client.post(PREVIEW, {"body": body, "period": "2026H1"}).content.decode()
    assert time.monotonic() - started < 5
    assert "生成时间超过上限" in content, content[:2000]


def test_budget_rules_are_seeded(org):
    for key in ("reports.render_max_iterations", "reports.render_max_output", "reports.render_max_ms"):
        assert Rule.objects.filter(key=key).exists(), key


def test_report_command_stops_a_runaway_template_with_a_chinese_error(org):
    _legacy("loop", NESTED)
    with pytest.raises(CommandError) as exc:
        call_command("report", "loop", "--period", "2026H1", "--no-snapshot")
    assert "第3行：循环次数超过上限" in str(exc.value)


def test_build_report_raises_template_invalid_for_a_budget_overrun(org):
    with pytest.raises(TemplateInvalid) as exc:
        build_report(ReportTemplate(key="t", title="t", body=NESTED), Params.build(period="2026H1"))
    assert exc.value.problems[0].line == 3


@pytest.mark.parametrize(
    "body, message",
    [
        ("{{ 1" + "0" * 5000 + " }}", "模板中有过长的数字或过深的嵌套，无法解析"),
        ("一\n{{ range(3)|map(attribute='__class__')|join }}", "第2行：不能访问以下划线开头的属性“__class__”"),
        ("{{ bureau|center(10**9) }}", "第1行：不能使用“center”过滤器"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "第1行：不能使用 macro 标签"),
    ],
)
def test_other_escapes_are_refused_by_the_check(org, body, message):
    assert message in _problems(body)


@pytest.mark.parametrize(
    "body, message",
    [
        ("一\n{{ 1.5 ** 10000 }}", "第2行：渲染出错：数值超出范围，无法计算"),
        ("{{ 7 // 0 }}", "第1行：渲染出错：除数为零"),
        ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "模板嵌套过深"),
    ],
)
def test_arithmetic_and_recursion_give_a_chinese_message(org, body, message):
    with pytest.raises(TemplateInvalid) as exc:
        build_report(ReportTemplate(key="t", title="t", body=body), Params.build(period="2026H1"))
    assert message in str(exc.value)
