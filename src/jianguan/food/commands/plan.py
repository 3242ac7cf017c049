"""`jianguan food plan --year Y [--on DATE] [--dry-run]`: build the year's inspection plan from the grades in
force (services/plan.py) and print who is due, how often, by station."""

from django.utils import timezone

from ..choices import GRADES
from ..services.plan import plan_build
from . import parse_date


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, help="计划年度，如 2026")
    parser.add_argument("--on", help="编制日期，缺省为今天（须在该年或上一年内）")
    parser.add_argument("--dry-run", action="store_true", help="只计算并报告，不写入")


def handle(command, options) -> None:
    today = timezone.localdate()
    on = parse_date(options.get("on"), "--on 日期") or today
    result = plan_build(actor=None, year=options["year"], on=on, dry_run=options["dry_run"], today=today)
    head = "试算（未写入）" if result.dry_run else "已编制"
    command.stdout.write(f"{result.year}年度食品安全监督检查计划{head}（编制日期 {result.on}）：计划检查 {result.items} 户，"
                         f"全年应检 {result.min_total}–{result.max_total} 次")
    for g in GRADES:
        n, low, high = result.by_grade[g]
        command.stdout.write(f"  {g}级 {n} 户，每户每年 {low // n if n else 0}–{high // n if n else 0} 次，合计 {low}–{high} 次")
    command.stdout.write("按监管所：")
    for station, n, low, high in result.by_station:
        command.stdout.write(f"  {station}：{n} 户，应检 {low}–{high} 次")


SUBCOMMANDS = [("plan", "年度检查计划：按当年风险等级列出应检主体、检查频次，按监管所汇总", add_arguments, handle)]
