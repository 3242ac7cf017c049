"""Every read of campaigns for a user. Campaigns are bureau-wide plans: every user sees every campaign,
and what a station sees of a campaign's figures is scoped by the indicators that count them."""

from django.db.models import QuerySet

from jianguan.core.errors import DomainError, NotFound
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit, User

from .models import Campaign


def campaign_list(*, actor: User | None = None, filters: dict | None = None) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("lead_department").order_by("-start", "code")
    if status := ((filters or {}).get("status") or "").strip():
        qs = qs.filter(status=status)
    return qs


def campaign_get(*, actor: User | None = None, pk: int | None = None, code: str | None = None) -> Campaign:
    found = campaign_list(actor=actor).filter(**({"pk": pk} if pk is not None else {"code": code})).first()
    if found is None:
        raise NotFound("专项行动不存在")
    return found


def campaign_by_code(code: str) -> Campaign:
    """The campaign a report parameter names, or a DomainError that names the code."""
    campaign = Campaign.objects.filter(code=(code or "").strip()).first()
    if campaign is None:
        raise DomainError("unknown_campaign", f"专项行动“{code}”不存在，请核对编号（--campaign）", {"campaign": code})
    return campaign


def lead_departments() -> QuerySet[OrgUnit]:
    """The units that may lead a campaign: departments and the bureau itself, not stations."""
    return OrgUnit.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.BUREAU], disabled_on__isnull=True)
