"""The per-client rate limit of the open pages: windows, buckets, clients, proxies, the 429 answer."""

import json

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from jianguan.core import ratelimit
from jianguan.core.ratelimit import client_key, parse_rate, rate_limit


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    yield
    cache.clear()


@rate_limit("test_bucket", default="2/m")
def view(request):
    return HttpResponse("ok")


def _get(ip="192.0.2.1", **extra):
    return RequestFactory().get("/public/x/", REMOTE_ADDR=ip, **extra)


def test_parse_rate():
    assert parse_rate("60/m") == (60, 60) and parse_rate("100/5m") == (100, 300) and parse_rate("5/h") == (5, 3600)
    for bad in ("", "60", "0/m", "x/m", "60/w"):
        with pytest.raises(ValueError):
            parse_rate(bad)


def test_limit_per_client_and_window(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert [view(_get()).status_code for _ in range(3)] == [200, 200, 429]
    refused = view(_get())
    assert refused.status_code == 429 and refused["Retry-After"] == "20"  # the window ends at 1_000_020
    assert "访问过于频繁" in refused.content.decode()
    assert view(_get("192.0.2.2")).status_code == 200  # another client
    clock[0] += 60
    assert view(_get()).status_code == 200  # the next window


def test_settings_override_and_switch_off(settings):
    settings.JIANGUAN_RATE_LIMITS = {"test_bucket": "1/m"}
    assert [view(_get()).status_code for _ in range(2)] == [200, 429]
    settings.JIANGUAN_RATE_LIMITS = {"test_bucket": None}
    assert all(view(_get()).status_code == 200 for _ in range(5))


def test_unknown_bucket_fails_when_decorating():
    with pytest.raises(ValueError):
        rate_limit("nowhere")


def test_client_key_ipv6_network_and_trusted_proxies(settings):
    assert client_key(_get("2001:db8:1:2:3:4:5:6")) == client_key(_get("2001:db8:1:2:ffff::1")) == "2001:db8:1:2::/64"
    spoofed = _get("203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_key(spoofed) == "203.0.113.9"  # no proxy trusted: the header is the client's own writing
    settings.JIANGUAN_TRUSTED_PROXIES = 1
    assert client_key(_get("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.7")) == "198.51.100.7"


def test_json_clients_get_the_error_json():
    for _ in range(2):
        view(_get(HTTP_ACCEPT="application/json"))
    refused = view(_get(HTTP_ACCEPT="application/json"))
    assert refused.status_code == 429 and refused["Content-Type"].startswith("application/json")
    body = json.loads(refused.content)
    assert body["code"] == "rate_limited" and body["extra"]["retry_after"] >= 1
