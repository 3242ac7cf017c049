"""`jianguan audit verify`: check the hash chain over every audit row."""

from django.core.management.base import BaseCommand, CommandError

from jianguan.core.audit import check_chain


class Command(BaseCommand):
    help = "审计记录：校验哈希链，发现被修改、删除或绕过系统写入的审计记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        verify = sub.add_parser("verify", help="校验审计链；完好时输出 OK，否则输出第一处断裂并以非零状态退出")
        verify.add_argument("--show-head", action="store_true", help="同时输出链头序号与哈希，便于另行留存比对")

    def handle(self, *args, action, show_head=False, **options):
        status = check_chain()
        if status.problem is not None:
            raise CommandError(f"审计链断裂：{status.problem}")
        self.stdout.write(f"OK（共 {status.count} 条审计记录）")
        if show_head:
            self.stdout.write(f"链头：第 {status.head_seq} 环 {status.head_hash}")
