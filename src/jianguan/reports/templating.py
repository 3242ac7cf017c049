"""Report templates: Chinese text with placeholders, conditionals and loops (a sandboxed Jinja2).

A template is checked before it is rendered: a syntax error, a placeholder that names no indicator,
markup, `|safe` or a call is reported with its line, never rendered as blank. Rendering runs in
`sandbox` under a budget; an overrun is reported the same way.
"""

import re
from dataclasses import dataclass

from django.utils import timezone
from jinja2 import TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SecurityError

from jianguan.core.indicators import all_indicators

from . import sandbox
from .figures import FIGURE_ATTRS
from .sandbox import ALLOWED_FILTERS, JINJA_FILTERS, Budget, ReportEnvironment, TemplateRefused

CONTEXT_NAMES = frozenset({
    "bureau", "area", "period", "as_of", "period_start", "period_end", "scope",
    # the annual-report year the credit.annual_report* figures are about (the --report-year parameter)
    "report_year",
    # the campaign parameter (empty without one): its name, code, dates, goals and progress in %
    "campaign_name", "campaign_code", "campaign_start", "campaign_end", "campaign_goals", "campaign_progress",
})
TEMPLATE_NAME = "<报表模板>"


@dataclass(frozen=True)
class TemplateProblem:
    line: int | None
    message: str

    def __str__(self):
        return f"第{self.line}行：{self.message}" if self.line else self.message


class TemplateInvalid(Exception):
    def __init__(self, problems: list[TemplateProblem]):
        super().__init__("；".join(str(p) for p in problems))
        self.problems = problems


def environment(html: bool) -> ReportEnvironment:
    return ReportEnvironment(html)


_SYNTAX_HINTS = [
    (re.compile(r"unexpected end of template.*", re.I | re.S), "模板意外结束（可能缺少 {% endif %} 或 {% endfor %}）"),
    (re.compile(r"Encountered unknown tag '(\w+)'.*", re.I | re.S), r"未知的标签“\1”"),
    (re.compile(r"expected an expression.*", re.I | re.S), "此处缺少表达式（如 {{ }} 中间为空）"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'.*", re.I | re.S), r"此处应为“\1”，实为“\2”"),
    (re.compile(r"unexpected '(.+?)'.*", re.I | re.S), r"意外的符号“\1”"),
    (re.compile(r"No filter named '(.+?)'.*", re.I | re.S), r"没有名为“\1”的过滤器"),
    (re.compile(r"No test named '(.+?)'.*", re.I | re.S), r"没有名为“\1”的判断"),
]


def _syntax_message(exc: TemplateSyntaxError) -> str:
    for pattern, text in _SYNTAX_HINTS:
        if found := pattern.search(exc.message or ""):
            return "模板语法错误：" + found.expand(text)
    return f"模板语法错误：{exc.message}"


def _chain(node) -> tuple[str | None, list[tuple[str, object]]]:
    """The root name and the attribute/item steps of `a.b["c"].d`."""
    steps = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            steps.append(("attr", node.attr))
        else:
            steps.append(("item", node.arg.value if isinstance(node.arg, nodes.Const) else None))
        node = node.node
    return (node.name if isinstance(node, nodes.Name) else None), list(reversed(steps))


def check_template(body: str) -> tuple[list[TemplateProblem], set[str]]:
    """Problems found, and the indicator keys the template uses."""
    env = environment(html=False)
    try:
        ast = env.parse(body, name=TEMPLATE_NAME)
        if refused := _refused(ast):
            return refused, set()
        env.compile(body, name=TEMPLATE_NAME)  # unknown filters and tests surface only when compiling
    except TemplateSyntaxError as exc:
        return [TemplateProblem(exc.lineno, _syntax_message(exc))], set()
    except (ValueError, OverflowError, RecursionError):  # the lexer's int() of a 5,000-digit number, deep nesting
        return [TemplateProblem(None, "模板中有过长的数字或过深的嵌套，无法解析")], set()
    indicators = {i.key: i for i in all_indicators()}
    roots = {k.split(".")[0] for k in indicators}
    stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    problems, used = [], set()
    # Outermost chains only: `a.b.c` is checked once, not as `a.b` and `a.b.c`.
    outer = _outer_chains(ast)
    part_vars = _part_loop_vars(ast, roots)
    for node in outer:
        root, steps = _chain(node)
        if root in part_vars:
            if steps and (steps[0][0] != "attr" or steps[0][1] not in FIGURE_ATTRS):
                name = steps[0][1]
                problems.append(TemplateProblem(node.lineno, f"分项“{root}”没有属性“{name}”（可用：{'、'.join(sorted(FIGURE_ATTRS))}）"))
            continue
        if root not in roots or root in stored:
            continue
        problem, key = _resolve(root, steps, indicators)
        if problem:
            problems.append(TemplateProblem(node.lineno, problem))
        elif key:
            used.add(key)
    allowed = CONTEXT_NAMES | roots | stored | {"loop", "range", "true", "false", "none"}
    for name in ast.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in allowed:
            problems.append(TemplateProblem(name.lineno, f"未知的占位符“{name.name}”"))
        elif name.ctx == "load" and name.name in roots and name.name not in stored and not _is_chained(name, outer):
            problems.append(TemplateProblem(name.lineno, f"占位符“{name.name}”不完整，应写成如 {name.name}.指标"))
    problems.sort(key=lambda p: (p.line or 0, p.message))
    return problems, used


# A tag, comment or doctype: `<img`, `</p`, `<!--`; a lone `<` (合格率<90%) is text.
_MARKUP = re.compile(r"<[A-Za-z!/?][^<>\n]{0,30}")
_BLOCK_TAGS = {
    nodes.Macro: "macro", nodes.CallBlock: "call", nodes.Include: "include", nodes.Import: "import",
    nodes.FromImport: "from … import", nodes.Extends: "extends", nodes.FilterBlock: "filter",
    nodes.AssignBlock: "set … endset", nodes.EvalContextModifier: "autoescape",
}
_CALLABLE = ("range", "loop")


def _markup_problem(line: int, found: str) -> TemplateProblem:
    return TemplateProblem(line, f"模板中不能含有 HTML 标记“{found.strip()}”（报表中的文字按原样显示，"
                                 "标题与段落用 # 与换行表示）")


def _refused(ast) -> list[TemplateProblem]:
    """What a report template may not do at all: markup, |safe and the like, calls, private attributes."""
    problems = []
    for data in ast.find_all(nodes.TemplateData):
        if found := _MARKUP.search(data.data):
            problems.append(_markup_problem(data.lineno + data.data[: found.start()].count("\n"), found.group()))
    for const in ast.find_all(nodes.Const):
        if isinstance(const.value, str) and (found := _MARKUP.search(const.value)):
            problems.append(_markup_problem(const.lineno, found.group()))
    for node in ast.find_all(nodes.Filter):
        if node.name not in ALLOWED_FILTERS and (node.name in JINJA_FILTERS or node.name.startswith("_")):
            why = "（报表中的文字一律按原样显示）" if node.name == "safe" else ""
            problems.append(TemplateProblem(node.lineno, f"不能使用“{node.name}”过滤器{why}"))
        for arg in [*node.args, *(k.value for k in node.kwargs)]:  # map(attribute="__class__"), sort("_x")
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value.startswith("_"):
                problems.append(TemplateProblem(node.lineno, f"不能访问以下划线开头的属性“{arg.value}”"))
    for kind, tag in _BLOCK_TAGS.items():
        problems += [TemplateProblem(n.lineno, f"不能使用 {tag} 标签") for n in ast.find_all(kind)]
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            problems.append(TemplateProblem(node.lineno, f"不能访问以下划线开头的属性“{name}”"))
    for call in ast.find_all(nodes.Call):
        root, steps = _chain(call.node)
        if root not in _CALLABLE or (root == "range" and steps) or (root == "loop" and len(steps) > 1):
            problems.append(TemplateProblem(call.lineno, "模板中只能调用 range() 与 loop 的方法"))
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def _part_loop_vars(ast, roots) -> set[str]:
    """Names bound by `{% for p in <indicator>.parts|nonzero_parts %}`: each p is a figure too."""
    names = set()
    for loop in ast.find_all(nodes.For):
        root, steps = _chain(loop.iter)
        if root in roots and steps and steps[-1] in (("attr", "parts"), ("attr", "nonzero_parts")):
            if isinstance(loop.target, nodes.Name):
                names.add(loop.target.name)
    return names


def _outer_chains(ast) -> list:
    inner = set()
    chains = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        child = node.node
        while isinstance(child, nodes.Getattr | nodes.Getitem):
            inner.add(id(child))
            child = child.node
        chains.append(node)
    return [n for n in chains if id(n) not in inner]


def _is_chained(name, outer) -> bool:
    for node in outer:
        child = node
        while isinstance(child, nodes.Getattr | nodes.Getitem):
            child = child.node
        if child is name:
            return True
    return False


def _resolve(root: str, steps, indicators) -> tuple[str | None, str | None]:
    path = root
    for i, (kind, name) in enumerate(steps):
        if kind != "attr":
            return f"占位符“{path}”不完整，下标前应写到具体指标", None
        path = f"{path}.{name}"
        if path in indicators:
            rest = steps[i + 1 :]
            return _check_rest(path, rest, indicators[path]), path
        if not any(k.startswith(path + ".") for k in indicators):
            return f"未知的占位符“{path}”（没有这个指标）", None
    return f"占位符“{path}”不完整，应写到具体指标", None


def _check_rest(key: str, rest, indicator) -> str | None:
    if not rest:
        return None
    kind, name = rest[0]
    if kind == "item":
        labels = [label for _, label in indicator.dimension.pairs()] if indicator.dimension else []
        if name is not None and name not in labels:  # a computed subscript is checked when rendering
            return f"指标“{key}”没有分项“{name}”" + (f"（可用：{'、'.join(labels)}）" if labels else "")
        rest = rest[1:]
        if not rest:
            return None
        kind, name = rest[0]
    if kind == "attr" and name in FIGURE_ATTRS:
        return None
    return f"指标“{key}”没有属性“{name}”（可用：{'、'.join(sorted(FIGURE_ATTRS))}）"


def render_budget() -> Budget:
    """The render budget in force today (rules `reports.render_max_*`)."""
    return Budget.in_force(timezone.localdate())


def render_template(body: str, context: dict, html: bool, budget: Budget | None = None) -> str:
    try:
        return sandbox.render(body, context, html=html, budget=budget or render_budget(), name=TEMPLATE_NAME)
    except TemplateSyntaxError as exc:
        raise TemplateInvalid([TemplateProblem(exc.lineno, _syntax_message(exc))]) from exc
    except TemplateRefused as exc:
        raise TemplateInvalid([TemplateProblem(_template_line(exc), exc.message)]) from exc
    except SecurityError as exc:
        message = "模板只能使用指标、通用名称及其属性，不能访问其他对象"
        raise TemplateInvalid([TemplateProblem(_template_line(exc), message)]) from exc
    except RecursionError as exc:
        raise TemplateInvalid([TemplateProblem(None, "模板嵌套过深，无法生成")]) from exc
    except ZeroDivisionError as exc:
        raise TemplateInvalid([TemplateProblem(_template_line(exc), "渲染出错：除数为零")]) from exc
    except ArithmeticError as exc:  # 1.5 ** 10000, a Decimal overflow
        raise TemplateInvalid([TemplateProblem(_template_line(exc), "渲染出错：数值超出范围，无法计算")]) from exc
    except (UndefinedError, TypeError, ValueError, LookupError) as exc:
        raise TemplateInvalid([TemplateProblem(_template_line(exc), f"渲染出错：{exc}")]) from exc


def _template_line(exc: BaseException) -> int | None:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
