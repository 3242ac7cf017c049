"""Production settings: `jianguan check --deploy` is clean with the values documented in .env.example,
and the loopback demo (no such values) still answers over plain HTTP."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# Our settings and Django's read these; the subprocess must see only what the test gives it.
_OWN_ENV = re.compile(r"^(DJANGO_|JIANGUAN_|DATABASE_URL$)")


def production_env_from_example() -> dict[str, str]:
    """The `#KEY=value` lines of the production block of .env.example (commented out by default)."""
    text = (PROJECT / ".env.example").read_text(encoding="utf-8")
    block = re.search(r"^# =+ 生产环境.*?$(.*?)^# =+ 生产环境结束", text, re.S | re.M)
    assert block, ".env.example has no production block (# ==== 生产环境 … # ==== 生产环境结束)"
    values = dict(re.findall(r"^#([A-Z][A-Z0-9_]*)=(.*)$", block[1], re.M))
    assert values, "the production block lists no settings"
    return values


def run_jianguan(args, env_values, tmp_path):
    env = {k: v for k, v in os.environ.items() if not _OWN_ENV.match(k)}
    env.update(env_values, JIANGUAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="jianguan.settings")
    return subprocess.run([sys.executable, "-m", "jianguan.cli", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_deploy_check_is_clean_with_the_documented_production_settings(tmp_path):
    values = production_env_from_example()
    done = run_jianguan(["check", "--deploy", "--fail-level", "WARNING"], values, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout, done.stdout + done.stderr


def test_production_settings_turn_on_https_behind_the_proxy(tmp_path):
    values = production_env_from_example()
    probe = ("from django.conf import settings as s; "
             "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
             "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_PROXY_SSL_HEADER)")
    done = run_jianguan(["shell", "-c", probe], values, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True True True True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_loopback_demo_needs_none_of_it(tmp_path):
    # The defaults (no .env) serve plain HTTP on 127.0.0.1: no redirect, cookies over HTTP, no HSTS,
    # and no X-Forwarded-Proto trusted from whoever connects.
    probe = ("from django.conf import settings as s; "
             "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)")
    done = run_jianguan(["shell", "-c", probe], {}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False False 0 None"


@pytest.mark.django_db
def test_login_page_answers_over_plain_http(client):
    assert client.get("/login/").status_code == 200
