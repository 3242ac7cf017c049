"""The licence register's panel on the one-stop business page (一户一档): every licence the subject holds, valid
ones first."""

import datetime as dt

from jianguan.core.panels import BusinessPanel, Count, Row, register_business_panel

from .models import Licence
from .rules import is_valid

ROWS = 8  # a subject rarely holds more; the rest are on the register's list


def _state(licence: Licence, on: dt.date) -> tuple[str, str]:
    if licence.status in ("cancelled", "revoked"):
        return licence.get_status_display(), "muted"
    if licence.valid_until and licence.valid_until < on:
        return "过期", "danger"
    if not is_valid(issued_on=licence.issued_on, valid_until=licence.valid_until, status=licence.status,
                    status_date=licence.status_date, on=on):
        return "未生效", "muted"
    return "有效", "active"


@register_business_panel("licences.held", order=5)
def business_licences(actor, business, on: dt.date) -> BusinessPanel:
    licences = list(Licence.objects.filter(business=business).select_related("kind", "sector").order_by("kind__order", "-issued_on"))
    states = [(lic, *_state(lic, on)) for lic in licences]
    valid = sum(label == "有效" for _, label, _ in states)
    states.sort(key=lambda s: s[1] != "有效")
    rows = [
        Row(text=f"{lic.kind.name} {lic.number}", note="；".join(x for x in (lic.sector.name if lic.sector else "", lic.items) if x),
            when=f"有效期至 {lic.valid_until.isoformat()}" if lic.valid_until else "长期有效", badge=label, tone=tone)
        for lic, label, tone in states[:ROWS]
    ]
    return BusinessPanel(title="许可证", total=len(licences), unit="份", counts=[Count("有效", valid, None)], rows=rows,
                         empty="暂无许可证信息。")
