import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jianguan.core import scheduler


class Command(DbWorkerCommand):
    help = "后台任务进程：django-tasks 的 db_worker，连同定时任务与心跳（由 jianguan serve 启动并看护，或作为 systemd 服务）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-scheduler", action="store_true",
                            help="不运行定时任务（只写心跳），例如另有一台服务器或 cron 运行 jianguan scheduler")

    def handle(self, *args, no_scheduler=False, **options):
        # db_worker owns the main thread (its signal handlers need it); these threads die with it.
        scheduler.start_threads("worker", threading.Event(), run_jobs=not no_scheduler)
        super().handle(*args, **options)
