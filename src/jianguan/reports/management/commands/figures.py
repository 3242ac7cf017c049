import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError
from jianguan.core.exporting import csv_bytes
from jianguan.core.importing.actors import resolve_actor

from ...engine import build_params
from ...takeout import CSV_HEADERS, figure_rows, figures_json, figures_table


class Command(BaseCommand):
    help = (
        "取数：不用模板，直接取任意已登记指标的数值（分项指标另给每个分项 KEY[值]），每个数字带明细链接。"
        "例：jianguan figures equipment.in_use complaints.received --period 2026H1；"
        "jianguan figures 'equipment.*' --as-of 2026-06-30 --format csv -o 数字.csv"
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="+", metavar="KEY", help="指标标识（jianguan indicators 列出全部）；前缀.* 取该前缀下全部指标")
        parser.add_argument("--period", help="统计期间：2026H1、2026Q3、2026-08、2026 或 2026-01-01..2026-06-30")
        parser.add_argument("--as-of", help="截至日期，如 2026-06-30（只给截至日期时，统计期间为当年1月1日至该日）")
        parser.add_argument("--scope", help="范围：station:监管所代码 或 subdistrict:街道代码；缺省为全局")
        parser.add_argument("--report-year", help="年报年度（credit.annual_report* 指标；缺省为截至日期的上一年）")
        parser.add_argument("--campaign", help="专项行动编号（campaign.* 指标必填）")
        parser.add_argument("--user", help="以该用户的身份与辖区取数（缺省为全局）")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("-o", "--output", help="输出文件；缺省打印到屏幕")

    def handle(self, *args, keys, period, as_of, scope, campaign, report_year, user, format, output, **opts):
        if not (period or as_of or campaign):
            raise CommandError("请给出统计期间（--period）、截至日期（--as-of）或专项行动（--campaign）")
        try:
            actor = resolve_actor(user) if user else None
            params = build_params(as_of=as_of, period=period, scope=scope, campaign=campaign, report_year=report_year)
            params, rows = figure_rows(keys, params, actor=actor, base_url=settings.JIANGUAN_BASE_URL)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if format == "json":
            data = (json.dumps(figures_json(params, rows), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        else:
            data = csv_bytes(CSV_HEADERS, figures_table(params, rows))
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"已写入 {output}（{len(rows)} 个数字）")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
