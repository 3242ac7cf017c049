"""What 抽检 contributes to the pages that gather many apps (see jianguan.core.panels): a business's samples
and quick tests (一户一档), and on the to-do home the unqualified samples by their disposal deadline (90
days) and the unqualified results not yet served by their service deadline (5 working days). Scoped by
this app's selectors."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse

from jianguan.core.masking import mask_name
from jianguan.core.panels import (
    ROWS,
    BusinessPanel,
    Count,
    Link,
    Row,
    Todo,
    due_figures,
    register_business_panel,
    register_todo,
)
from jianguan.org.choices import Role

from . import selectors
from .choices import Conclusion, DisposalStatus, QuickTestResult

CONCLUSION_TONE = {Conclusion.UNQUALIFIED: "danger", Conclusion.PROBLEM: "warning", Conclusion.PENDING: ""}


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _name(sample) -> str:
    """On the to-do home no one is shown a person's name in full: a sampled party neither registered nor
    identified by a code is taken to be a person (a market stall), as on the public notice."""
    if sample.business_id is None and not sample.business_uscc:
        return mask_name(sample.business_name)
    return sample.business_name


# ---------------------------------------------------------------- 一户一档


@register_business_panel("sampling.samples", order=55)
def business_samples(actor, business, on: dt.date) -> BusinessPanel:
    samples = selectors.samples_of_business(actor=actor, business=business)
    tests = selectors.quicktests_of_business(actor=actor, business=business)
    figures = samples.order_by().aggregate(
        total=Counted("id"), unqualified=Counted("id", filter=Q(conclusion=Conclusion.UNQUALIFIED)),
        disposing=Counted("id", filter=Q(disposal_status=DisposalStatus.DISPOSING)),
    )
    test_figures = tests.order_by().aggregate(total=Counted("id"), positive=Counted("id", filter=Q(result=QuickTestResult.POSITIVE)))
    counts = [
        Count("抽检批次", figures["total"], _url("sampling:list", q=business.uscc)),
        Count("不合格", figures["unqualified"], _url("sampling:list", q=business.uscc, conclusion=Conclusion.UNQUALIFIED),
              tone="danger" if figures["unqualified"] else ""),
        Count("处置中", figures["disposing"], _url("sampling:list", q=business.uscc, disposal=DisposalStatus.DISPOSING),
              tone="warning" if figures["disposing"] else ""),
        Count("快检", test_figures["total"], _url("sampling:quicktests", q=business.uscc)),
        Count("快检阳性", test_figures["positive"], _url("sampling:quicktests", q=business.uscc, result=QuickTestResult.POSITIVE),
              tone="danger" if test_figures["positive"] else ""),
    ]
    rows = [
        Row(text=f"{s.number} {s.sample_name}", url=reverse("sampling:detail", args=[s.pk]),
            note=f"{s.food_category.name} · {s.get_sampling_type_display()}", when=s.sampled_on.isoformat(),
            badge=s.get_conclusion_display() + ("，处置中" if s.disposal_status == DisposalStatus.DISPOSING else ""),
            tone=CONCLUSION_TONE.get(s.conclusion, ""))
        for s in samples.order_by("-sampled_on", "-pk")[:ROWS]
    ]
    if len(rows) < ROWS:
        rows += [
            Row(text=f"快检：{t.product} {t.item}", url=_url("sampling:quicktests", q=business.uscc), note=t.place,
                when=t.tested_on.isoformat(), badge=t.get_result_display(),
                tone="danger" if t.result == QuickTestResult.POSITIVE else "")
            for t in tests[:ROWS - len(rows)]
        ]
    actions = [] if actor.role == Role.LEADERSHIP else [Link("登记抽样单", _url("sampling:new", uscc=business.uscc))]
    return BusinessPanel(
        title="抽检与快检", total=figures["total"] + test_figures["total"], unit="条", counts=counts, rows=rows,
        more_url=_url("sampling:list", q=business.uscc), empty="没有该主体的抽检或快检记录。", actions=actions,
    )


# ---------------------------------------------------------------- 工作台


@register_todo("sampling.disposals", order=47)
def disposal_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Unqualified samples under 核查处置, by their disposal deadline (90 days from the report)."""
    qs = selectors.disposals_pending(actor=actor)
    figures = due_figures(qs, "disposal_due", on, until)
    rows = [
        Row(text=f"{s.sample_name}：{_name(s)}", url=reverse("sampling:detail", args=[s.pk]), note=s.number,
            when=s.disposal_due.isoformat(), tone="danger" if s.disposal_due < on else "warning")
        for s in qs.filter(disposal_due__lte=until)[:ROWS]
    ]
    return Todo(
        label="不合格样品核查处置", unit="批次", hint="自收到不合格检验结论之日起90日内完成核查处置", rows=rows,
        overdue=Count("已逾期", figures["overdue"], _url("sampling:list", pending="disposal", due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], _url("sampling:list", pending="disposal", due="soon"), tone="warning"),
        open=Count("全部", figures["open"], _url("sampling:list", pending="disposal")),
    )


@register_todo("sampling.services", order=48)
def service_deadlines(actor, on: dt.date, until: dt.date) -> Todo:
    """Unqualified results not yet served on the business, by their service deadline (5 working days)."""
    qs = selectors.services_pending(actor=actor)
    figures = due_figures(qs, "service_due", on, until)
    rows = [
        Row(text=f"{s.sample_name}：{_name(s)}", url=reverse("sampling:detail", args=[s.pk]), note=s.number,
            when=s.service_due.isoformat(), tone="danger" if s.service_due < on else "warning")
        for s in qs.filter(service_due__lte=until)[:ROWS]
    ]
    return Todo(
        label="待送达的不合格检验结论", unit="批次", hint="自收到不合格检验结论之日起5个工作日内送达被抽样单位", rows=rows,
        overdue=Count("已逾期", figures["overdue"], _url("sampling:list", pending="service", due="overdue"), tone="danger"),
        due_soon=Count("即将到期", figures["soon"], _url("sampling:list", pending="service", due="soon"), tone="warning"),
        open=Count("全部", figures["open"], _url("sampling:list", pending="service")),
    )
