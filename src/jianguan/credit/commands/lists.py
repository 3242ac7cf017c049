"""`jianguan credit serious-propose` (严重违法失信名单 candidates → proposals) and `jianguan credit expire`
(期满移出 of the serious list); the daily job in tasks.py runs the expiry too."""

import datetime as dt

from django.core.management.base import CommandError


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"日期“{text}”无法识别，请写成 2026-07-01") from None


def _args(parser):
    parser.add_argument("--on", help="按该日期办理（默认今天），如 2026-07-01")
    parser.add_argument("--dry-run", action="store_true", help="只显示结果，不写入数据库")


def _serious_propose(command, options):
    from ..services.serious import serious_propose

    found = serious_propose(actor=None, on=_date(options.get("on")), dry_run=options.get("dry_run", False))
    verb = "拟提出" if options.get("dry_run") else "已提出"
    command.stdout.write(f"{verb}列入严重违法失信名单 {len(found)} 户")
    for entry in found:
        command.stdout.write(f"  {entry.business.uscc}\t{entry.business.name}\t{entry.get_source_display()}\t{entry.get_category_display()}")


def _expire(command, options):
    from ..services.serious import serious_expire

    found = serious_expire(on=_date(options.get("on")), dry_run=options.get("dry_run", False))
    verb = "期满应移出" if options.get("dry_run") else "期满移出"
    command.stdout.write(f"严重违法失信名单{verb} {len(found)} 户")
    for entry in found:
        command.stdout.write(f"  {entry.business.uscc}\t{entry.business.name}\t列入期满 {entry.list_until}")


SUBCOMMANDS: list = [
    ("serious-propose", "提出列入严重违法失信名单（经营异常名录届满3年、严重违法失信行为的处罚决定）", _args, _serious_propose),
    ("expire", "严重违法失信名单期满移出", _args, _expire),
]
