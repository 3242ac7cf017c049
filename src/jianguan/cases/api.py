"""/api/v1/cases/: reading leads and cases by the caller's jurisdiction, and lead intake from other systems
(a transfer from another agency, an assignment from above, a sampling system).

A lead sent with a `reference` (来文文号, the other system's number) is registered once: the same source and
reference again answers 409, so a system may safely resend after a timeout."""

import datetime as dt

from django.db.models import Q
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.paging import ApiPagination
from jianguan.org.models import Subdistrict

from . import selectors
from .choices import CaseStatus, LeadSource, LeadStatus, Procedure, RespondentKind
from .models import CaseCategory, Lead
from .schemas import CaseDetailOut, CaseFilters, CaseOut, LeadFilters, LeadIn, LeadOut
from .services import lead_open

router = Router(tags=["执法办案"])

# Leads of complaints and inspections are handed over by those records in this system, so each counts once.
EXTERNAL_SOURCES = (LeadSource.TRANSFER, LeadSource.ASSIGNED, LeadSource.SAMPLING, LeadSource.OTHER)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日")


class DuplicateLead(DomainError):
    status = 409

    def __init__(self, reference: str, pk: int):
        super().__init__("duplicate_reference", f"来文文号（编号）“{reference}”的线索已登记，不能重复登记（如为重发，无需处理）",
                         {"field": "reference", "id": pk})


def _code(text: str | None, choices, field: str, label: str, allowed=None) -> str:
    """A code given as itself or as its Chinese label."""
    text = (text or "").strip()
    by_label = {name: value for value, name in choices.choices}
    value = by_label.get(text, text.lower())
    if value not in (allowed or choices.values):
        names = "、".join(str(choices(v).label) for v in (allowed or choices.values))
        raise DomainError("invalid", f"{label}：“{text}”不是可选的值（可选：{names}）", {"field": field})
    return value


def _day(text: str) -> dt.date:
    text = (text or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError("invalid", f"受理日期：“{text[:40]}”不是有效的日期（如 2026-09-21）", {"field": "received_on"})


def _subdistrict(text: str) -> Subdistrict | None:
    text = text.strip()
    if not text:
        return None
    found = Subdistrict.objects.filter(Q(code=text) | Q(name=text)).first()
    if found is None:
        raise DomainError("invalid", f"所属街道：“{text}”不是本辖区的街道名称或代码", {"field": "subdistrict"})
    return found


def _category(text: str) -> CaseCategory | None:
    text = text.strip()
    if not text:
        return None
    found = CaseCategory.objects.filter(Q(code=text) | Q(name=text), disabled_on__isnull=True).first()
    if found is None:
        raise DomainError("invalid", f"案件类别：“{text}”不是可选的案件类别代码或名称", {"field": "category"})
    return found


@router.post("/leads", response={201: LeadOut}, summary="登记线索（其他系统移送、交办）")
def create_lead(request, payload: LeadIn):
    source = _code(payload.source, LeadSource, "source", "线索来源", EXTERNAL_SOURCES)
    reference = payload.reference.strip()
    if reference and (found := Lead.objects.filter(source=source, source_label=reference).first()) is not None:
        raise DuplicateLead(reference, found.pk)
    uscc = payload.respondent_uscc.strip().upper()
    lead = lead_open(
        actor=request.auth, ip=client_ip(request), source=source, source_label=reference, received_on=_day(payload.received_on),
        summary=payload.summary, business=Business.objects.filter(uscc=uscc).first() if uscc else None,
        respondent_name=payload.respondent_name, respondent_uscc=uscc, respondent_id_no=payload.respondent_id_no,
        respondent_kind=_code(payload.respondent_kind, RespondentKind, "respondent_kind", "当事人类型") if payload.respondent_kind.strip() else "",
        subdistrict=_subdistrict(payload.subdistrict), category=_category(payload.category),
    )
    return Status(201, selectors.lead_get(actor=request.auth, pk=lead.pk))


@router.get("/leads", response=list[LeadOut], summary="线索列表（按辖区，受理日期从近到远）")
@paginate(ApiPagination, page_size=50)
def list_leads(request, filters: Query[LeadFilters]):
    source = _code(filters.source, LeadSource, "source", "线索来源") if filters.source else ""
    status = _code(filters.status, LeadStatus, "status", "状态") if filters.status else ""
    qs = selectors.lead_inbox(actor=request.auth, source=source, status=status)
    if filters.received_from and filters.received_to and filters.received_from > filters.received_to:
        raise DomainError("invalid", "受理日期起不能晚于受理日期止", {"field": "received_from"})
    if filters.received_from:
        qs = qs.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_on__lte=filters.received_to)
    return selectors.with_case_number(selectors.with_lead_viewer(qs, request.auth))


@router.get("/leads/{int:pk}", response=LeadOut, summary="线索详情")
def get_lead(request, pk: int):
    return selectors.lead_get(actor=request.auth, pk=pk)


@router.get("/", response=list[CaseOut], summary="案件列表（按辖区，立案日期从近到远）")
@paginate(ApiPagination, page_size=50)
def list_cases(request, filters: Query[CaseFilters]):
    data = {
        "status": _code(filters.status, CaseStatus, "status", "状态") if filters.status else "",
        "procedure": _code(filters.procedure, Procedure, "procedure", "程序类型") if filters.procedure else "",
        "category": (filters.category or "").strip(), "year": filters.year, "q": filters.q or "",
    }
    return selectors.with_viewer(selectors.case_list(actor=request.auth, filters=data), request.auth)


@router.get("/{int:pk}", response=CaseDetailOut, summary="案件详情（办案环节、中止、文书）")
def get_case(request, pk: int):
    return selectors.case_get(actor=request.auth, pk=pk)
