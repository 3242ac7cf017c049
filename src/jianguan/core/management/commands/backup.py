"""`jianguan backup -o FILE`: the database and the uploaded files in one file, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.backup.operations import ENGINE_LABELS, create_backup, media_files
from jianguan.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "备份：把数据库和上传的文件打包为一个 .tar 文件，附清单，用 jianguan restore 恢复。"
        "数据库：SQLite 用在线备份接口（系统运行中也可备份），PostgreSQL 用 pg_dump；上传的文件不含未确认的导入暂存文件；"
        "清单 manifest.json 记有各部分的 SHA-256、各应用已执行的数据库迁移、审计链头、备份时间、数据库类型和 jianguan 版本。"
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="文件", help="备份文件路径（如 /backup/jianguan-20261207.tar），已存在时不覆盖")
        parser.add_argument(
            "--pg-format", choices=["custom", "plain"], default="custom",
            help="PostgreSQL 的导出格式：custom（pg_restore 恢复，默认）或 plain（SQL 文本，psql 恢复）；SQLite 忽略此项",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出将要备份的内容，不写文件")

    def handle(self, *args, output, pg_format, dry_run, **options):
        from django.db import connection

        if dry_run:
            files = media_files()
            size = sum(path.stat().st_size for _, path in files)
            self.stdout.write(
                f"将备份：{ENGINE_LABELS.get(connection.vendor, connection.vendor)} 数据库，"
                f"上传文件 {len(files)} 个（{size / 1024 / 1024:.1f} MB），写入 {Path(output).absolute()}（未写入）"
            )
            return
        try:
            manifest = create_backup(Path(output), pg_format=pg_format)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        path = Path(output).absolute()
        head = manifest["audit_head"]
        self.stdout.write(
            f"已备份到 {path}（{path.stat().st_size / 1024 / 1024:.1f} MB）：{ENGINE_LABELS[manifest['engine']]} 数据库、"
            f"上传文件 {manifest['media']['files']} 个；审计链头第 {head['seq']} 环 {head['hash']}"
        )
