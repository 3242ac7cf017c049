"""Benchmark: many clients at once against `jianguan serve` on SQLite, rate limits off.

Staff clients (signed in as the demo's department and station users) page through the lists
(home, businesses, complaints, records, inspections, equipment); public clients fill in and submit the
public complaint form (a write each). Every response must be a 200: any other status or a failed
connection is an error. The baseline is the same mix from one client alone, measured first in the same
run; the JSON gives p50/p95 under load, their ratio to that baseline, and the errors.

By default the script copies a demo database (`--from-var`, default ./var, made by `make demo` or
`jianguan demo`) into a temporary folder, starts `jianguan serve` on a free loopback port with rate
limits off, and stops it afterwards; `--url` uses a server already running (loopback only).

    python bench/load.py [--clients 50] [--seconds 60] [--from-var var] [--url http://127.0.0.1:8000]
"""

import argparse
import http.client
import http.cookies
import ipaddress
import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MAX_CLIENTS, MAX_SECONDS = 200, 600
STAFF_USERS = ["tezhong", "shipin", "xinyong", "xiaobao", "jicha", "suo1", "suo2", "suo3", "suo4", "suo5", "suo6"]
STAFF_PAGES = ["/", "/businesses/", "/businesses/?page=2", "/complaints/", "/complaints/records/",
               "/inspections/", "/equipment/"]
PUBLIC_FORM = "/public/complaints/"
# Every bucket named in the code (core/ratelimit.py and the views using it) switched off.
NO_RATE_LIMITS = {"public": None, "complaints_submit": None, "complaints_track": None}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One keep-alive connection with its own cookies, like one browser."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": f"http://{self.host}:{self.port}{path}"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection (or recycled a worker): reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def close(self) -> None:
        if self.conn:
            self.conn.close()


def log_in(host: str, port: int, username: str, password: str) -> dict[str, str]:
    client = Client(host, port)
    status, page = client.request("GET", "/login/")
    token = CSRF_INPUT.search(page)
    if status != 200 or not token:
        raise SystemExit(f"login page: {status}")
    status, _ = client.request("POST", "/login/", {"csrfmiddlewaretoken": token[1].decode(),
                                                   "username": username, "password": password})
    if status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"could not log in as {username} (status {status}); is this the demo database?")
    client.close()
    return client.cookies


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"staff_list": [], "public_submit": []}
        self.errors: Counter = Counter()

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[f"{kind}: {error}"] += 1


def staff_round(client: Client, pages, results: Results) -> None:
    path = next(pages)
    started = time.perf_counter()
    try:
        status, _ = client.request("GET", path)
        error = None if status == 200 else f"HTTP {status} {path}"
    except OSError as exc:
        error = f"{type(exc).__name__} {path}"
    results.add("staff_list", time.perf_counter() - started, error)


def public_round(client: Client, serial, results: Results) -> None:
    """The form, then the submission: one public complaint, timed as the visitor waits for both."""
    n = next(serial)
    started = time.perf_counter()
    try:
        status, page = client.request("GET", PUBLIC_FORM)
        token = CSRF_INPUT.search(page)
        if status != 200 or not token:
            error = f"HTTP {status} form"
        else:
            status, _ = client.request("POST", PUBLIC_FORM, {
                "csrfmiddlewaretoken": token[1].decode(), "kind": "complaint",
                "respondent_name": f"压力测试便利店{n % 97}", "respondent_address": f"测试路{n % 300}号",
                "subdistrict": "", "amount": f"{10 + n % 90}.50",
                "content": f"第{n}次压力测试：购买的商品已过保质期，要求退货退款并赔偿。",
                "complainant_name": "测试者", "complainant_phone": f"139{n % 100_000_000:08d}",
            })
            error = None if status == 200 else f"HTTP {status} submit"
    except OSError as exc:
        error = f"{type(exc).__name__} submit"
    results.add("public_submit", time.perf_counter() - started, error)


def run(host: str, port: int, sessions: list[dict], clients: int, seconds: float, mixed: bool = False) -> dict:
    """`clients` threads for `seconds`: one in five submits public complaints, the others read lists
    (`mixed`: each client does both, four list pages to one submission, as the one-client baseline)."""
    results = Results()
    serial = itertools.count(int(time.time()))
    deadline = time.monotonic() + seconds

    def one(index: int) -> None:
        client = Client(host, port)
        public = index % 5 == 4 and not mixed
        if not public:
            client.cookies.update(sessions[index % len(sessions)])
        pages = itertools.cycle(STAFF_PAGES[index % len(STAFF_PAGES):] + STAFF_PAGES[:index % len(STAFF_PAGES)])
        for round_no in itertools.count():
            if time.monotonic() >= deadline:
                break
            if public or (mixed and round_no % 5 == 4):
                public_round(client, serial, results)
            else:
                staff_round(client, pages, results)
        client.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(results, time.monotonic() - started)


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def summary(results: Results, elapsed: float) -> dict:
    every = [t for times in results.times.values() for t in times]
    out = {
        "requests": len(every), "errors": sum(results.errors.values()), "error_kinds": dict(results.errors),
        "seconds": round(elapsed, 1), "per_second": round(len(every) / elapsed, 1) if elapsed else None,
        "p50_ms": ms(percentile(every, 50)), "p95_ms": ms(percentile(every, 95)),
        "p99_ms": ms(percentile(every, 99)), "max_ms": ms(max(every, default=None)),
    }
    for kind, times in results.times.items():
        out[kind] = {"requests": len(times), "p50_ms": ms(percentile(times, 50)), "p95_ms": ms(percentile(times, 95))}
    return out


def loopback_only(host: str) -> str:
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"refusing to load {host}: this benchmark runs against the loopback only")
    return host


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while a server writes the source."""
    if not source.exists():
        raise SystemExit(f"no database at {source}: run `make demo` (or `jianguan demo`) first, or give --from-var")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def wait_healthy(host: str, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server did not answer /healthz with 200 within {timeout} s")


def start_server(from_var: Path, workers: int | None, threads: int | None) -> tuple[subprocess.Popen, int, dict]:
    var = Path(tempfile.mkdtemp(prefix="jianguan-load-"))
    copy_database(from_var / "jianguan.sqlite3", var / "jianguan.sqlite3")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JIANGUAN_VAR_DIR=str(var), JIANGUAN_RATE_LIMITS=json.dumps(NO_RATE_LIMITS),
               DJANGO_SETTINGS_MODULE="jianguan.settings")
    port = free_port()
    argv = [sys.executable, "-m", "jianguan.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers)] if workers else []
    argv += ["--threads", str(threads)] if threads else []
    # Pending migrations of the copied database (a demo made before the latest pull).
    subprocess.run([sys.executable, "-m", "jianguan.cli", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=open(var / "serve.log", "w"))
    wait_healthy("127.0.0.1", port, 300)
    return server, port, {"var_dir": str(var), "log": str(var / "serve.log")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--warmup-seconds", type=float, default=10)
    parser.add_argument("--url", help="a running server on the loopback (its rate limits must be off)")
    parser.add_argument("--from-var", type=Path, default=PROJECT / "var", help="folder holding the demo database")
    parser.add_argument("--workers", type=int, help="jianguan serve --workers (default: by CPU count)")
    parser.add_argument("--threads", type=int, help="jianguan serve --threads")
    parser.add_argument("--password", default=os.environ.get("JIANGUAN_DEMO_PASSWORD", "Jianguan#2026"))
    args = parser.parse_args()
    if not (1 <= args.clients <= MAX_CLIENTS and 0 < args.seconds <= MAX_SECONDS):
        raise SystemExit(f"--clients 1..{MAX_CLIENTS}, --seconds up to {MAX_SECONDS}")

    server, info = None, {}
    if args.url:
        url = urllib.parse.urlsplit(args.url)
        host, port = loopback_only(url.hostname or ""), url.port or 80
    else:
        host = "127.0.0.1"
        server, port, info = start_server(args.from_var, args.workers, args.threads)
    try:
        sessions = [log_in(host, port, user, args.password) for user in STAFF_USERS]
        # Each web process loads some things on first use (the complaint classifier's dictionary): warm
        # them all up with the full load first, so that the figures are of the steady state.
        warmup = run(host, port, sessions, args.clients, args.warmup_seconds) if args.warmup_seconds else None
        baseline = run(host, port, sessions, 1, args.baseline_seconds, mixed=True) if args.baseline_seconds else None
        loaded = run(host, port, sessions, args.clients, args.seconds)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    report = {
        "benchmark": "load", "clients": args.clients, "duration_s": args.seconds, "server": host + f":{port}",
        "database": "sqlite", "cpus": os.cpu_count(), **info, "load": loaded, "baseline_one_client": baseline,
        "warmup": warmup,
    }
    if baseline and baseline["p50_ms"]:
        report["ratio_p50_to_baseline_p50"] = round(loaded["p50_ms"] / baseline["p50_ms"], 1)
        report["ratio_p95_to_baseline_p50"] = round(loaded["p95_ms"] / baseline["p50_ms"], 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if loaded["errors"] or (warmup and warmup["errors"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
