"""Report templates: Chinese text with placeholders, conditionals and loops (a sandboxed Jinja2).

A template is checked before it is rendered: a syntax error or a placeholder that names no
indicator is reported with its line, never rendered as blank.
"""

import re
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment

from jianguan.core.indicators import all_indicators

from .figures import FIGURE_ATTRS

CONTEXT_NAMES = frozenset({
    "bureau", "area", "period", "as_of", "period_start", "period_end", "scope",
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


def environment(html: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        autoescape=html, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
    )


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
        env.compile(body, name=TEMPLATE_NAME)  # unknown filters and tests surface only when compiling
    except TemplateSyntaxError as exc:
        return [TemplateProblem(exc.lineno, _syntax_message(exc))], set()
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


def render_template(body: str, context: dict, html: bool) -> str:
    env = environment(html=html)
    try:
        return env.from_string(body).render(context)
    except TemplateSyntaxError as exc:
        raise TemplateInvalid([TemplateProblem(exc.lineno, _syntax_message(exc))]) from exc
    except (UndefinedError, TypeError, ValueError, KeyError, ZeroDivisionError) as exc:
        raise TemplateInvalid([TemplateProblem(_template_line(exc), f"渲染出错：{exc}")]) from exc


def _template_line(exc: BaseException) -> int | None:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
