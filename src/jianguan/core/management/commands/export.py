"""`jianguan export LEDGER FILE [--user USERNAME]`: export a ledger to .xlsx or .csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.importing import get_ledger, ledger_names, run_export
from jianguan.core.importing.actors import resolve_actor


class Command(BaseCommand):
    help = (
        "把台账导出为 .xlsx 或 .csv（按扩展名），表头与导入相同，导出的文件可原样再导入。"
        "不指定 --user 时导出全部记录；指定时只导出该用户辖区内的记录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("ledger", choices=ledger_names(), help="台账：" + "、".join(ledger_names()))
        parser.add_argument("file", help="导出文件，.xlsx 或 .csv")
        parser.add_argument("--user", help="只导出该用户辖区内的记录")

    def handle(self, *args, ledger, file, user=None, **options):
        path = Path(file)
        if path.suffix.lower() not in {".xlsx", ".csv"}:
            raise CommandError("导出文件的扩展名应为 .xlsx 或 .csv")
        actor = resolve_actor(user) if user else None
        count = run_export(get_ledger(ledger), path, actor=actor)
        self.stdout.write(f"已导出 {count} 条记录到 {path}")
