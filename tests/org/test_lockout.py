"""Login throttling: an account+address is locked after repeated failures, for a time (versioned rules),
with a Chinese message, an audit entry, and an administrator who can unlock."""

import datetime as dt
from unittest import mock

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.utils import timezone

from jianguan.core.audit import verify_chain
from jianguan.core.models import Rule
from jianguan.org.auth import api_token_issue

pytestmark = pytest.mark.django_db

PASSWORD = "Jianguan#2026"
LOCKED = "登录失败次数过多"


def login(client, username, password, ip="10.0.0.7", **extra):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def fail(client, username, times, ip="10.0.0.7", **extra):
    for _ in range(times):
        resp = login(client, username, "wrong-password", ip, **extra)
        assert resp.status_code in (200, 429)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_rules_are_seeded():
    assert Rule.objects.get(key="org.login_failure_limit").value == "5"
    assert Rule.objects.get(key="org.login_lockout_minutes").value == "15"


def test_four_failures_then_right_password_logs_in(client, org):
    fail(client, "east", 4)
    resp = login(client, "east", PASSWORD)
    assert resp.status_code == 302 and logged_in(client)


def test_sixth_attempt_with_right_password_is_refused_in_chinese(client, org):
    fail(client, "east", 5)
    resp = login(client, "east", PASSWORD)
    page = resp.content.decode()
    assert resp.status_code == 429
    assert LOCKED in page and "15 分钟" in page and "管理员" in page
    assert not logged_in(client)
    # the same account from another address, and another account from this one, are not locked
    assert login(client, "east", PASSWORD, ip="10.0.0.8").status_code == 302


def test_other_account_from_same_address_is_not_locked(client, org):
    fail(client, "east", 5)
    assert login(client, "west", PASSWORD).status_code == 302


def test_lock_ends_after_cool_off(client, org):
    fail(client, "east", 5)
    assert login(client, "east", PASSWORD).status_code == 429
    later = timezone.now() + dt.timedelta(minutes=16)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        resp = login(client, "east", PASSWORD)
    assert resp.status_code == 302 and logged_in(client)


def test_still_locked_within_cool_off(client, org):
    fail(client, "east", 5)
    later = timezone.now() + dt.timedelta(minutes=14)
    with mock.patch("axes.handlers.proxy.now", return_value=later):
        assert login(client, "east", PASSWORD).status_code == 429


def test_limit_follows_the_rule_in_force(client, org):
    Rule.objects.create(
        key="org.login_failure_limit", label="x", value="3", unit="count",
        valid_from=timezone.localdate(), source_document="测试",
    )
    fail(client, "east", 3)
    assert login(client, "east", PASSWORD).status_code == 429


def test_lockout_is_audited_once_and_chained(client, org):
    fail(client, "east", 5)
    login(client, "east", PASSWORD)
    login(client, "east", PASSWORD)
    entries = LogEntry.objects.filter(additional_data__event="login_locked")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.additional_data["username"] == "east"
    assert entry.additional_data["ip"] == "10.0.0.7"
    assert entry.additional_data["failures"] == 5
    assert verify_chain() is None


def test_changing_browser_does_not_reset_the_count(client, org):
    fail(client, "east", 3, HTTP_USER_AGENT="Firefox")
    fail(client, "east", 2, HTTP_USER_AGENT="Chrome")
    assert login(client, "east", PASSWORD, HTTP_USER_AGENT="Edge").status_code == 429
    assert LogEntry.objects.get(additional_data__event="login_locked").additional_data["failures"] == 5


def test_address_behind_trusted_proxy(client, org, settings):
    settings.JIANGUAN_TRUSTED_PROXIES = 1
    fail(client, "east", 5, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    # the lock is on the client's address, not the proxy's
    assert login(client, "east", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert login(client, "east", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


def test_forwarded_header_ignored_without_trusted_proxy(client, org):
    fail(client, "east", 5, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert login(client, "east", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_ipv6_clients_are_locked_by_their_64_network(client, org):
    fail(client, "east", 5, ip="2001:db8:1:2::10")
    assert login(client, "east", PASSWORD, ip="2001:db8:1:2::99").status_code == 429
    assert login(client, "east", PASSWORD, ip="2001:db8:1:3::10").status_code == 302


def test_admin_unlocks_and_it_is_audited(client, org):
    fail(client, "east", 5)
    attempt = AccessAttempt.objects.get(username="east")
    admin_client = client.__class__()
    admin_client.force_login(org.users.admin)
    page = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "east" in page and "解除锁定" in page and "登录失败记录" in page and "连续失败次数" in page
    assert 'alt="True"' in page  # 已锁定
    resp = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )
    assert "已解除" in resp.content.decode()
    assert not AccessAttempt.objects.exists()
    entry = LogEntry.objects.get(additional_data__event="login_unlocked")
    assert entry.actor == org.users.admin and entry.additional_data["username"] == "east"
    assert login(client, "east", PASSWORD).status_code == 302
    assert verify_chain() is None


def test_station_user_cannot_unlock(client, org):
    fail(client, "east", 5)
    other = client.__class__()
    other.force_login(org.users.west)
    resp = other.get("/admin/axes/accessattempt/")
    assert resp.status_code in (302, 403)
    assert AccessAttempt.objects.exists()


def test_api_token_and_session_still_work(client, org):
    _, raw = api_token_issue(actor=org.users.east, user=org.users.east, name="同步")
    fail(client, "east", 5)
    assert client.get("/api/v1/businesses/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    session = client.__class__()
    session.force_login(org.users.east)
    assert session.get("/api/v1/businesses/").status_code == 200
