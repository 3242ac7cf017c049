"""`jianguan restore FILE`: a backup of `jianguan backup` into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.backup.manifest import created_label
from jianguan.core.backup.operations import ENGINE_LABELS, restore_backup
from jianguan.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "恢复：把 jianguan backup 生成的备份恢复到 DATABASE_URL 所指的空数据库，连同上传的文件。"
        "写入前先逐一校验各部分的 SHA-256，任何一处不符即拒绝；目标数据库或上传文件目录已有数据时拒绝。"
        "恢复前请停止 jianguan 的网页与后台服务。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="备份文件", help="jianguan backup 生成的 .tar 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验备份文件并检查目标是否为空，不写入")

    def handle(self, *args, file, dry_run, **options):
        try:
            result = restore_backup(Path(file), dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        m = result.manifest
        source = (
            f"{created_label(m)} 的备份（jianguan {m['jianguan_version']}，{ENGINE_LABELS[m['engine']]}，"
            f"上传文件 {result.media} 个，审计链头第 {m['audit_head']['seq']} 环）"
        )
        if dry_run:
            self.stdout.write(f"校验通过：{source}；目标为空，可以恢复（未写入）")
            return
        self.stdout.write(f"已恢复：{source}")
        if result.pending:
            self.stdout.write(f"本版本还有 {len(result.pending)} 个数据库迁移未执行：请运行 jianguan migrate，再运行 jianguan audit verify")
        elif result.chain is not None and result.chain.ok:
            self.stdout.write(f"审计链校验通过（共 {result.chain.count} 条审计记录）")
        elif result.chain is not None:
            raise CommandError(f"已恢复，但审计链校验未通过：{result.chain.problem}")
