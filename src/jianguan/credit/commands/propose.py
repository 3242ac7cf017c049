"""`jianguan credit propose --year Y [--on DATE] [--since DATE] [--dry-run] [-o FILE.xlsx]`: the proposals for the
abnormal operations list once the filing window of Y has closed (services/proposals.py)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from jianguan.core.exporting import write_table

from ..services.proposals import EXPORT_HEADERS, propose


def _date(value: str | None, flag: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{flag} 日期“{value}”无法识别，请写成 2026-07-01") from None


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, help="年报年度，如 2025（报送期限届满后才能提出）")
    parser.add_argument("--on", help="提出日期，缺省为今天")
    parser.add_argument("--since", help="查无下落的检查自该日起（缺省为提出日期当年1月1日）")
    parser.add_argument("--dry-run", action="store_true", help="只列出拟提出的名单，不写入")
    parser.add_argument("-o", "--output", help="把拟提出的名单写入 .xlsx 文件")


def handle(command, options) -> None:
    output = options.get("output")
    if output and not output.lower().endswith(".xlsx"):
        raise CommandError("输出文件须为 .xlsx")
    run = propose(year=options["year"], on=_date(options.get("on"), "--on"), since=_date(options.get("since"), "--since"),
                  dry_run=options["dry_run"])
    out = command.stdout
    head = "拟提出（未写入）" if run.dry_run else "已提出"
    counts = "，".join(f"{action} {n} 户" for action, n in run.counts().items())
    out.write(f"{run.year} 年度，{run.on}{head}：{counts}，共 {len(run.proposals)} 户")
    if run.already_open or run.already_closed:
        out.write(f"已提出待决定或在列的 {run.already_open} 户、此前已作出不予列入或已移出决定的 {run.already_closed} 户未再提出")
    for row in (p.row() for p in run.proposals):
        out.write("\t".join(row))
    if output:
        write_table(output, EXPORT_HEADERS, (p.row() for p in run.proposals), title="拟列入经营异常名录")
        out.write(f"已写入 {output}")


SUBCOMMANDS = [("propose", "提出列入（标记）经营异常名录：年报期限届满未报送的、检查查无下落的", add_arguments, handle)]
