"""The licence's life as of a date: pure functions, no database (Q objects are built, not run)."""

import datetime as dt

from django.db.models import Q

from .choices import ENDED_BY_DECISION, LicenceStatus


def valid_q(on: dt.date, prefix: str = "") -> Q:
    """Licences in force on the day: issued by then (or of unknown date), not past their term, and not ended
    by a decision (注销、吊销) on or before it. `prefix` reaches the licence from another model."""
    p = prefix
    return (
        (Q(**{f"{p}issued_on__lte": on}) | Q(**{f"{p}issued_on__isnull": True}))
        & (Q(**{f"{p}valid_until__gte": on}) | Q(**{f"{p}valid_until__isnull": True}))
        & (~Q(**{f"{p}status__in": ENDED_BY_DECISION}) | Q(**{f"{p}status_date__gt": on}))
    )


def is_valid(*, issued_on: dt.date | None, valid_until: dt.date | None, status: str, status_date: dt.date | None,
             on: dt.date) -> bool:
    if issued_on is not None and issued_on > on:
        return False
    if valid_until is not None and valid_until < on:
        return False
    return not (status in ENDED_BY_DECISION and status_date is not None and status_date <= on)


def expiring_q(on: dt.date, days: int) -> Q:
    """Valid licences whose term ends within `days` days after `on` (the to-do's 到期预警)."""
    return valid_q(on) & Q(valid_until__gte=on, valid_until__lte=on + dt.timedelta(days=days))


def check_status(status: str, status_date: dt.date | None, issued_on: dt.date | None) -> list[tuple[str, str]]:
    """(field, reason) problems of a status and its date."""
    problems = []
    if status in ENDED_BY_DECISION and status_date is None:
        problems.append(("status_date", "注销或吊销的许可证须填写注销（吊销）日期"))
    if status_date is not None and status not in ENDED_BY_DECISION:
        problems.append(("status_date", f"状态为“{LicenceStatus(status).label}”时不填写注销（吊销）日期"))
    if status_date is not None and issued_on is not None and status_date < issued_on:
        problems.append(("status_date", "注销（吊销）日期不能早于发证日期"))
    return problems


def ended_q(on: dt.date, prefix: str = "") -> Q:
    """Ended by a decision (注销、吊销) on or before the day."""
    p = prefix
    return Q(**{f"{p}status__in": ENDED_BY_DECISION, f"{p}status_date__lte": on})


def expired_q(on: dt.date, prefix: str = "") -> Q:
    """Past its term on the day and not ended by a decision first: 过期 whatever status the record says."""
    return Q(**{f"{prefix}valid_until__lt": on}) & ~ended_q(on, prefix)


def state_on(*, issued_on: dt.date | None, valid_until: dt.date | None, status: str, status_date: dt.date | None,
             on: dt.date) -> str:
    """有效, 过期, 注销, 吊销 on the day (the value of LicenceStatus), or "pending" for one issued after it."""
    if status in ENDED_BY_DECISION and status_date is not None and status_date <= on:
        return status
    if valid_until is not None and valid_until < on:
        return LicenceStatus.EXPIRED
    if issued_on is not None and issued_on > on:
        return "pending"
    return LicenceStatus.VALID
