"""Pure checks of what may be recorded about a canteen: no database."""

import datetime as dt

from .choices import CHANGE_FROM, ChangeKind, EvaluationResult, MingchuStatus


def mingchu_change_problem(*, status: str, kind: str, on: dt.date, last_on: dt.date | None, platform: str,
                           current_platform: str) -> tuple[str, str] | None:
    """(field, reason) why a 明厨亮灶 change cannot be recorded, or None."""
    if kind not in ChangeKind.values:
        return "kind", "请选择明厨亮灶变动类型（建成、新接入平台或改接新平台）"
    if status not in CHANGE_FROM[ChangeKind(kind)]:
        allowed = "、".join(MingchuStatus(s).label for s in sorted(CHANGE_FROM[ChangeKind(kind)]))
        return "kind", f"该食堂明厨亮灶当前为“{MingchuStatus(status).label}”，“{ChangeKind(kind).label}”只能在“{allowed}”时登记"
    if last_on is not None and on < last_on:
        return "on", f"日期 {on} 早于上一次明厨亮灶变动（{last_on}）"
    if kind in (ChangeKind.CONNECTED, ChangeKind.RECONNECTED) and not platform.strip():
        return "platform", "请填写接入的平台名称"
    if kind == ChangeKind.RECONNECTED and platform.strip() == current_platform.strip():
        return "platform", f"改接须接入新的平台，当前已接入“{current_platform}”"
    return None


def evaluation_problem(*, result: str, evaluator: str, problems: list[str], deadline: dt.date | None,
                       on: dt.date) -> tuple[str, str] | None:
    """(field, reason) why an evaluation cannot be recorded, or None. A 不合格 result names what failed; every
    problem gets a rectification deadline, as the findings it becomes need one."""
    if result not in EvaluationResult.values:
        return "result", "请选择评价结果（优秀、良好、一般或不合格）"
    if not evaluator.strip():
        return "evaluator", "请填写评价人员（单位）"
    if result == EvaluationResult.FAIL and not problems:
        return "problems", "评价结果为不合格的，请填写发现的问题"
    if problems and deadline is None:
        return "deadline", "发现问题的，请填写整改期限"
    if deadline is not None and deadline < on:
        return "deadline", f"整改期限 {deadline} 早于评价日期 {on}"
    return None


def last_change_on(*, built_on: dt.date | None, connected_on: dt.date | None, reconnected_on: dt.date | None) -> dt.date | None:
    days = [d for d in (built_on, connected_on, reconnected_on) if d is not None]
    return max(days) if days else None
