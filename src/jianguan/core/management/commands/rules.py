"""`jianguan rules list [--on DATE] [--all]`: the statutory numbers in force."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jianguan.core.models import Rule
from jianguan.core.rules import rules_in_force


class Command(BaseCommand):
    help = "规则参数：列出某日生效的法定期限、比例、金额等取值。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        show = sub.add_parser("list", help="列出规则键、取值、单位、施行日期、依据文件")
        show.add_argument("--on", help="生效日期，如 2026-05-01；默认今天")
        show.add_argument("--all", action="store_true", help="列出全部历史版本")

    def handle(self, *args, action, on=None, all=False, **options):
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                raise CommandError(f"无法识别的日期“{on}”，请写成 2026-05-01") from None
        else:
            day = timezone.localdate()
        if all:
            rules = list(Rule.objects.order_by("key", "valid_from"))
            self.stdout.write(f"全部规则版本（共 {len(rules)} 条）：")
        else:
            rules = rules_in_force(day)
            self.stdout.write(f"{day.isoformat()} 生效的规则（共 {len(rules)} 条）：")
        if not rules:
            self.stdout.write("（无）")
            return
        self.stdout.write("规则键\t取值\t单位\t施行日期\t依据文件")
        for rule in rules:
            self.stdout.write(
                f"{rule.key}\t{rule.value}\t{rule.get_unit_display()}\t{rule.valid_from.isoformat()}\t{rule.source_document}"
            )
