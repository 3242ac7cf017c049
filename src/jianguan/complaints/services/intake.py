"""Intake of 12315 complaints, reports and inquiries from every channel, with routing to a station,
classification, clocks from receipt and duplicate flagging."""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError
from jianguan.core.numbering import next_document_number
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import Subdistrict, User

from ..choices import Channel, Kind, Status
from ..classify import classify
from ..models import Complaint
from ..rules import normalize_phone, normalize_text, parse_amount
from .common import check_actor, event, save, set_clock

NUMBER_KIND = "complaint"
FIRST_STATUS = {Kind.COMPLAINT: Status.RECEIVED, Kind.REPORT: Status.VERIFYING, Kind.INQUIRY: Status.RECEIVED}
# Query codes avoid look-alike characters: people read them off a phone screen and type them back.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def query_digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _fail(field: str, label: str, reason: str):
    raise DomainError("invalid", f"{label}：{reason}", {"field": field})


def _text(value, field: str, label: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if required and not text:
        _fail(field, label, "不能为空")
    if len(text) > limit:
        _fail(field, label, f"不能超过 {limit} 字（实为 {len(text)} 字）")
    return text


def _amount(value) -> Decimal | None:
    try:
        return parse_amount(value)
    except ValueError as exc:
        _fail("amount", "涉及金额", str(exc))


def match_business(uscc: str, name: str) -> Business | None:
    """The registered business by USCC, else by exact name when exactly one business has it."""
    if uscc:
        found = Business.objects.select_related("subdistrict__station").filter(uscc=uscc).first()
        if found:
            return found
    if name:
        same = list(Business.objects.select_related("subdistrict__station").filter(name=name)[:2])
        if len(same) == 1:
            return same[0]
    return None


def match_subdistrict(text: str) -> Subdistrict | None:
    text = (text or "").strip()
    if not text:
        return None
    return Subdistrict.objects.select_related("station").filter(name=text).first() or (
        Subdistrict.objects.select_related("station").filter(code=text).first()
    )


def find_duplicate(complaint: Complaint) -> Complaint | None:
    """The first record of the same person against the same respondent with the same text within the window."""
    person = {"complainant_phone": complaint.complainant_phone} if complaint.complainant_phone else (
        {"complainant_name": complaint.complainant_name} if complaint.complainant_name else None
    )
    if person is None:
        return None  # an anonymous report has no person to compare
    hours = int(rule_value("complaints.duplicate_window_hours", on=complaint.received_on))
    window = dt.timedelta(hours=hours)
    respondent = {"business": complaint.business} if complaint.business_id else {"respondent_name": complaint.respondent_name}
    text = normalize_text(complaint.content)
    candidates = Complaint.objects.filter(
        kind=complaint.kind, received_at__gte=complaint.received_at - window, received_at__lte=complaint.received_at + window,
        **person, **respondent,
    ).order_by("received_at", "pk")
    for other in candidates:
        if normalize_text(other.content) == text:
            return other.duplicate_of or other
    return None


def complaint_receive(
    *,
    actor: User | None,
    kind: str,
    channel: str,
    content: str,
    respondent_name: str = "",
    respondent_uscc: str = "",
    respondent_address: str = "",
    subdistrict_text: str = "",
    amount=None,
    complainant_name: str = "",
    complainant_phone: str = "",
    received_at: dt.datetime | None = None,
    number: str = "",
    channel_text: str = "",
    ip: str | None = None,
) -> Complaint:
    """Register one item. Returns it; for the public channel `complaint.query_code` holds the code
    to give the person (only its digest is stored)."""
    check_actor(actor)
    if kind not in Kind.values:
        _fail("kind", "类型", f"“{kind}”不是投诉、举报或咨询")
    if channel not in Channel.values:
        _fail("channel", "来源渠道", f"“{channel}”不是已知渠道")
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > now + dt.timedelta(minutes=5):  # a few minutes' clock drift between systems is tolerated
        _fail("received_at", "登记时间", f"{timezone.localtime(received_at):%Y-%m-%d %H:%M} 晚于当前时间")
    received_on = timezone.localtime(received_at).date()
    limit = int(rule_value("complaints.content_max_chars", on=received_on))
    content = _text(content, "content", "诉求内容", limit, required=True)
    respondent_name = _text(respondent_name, "respondent_name", "被投诉举报对象名称", 200)
    respondent_address = _text(respondent_address, "respondent_address", "对象地址", 300)
    subdistrict_text = _text(subdistrict_text, "subdistrict_text", "所属街道", 100)
    complainant_name = _text(complainant_name, "complainant_name", "投诉举报人姓名", 50)
    uscc = _text(respondent_uscc, "respondent_uscc", "被投诉举报对象统一社会信用代码", 30)
    if uscc:
        try:
            uscc = normalize_uscc(uscc)
        except UsccError as exc:
            _fail("respondent_uscc", "被投诉举报对象统一社会信用代码", str(exc))
    try:
        phone = normalize_phone(complainant_phone)
    except ValueError as exc:
        _fail("complainant_phone", "联系电话", str(exc))
    business = match_business(uscc, respondent_name)
    if kind != Kind.INQUIRY:
        if not respondent_name and business is None:
            _fail("respondent_name", "被投诉举报对象名称", "投诉、举报须写明被投诉举报对象")
        if not respondent_address and business is None:
            _fail("respondent_address", "对象地址", "投诉、举报须写明对象地址（经营场所），以便确定管辖")
    if kind == Kind.COMPLAINT and not (complainant_name and phone):
        _fail("complainant_phone", "投诉人", "投诉须留下投诉人姓名和联系电话，以便调解和告知")
    subdistrict = business.subdistrict if business else match_subdistrict(subdistrict_text)
    found = classify(content if not respondent_name else f"{respondent_name} {content}")
    number = _text(number, "number", "登记编号", 40)
    # Checking, matching and classifying above only read; the write transaction starts here, so that
    # on SQLite (BEGIN IMMEDIATE) the write lock is held for the writes alone, not for the tokenizer.
    return _register(
        actor=actor, ip=ip, number=number, kind=kind, channel=channel,
        channel_text=_text(channel_text, "channel_text", "来源渠道", 50), received_at=received_at,
        received_on=received_on, respondent_name=respondent_name or (business.name if business else ""), uscc=uscc,
        respondent_address=respondent_address, subdistrict_text=subdistrict_text, business=business,
        subdistrict=subdistrict, content=content, amount=_amount(amount), complainant_name=complainant_name,
        phone=phone, found=found,
    )


@transaction.atomic
def _register(*, actor, ip, number, kind, channel, channel_text, received_at, received_on, respondent_name, uscc,
              respondent_address, subdistrict_text, business, subdistrict, content, amount, complainant_name, phone,
              found) -> Complaint:
    complaint = Complaint(
        number=number or next_document_number(NUMBER_KIND, received_on.year),
        kind=kind, channel=channel, channel_text=channel_text,
        received_at=received_at, received_on=received_on, respondent_name=respondent_name,
        respondent_uscc=uscc, respondent_address=respondent_address, subdistrict_text=subdistrict_text, business=business,
        subdistrict=subdistrict, content=content, amount=amount, complainant_name=complainant_name,
        complainant_phone=phone, category=found.category, category_keywords=list(found.keywords),
        # An inquiry is answered by whoever takes the call; only complaints and reports need a station.
        status=FIRST_STATUS[Kind(kind)] if subdistrict or kind == Kind.INQUIRY else Status.TRIAGE, created_by=actor,
    )
    if Complaint.objects.filter(number=complaint.number).exists():
        _fail("number", "登记编号", f"“{complaint.number}”已登记，不能重复登记")
    code = ""
    if channel == Channel.PUBLIC:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        complaint.query_digest = query_digest(code)
    complaint.duplicate_of = find_duplicate(complaint)
    with acting(actor, ip):
        save(complaint)
        if kind == Kind.COMPLAINT:
            set_clock(complaint, "accept_due", received_on, "complaints.accept_working_days")
        elif kind == Kind.REPORT:
            set_clock(complaint, "filing_due", received_on, "reports.filing_working_days")
        complaint.save()
        note = f"渠道：{complaint.get_channel_display()}"
        if complaint.status == Status.TRIAGE:
            note += "；未能匹配到登记主体或街道，进入待分派队列"
        if complaint.duplicate_of:
            note += f"；与 {complaint.duplicate_of.number} 疑似重复（同一人、同一对象、相同内容，{rule_value('complaints.duplicate_window_hours', on=received_on)} 小时内）"
        event(complaint, actor=actor, action="登记", on=received_on, note=note, to_station=subdistrict.station if subdistrict else None)
    complaint.query_code = code
    return complaint
