"""Every write of the licence register: one licence created or edited on a page or through the API, a status
set (注销、吊销), and a checked import batch. Stations write within their jurisdiction, departments and
administrators bureau-wide, leadership reads."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.errors import ConcurrentEdit, DomainError, NotFound, PermissionDenied
from jianguan.core.services import acting, save_valid
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import ENDED_BY_DECISION
from .models import Licence
from .rules import check_status

EDITABLE = ("number", "kind", "business", "sector", "items", "item_codes", "issued_on", "valid_until", "status", "status_date")


def check_writer(actor: User | None, subdistrict: Subdistrict | None) -> None:
    if actor is None:
        return  # the command line and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能录入或修改许可证")
    if actor.role == Role.STATION and (
        subdistrict is None or not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists()
    ):
        raise PermissionDenied("该持证主体不在您的辖区范围内")


def _check(licence: Licence) -> None:
    problems = check_status(licence.status, licence.status_date, licence.issued_on)
    if problems:
        field, reason = problems[0]
        raise DomainError("invalid_licence_status", reason, {"field": field})
    if licence.valid_until and licence.issued_on and licence.valid_until < licence.issued_on:
        raise DomainError("invalid_licence_dates", "有效期至不能早于发证日期", {"field": "valid_until"})
    if licence.kind_id and licence.kind.disabled_on and licence.pk is None:
        raise DomainError("kind_disabled", f"许可种类“{licence.kind.name}”已停用", {"field": "kind"})
    if licence.sector_id and licence.sector.disabled_on and licence.pk is None:
        raise DomainError("sector_disabled", f"主体业态“{licence.sector.name}”已停用", {"field": "sector"})


@transaction.atomic
def licence_save(*, actor: User | None, ip: str | None = None, pk: int | None = None, version: int | None = None,
                 **fields) -> Licence:
    """Create a licence (pk None) or edit one (the version the form was opened at must still be current)."""
    if pk is None:
        licence = Licence()
    else:
        licence = Licence.objects.select_for_update().filter(pk=pk).first()
        if licence is None:
            raise NotFound("许可证不存在")
        if version is not None and licence.version != version:
            raise ConcurrentEdit(f"该许可证已被他人修改（当前为第{licence.version}版），请刷新后重试，您填写的内容未保存")
        check_writer(actor, licence.business.subdistrict)  # the holder it had: a station may not take it away
    for name, value in fields.items():
        if name not in EDITABLE:
            raise DomainError("unknown_field", f"许可证没有“{name}”这一项", {"field": name})
        setattr(licence, name, value)
    if isinstance(licence.number, str):
        licence.number = licence.number.strip().upper()
    if not licence.business_id:
        raise DomainError("business_required", "请填写持证主体", {"field": "business"})
    check_writer(actor, Business.objects.select_related("subdistrict").get(pk=licence.business_id).subdistrict)
    if licence.status not in ENDED_BY_DECISION:
        licence.status_date = None if "status_date" not in fields else licence.status_date
    _check(licence)
    if Licence.objects.filter(number=licence.number).exclude(pk=licence.pk).exists():
        raise DomainError("duplicate_licence", f"许可证编号 {licence.number} 已登记", {"field": "number"})
    if pk is not None:
        licence.version += 1
    with acting(actor, ip):
        save_valid(licence)
    return licence


@transaction.atomic
def licence_end(*, actor: User | None, ip: str | None = None, pk: int, status: str, on: dt.date,
                today: dt.date | None = None, version: int | None = None) -> Licence:
    """注销 or 吊销 a licence on a date (not in the future); `version`, when given, is the one the page showed."""
    today = today or timezone.localdate()
    if status not in ENDED_BY_DECISION:
        raise DomainError("invalid_licence_status", "只能注销或吊销许可证", {"field": "status"})
    if on > today:
        raise DomainError("future_date", "注销（吊销）日期不能晚于今天", {"field": "status_date"})
    licence = Licence.objects.select_for_update().filter(pk=pk).first()
    if licence is None:
        raise NotFound("许可证不存在")
    if version is not None and licence.version != version:
        raise ConcurrentEdit(f"该许可证已被他人修改（当前为第{licence.version}版），请刷新后重试")
    if licence.status in ENDED_BY_DECISION:
        raise DomainError("licence_ended", f"该许可证已于{licence.status_date}{licence.get_status_display()}", {"field": "status"})
    if licence.issued_on and on < licence.issued_on:
        raise DomainError("invalid_licence_status", "注销（吊销）日期不能早于发证日期", {"field": "status_date"})
    return licence_save(actor=actor, ip=ip, pk=pk, version=licence.version, status=status, status_date=on)
