"""Templates are checked before rendering: problems carry their line; a bad name is never rendered blank."""

import datetime as dt

import pytest

from jianguan.core.periods import Params
from jianguan.reports.engine import build_report
from jianguan.reports.models import ReportTemplate
from jianguan.reports.templating import TemplateInvalid, check_template

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db

PARAMS = {"period": "2026H1"}


def _problems(body: str) -> list[str]:
    return [str(p) for p in check_template(body)[0]]


def _render(body: str) -> str:
    template = ReportTemplate(key="t", title="测试", body=body)
    return build_report(template, Params.build(**PARAMS)).text


def test_unknown_placeholder_is_refused_with_its_line(org):
    body = "# 标题\n\n截至{{ as_of }}，实有{{ businesses.activ }}户。\n"
    problems = _problems(body)
    assert problems and problems[0].startswith("第3行") and "businesses.activ" in problems[0]
    with pytest.raises(TemplateInvalid) as exc:
        _render(body)
    assert "第3行" in str(exc.value)


@pytest.mark.parametrize(
    "body, line",
    [
        ("第一行\n{% for part in %}\n第三行", 2),
        ("第一行\n\n{{ businesses.new }\n", 3),
        ("a\n{% if businesses.new %}\nb\n", 3),  # missing endif: reported where the template ends
        ("a\nb\nc\n{% endfor %}", 4),
    ],
)
def test_syntax_error_reports_its_line(org, body, line):
    problems = check_template(body)[0]
    assert len(problems) == 1
    assert problems[0].line == line
    assert str(problems[0]).startswith(f"第{line}行：模板语法错误")


def test_unknown_part_is_refused_with_the_available_ones(org):
    problems = _problems('一\n其中公司{{ businesses.active["公司"] }}户')
    assert problems == ["第2行：指标“businesses.active”没有分项“公司”（可用：企业、个体工商户、农民专业合作社）"]


def test_known_part_and_attributes_are_accepted(org):
    problems, used = check_template(
        '{{ businesses.active["个体工商户"] }}{{ businesses.new.label }}{{ businesses.new.unit }}'
        "{% for p in businesses.revoked.parts %}{{ p.label }}{{ p }}{% endfor %}"
    )
    assert problems == []
    assert used == {"businesses.active", "businesses.new", "businesses.revoked"}


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("{{ nothing }}", "未知的占位符“nothing”"),
        ("{{ businesses }}", "不完整"),
        ("{{ businesses.active.foo }}", "没有属性“foo”"),
        ("{{ business.active }}", "未知的占位符“business”"),
        ("{% for p in businesses.active.parts %}{{ p.labl }}{% endfor %}", "labl"),
        ("{{ bureau.name }}", "name"),
    ],
)
def test_a_bad_name_is_never_rendered_blank(org, body, fragment):
    with pytest.raises(TemplateInvalid) as exc:
        text = _render(body)
        pytest.fail(f"rendered {text!r}")
    assert fragment in str(exc.value)


def test_loop_and_condition_render_only_nonzero_parts(org):
    BusinessFactory.create_batch(2, subdistrict=org.subs["dongguan"], entity_type="individual", established_on=dt.date(2026, 3, 1))
    BusinessFactory(subdistrict=org.subs["dongguan"], entity_type="enterprise", established_on=dt.date(2026, 4, 1))
    body = (
        "新增{{ businesses.new }}户{% if businesses.new.nonzero_parts %}，其中"
        "{% for part in businesses.new.nonzero_parts %}{{ part.label }}{{ part }}户{{ '，' if not loop.last }}{% endfor %}"
        "{% endif %}。{% if businesses.revoked %}吊销{{ businesses.revoked }}户。{% endif %}"
    )
    text = _render(body)
    assert text.strip() == "新增3户，其中企业1户，个体工商户2户。"
    assert "农民专业合作社" not in text and "吊销" not in text


def test_context_names_render(org):
    text = _render("{{ bureau }}|{{ area }}|{{ period }}|{{ as_of }}|{{ period_start }}|{{ period_end }}|{{ scope }}")
    assert text.strip() == "测试区市场监督管理局|全区|2026年上半年|2026年6月30日|2026年1月1日|2026年6月30日|全局"


def test_builtin_templates_are_valid(org):
    from jianguan.reports.engine import _builtin_files

    for key, (_, body) in _builtin_files().items():
        assert check_template(body)[0] == [], key


def test_a_typo_inside_a_loop_over_no_parts_is_still_refused(org):
    with pytest.raises(TemplateInvalid):
        _render("{% for p in businesses.active.nonzero_parts %}{{ p.labl }}{% endfor %}")


def test_unknown_filter_is_refused_with_its_line(org):
    from jianguan.reports.templating import check_template

    problems, _ = check_template("第一行\n{{ businesses.new | foo }}")
    assert [(p.line, p.message) for p in problems] == [(2, "模板语法错误：没有名为“foo”的过滤器")]


def test_missing_endif_is_explained_in_chinese(org):
    from jianguan.reports.templating import check_template

    problems, _ = check_template("标题\n{% if businesses.new %}有新增")
    assert problems[0].line == 2 and "缺少 {% endif %}" in problems[0].message
