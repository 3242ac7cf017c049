import signal
import sys
import threading

from django.core.management.base import BaseCommand
from django.utils import timezone

from jianguan.core import scheduler


def every_text(every) -> str:
    seconds = int(every.total_seconds())
    for unit, name in ((86400, "天"), (3600, "小时"), (60, "分钟")):
        if seconds % unit == 0:
            return f"每{name}" if seconds == unit else f"每 {seconds // unit} {name}"
    return f"每 {seconds} 秒"


class Command(BaseCommand):
    help = "定时任务：--once 运行一轮到期任务后退出（供 cron 与测试），--list 列出任务；不带参数时持续运行。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="运行到期任务一次后退出")
        parser.add_argument("--list", action="store_true", dest="show_list", help="列出已登记的定时任务及最近运行情况")

    def handle(self, *args, once, show_list, **options):
        if show_list:
            return self.show()
        if once:
            scheduler.beat("scheduler")
            for key, ok in scheduler.run_due():
                self.stdout.write(f"{key}：{'完成' if ok else '失败（详见 jianguan scheduler --list）'}")
            return
        # On its own (not inside `jianguan worker`): the loop in this thread, the heartbeat beside it.
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        scheduler.start_threads("scheduler", stop, run_jobs=False)
        self.stdout.write("定时任务已启动（Ctrl+C 停止）")
        try:
            scheduler.loop(stop, scheduler.TICK_SECONDS, scheduler.run_due)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()

    def show(self):
        for job, state in scheduler.job_states():
            if state is None or state.last_started_at is None:
                last = "尚未运行"
            else:
                result = {True: "成功", False: "失败", None: "运行中"}[state.last_ok]
                last = f"{timezone.localtime(state.last_started_at):%Y-%m-%d %H:%M} {result}"
            self.stdout.write(f"{job.key}\t{job.label}\t{every_text(job.every)}\t{last}")
        if not scheduler.PERIODIC:
            self.stdout.write("（没有已登记的定时任务）")
