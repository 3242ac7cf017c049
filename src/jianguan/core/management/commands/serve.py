import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jianguan.demo.management.commands.demo import print_logins


class Command(BaseCommand):
    help = "启动网页服务（http://HOST:PORT）与后台任务进程。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    def handle(self, *args, host, port, no_worker, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "jianguan.cli", "db_worker"])
        # A SIGTERM (a service manager, `timeout`) must stop the worker too, not orphan it.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        self.stdout.write(f"监管平台已启动：http://{host}:{port}/   （Ctrl+C 停止）")
        print_logins(self.stdout)
        try:
            # --insecure: serve the collected static files without a separate web server on a laptop.
            call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)
        finally:
            if worker:
                worker.terminate()
                worker.wait(timeout=10)
