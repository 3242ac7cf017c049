"""Per-client rate limits for the parts of the site open without login (the public portal, complaint intake).

    @rate_limit()              # the "public" bucket
    @rate_limit("complaints", default="10/h")  # a bucket of its own, with its own default limit

Each bucket allows N requests per client per fixed window, counted in Django's cache. The default
LocMemCache counts per process; with several worker processes, point JIANGUAN_RATE_LIMIT_CACHE at a
shared cache (Redis, the database cache) so that the limit holds across them. Settings, all optional:

- JIANGUAN_RATE_LIMITS: {bucket: "N/period"}, over DEFAULT_RATES and each decorator's default;
  the period is s, m, h or d, optionally with a count ("100/5m"); None or "" switches the bucket off.
- JIANGUAN_RATE_LIMIT_CACHE: the cache alias ("default").
- JIANGUAN_TRUSTED_PROXIES: how many reverse proxies stand in front of Django (0). With 1, the client
  is the last address in X-Forwarded-For (the one the proxy saw); never trusted when 0, since a
  client can write that header itself.

A client over the limit gets 429 with Retry-After: a Chinese page, or the API's error JSON
({"code", "message", "extra"}) when it asked for JSON.
"""

import ipaddress
import math
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .middleware import client_ip

DEFAULT_RATES = {"public": "60/m"}
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(text: str) -> tuple[int, int]:
    """"60/m" → (60 requests, 60 seconds); "100/5m" → (100, 300)."""
    found = _RATE.match(text or "")
    if not found or int(found[1]) < 1:
        raise ValueError(f"rate limit {text!r}: write N/s, N/m, N/h or N/d, e.g. 60/m or 100/5m")
    return int(found[1]), int(found[2] or 1) * _UNITS[found[3]]


def rate_for(bucket: str, default: str | None = None) -> tuple[int, int] | None:
    rates = {**DEFAULT_RATES, **({bucket: default} if default else {}), **getattr(settings, "JIANGUAN_RATE_LIMITS", {})}
    if bucket not in rates:
        raise ValueError(f"rate limit bucket {bucket!r} has no rate (JIANGUAN_RATE_LIMITS or a default)")
    return parse_rate(rates[bucket]) if rates[bucket] else None


def client_address(request) -> str:
    """The client's address as the outermost trusted proxy saw it (REMOTE_ADDR when there is none)."""
    address = client_ip(request) or ""
    proxies = int(getattr(settings, "JIANGUAN_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def client_unit(request) -> ipaddress.IPv4Address | ipaddress.IPv6Network | None:
    """Who is counted as one client: an IPv4 address, or an IPv6 client's /64 (one customer's network
    hands out many addresses); None when the address cannot be read."""
    try:
        ip = ipaddress.ip_address(client_address(request))
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        return ipaddress.ip_network(f"{ip}/64", strict=False)
    return ip


def client_key(request) -> str:
    """The client's address as the rate limits count it (an IPv6 client as its /64)."""
    unit = client_unit(request)
    return str(unit) if unit is not None else (client_address(request) or "unknown")


def hit(request, bucket: str, default: str | None = None) -> int | None:
    """Count one request; the seconds to wait when it is over the bucket's limit, else None."""
    rate = rate_for(bucket, default)
    if rate is None:
        return None
    limit, period = rate
    now = time.time()
    window = int(now // period)
    cache = caches[getattr(settings, "JIANGUAN_RATE_LIMIT_CACHE", "default")]
    key = f"ratelimit:{bucket}:{client_key(request)}:{period}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def _wants_json(request) -> bool:
    return request.path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def too_many_requests(request, retry_after: int) -> HttpResponse:
    message = f"访问过于频繁，请 {retry_after} 秒后再试"
    if _wants_json(request):
        response = JsonResponse(
            {"code": "rate_limited", "message": message, "extra": {"retry_after": retry_after}},
            status=429, json_dumps_params={"ensure_ascii": False},
        )
    else:
        body = render_to_string("core/429.html", {"message": message, "retry_after": retry_after})
        response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(bucket: str = "public", default: str | None = None):
    """Decorate a view: every request counts toward the client's limit in `bucket`."""
    rate_for(bucket, default)  # an unknown bucket or a malformed rate fails at import time, not on a request

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = hit(request, bucket, default)
            if wait is not None:
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
