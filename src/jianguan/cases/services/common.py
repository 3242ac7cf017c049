"""What every cases service shares: who may write where, optimistic locking, saving with Chinese validation."""

import datetime as dt

from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.services import save_valid as save  # noqa: F401  (the services save through common)
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope


def check_writer(actor: User | None, subdistrict: Subdistrict | None) -> None:
    """Station staff write in their jurisdiction; departments (稽查 and the others) bureau-wide."""
    if actor is None:
        return  # the command line, imports and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能录入或修改案件")
    if actor.role == Role.STATION:
        if subdistrict is None:
            raise PermissionDenied("该当事人不属于任何街道，由稽查等业务科室办理")
        if not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
            raise PermissionDenied(f"“{subdistrict.name}”不在您的辖区范围内")


def check_version(obj, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise ConcurrentEdit(
            f"该{obj._meta.verbose_name}已被他人修改（当前为第{obj.version}版，您提交的是第{version}版），请刷新后重试，您填写的内容未保存"
        )


def require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"{field}_required", f"请填写{label}", {"field": field})
    return value


def not_before(day: dt.date, earliest: dt.date, field: str, label: str, earlier_label: str) -> None:
    if day < earliest:
        raise DomainError(f"{field}_too_early", f"{label} {day} 早于{earlier_label} {earliest}", {"field": field})
