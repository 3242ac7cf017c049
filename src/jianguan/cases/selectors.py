"""Every read of the cases app for a user, scoped to the actor's jurisdiction: a station sees the leads
and cases of its subdistricts (a respondent without one belongs to the bureau's departments), the
departments and the leadership see all."""

import datetime as dt

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, When

from jianguan.core.documents.models import IssuedDocument
from jianguan.core.errors import NotFound
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .choices import OPEN_STATUSES, LeadStatus
from .models import Case, Lead, Suspension

PERSONAL_INFO_PERM = "cases.view_personal_info"


def lead_list_for_source(source_ref: str) -> QuerySet[Lead]:
    """The leads a source record (``app_label.model:pk``) opened, for that record's own page."""
    return Lead.objects.filter(source_ref=source_ref).select_related("created_by").order_by("received_on", "pk")


# ---------------------------------------------------------------- leads


def lead_list(*, actor: User) -> QuerySet[Lead]:
    return Lead.objects.filter(scope_q(actor=actor)).select_related("subdistrict__station", "category", "business")


def lead_get(*, actor: User, pk: int) -> Lead:
    found = lead_list(actor=actor).select_related("decided_by", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound("线索不存在，或不在您的辖区范围内")
    return found


def due_q(field: str, due: str, *, on: dt.date, until: dt.date) -> Q:
    """已逾期 (before today) or 即将到期 (today up to the to-do window's last day) on a deadline field."""
    if due == "overdue":
        return Q(**{f"{field}__lt": on})
    if due == "soon":
        return Q(**{f"{field}__gte": on, f"{field}__lte": until})
    return Q()


def lead_inbox(*, actor: User, source: str = "", status: str = "", due: str = "", on: dt.date | None = None,
               until: dt.date | None = None, q: str = "") -> QuerySet[Lead]:
    """The inbox's leads, latest received first (the page shows the pending ones first: `first_page`).
    `due` narrows to pending leads overdue or due soon (the to-do home's links)."""
    qs = lead_list(actor=actor)
    if source:
        qs = qs.filter(source=source)
    if status:
        qs = qs.filter(status=status)
    if due and on is not None:
        qs = qs.filter(due_q("decision_due", due, on=on, until=until or on), status=LeadStatus.PENDING)
    if q := (q or "").strip():
        qs = qs.filter(Q(respondent_name__icontains=q) | Q(respondent_uscc=q.upper()) | Q(source_label__icontains=q))
    return qs.order_by("-received_on", "-pk")


PENDING = Q(status=LeadStatus.PENDING)


def first_page(qs: QuerySet, first: Q, first_order: tuple, rest_order: tuple, page_no: int, size: int) -> tuple[list, bool]:
    """A page of `qs` with the records matching `first` (pending leads, open cases) before the others, each
    part in its own order. Two queries that the indexes answer (status and deadline; the received or
    filing day) instead of one sort of the whole table by a computed rank, which at 200,000 cases took
    half a second; `first`'s count tells where the second part starts."""
    start = (max(1, page_no) - 1) * size
    ahead = qs.filter(first).order_by(*first_order)
    count = ahead.count()
    rows = list(ahead[start: min(start + size + 1, count)]) if start < count else []
    if len(rows) <= size:
        offset = max(0, start - count)
        rows += list(qs.exclude(first).order_by(*rest_order)[offset: offset + size + 1 - len(rows)])
    return rows[:size], len(rows) > size


def inbox_page(qs: QuerySet[Lead], page_no: int, size: int) -> tuple[list[Lead], bool]:
    """Pending leads first, the nearest filing deadline first; then the decided ones, the latest received first."""
    return first_page(qs, PENDING, (F("decision_due").asc(nulls_last=True), "pk"), ("-received_on", "-pk"), page_no, size)


def pending_leads(*, actor: User) -> QuerySet[Lead]:
    return lead_list(actor=actor).filter(status=LeadStatus.PENDING).order_by("decision_due", "pk")


# ---------------------------------------------------------------- cases

CASE_FILTERS = {
    "status": "status",
    "category": "category__code",
    "procedure": "procedure",
    "station": "subdistrict__station__code",
    "source": "source",
}


def open_q() -> Q:
    """Undecided and still with this bureau: the decision clock runs (or stands still while suspended)."""
    return Q(decided_on__isnull=True, status__in=OPEN_STATUSES)


def case_list(*, actor: User, filters: dict | None = None) -> QuerySet[Case]:
    """Cases in the actor's scope, narrowed by the list's filters (status, category code, procedure,
    station code, source, year of filing, q: number, respondent name or USCC, due: overdue/soon with
    `on`/`until`), the latest filed first (the page shows the open ones first: `case_page`)."""
    filters = filters or {}
    qs = Case.objects.filter(scope_q(actor=actor)).select_related("subdistrict__station", "category", "business")
    for key, lookup in CASE_FILTERS.items():
        value = filters.get(key)
        if value := value.strip() if isinstance(value, str) else value:
            qs = qs.filter(**{lookup: value})
    if year := filters.get("year"):
        qs = qs.filter(filed_on__year=int(year))
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(decision_number=q) | Q(respondent_name__icontains=q)
                       | Q(respondent_uscc=q.upper()))
    if filters.get("mine"):
        qs = qs.filter(officers=actor)
    if due := filters.get("due"):
        on = filters["on"]
        qs = with_running_due(qs.filter(open_q())).filter(due_q("running_due", due, on=on, until=filters.get("until") or on))
    return qs.order_by("-filed_on", "-pk")


def case_page(qs: QuerySet[Case], page_no: int, size: int) -> tuple[list[Case], bool]:
    """Open cases first, the nearest decision deadline first; then the others, the latest filed first."""
    return first_page(qs, open_q(), (F("decision_due").asc(nulls_last=True), "pk"), ("-filed_on", "-pk"), page_no, size)


def with_running_due(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`running_due`: the decision deadline, or none while the case stands suspended (its clock is still,
    and the suspended days are added when it resumes), so that a suspended case is neither overdue nor due."""
    suspended = Exists(Suspension.objects.filter(case_id=OuterRef("pk"), end__isnull=True))
    return qs.annotate(running_due=models.Case(When(suspended, then=None), default=F("decision_due"),
                                               output_field=models.DateField()))


def with_viewer(qs: QuerySet[Case], actor: User) -> QuerySet[Case]:
    """Whether the actor is one of each case's officers (who see a person's name and ID number), and
    whether the case stands suspended now: one subquery each, no query per row."""
    through = Case.officers.through
    return qs.annotate(
        is_officer=Exists(through.objects.filter(case_id=OuterRef("pk"), user_id=actor.pk)),
        suspended_now=Exists(Suspension.objects.filter(case_id=OuterRef("pk"), end__isnull=True)),
    )


def case_get(*, actor: User, pk: int) -> Case:
    found = Case.objects.filter(scope_q(actor=actor)).select_related(
        "subdistrict__station", "category", "business", "lead", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound("案件不存在，或不在您的辖区范围内")
    return found


def open_cases(*, actor: User) -> QuerySet[Case]:
    """Undecided cases, with `running_due` (none while suspended), the nearest deadline first."""
    return with_running_due(case_list(actor=actor).filter(open_q())).order_by(F("running_due").asc(nulls_last=True), "pk")


def cases_of_business(*, actor: User, business) -> QuerySet[Case]:
    return case_list(actor=actor).filter(Q(business=business) | Q(respondent_uscc=business.uscc))


def leads_of_business(*, actor: User, business) -> QuerySet[Lead]:
    return lead_list(actor=actor).filter(Q(business=business) | Q(respondent_uscc=business.uscc))


def with_lead_viewer(qs: QuerySet[Lead], actor: User) -> QuerySet[Lead]:
    """Whether the actor is an officer of the case each lead became (who sees the person in full)."""
    through = Case.officers.through
    return qs.annotate(is_officer=Exists(through.objects.filter(case__lead_id=OuterRef("pk"), user_id=actor.pk)))


def with_case_number(qs: QuerySet[Lead]) -> QuerySet[Lead]:
    """`case_number`: the number of the case a lead became (a subquery per row: a join on the reverse
    one-to-one made SQLite read the whole cases table)."""
    return qs.annotate(case_number=Subquery(Case.objects.filter(lead_id=OuterRef("pk")).values("number")[:1]))


def is_officer(actor: User, record: Case | Lead) -> bool:
    if record.pk is None:
        return False
    through = Case.officers.through.objects.filter(user_id=actor.pk)
    if isinstance(record, Lead):
        return through.filter(case__lead_id=record.pk).exists()
    return through.filter(case_id=record.pk).exists()


def may_see_personal(actor: User, record: Case | Lead | None = None) -> bool:
    """A person's name and ID number in full: with the permission, or as one of the officers of the case
    (of a lead: of the case it became). `is_officer` annotated on a list's rows spares a query per row."""
    if actor.has_perm(PERSONAL_INFO_PERM):
        return True
    if record is None:
        return False
    known = getattr(record, "is_officer", None)
    return bool(known) if known is not None else is_officer(actor, record)


# ---------------------------------------------------------------- what a case holds


def documents_of(record) -> QuerySet[IssuedDocument]:
    """The documents issued for a case or a lead (立案审批表, 处罚决定书…), newest first."""
    ref = f"{record._meta.app_label}.{record._meta.model_name}:{record.pk}"
    return IssuedDocument.objects.filter(owner_ref=ref).select_related("created_by").order_by("-created_at", "-pk")


def document_get(*, actor: User, pk: int) -> IssuedDocument:
    """An issued document of a case or a lead that the actor may see."""
    document = IssuedDocument.objects.filter(pk=pk, owner_ref__startswith="cases.").first()
    if document is not None:
        label, _, raw = document.owner_ref.partition(":")
        scoped = {"cases.case": Case.objects.filter(scope_q(actor=actor)),
                  "cases.lead": Lead.objects.filter(scope_q(actor=actor))}.get(label)
        if scoped is not None and raw.isdigit() and scoped.filter(pk=int(raw)).exists():
            return document
    raise NotFound("文书不存在，或不在您的辖区范围内")
