"""`jianguan import LEDGER FILE [--dry-run] [--user USERNAME] [--create-operators]`: import a ledger
from .xlsx or .csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError
from jianguan.core.importing import (
    errors_path,
    get_ledger,
    ledger_names,
    run_import,
    summary_lines,
    terminal_progress,
    write_error_report,
)
from jianguan.core.importing.actors import resolve_actor


class Command(BaseCommand):
    help = (
        "从 .xlsx 或 .csv 文件导入台账（表头为中文，CSV 可为 UTF-8 或 GBK）。"
        "按自然键新增或更新；任何一行有错则整个文件不写入，打印错误摘要并生成 文件名.errors.xlsx。"
        "不指定 --user 时以第一个超级用户的身份导入（没有超级用户时不记录操作人）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("ledger", choices=ledger_names(), help="台账：" + "、".join(ledger_names()))
        parser.add_argument("file", help=".xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并统计新增/更新/未变/错误，不写入")
        parser.add_argument("--user", help="以该用户名的身份导入（决定辖区范围并记入审计）")
        parser.add_argument(
            "--create-operators",
            action="store_true",
            help="仅用于 equipment 台账：使用单位不在市场主体台账中时，按使用单位名称新建并标记为待核实",
        )

    def handle(self, *args, ledger, file, dry_run=False, user=None, create_operators=False, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        actor = resolve_actor(user)
        registered = get_ledger(ledger)
        run_options = {}
        if create_operators:
            if "create_operators" not in dict(registered.import_options):
                raise CommandError(f"台账“{ledger}”不支持 --create-operators（仅用于 equipment 台账）")
            run_options["create_operators"] = True
        # The ledger of this run: a fresh instance where the ledger keeps what the run did (notes).
        the_ledger = registered.for_run(**run_options)
        try:
            result = run_import(
                the_ledger, path, actor=actor, dry_run=dry_run, progress=terminal_progress(self.stderr._out)
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if result.accepted:
            for line in summary_lines(result):
                self.stdout.write(line)
            for line in the_ledger.notes(dry_run=dry_run):
                self.stdout.write(line)
            if result.batch is not None:
                self.stdout.write(f"导入批次编号：{result.batch.pk}")
            return
        for line in summary_lines(result):
            self.stderr.write(line)
        report = write_error_report(path, result, errors_path(path))
        self.stderr.write(f"错误报告：{report}")
        raise CommandError("导入被拒绝，数据库未作任何修改", returncode=1)
