"""`jianguan serve`: the production server on one machine, and its supervisor.

Children: gunicorn serving jianguan.wsgi (static files by whitenoise, hashed and compressed by
collectstatic first) and `jianguan worker` (django-tasks' db_worker with the scheduler and the heartbeat).
The worker is restarted when it dies, waiting longer each time it dies young; when gunicorn ends,
everything ends, for the service manager to restart. With `--dev`, Django's development server instead.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand

from jianguan.demo.management.commands.demo import print_logins

# Source maps are for developers' browsers; skipping them halves what collectstatic hashes and compresses.
STATIC_IGNORE = ["*.map"]
RESTART_MAX_WAIT = 60
STABLE_SECONDS = 60  # a worker that ran this long restarts at once when it dies


def default_workers() -> int:
    return int(os.environ.get("JIANGUAN_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)


def jianguan_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "jianguan.cli", *args]


def gunicorn_argv(host: str, port: str, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "jianguan.wsgi:application",
        "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        # Reports and imports can take a while; a worker past this is stuck, not busy.
        "--timeout", "120", "--graceful-timeout", "20",
        # Recycled now and then, so that a large import's memory goes back to the system.
        "--max-requests", "2000", "--max-requests-jitter", "200",
        "--preload",  # a broken configuration fails once, at start, not in every worker
        # Its default path is one per user (~/.gunicorn/gunicorn.ctl): two servers would share it.
        "--no-control-socket",
    ]


def static_sources_newer_than(manifest: Path) -> bool:
    """Whether collectstatic has anything to do (a restart should not re-hash every file)."""
    if not manifest.exists():
        return True
    collected_at = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(STATIC_IGNORE):
            if os.path.getmtime(storage.path(path)) > collected_at:
                return True
    return False


class Child:
    def __init__(self, name: str, argv: list[str], env: dict[str, str]):
        self.name, self.argv, self.env = name, argv, env
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env)
        self.started = time.monotonic()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()

    def wait(self, timeout: float) -> None:
        if not self.proc:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Command(BaseCommand):
    help = "启动网页服务（gunicorn，静态文件由 whitenoise 提供）与后台任务进程（退出后自动重启）；--dev 为开发服务器。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=None,
                            help="网页进程数（默认 JIANGUAN_WEB_WORKERS，或 CPU 数×2+1）")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("JIANGUAN_WEB_THREADS") or 4),
                            help="每个网页进程的线程数（默认 JIANGUAN_WEB_THREADS，或 4）")
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动后台任务进程（已由 systemd 等另行运行 jianguan worker 时）")
        parser.add_argument("--dev", action="store_true", help="Django 开发服务器（调试用，不用于生产）")

    def handle(self, *args, host, port, workers, threads, no_worker, dev, **options):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "jianguan.settings")}
        if not dev:
            env["JIANGUAN_STATIC_COLLECTED"] = "1"
            self.collect_static(env)
        worker = None if no_worker else Child("后台任务进程", jianguan_argv("worker", "--no-reload"), env)
        if dev:
            web = Child("开发服务器", jianguan_argv("runserver", f"{host}:{port}", "--noreload", "--insecure"), env)
        else:
            workers = workers or default_workers()
            web = Child("网页服务", gunicorn_argv(host, port, workers, threads), env)
        # Installed before the children start, so that a SIGTERM in between cannot orphan them.
        stopping: list[int] = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda signum, frame: stopping.append(signum))
        web.start()
        if worker:
            worker.start()
        kind = "开发服务器" if dev else f"gunicorn {workers} 个进程 × {threads} 线程"
        self.stdout.write(f"监管平台已启动（{kind}）：http://{host}:{port}/   （Ctrl+C 停止）")
        if worker:
            self.stdout.write(f"后台任务进程（含定时任务）：进程号 {worker.proc.pid}；健康检查：http://{host}:{port}/healthz")
        print_logins(self.stdout)
        sys.exit(self.supervise(web, worker, stopping))

    def collect_static(self, env) -> None:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not static_sources_newer_than(manifest):
            return
        self.stdout.write("正在整理静态文件（首次启动或文件更新后需要一些时间）…")
        ignore = [arg for pattern in STATIC_IGNORE for arg in ("--ignore", pattern)]
        # A process of its own: this one's settings were read without JIANGUAN_STATIC_COLLECTED.
        subprocess.run(jianguan_argv("collectstatic", "--noinput", "-v", "0", *ignore), env=env, check=True)

    def supervise(self, web: Child, worker: Child | None, stopping: list[int]) -> int:
        wait, restart_at = 1, None
        try:
            while not stopping:
                if web.proc.poll() is not None:
                    self.stderr.write(f"{web.name}已退出（代码 {web.proc.returncode}）")
                    return web.proc.returncode or 1
                if worker and worker.proc.poll() is not None:
                    now = time.monotonic()
                    if restart_at is None:
                        wait = 1 if now - worker.started >= STABLE_SECONDS else min(wait * 2, RESTART_MAX_WAIT)
                        restart_at = now + wait
                        self.stderr.write(f"{worker.name}已退出（代码 {worker.proc.returncode}），{wait} 秒后重启")
                    elif now >= restart_at:
                        worker.start()
                        restart_at = None
                        self.stderr.write(f"{worker.name}已重启，进程号 {worker.proc.pid}")
                time.sleep(0.5)
            return 0
        finally:
            for child in (web, worker):
                if child:
                    child.stop()
            for child in (web, worker):
                if child:
                    child.wait(timeout=30)


