"""Every page is sent with a Content-Security-Policy that forbids inline script and eval, and no
template carries inline script, event-handler attributes or javascript: URLs (they would not run)."""

import re
from pathlib import Path

import pytest

import jianguan

pytestmark = pytest.mark.django_db

SRC = Path(jianguan.__file__).parent


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("url, login", [
    ("/", True), ("/reports/", True), ("/login/", False), ("/public/complaints/", False),
    ("/api/v1/docs", True), ("/admin/", True), ("/no-such-page/", True),
])
def test_every_page_has_a_csp_without_inline_script(client, org, url, login):
    if login:
        client.force_login(org.users.admin)
    response = client.get(url)
    header = response.headers.get("Content-Security-Policy")
    assert header, (url, response.status_code)
    csp = _directives(header)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in header


SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def _templates():
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def test_templates_have_no_inline_script_handlers_or_javascript_urls():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(SRC)
        for match in SCRIPT.finditer(text):
            attrs = match.group(1)
            # external files and JSON data blocks (json_script) are allowed; nothing else runs under the CSP
            if "src=" not in attrs and "application/json" not in attrs:
                found.append(f"{rel}: inline <script>")
        found += [f"{rel}: handler {m.group(0)[-40:]!r}" for m in HANDLER.finditer(text)]
        found += [f"{rel}: javascript: URL" for _ in JS_URL.finditer(text)]
    assert _templates(), "no templates found"
    assert found == []
