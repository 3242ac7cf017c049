"""`jianguan food grade --year Y [--on DATE] [--dry-run]`: grade every food business for the year
(services/grading.py). The default date is 1 January of the year, or today while that day has not come."""

import datetime as dt

from django.utils import timezone

from ..choices import GRADES
from ..services.grading import grade_all
from . import parse_date


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, help="分级年度，如 2026")
    parser.add_argument("--on", help="评定日期（规则取该日有效的版本，动态因素回溯至该日），缺省为该年1月1日")
    parser.add_argument("--dry-run", action="store_true", help="只计算并报告，不写入")


def handle(command, options) -> None:
    today = timezone.localdate()
    year = options["year"]
    on = parse_date(options.get("on"), "--on 日期") or min(dt.date(year, 1, 1), today)
    result = grade_all(actor=None, year=year, on=on, dry_run=options["dry_run"], today=today)
    head = "试算（未写入）" if result.dry_run else "已评定"
    counts = "，".join(f"{g}级 {result.counts[g]} 户" for g in GRADES)
    command.stdout.write(f"{result.year}年度食品安全风险分级{head}（评定日期 {result.on}）：食品生产经营者 {result.graded} 户，{counts}")
    if result.overrides_kept:
        command.stdout.write(f"保留人工调整 {result.overrides_kept} 户；用时 {result.seconds} 秒")
    else:
        command.stdout.write(f"用时 {result.seconds} 秒")


SUBCOMMANDS = [("grade", "食品安全风险分级：为持有有效食品类许可证的主体评定当年 A–D 风险等级", add_arguments, handle)]
