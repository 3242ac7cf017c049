"""Every read of inspections and findings for a user, scoped to their jurisdiction (campaigns: campaigns.selectors)."""

import datetime as dt

from django.db.models import Q, QuerySet

from jianguan.campaigns import selectors as campaign_selectors
from jianguan.campaigns.models import Campaign
from jianguan.core.errors import NotFound
from jianguan.equipment.choices import TaskStatus
from jianguan.equipment.models import FollowUpTask
from jianguan.equipment.selectors import task_list
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .choices import FindingStatus
from .models import CampaignChecklist, Checklist, Document, Finding, Inspection, Sealing

INSPECTION_FILTERS = {
    "kind": "kind",
    "status": "status",
    "result": "result",
    "campaign": "campaign__code",
    "subdistrict": "subdistrict__code",
    "station": "subdistrict__station__code",
    "business": "business__uscc",
    "date_from": "date__gte",
    "date_to": "date__lte",
}


def inspection_list(*, actor: User, filters: dict | None = None) -> QuerySet[Inspection]:
    filters = filters or {}
    qs = Inspection.objects.filter(scope_q(actor=actor)).select_related("business", "subdistrict__station", "campaign")
    for key, lookup in INSPECTION_FILTERS.items():
        value = filters.get(key)
        if value := value.strip() if isinstance(value, str) else value:  # the API's filters arrive as dates
            qs = qs.filter(**{lookup: value})
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number=q) | Q(business__uscc=q.upper()) | Q(business__name__contains=q))
    return qs.order_by("-date", "-id")


def inspection_get(*, actor: User, pk: int) -> Inspection:
    found = inspection_list(actor=actor).select_related("checklist", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def finding_list(*, actor: User, filters: dict | None = None) -> QuerySet[Finding]:
    filters = filters or {}
    qs = Finding.objects.filter(scope_q(actor=actor)).select_related("business", "subdistrict__station", "equipment", "inspection")
    for key, lookup in {"status": "status", "severity": "severity", "campaign": "inspection__campaign__code",
                        "station": "subdistrict__station__code", "subdistrict": "subdistrict__code",
                        "business": "business__uscc"}.items():
        if value := (filters.get(key) or "").strip():
            qs = qs.filter(**{lookup: value})
    return qs.order_by("deadline", "id")


def finding_get(*, actor: User, pk: int) -> Finding:
    found = finding_list(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def finding_due_q(due: str, *, on: dt.date, until: dt.date) -> Q:
    """Findings whose running clock — the operator's deadline while open, the re-check deadline once
    reported — has passed ("overdue") or falls due from `on` to `until` ("soon", 即将到期)."""
    if due == "overdue":
        return Q(status=FindingStatus.OPEN, deadline__lt=on) | Q(status=FindingStatus.REPORTED, recheck_due__lt=on)
    if due == "soon":
        return Q(status=FindingStatus.OPEN, deadline__gte=on, deadline__lte=until) | Q(
            status=FindingStatus.REPORTED, recheck_due__gte=on, recheck_due__lte=until
        )
    raise ValueError(f"unknown due filter {due!r}")


def overdue_findings(*, actor: User, on: dt.date) -> QuerySet[Finding]:
    """逾期未整改: the operator's deadline has passed and no rectification was reported."""
    return finding_list(actor=actor).filter(status=FindingStatus.OPEN, deadline__lt=on)


def overdue_rechecks(*, actor: User, on: dt.date) -> QuerySet[Finding]:
    """The bureau's own lateness: a reported rectification not re-checked in time."""
    return finding_list(actor=actor).filter(status=FindingStatus.REPORTED, recheck_due__lt=on).order_by("recheck_due", "id")


def recheck_queue(*, actor: User) -> QuerySet[Finding]:
    return finding_list(actor=actor).filter(status=FindingStatus.REPORTED).order_by("recheck_due", "id")


def equipment_task_queue(*, actor: User) -> QuerySet[FollowUpTask]:
    """The open overdue-examination tasks of the actor's jurisdiction, soonest due first."""
    return task_list(actor=actor, status=TaskStatus.OPEN)


def document_list(*, actor: User) -> QuerySet[Document]:
    return Document.objects.filter(scope_q(actor=actor)).select_related("business", "inspection").order_by("-issued_on", "-id")


def sealing_list(*, actor: User) -> QuerySet[Sealing]:
    return Sealing.objects.filter(scope_q(actor=actor, subdistrict_field="equipment__subdistrict")).select_related(
        "equipment__operator", "finding"
    )


def campaign_checklist(campaign: Campaign | None) -> Checklist | None:
    """The checklist a campaign's inspections start from, if it names one."""
    if campaign is None:
        return None
    try:
        return campaign.inspection_setup.checklist
    except CampaignChecklist.DoesNotExist:
        return None


def campaigns_with_checklists(*, actor: User | None = None) -> QuerySet[Campaign]:
    """The campaigns (campaigns' own list), each with the checklist its inspections start from at hand
    (`campaign_checklist()` then reads it without a query)."""
    return campaign_selectors.campaign_list(actor=actor).select_related("inspection_setup__checklist")
