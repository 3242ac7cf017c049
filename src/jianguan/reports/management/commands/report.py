from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jianguan.core.errors import DomainError
from jianguan.core.importing.actors import resolve_actor

from ...engine import build_params, build_report
from ...links import link_maker
from ...renderers import FORMATS, render
from ...services import snapshot_save
from ...templating import TemplateInvalid


class Command(BaseCommand):
    help = (
        "由模板与台账生成报表：jianguan report work_summary --period 2026H1 --format docx -o 总结.docx；"
        "专项行动：jianguan report campaign_report --campaign 编号"
    )

    def add_arguments(self, parser):
        parser.add_argument("template", help="模板标识，如 work_summary")
        parser.add_argument("--as-of", help="截至日期，如 2026-06-30（只给截至日期时，统计期间为当年1月1日至该日）")
        parser.add_argument("--period", help="统计期间：2026H1、2026Q3、2026-08、2026 或 2026-01-01..2026-06-30")
        parser.add_argument("--scope", help="范围：station:监管所代码 或 subdistrict:街道代码；缺省为全局")
        parser.add_argument(
            "--campaign", help="专项行动编号（campaign.* 指标必填）；只给专项行动时，统计期间为行动起止日期，截至今天"
        )
        parser.add_argument("--report-year", help="年报年度（credit.annual_report* 指标；缺省为截至日期的上一年）")
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument("-o", "--output", help="输出文件；缺省打印到屏幕（仅 json、md）")
        parser.add_argument("--drilldowns", action="store_true", help="xlsx：每个指标的明细各占一页")
        parser.add_argument("--user", help="以该用户的身份与辖区生成（缺省为全局）")
        parser.add_argument("--no-snapshot", action="store_true", help="不保存报表快照")

    def handle(self, *args, template, as_of, period, scope, campaign, report_year, format, output, drilldowns, user, no_snapshot,
               **opts):
        if not (as_of or period or campaign):
            raise CommandError("请给出统计期间（--period）、截至日期（--as-of）或专项行动（--campaign）")
        try:
            actor = resolve_actor(user) if user else None
            params = build_params(as_of=as_of, period=period, scope=scope, campaign=campaign, report_year=report_year)
            report = build_report(template, params, actor=actor, link=link_maker(params, base=settings.JIANGUAN_BASE_URL))
            data = render(report, format, drilldowns=drilldowns, actor=actor)
        except TemplateInvalid as exc:
            raise CommandError("模板有误：" + "；".join(str(p) for p in exc.problems)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not no_snapshot:
            snapshot_save(actor=actor, report=report)
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"已生成 {output}（{report.title}，SHA-256 {report.sha256[:16]}…）")
        elif format in ("json", "md"):
            self.stdout.write(data.decode("utf-8"))
        else:
            raise CommandError(f"{format} 格式请用 -o 指定输出文件")
