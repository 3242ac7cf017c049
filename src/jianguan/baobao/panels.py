"""What 包保 contributes to the pages that gather many apps:

- 一户一档: the subject's 包保 grade, the cadres who 包保 it now and the last 督导 (for a subject with any 包保
  record; others get no panel);
- 工作台: assignments whose 督导 is overdue (no 督导 within their cadre level's frequency, a versioned rule) or
  falls due within the window, with the coverage of food subjects in the hint.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.urls import reverse

from jianguan.core.panels import ROWS, BusinessPanel, Count, Row, Todo, register_business_panel, register_todo
from jianguan.org.selectors import scope_q

from .models import Assignment, GradeRecord, Supervision
from .rules import due_on, is_overdue
from .selectors import active_q, assignment_list, coverage, due_q, months, with_anchor


def page_url(name: str, *args, **params) -> str:
    base = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


@register_business_panel("baobao.subject", order=9)
def business_baobao(actor, business, on: dt.date) -> BusinessPanel | None:
    # An assignment needs a grade (services), so a subject never graded has no 包保 record: one read for most pages.
    grades = list(GradeRecord.objects.filter(business=business).order_by("-valid_from"))
    if not grades:
        return None
    grade = next((g for g in grades if g.valid_from <= on and (g.valid_until is None or g.valid_until >= on)), None)
    assignments = list(Assignment.objects.filter(business=business).select_related("cadre").order_by("-start_on", "-pk"))
    freq = months(on)
    last = {}
    for s in Supervision.objects.filter(assignment__business=business, on__lte=on).order_by("assignment_id", "-on", "-pk"):
        last.setdefault(s.assignment_id, s)
    active = [a for a in assignments if a.start_on <= on and (a.end_on is None or a.end_on >= on)]
    rows = []
    if grade is not None:
        rows.append(Row(text=f"包保等级：{grade.get_grade_display()}", note=grade.reason, when=f"{grade.valid_from} 起"))
    overdue = 0
    for a in active:
        s = last.get(a.pk)
        anchor = s.on if s else a.start_on
        late = is_overdue(anchor, freq[a.cadre.level], on)
        overdue += late
        note = f"{a.cadre.unit} {a.cadre.post}".strip()
        note += f"；最近督导 {s.on}" + (f"（发现问题{s.problem_count}个，{'已整改' if s.rectified else '未整改'}）" if s.problem_count else "") if s else "；尚未督导"
        rows.append(Row(text=f"包保干部：{a.cadre.name}（{a.cadre.get_level_display()}）", url=page_url("baobao:assignment", a.pk),
                        note=note, when=f"下次督导 {due_on(anchor, freq[a.cadre.level])}", badge="督导逾期" if late else "在包",
                        tone="danger" if late else "active"))
    return BusinessPanel(
        title="包保（两个责任）", total=len(assignments), unit="个",
        counts=[Count("在包干部", len(active), page_url("baobao:index", q=business.uscc)),
                Count("督导逾期", overdue, page_url("baobao:index", q=business.uscc, due="overdue"), tone="danger" if overdue else "")],
        rows=rows[: ROWS + 1], more_url=page_url("baobao:index", q=business.uscc, state="all"), empty="尚未确定包保干部。")


@register_todo("baobao.overdue", order=62)
def overdue_supervision(actor, on: dt.date, until: dt.date) -> Todo:
    """Active assignments past their 督导 frequency (overdue) or reaching it within the window (due soon)."""
    freq = months(on)
    qs = with_anchor(Assignment.objects.filter(active_q(on)), on).filter(scope_q(actor=actor, subdistrict_field="business__subdistrict"))
    figures = qs.order_by().aggregate(open=Counted("pk"), overdue=Counted("pk", filter=due_q("overdue", on, until, freq)),
                                      soon=Counted("pk", filter=due_q("soon", on, until, freq)))
    rows = [
        Row(text=f"{a.business.name}：{a.cadre.name}（{a.cadre.get_level_display()}）", url=page_url("baobao:assignment", a.pk),
            note=f"最近督导 {a.last_on}" if a.last_on else f"{a.start_on} 起包保，尚未督导",
            when=due_on(a.anchor, freq[a.cadre.level]).isoformat(), tone="danger" if is_overdue(a.anchor, freq[a.cadre.level], on) else "warning")
        for a in (assignment_list(actor=actor, filters={"due": "overdue"}, on=on, freq=freq)[:ROWS] if figures["overdue"] else [])
    ]
    cover = coverage(actor=actor, on=on)
    return Todo(
        label="包保干部督导", unit="个",
        hint=f"包保干部按层级频次督导包保主体；食品主体 {cover['subjects']} 户，已落实包保 {cover['covered']} 户",
        rows=rows,
        overdue=Count("督导逾期", figures["overdue"], page_url("baobao:index", due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], page_url("baobao:index", due="soon"), tone="warning"),
        open=Count("在包", figures["open"], page_url("baobao:index")),
    )
