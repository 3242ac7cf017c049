"""Every write to the business registry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.services import acting, validation_error
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import CreditRiskClass
from .models import Business
from .rules import UsccError, entity_type_problem, normalize_uscc
from .selectors import business_get

EDITABLE_FIELDS = (
    "name",
    "entity_type",
    "legal_rep",
    "address",
    "subdistrict",
    "industry_code",
    "established_on",
    "reg_status",
    "status_date",
    "credit_risk_class",
    "credit_risk_class_on",
)


def _check_writer(actor: User, subdistrict: Subdistrict) -> None:
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能修改市场主体")
    if not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
        raise PermissionDenied(f"“{subdistrict.name}”不在您的辖区范围内")


def _save(business: Business) -> None:
    if reason := entity_type_problem(business.uscc, business.entity_type):
        raise DomainError("entity_type_mismatch", reason, {"field": "entity_type"})
    try:
        business.full_clean(validate_unique=True)
    except ValidationError as exc:
        raise validation_error(exc) from exc
    business.save()


@transaction.atomic
def business_create(*, actor: User, ip: str | None = None, uscc: str, **fields) -> Business:
    try:
        code = normalize_uscc(uscc)
    except UsccError as exc:
        raise DomainError("invalid_uscc", str(exc), {"field": "uscc"}) from exc
    if Business.objects.filter(uscc=code).exists():
        raise DomainError("duplicate_uscc", f"统一社会信用代码 {code} 已登记", {"field": "uscc"})
    business = Business(uscc=code, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    if business.credit_risk_class is None:
        business.credit_risk_class = ""
    _check_writer(actor, business.subdistrict)
    with acting(actor, ip):
        _save(business)
    return business


@transaction.atomic
def business_update(*, actor: User, ip: str | None = None, pk: int, version: int, **fields) -> Business:
    business = business_get(actor=actor, pk=pk)
    business = Business.objects.select_for_update().get(pk=business.pk)
    if business.version != version:
        raise ConcurrentEdit()
    _check_writer(actor, business.subdistrict)
    old_class = business.credit_risk_class
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(business, name, value)
    if business.credit_risk_class is None:
        business.credit_risk_class = ""
    # A new class (or 未分类) without its own date must not keep the date of the class it replaces.
    if business.credit_risk_class != old_class and "credit_risk_class_on" not in fields:
        business.credit_risk_class_on = None
    if business.reg_status == "active":
        business.status_date = None if "status_date" not in fields else business.status_date
    _check_writer(actor, business.subdistrict)
    business.version += 1
    with acting(actor, ip):
        _save(business)
    return business


CLASS_CHUNK = 2000


@transaction.atomic
def credit_classes_apply(*, classes: dict[int, str], on, stamp=None) -> int:
    """Set the 信用风险分类 of many businesses at once (the credit module's effective classes: computed, or a
    manual override), dated `on`. One UPDATE per class and chunk, since a monthly run may change a million
    rows the first time; the record of who changed what is the credit module's run and class history, not a
    per-row audit entry. The version moves, so a form opened before the change is refused, not overwritten.
    `stamp` is the updated_at to write (the scoring run's start, so that its next run tells its own changes from
    later edits); now by default."""
    by_class: dict[str, list[int]] = {}
    for pk, value in classes.items():
        if value not in CreditRiskClass.values:
            raise DomainError("invalid_credit_class", f"信用风险分类“{value}”不是 A、B、C、D 之一", {"field": "credit_risk_class"})
        by_class.setdefault(value, []).append(pk)
    now, changed = stamp or timezone.now(), 0
    for value, pks in by_class.items():
        pks.sort()
        for i in range(0, len(pks), CLASS_CHUNK):
            changed += Business.objects.filter(pk__in=pks[i : i + CLASS_CHUNK]).update(
                credit_risk_class=value, credit_risk_class_on=on, version=F("version") + 1, updated_at=now
            )
    return changed
