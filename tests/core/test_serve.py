"""`jianguan serve` as an operator runs it: gunicorn with whitenoise's far-future cache headers on the
collected static files, /healthz, a worker restarted when it dies, everything stopped by one SIGTERM;
and `--dev` still Django's development server."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from jianguan.core.management.commands import serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, method="GET", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
        except OSError:
            found = None
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"waited {timeout} s for {what}")


def worker_pid(port):
    status, _, body = request(port, "/healthz")
    if status != 200:
        return None
    beats = [b for b in json.loads(body)["heartbeats"] if b["name"].endswith(":worker") and b["age_seconds"] <= 2]
    return beats[0]["pid"] if beats else None


def alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not reaped yet is gone for our purposes.
    return "zombie" not in open(f"/proc/{pid}/status").read().lower() if os.path.exists(f"/proc/{pid}") else False


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    var = tmp_path_factory.mktemp("serve-var")
    env = {k: v for k, v in os.environ.items() if not re.match(r"^(DJANGO_|JIANGUAN_|DATABASE_URL$)", k)}
    env.update(JIANGUAN_VAR_DIR=str(var), JIANGUAN_HEARTBEAT_SECONDS="1")
    subprocess.run([sys.executable, "-m", "jianguan.cli", "migrate", "--no-input", "-v", "0"],
                   env=env, check=True, timeout=300)
    return env


@pytest.fixture(scope="module")
def server(environment, tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("serve-log") / "serve.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jianguan.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: worker_pid(port), 180, "/healthz to answer 200")
        yield proc, port, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_page_is_served_by_gunicorn_and_its_static_files_cached_for_good(server):
    _, port, _ = server
    status, headers, body = request(port, "/login/")
    assert status == 200 and headers["Server"].startswith("gunicorn")
    stylesheet = re.search(rb'href="(/static/css/jianguan\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the stylesheet is not linked by its hashed name"
    status, headers, _ = request(port, stylesheet[1].decode(), "HEAD", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"


def test_healthz_answers_json(server):
    _, port, _ = server
    status, headers, body = request(port, "/healthz")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["database"] == "ok"


def test_a_dead_worker_is_restarted(server):
    _, port, log = server
    first = worker_pid(port)
    os.kill(first, signal.SIGKILL)
    second = wait_for(lambda: (pid := worker_pid(port)) and pid != first and pid, 60, "a new worker's heartbeat")
    assert alive(second) and not alive(first)
    log.seek(0)
    assert "后台任务进程已退出" in log.read()


def test_sigterm_stops_the_server_and_its_worker(server):
    proc, port, _ = server
    worker = worker_pid(port)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert not alive(worker)
    with pytest.raises(OSError):
        request(port, "/healthz")


def test_dev_keeps_the_development_server(environment):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jianguan.cli", "serve", "--dev", "--no-worker", "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, headers, _ = wait_for(lambda: request(port, "/login/"), 60, "the development server")
        assert status == 200 and headers["Server"].startswith("WSGIServer")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_web_processes_follow_the_cpu_count(monkeypatch):
    monkeypatch.delenv("JIANGUAN_WEB_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert serve.default_workers() == 9
    monkeypatch.setenv("JIANGUAN_WEB_WORKERS", "3")
    assert serve.default_workers() == 3
