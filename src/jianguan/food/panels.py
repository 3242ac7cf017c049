"""What food risk grading contributes to the pages that gather many apps (jianguan.core.panels):

- 工作台 `food.plan_due`: planned businesses due this month in the user's jurisdiction — behind the pro-rata
  schedule of their minimum inspections, or whose 24-month full-inspection cycle ends (selectors.due_q):
  已逾期 (behind at the end of last month, or the cycle ended before this month), 本月应检, and both;
- 一户一档 `food.grade`: the business's grade in force with its explanation, and its plan progress this year.
"""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.urls import reverse

from jianguan.core.panels import ROWS, BusinessPanel, Count, Row, Todo, register_business_panel, register_todo
from jianguan.org.selectors import scope_q

from . import selectors
from .choices import DueFilter
from .models import PlanItem


def page_url(name: str, *args, **params) -> str:
    base = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


@register_todo("food.plan_due", order=60)
def plan_due(actor, on: dt.date, until: dt.date) -> Todo | None:
    plan = selectors.current_plan(on.year, on)
    if plan is None:
        return None
    qs = selectors.with_progress(PlanItem.objects.filter(scope_q(actor=actor, subdistrict_field=selectors.SCOPE), run=plan), on)
    figures = qs.order_by().aggregate(
        open=Counted("pk", filter=selectors.due_q(on, DueFilter.ALL)),
        overdue=Counted("pk", filter=selectors.due_q(on, DueFilter.OVERDUE)),
    )
    soon = figures["open"] - figures["overdue"]
    nearest = (qs.filter(selectors.due_q(on, DueFilter.ALL)).select_related("business")
               .order_by("-grade", "done", "business__uscc")[:ROWS])
    rows = [
        Row(text=f"{i.business.name}（{i.grade}级）", url=page_url("food:grade", i.food_grade_id),
            note=f"本年已检 {i.done} 次，应检 {i.min_inspections}–{i.max_inspections} 次", when=f"{on.year}年{on.month}月",
            tone="danger" if i.done < i.min_inspections else "warning")
        for i in nearest
    ]
    year = on.year
    return Todo(
        label="食品安全年度检查计划本月应检", unit="户", rows=rows,
        hint="按风险等级的最低检查次数按月折算进度落后的，以及两年全项检查周期届满的食品生产经营者",
        overdue=Count("已逾期", figures["overdue"], page_url("food:plan", year=year, due=DueFilter.OVERDUE), tone="danger"),
        due_soon=Count("本月应检", soon, page_url("food:plan", year=year, due=DueFilter.MONTH), tone="warning"),
        open=Count("全部", figures["open"], page_url("food:plan", year=year, due=DueFilter.ALL)),
    )


def _factors_note(factors: list[dict]) -> str:
    parts = [f"{f.get('label', '')} {f.get('points', 0)}分" for f in factors or [] if f.get("points")]
    return "；".join(parts) if parts else "无计分因素"


@register_business_panel("food.grade", order=40)
def business_grade(actor, business, on: dt.date) -> BusinessPanel | None:
    grade = selectors.business_grade(business, on)
    if grade is None:
        return None  # not graded: not a food business (or never graded)
    rows = [Row(
        text=f"{grade.year}年度风险等级：{grade.get_grade_display()}" + ("（人工调整）" if grade.overridden else ""),
        url=page_url("food:grade", grade.pk), when=grade.graded_on.isoformat(),
        note=(f"调整理由：{grade.override_reason}；计算等级 {grade.computed_grade}级（{grade.points}分）" if grade.overridden
              else f"{grade.points}分：{_factors_note(grade.factors)}"),
        badge=f"{grade.grade}级", tone="danger" if grade.grade in ("C", "D") else "")]
    counts = [Count("风险分值", grade.points, page_url("food:grade", grade.pk))]
    item = selectors.business_progress(business, on)
    if item is not None:
        item = selectors.decorate([item], on)[0]
        counts.append(Count("本年已检", item.done, page_url("food:plan", year=on.year, q=business.uscc),
                            tone="warning" if item.done < item.min_inspections else ""))
        full = f"最近全项检查 {item.last_full.isoformat()}" if item.last_full else "尚无全项检查"
        rows.append(Row(
            text=f"{on.year}年度检查计划：应检 {item.min_inspections}–{item.max_inspections} 次，已检 {item.done} 次",
            url=page_url("food:plan", year=on.year, q=business.uscc), badge=item.progress_label,
            note=f"{full}；" + ("两年全项检查周期已届满" if item.full_lapsed else f"下次全项检查应于 {item.full_due} 前完成"),
            tone="danger" if item.full_lapsed or item.done < item.min_inspections else ""))
    return BusinessPanel(title="食品安全风险分级", total=1, unit="条", counts=counts, rows=rows,
                         more_url=page_url("food:grade", grade.pk))
