"""PIPL: a complainant's name and phone are masked for everyone but the assigned handler and users
granted 查看个人信息; every time they are shown unmasked, a Disclosure row says who saw them."""

from jianguan.core.masking import mask_name  # noqa: F401  (complaints mask through here)

from .models import Complaint, Disclosure

PERMISSION = "complaints.view_personal_info"


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234; 0531-88881234 → 0531-****1234: the last four digits stay."""
    phone = (phone or "").strip()
    if len(phone) <= 4:
        return "*" * len(phone)
    if phone.startswith("1") and len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    head, sep, tail = phone.rpartition("-")
    if sep and len(tail) > 4:
        return f"{head}-{'*' * (len(tail) - 4)}{tail[-4:]}"
    return "*" * (len(phone) - 4) + phone[-4:]


PERSONAL_FIELDS = ("complainant_name", "complainant_phone")


def mask_personal(value: str) -> str:
    """The audit log's masking (auditlog mask_callable, one per model): a value with digits is a phone,
    anything else a name. "None" is auditlog's "no previous value" on creation, not personal data."""
    value = "" if value is None else str(value)
    if value == "None":
        return value
    return mask_phone(value) if any(ch.isdigit() for ch in value) else mask_name(value)


def mask_audit_changes(changes: dict) -> dict:
    """An audit payload ({field: [before, after]}) with the complainant's fields masked."""
    return {
        field: [mask_personal(v) for v in values] if field in PERSONAL_FIELDS and isinstance(values, list) else values
        for field, values in changes.items()
    }


def may_see(user, complaint: Complaint) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return complaint.handler_id == user.pk or user.has_perm(PERMISSION)


def personal_info(user, complaint: Complaint, *, purpose: str, ip: str | None = None) -> dict:
    """The complainant's name and phone as this user may see them; an unmasked answer is recorded."""
    if may_see(user, complaint) and (complaint.complainant_name or complaint.complainant_phone):
        Disclosure.objects.create(complaint=complaint, user=user, purpose=purpose, ip=ip)
        return {"name": complaint.complainant_name, "phone": complaint.complainant_phone, "masked": False}
    return {
        "name": mask_name(complaint.complainant_name),
        "phone": mask_phone(complaint.complainant_phone),
        "masked": True,
    }
