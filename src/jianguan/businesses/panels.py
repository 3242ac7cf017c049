"""What the market-entity register contributes to the home page (see jianguan.core.panels): the
headline figures of active businesses in the actor's jurisdiction — the bureau's, for the leader. 市场主体 only:
其他组织 (机关、事业单位 …) are on the register, not in these counts."""

from urllib.parse import urlencode

from django.urls import reverse

from jianguan.core.panels import Count, Figures, register_figures

from .choices import MARKET_ENTITY_CHOICES, RegStatus
from .selectors import business_counts


def _list_url(**params) -> str:
    return f"{reverse('businesses:list')}?{urlencode(params)}"


@register_figures("businesses.active", order=10)
def active_businesses(actor) -> Figures:
    counts = business_counts(actor=actor)
    return Figures(
        title="存续市场主体",
        unit="户",
        counts=[
            Count("存续市场主体合计", counts["total"], _list_url(reg_status=RegStatus.ACTIVE)),
            *(
                Count(label, counts["by_type"].get(value, 0), _list_url(entity_type=value, reg_status=RegStatus.ACTIVE))
                for value, label in MARKET_ENTITY_CHOICES
            ),
        ],
    )
