"""/api/v1/complaints/: intake from other platforms (the national 12315 platform, 12345 hotline
transfers) and reading by the caller's jurisdiction.

The platform's 登记编号 is the natural key: sending the same number again answers 409, so a
platform may safely resend after a timeout without registering an item twice.
"""

import datetime as dt

from django.db import IntegrityError
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from jianguan.core.errors import DomainError, NotFound, PermissionDenied
from jianguan.core.middleware import client_ip
from jianguan.core.paging import ApiPagination
from jianguan.org.choices import Role

from . import selectors
from .choices import Channel, Kind
from .choices import Status as ComplaintStatus
from .models import Complaint
from .schemas import KIND_BY_LABEL, ComplaintDetailOut, ComplaintFilters, ComplaintIn, ComplaintOut
from .services.intake import complaint_receive

router = Router(tags=["投诉举报"])

# The intake service's names for fields that the JSON calls otherwise.
JSON_FIELD = {"subdistrict_text": "subdistrict"}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


class DuplicateNumber(DomainError):
    status = 409

    def __init__(self, number: str):
        super().__init__(
            "duplicate_number", f"登记编号“{number}”已登记，不能重复登记（如为重发，无需处理）", {"field": "number", "number": number}
        )


def _may_create(actor) -> None:
    """Items come in from platforms through the department's (or the administrator's) accounts; a
    station handles what is routed to it and leadership only reads."""
    if not (actor.is_superuser or actor.role in (Role.DEPARTMENT, Role.ADMIN)):
        raise PermissionDenied("只有业务科室或系统管理员的账号（及其令牌）可以通过接口登记投诉举报")


def _kind(text: str | None, field: str = "kind") -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("invalid", "类型：不能为空（投诉、举报或咨询）", {"field": field})
    kind = KIND_BY_LABEL.get(text, text.lower())
    if kind not in Kind.values:
        raise DomainError("invalid", f"类型：“{text}”不是投诉、举报或咨询", {"field": field})
    return kind


def _moment(text: str | None) -> dt.datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in TIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        raise DomainError(
            "invalid", f"登记时间：“{text}”不是有效的时间（如 2026-09-30 10:15:00 或 2026-09-30T10:15:00+08:00）",
            {"field": "received_at"},
        )
    # A time without an offset is Beijing time, as the platforms write it.
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _renamed(exc: DomainError) -> DomainError:
    field = exc.extra.get("field")
    if field in JSON_FIELD:
        exc.extra = {**exc.extra, "field": JSON_FIELD[field]}
    return exc


@router.post("/", response={201: ComplaintDetailOut}, summary="登记投诉举报（平台接口）")
def create_complaint(request, payload: ComplaintIn):
    actor = request.auth
    _may_create(actor)
    number = payload.number.strip()
    if not number:
        raise DomainError("invalid", "登记编号：不能为空（请提供平台的登记编号）", {"field": "number"})
    if Complaint.objects.filter(number=number).exists():
        raise DuplicateNumber(number)
    try:
        complaint = complaint_receive(
            actor=actor, channel=Channel.API, ip=client_ip(request), number=number, kind=_kind(payload.kind),
            received_at=_moment(payload.received_at), respondent_name=payload.respondent_name,
            respondent_uscc=payload.respondent_uscc, respondent_address=payload.respondent_address,
            subdistrict_text=payload.subdistrict, content=payload.content, amount=payload.amount,
            complainant_name=payload.complainant_name, complainant_phone=payload.complainant_phone,
            channel_text=payload.channel_text,
        )
    except IntegrityError:
        # The same number sent twice at the same moment: the database's unique key decides.
        if Complaint.objects.filter(number=number).exists():
            raise DuplicateNumber(number) from None
        raise
    except DomainError as exc:
        if exc.extra.get("field") == "number" and Complaint.objects.filter(number=number).exists():
            raise DuplicateNumber(number) from None
        raise _renamed(exc) from None
    return Status(201, selectors.in_scope(actor).select_related("duplicate_of").get(pk=complaint.pk))


@router.get("/", response=list[ComplaintOut], summary="投诉举报列表（按辖区，个人信息依权限脱敏）")
@paginate(ApiPagination, page_size=50)
def list_complaints(request, filters: Query[ComplaintFilters]):
    qs = selectors.in_scope(request.auth).select_related("duplicate_of")
    if filters.kind:
        qs = qs.filter(kind=_kind(filters.kind))
    if filters.status:
        if filters.status not in ComplaintStatus.values:
            raise DomainError("invalid", f"处理状态：“{filters.status}”不是已知状态代码", {"field": "status"})
        qs = qs.filter(status=filters.status)
    start, end = filters.received_from, filters.received_to
    if start and end and start > end:
        raise DomainError("invalid", "登记日期起不能晚于登记日期止", {"field": "received_from"})
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    return qs.order_by("-received_at", "number")


@router.get("/{number}", response=ComplaintDetailOut, summary="按登记编号查询（状态、期限、办理记录）")
def get_complaint(request, number: str):
    found = selectors.in_scope(request.auth).select_related("duplicate_of").filter(number=number).first()
    if found is None:
        raise NotFound("投诉举报记录不存在，或不在本所承办范围内")
    return found
