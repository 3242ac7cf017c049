"""`jianguan credit score [--on DATE] [--dry-run]`: the monthly credit risk scoring of every existing business
(services/risk.py); the scheduler runs it on the first check of each month."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from ..services.risk import CLASSES, risk_score_all


def add_arguments(parser) -> None:
    parser.add_argument("--on", help="评分日期，缺省为今天（规则取该日有效的版本）")
    parser.add_argument("--dry-run", action="store_true", help="只计算并报告，不写入")


def handle(command, options) -> None:
    today = timezone.localdate()
    on = today
    if options.get("on"):
        try:
            on = dt.date.fromisoformat(options["on"])
        except ValueError:
            raise CommandError(f"--on 日期“{options['on']}”无法识别，请写成 2026-07-01") from None
    if on > today:
        raise CommandError(f"评分日期不能晚于今天（{today}）")
    run = risk_score_all(actor=None, on=on, dry_run=options["dry_run"])
    head = "试算（未写入）" if run.dry_run else "已评分"
    counts = "，".join(f"{c}类 {run.counts[c]} 户" for c in CLASSES)
    command.stdout.write(f"{run.on}{head}：存续市场主体 {run.scored} 户，{counts}")
    command.stdout.write(f"评分有变动 {run.scores_written} 户，分类有变动 {run.classes_changed} 户，用时 {run.seconds} 秒")


SUBCOMMANDS = [("score", "信用风险分类：按记录为每个存续市场主体评分（每月自动运行）", add_arguments, handle)]
