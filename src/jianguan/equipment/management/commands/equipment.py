import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...services import equipment_refresh


class Command(BaseCommand):
    help = "特种设备：refresh 重新计算检验状态（正常/预警/超期/不合格停用），为新超期设备生成跟进任务；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument("--on", help="计算日期（缺省为今天），如 2026-12-02")
        parser.add_argument("--dry-run", action="store_true", help="只统计将要变化的数量，不写入")

    def handle(self, *args, action, on, dry_run, **options):
        try:
            day = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期“{on}”无法识别，请写成 2026-12-02") from exc
        result = equipment_refresh(on=day, dry_run=dry_run)
        verb = "将" if dry_run else "已"
        self.stdout.write(f"{day}：{verb}更新 {result.changed} 台设备的检验状态，{verb}生成 {result.tasks_opened} 项跟进任务。")
