"""The Jinja environment report templates run in, and their render budget.

A template is written by department staff and rendered for everyone, on the page and from the CLI, so
it may neither reach Python objects (Jinja's sandbox, no calls but `range` and `loop`), nor put markup
into a page (its literal text is escaped in HTML), nor run away: loop iterations, the size of every
value it builds, its output and its time are bounded by versioned rules (`reports.render_max_*`).
Each overrun is a `TemplateRefused` with a Chinese message; the template's line is found from the
traceback by the caller.
"""

import contextvars
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal

from jinja2 import StrictUndefined, nodes, pass_context, pass_environment, pass_eval_context
from jinja2.filters import FILTERS, do_round, sync_do_join, sync_do_sum
from jinja2.runtime import LoopContext, markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer
from markupsafe import escape

RULE_KEYS = {
    "max_iterations": "reports.render_max_iterations",
    "max_output": "reports.render_max_output",
    "max_ms": "reports.render_max_ms",
}
# Filters a report needs; the others build large strings (center, indent, format, replace, wordwrap…),
# print Python objects (pprint, string, tojson) or undo escaping (safe), and are refused by the check.
ALLOWED_FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "groupby", "int", "items",
    "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse", "round",
    "select", "selectattr", "sort", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
})
JINJA_FILTERS = frozenset(FILTERS)
# Python's own ceiling for printing an int, so that no number is computed that could not be printed.
MAX_INT_BITS = int(sys.get_int_max_str_digits() * 3.33) if hasattr(sys, "get_int_max_str_digits") else 14_000


class TemplateRefused(Exception):
    """A template asked for something it may not do, or ran over its budget; the message is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Budget:
    max_iterations: int
    max_output: int  # characters, of the output and of any one value built on the way
    max_ms: int
    iterations: int = 0
    output: int = 0
    deadline: float = field(default=0.0)

    @classmethod
    def in_force(cls, on) -> "Budget":
        from jianguan.core.rules import rule_value

        return cls(**{name: int(rule_value(key, on=on)) for name, key in RULE_KEYS.items()})

    def start(self) -> None:
        self.iterations = self.output = 0
        self.deadline = time.monotonic() + self.max_ms / 1000

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateRefused(f"生成时间超过上限（{self.max_ms} 毫秒），请简化模板中的循环或计算")

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > self.max_iterations:
            raise TemplateRefused(f"循环次数超过上限（{self.max_iterations} 次），请缩小循环范围")
        if self.iterations % 256 == 0:
            self.check_time()

    def emit(self, chunk: str) -> None:
        self.output += len(chunk)
        if self.output > self.max_output:
            raise TemplateRefused(f"输出超过上限（{self.max_output} 字），请缩小循环范围")
        self.check_time()

    def check_size(self, value):
        if _weight(value, self.max_output) > self.max_output:
            raise TemplateRefused(f"文字长度超过上限（{self.max_output} 字）")
        return value


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("report_budget", default=None)


def _weight(value, cap: int) -> int:
    """Characters (or items) a value holds, counted until `cap` is passed."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple | dict | set | frozenset):
        total = len(value)
        for item in value.values() if isinstance(value, dict) else value:
            total += _weight(item, cap - total)
            if total > cap:
                break
        return total
    return 0


def _budget() -> Budget | None:
    return _current.get()


def _check(value):
    budget = _budget()
    return budget.check_size(value) if budget is not None else value


def _number_too_big(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateRefused("数值过大，无法计算")


# ---------------------------------------------------------------- helpers the transformed template calls


@pass_context
def _loop(context, iterable):
    budget = _budget()
    for item in iterable:
        if budget is not None:
            budget.tick()
        yield item


@pass_context
def _size(context, value):
    return _check(value)


@pass_eval_context
def _concat(eval_ctx, items):
    items = list(items)
    if (budget := _budget()) is not None:
        budget.check_size([str(i) for i in items])
    return markup_join(items) if eval_ctx.autoescape else str_join(items)


def bounded_range(*args):
    rng = range(*args)
    budget = _budget()
    if budget is not None and len(rng) > budget.max_iterations:
        raise TemplateRefused(f"循环次数超过上限（range 共 {len(rng)} 项，上限 {budget.max_iterations} 次）")
    return rng


@pass_eval_context
def _join(eval_ctx, value, d="", attribute=None):
    items = list(value)
    if (budget := _budget()) is not None:
        budget.check_size([str(d)] * max(len(items) - 1, 0) + [str(i) for i in items])
    return sync_do_join(eval_ctx, items, d, attribute)


@pass_environment
def _sum(environment, iterable, attribute=None, start=0):
    if not isinstance(start, int | float | Decimal):
        raise TemplateRefused("sum 的起始值只能是数字")
    return _check(sync_do_sum(environment, iterable, attribute, start))


def _round(value, precision=0, method="common"):
    if not isinstance(precision, int) or not 0 <= precision <= 10:
        raise TemplateRefused("round 的小数位数应为 0 到 10")
    return do_round(value, precision, method)


INTERNAL_FILTERS = {"_jg_loop": _loop, "_jg_size": _size, "_jg_concat": _concat}


class ReportEnvironment(SandboxedEnvironment):
    # Arithmetic goes through call_binop, so that `2**100000` or `'x' * 10**9` is refused before it is
    # computed (and is never folded into a constant while compiling).
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, html: bool):
        super().__init__(autoescape=html, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                         keep_trailing_newline=False)
        self.filters = {name: FILTERS[name] for name in ALLOWED_FILTERS}
        self.filters.update({"join": _join, "sum": _sum, "round": _round, **INTERNAL_FILTERS})
        self.globals = {"range": bounded_range}

    def call_binop(self, context, operator, left, right):
        budget = _budget()
        if budget is not None:
            budget.check_time()
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _number_too_big((abs(left).bit_length() - 1) * right)
        elif operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                _number_too_big(abs(left).bit_length() + abs(right).bit_length())
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and budget is not None:
                    if _weight(seq, budget.max_output) * times > budget.max_output:
                        raise TemplateRefused(f"文字长度超过上限（{budget.max_output} 字）")
        elif operator == "%" and isinstance(left, str):
            raise TemplateRefused("不能用 % 格式化文字，请直接写出占位符")
        return _check(super().call_binop(context, operator, left, right))

    def call(self, context, obj, /, *args, **kwargs):
        if obj is bounded_range or isinstance(obj, LoopContext) or isinstance(getattr(obj, "__self__", None), LoopContext):
            return _check(super().call(context, obj, *args, **kwargs))
        raise TemplateRefused("模板中只能调用 range() 与 loop 的方法")


def _wrap(node, name: str):
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class _Bounded(NodeTransformer):
    """Routes every loop and every value a template builds through the budget; in HTML, escapes the
    template's literal text (Jinja treats it as markup otherwise)."""

    def __init__(self, html: bool):
        self.html = html

    def visit_TemplateData(self, node):
        if self.html:
            node.data = str(escape(node.data))
        return node

    def visit_For(self, node):
        node = self.generic_visit(node)
        node.iter = _wrap(node.iter, "_jg_loop")
        return node

    def visit_Concat(self, node):
        node = self.generic_visit(node)
        return _wrap(nodes.List(node.nodes, lineno=node.lineno), "_jg_concat")

    def _sized(self, node):
        return _wrap(self.generic_visit(node), "_jg_size")

    visit_List = visit_Dict = visit_Call = _sized

    def visit_Tuple(self, node):
        return self._sized(node) if node.ctx == "load" else self.generic_visit(node)

    def visit_Filter(self, node):
        node = self.generic_visit(node)
        return node if node.node is None else _wrap(node, "_jg_size")


def render(body: str, context: dict, *, html: bool, budget: Budget, name: str) -> str:
    env = ReportEnvironment(html)
    ast = _Bounded(html).visit(env.parse(body, name=name))
    ast.set_environment(env)
    template = env.template_class.from_code(env, env.compile(ast, name=name), env.make_globals(None))
    token = _current.set(budget)
    budget.start()
    try:
        out = []
        for chunk in template.generate(context):
            budget.emit(chunk)
            out.append(chunk)
        return "".join(out)
    finally:
        _current.reset(token)
