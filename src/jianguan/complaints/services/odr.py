"""The ODR enterprise register (在线消费纠纷解决企业): who joined, when, and who left. A complaint is
handed to an enterprise only while it is on the register (OdrEnterprise.active_on), so the register is
kept by the bureau's departments, not by each station, and every change is audited."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError, NotFound, PermissionDenied
from jianguan.core.services import acting
from jianguan.org.choices import Role
from jianguan.org.models import User

from ..models import OdrEnterprise
from .common import save

KEEPERS = (Role.DEPARTMENT, Role.ADMIN)


def _check_keeper(actor: User | None) -> None:
    if actor is not None and actor.role not in KEEPERS:
        raise PermissionDenied("ODR企业名单由业务科室或系统管理员维护")


def _day(value: dt.date | None, field: str, label: str) -> dt.date:
    if value is None:
        raise DomainError("date_required", f"请填写{label}", {"field": field})
    if value > timezone.localdate():
        raise DomainError("future_date", f"{label}不能晚于今天", {"field": field})
    return value


def _short(text: str, field: str, label: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise DomainError("too_long", f"{label}不能超过 {limit} 字", {"field": field})
    return text


@transaction.atomic
def odr_enterprise_add(
    *, actor: User | None, uscc: str, joined_on: dt.date | None, contact: str = "", note: str = ""
) -> OdrEnterprise:
    """Put a registered business on the register. One that left earlier comes back on the same row (the
    audit log keeps its earlier window), never with a window overlapping the one it left."""
    _check_keeper(actor)
    try:
        code = normalize_uscc(uscc)
    except UsccError as exc:
        raise DomainError("invalid_uscc", str(exc), {"field": "uscc"}) from None
    business = Business.objects.filter(uscc=code).first()
    if business is None:
        raise DomainError("business_not_found", f"未找到统一社会信用代码为 {code} 的登记市场主体", {"field": "uscc"})
    joined_on = _day(joined_on, "joined_on", "入驻日期")
    contact = _short(contact, "contact", "纠纷处理联系人", 100)
    note = _short(note, "note", "备注", 300)
    existing = OdrEnterprise.objects.select_for_update().filter(business=business).first()
    if existing is not None and existing.left_on is None:
        raise DomainError(
            "already_odr", f"{business.name}已是ODR企业（{existing.joined_on:%Y-%m-%d} 入驻）", {"field": "uscc"}
        )
    if existing is not None and joined_on <= existing.left_on:
        raise DomainError(
            "rejoin_overlaps", f"重新入驻日期须晚于上次退出日期 {existing.left_on:%Y-%m-%d}", {"field": "joined_on"}
        )
    with acting(actor):
        odr = existing or OdrEnterprise(business=business)
        odr.joined_on, odr.left_on = joined_on, None
        odr.contact, odr.note = contact, note
        save(odr)
    return odr


@transaction.atomic
def odr_enterprise_leave(*, actor: User | None, pk: int, left_on: dt.date | None, note: str = "") -> OdrEnterprise:
    """Mark an enterprise as left: from the day after, its new complaints stay with the bureau. Items
    already handed to it finish their ODR window (odr_end)."""
    _check_keeper(actor)
    odr = OdrEnterprise.objects.select_for_update().select_related("business").filter(pk=pk).first()
    if odr is None:
        raise NotFound("ODR企业记录不存在")
    if odr.left_on is not None:
        raise DomainError("already_left", f"{odr.business.name}已于 {odr.left_on:%Y-%m-%d} 退出")
    left_on = _day(left_on, "left_on", "退出日期")
    if left_on < odr.joined_on:
        raise DomainError("before_joined", f"退出日期不能早于入驻日期 {odr.joined_on:%Y-%m-%d}", {"field": "left_on"})
    note = _short(note, "note", "退出说明", 200)
    with acting(actor):
        odr.left_on = left_on
        if note:
            odr.note = f"{odr.note}；退出：{note}"[-300:] if odr.note else f"退出：{note}"
        save(odr)
    return odr
