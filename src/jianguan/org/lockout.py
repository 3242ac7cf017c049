"""Login throttling on top of django-axes: one account from one address is locked after repeated failures.

The numbers are versioned rules (org.login_failure_limit, org.login_lockout_minutes), read on the day
of the attempt. axes keeps one AccessAttempt per username+address whose failures count as long as
each comes within the lockout time of the previous one, and the lock lasts that long after the last
counted failure (attempts made while locked do not extend it: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
The lock and every unlock by an administrator are written to the hash-chained audit log.
"""

import datetime as dt
import ipaddress

from auditlog.models import LogEntry
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from jianguan.core.ratelimit import client_unit
from jianguan.core.rules import rule_value
from jianguan.core.services import acting

FAILURE_LIMIT_RULE = "org.login_failure_limit"
LOCKOUT_MINUTES_RULE = "org.login_lockout_minutes"
LOCKED_EVENT = "login_locked"
UNLOCKED_EVENT = "login_unlocked"


def _today() -> dt.date:
    return timezone.localdate()


def failure_limit(request=None, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: failures that lock, the rule in force today."""
    return int(rule_value(FAILURE_LIMIT_RULE, on=_today()))


def lockout_minutes() -> int:
    return int(rule_value(LOCKOUT_MINUTES_RULE, on=_today()))


def cool_off(request=None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts (and the window in which failures add up)."""
    return dt.timedelta(minutes=lockout_minutes())


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address behind JIANGUAN_TRUSTED_PROXIES, as the rate limits see it.
    An IPv6 client is its /64 (one customer's network hands out many addresses), written as the
    network's first address since axes stores an address, not a network."""
    unit = client_unit(request)
    if unit is None:
        return None
    return str(unit.network_address if isinstance(unit, ipaddress.IPv6Network) else unit)


def _attempt(username: str | None, ip: str | None) -> AccessAttempt | None:
    return AccessAttempt.objects.filter(username=username, ip_address=ip).order_by("-attempt_time", "-pk").first()


def locked_until(attempt: AccessAttempt) -> dt.datetime:
    return timezone.localtime(attempt.attempt_time + cool_off())


def is_locked(attempt: AccessAttempt, now: dt.datetime | None = None) -> bool:
    """As axes judges it: enough failures, the last one within the lockout time (expired rows linger
    until the next login attempt cleans them up)."""
    return attempt.failures_since_start >= failure_limit() and locked_until(attempt) > (now or timezone.now())


def lockout_message(attempt: AccessAttempt | None) -> str:
    minutes = lockout_minutes()
    until = f"，请于 {locked_until(attempt):%H:%M} 后再试" if attempt is not None else ""
    return (
        f"登录失败次数过多：该账号在本地址已被锁定 {minutes} 分钟{until}。"
        "如需立即解锁，请联系系统管理员。"
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the reason in Chinese (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    attempt = _attempt(username, getattr(request, "axes_ip_address", None))
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout_message": lockout_message(attempt), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


def _audit(attempt: AccessAttempt, event: str, **data) -> LogEntry:
    action = LogEntry.Action.CREATE if event == LOCKED_EVENT else LogEntry.Action.DELETE
    data = {"event": event, "username": attempt.username, "ip": attempt.ip_address, **data}
    return LogEntry.objects.log_create(
        attempt,
        force_log=True,
        action=action,
        object_repr=f"登录锁定 {attempt.username}@{attempt.ip_address}",
        changes={"locked": ["", "是"] if event == LOCKED_EVENT else ["是", ""]},
        additional_data=data,
    )


@receiver(user_locked_out, dispatch_uid="jianguan_login_locked_audit")
def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """One audit entry per lock: axes signals again on every attempt made while locked."""
    attempt = _attempt(username, ip_address)
    if attempt is None:
        return
    already = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AccessAttempt),
        object_pk=str(attempt.pk),
        action=LogEntry.Action.CREATE,
    ).exists()
    if already:
        return
    # axes keeps a row per browser (user agent) and counts their sum for the account+address
    failures = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    with acting(None, ip=ip_address):
        _audit(
            attempt, LOCKED_EVENT, failures=failures, lockout_minutes=lockout_minutes(),
            user_agent=(attempt.user_agent or "")[:200],
        )


@transaction.atomic
def login_lockout_release(*, actor, attempts, ip: str | None = None) -> int:
    """An administrator lifts locks (and forgets the failures counted so far), each one audited."""
    count = 0
    with acting(actor, ip=ip):
        for attempt in list(attempts):
            _audit(attempt, UNLOCKED_EVENT, failures=attempt.failures_since_start)
            attempt.delete()
            count += 1
    return count
