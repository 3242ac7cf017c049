"""Reading 投诉举报: the actor's jurisdiction, the running clock of each item, the station queue."""

import datetime as dt

from django.db.models import Case, DateField, F, Q, QuerySet, Value, When

from jianguan.core.errors import NotFound
from jianguan.org.choices import Role
from jianguan.org.models import User

from .choices import Kind, Status
from .models import Complaint

# The clock that runs in each state (none while the ODR enterprise or a laboratory has the item).
RUNNING_CLOCK = {
    Status.TRIAGE: None,  # depends on the kind: see running_due()
    Status.RECEIVED: "accept_due",
    Status.ACCEPTED: "mediation_due",
    Status.MEDIATED: "notify_due",
    Status.VERIFYING: "filing_due",
    Status.DECIDED: "notify_due",
}


def in_scope(actor: User) -> QuerySet[Complaint]:
    """A station sees its own station's items; the triage queue (no station yet) is the bureau's."""
    qs = Complaint.objects.select_related("subdistrict__station", "business", "handler")
    if actor.role == Role.STATION:
        return qs.filter(subdistrict__station_id=actor.org_unit_id)
    return qs


def matching(qs: QuerySet[Complaint], filters: dict) -> QuerySet[Complaint]:
    """qs narrowed by the filters of the list page (全部记录), under its names: number (a fragment),
    respondent (a name fragment or a USCC, of the respondent as given or of the business on file),
    received_from and received_to (登记日期, inclusive), kind, category, status. Empty values are
    ignored. The ledger export takes the same filters, so that it exports what the list shows."""
    if filters.get("number"):
        qs = qs.filter(number__icontains=filters["number"].strip())
    if filters.get("respondent"):
        given = filters["respondent"].strip()
        qs = qs.filter(
            Q(respondent_name__icontains=given) | Q(respondent_uscc=given.upper()) | Q(business__uscc=given.upper())
            | Q(business__name__icontains=given)
        )
    if filters.get("received_from"):
        qs = qs.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_on__lte=filters["received_to"])
    for key in ("kind", "category", "status"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    return qs


def get_for(actor: User, pk: int) -> Complaint:
    try:
        return in_scope(actor).get(pk=pk)
    except Complaint.DoesNotExist:
        raise NotFound("投诉举报记录不存在，或不在本所承办范围内") from None


def running_due() -> Case:
    """The date of the clock running now, as a database expression (for sorting the queue)."""
    whens = [When(status=status, then=F(field)) for status, field in RUNNING_CLOCK.items() if field]
    whens += [
        When(status=Status.TRIAGE, kind=Kind.COMPLAINT, then=F("accept_due")),
        When(status=Status.TRIAGE, kind=Kind.REPORT, then=F("filing_due")),
    ]
    return Case(*whens, default=Value(None), output_field=DateField())


def running_due_of(complaint: Complaint) -> tuple[dt.date | None, bool]:
    field = RUNNING_CLOCK.get(Status(complaint.status)) if complaint.status in RUNNING_CLOCK else None
    if complaint.status == Status.TRIAGE:
        field = {Kind.COMPLAINT: "accept_due", Kind.REPORT: "filing_due"}.get(Kind(complaint.kind))
    if not field:
        return None, False
    return getattr(complaint, field), getattr(complaint, f"{field}_provisional")


def queue(
    actor: User, *, today: dt.date, kind: str = "", status: str = "", overdue_only: bool = False,
    due_by: dt.date | None = None,
) -> QuerySet[Complaint]:
    """Open items, the nearest deadline first (items without a running clock last). `due_by`: only the
    items falling due from today to that day (即将到期, the to-do home's window)."""
    qs = in_scope(actor).filter(~Q(status__in=(Status.CLOSED, Status.TRANSFERRED))).annotate(due=running_due())
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(due__lt=today)
    if due_by is not None:
        qs = qs.filter(due__gte=today, due__lte=due_by)
    return qs.order_by(F("due").asc(nulls_last=True), "received_at", "pk")


def triage(actor: User) -> QuerySet[Complaint]:
    return in_scope(actor).filter(status=Status.TRIAGE).order_by("received_at", "pk")
