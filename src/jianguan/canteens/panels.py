"""The canteen panel on the one-stop business page (一户一档): for a holder of canteen licences only — each
canteen's 明厨亮灶 and its latest evaluation (学校食堂)."""

import datetime as dt

from django.urls import reverse

from jianguan.core.panels import BusinessPanel, Count, Row, register_business_panel
from jianguan.licences.rules import is_valid

from .choices import EvaluationResult, MingchuStatus
from .models import Evaluation
from .selectors import canteen_licences, canteen_of

TONE = {MingchuStatus.NONE: "warning", MingchuStatus.BUILT: "", MingchuStatus.CONNECTED: "active"}


@register_business_panel("canteens.canteens", order=7)
def business_canteens(actor, business, on: dt.date) -> BusinessPanel | None:
    licences = list(canteen_licences().filter(business=business).select_related("canteen", "sector").order_by("number"))
    if not licences:
        return None
    latest = {}
    for e in Evaluation.objects.filter(canteen__licence__in=licences).select_related("canteen").order_by("canteen_id", "-on", "-pk"):
        latest.setdefault(e.canteen.licence_id, e)
    rows, valid, built = [], 0, 0
    for lic in licences:
        canteen = canteen_of(lic)
        status = MingchuStatus(canteen.mingchu_status) if canteen else MingchuStatus.NONE
        in_force = is_valid(issued_on=lic.issued_on, valid_until=lic.valid_until, status=lic.status, status_date=lic.status_date, on=on)
        valid += in_force
        built += bool(in_force and canteen and canteen.built_on and canteen.built_on <= on)
        evaluation = latest.get(lic.pk)
        note = [lic.sector.name, f"许可证 {lic.number}"]
        if canteen and canteen.platform:
            note.append(f"平台：{canteen.platform}")
        if evaluation:
            note.append(f"{evaluation.on} 评价验收：{evaluation.get_result_display()}")
        rows.append(Row(text=(canteen.school_name if canteen and canteen.school_name else business.name),
                        url=reverse("canteens:detail", args=[lic.pk]), note="；".join(note), when="" if in_force else "许可证已失效",
                        badge=f"明厨亮灶{status.label}",
                        tone="danger" if evaluation and evaluation.result == EvaluationResult.FAIL else TONE[status]))
    return BusinessPanel(
        title="食堂与明厨亮灶", total=len(licences), unit="个",
        counts=[Count("有效", valid, None), Count("明厨亮灶已建", built, None)], rows=rows,
        more_url=f"{reverse('canteens:list')}?q={business.uscc}&state=all", empty="暂无食堂。")
