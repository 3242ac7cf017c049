"""`jianguan calendar …`: the working-day calendar for administrators."""

import csv
import datetime as dt
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jianguan.core.calendar import WorkingCalendar, package_version, package_years
from jianguan.core.deadlines import calendar_refresh, provisional_deadlines
from jianguan.core.models import CalendarDay, CalendarYear

YEAR_HEADERS = ["日期", "安排", "说明"]
WORK, REST = "上班", "休息"


def parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(f"无法识别的日期“{text}”，请写成 2026-10-10")


def parse_int(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{what}应为整数：“{text}”") from None
    if value < 0:
        raise CommandError(f"{what}不能为负数")
    return value


def read_year_file(path: Path, year: int) -> list[tuple[dt.date, bool, str]]:
    """Rows `日期, 安排 (上班/休息), 说明` of a CSV in UTF-8 (with or without BOM) or GBK."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc}") from exc
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CommandError("文件既不是 UTF-8 也不是 GBK 编码的 CSV")
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    if header[:3] != YEAR_HEADERS:
        raise CommandError(f"表头应为：{'，'.join(YEAR_HEADERS)}（实际：{'，'.join(header) or '空文件'}）")
    rows, errors, seen = [], [], set()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = [*cells, "", ""][:3]
        try:
            day = parse_date(cells[0])
        except CommandError as exc:
            errors.append(f"第 {number} 行 日期：{exc}")
            continue
        kind = cells[1].strip()
        if day.year != year:
            errors.append(f"第 {number} 行 日期：{day} 不属于 {year} 年")
        elif kind not in (WORK, REST):
            errors.append(f"第 {number} 行 安排：应为“{WORK}”或“{REST}”，实际为“{kind}”")
        elif day in seen:
            errors.append(f"第 {number} 行 日期：{day} 重复")
        else:
            seen.add(day)
            rows.append((day, kind == WORK, cells[2].strip()))
    if errors:
        raise CommandError("文件有误，未写入任何数据：\n" + "\n".join(errors))
    if not rows:
        raise CommandError("文件中没有任何日期；全年安排至少包含法定节假日")
    return rows


class Command(BaseCommand):
    help = "工作日历：查询日期、推算期限、录入年度安排、重算暂定期限。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")

        check = sub.add_parser("check", help="查询某日是否工作日及其依据")
        check.add_argument("date", help="日期，如 2026-10-10")

        add = sub.add_parser("add-working-days", help="起算日后第 N 个工作日（起算日不计入）")
        add.add_argument("date")
        add.add_argument("n")

        add_cal = sub.add_parser("add-calendar-days", help="起算日后 N 日，末日为休息日的顺延至下一个工作日")
        add_cal.add_argument("date")
        add_cal.add_argument("n")

        between = sub.add_parser("between", help="两个日期之间的工作日数（不含起日，含止日）")
        between.add_argument("start")
        between.add_argument("end")

        sub.add_parser("provisional", help="列出尚未确定的暂定期限")
        sub.add_parser("years", help="列出已知年度（chinesecalendar 与管理员录入）")

        refresh = sub.add_parser("refresh", help="按当前日历重算暂定期限")
        refresh.add_argument("--dry-run", action="store_true", help="只显示将发生的变化，不写入")

        load = sub.add_parser("import-year", help="从 CSV（日期,安排,说明）录入一个年度的全年安排")
        load.add_argument("year")
        load.add_argument("file")
        load.add_argument("--source", required=True, help="依据文件，如 国办发明电〔2026〕X号")
        load.add_argument("--dry-run", action="store_true", help="只检查文件并显示内容，不写入")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_check(self, *, date, **_):
        self.stdout.write(str(WorkingCalendar().day(parse_date(date))))

    def _deadline(self, start, result, period):
        note = "（暂定：所涉年度的节假日安排尚未录入，按周一至周五推算）" if result.provisional else ""
        self.stdout.write(f"{start.isoformat()} 起 {period}：{result.date.isoformat()}{note}")

    def do_add_working_days(self, *, date, n, **_):
        start, days = parse_date(date), parse_int(n, "工作日数")
        self._deadline(start, WorkingCalendar().add_working_days(start, days), f"{days} 个工作日")

    def do_add_calendar_days(self, *, date, n, **_):
        start, days = parse_date(date), parse_int(n, "天数")
        self._deadline(start, WorkingCalendar().add_calendar_days(start, days), f"{days} 日")

    def do_between(self, *, start, end, **_):
        a, b = parse_date(start), parse_date(end)
        count, provisional = WorkingCalendar().count_working_days(a, b)
        note = "（暂定）" if provisional else ""
        self.stdout.write(f"{a.isoformat()} 至 {b.isoformat()}：{count} 个工作日{note}")

    def do_provisional(self, **_):
        rows = list(provisional_deadlines())
        if not rows:
            self.stdout.write("没有暂定期限。")
            return
        self.stdout.write(f"暂定期限 {len(rows)} 条（所涉年度的日历录入后请运行 jianguan calendar refresh）：")
        for row in rows:
            period = f"{row.working_days}个工作日" if row.working_days is not None else f"{row.calendar_days}日"
            self.stdout.write(
                f"  {row.app_label}:{row.object_ref}.{row.field_name}  {row.start.isoformat()}起{period}"
                f" → {row.due.isoformat()}（暂定）"
            )

    def do_years(self, **_):
        first, last = package_years()
        self.stdout.write(f"chinesecalendar {package_version()}：{first}–{last} 年")
        entered = list(CalendarYear.objects.order_by("year"))
        for year in entered:
            self.stdout.write(f"管理员录入：{year.year} 年（{year.source_document}，{year.entered_on} 录入）")
        if not entered:
            self.stdout.write("管理员录入：无")

    def do_refresh(self, *, dry_run, **_):
        changes = calendar_refresh(dry_run=dry_run)
        prefix = "【试运行，未写入】" if dry_run else ""
        if not changes:
            self.stdout.write(f"{prefix}没有需要更新的暂定期限。")
        for change in changes:
            self.stdout.write(f"{prefix}{change}")
        left = provisional_deadlines().count()
        resolved = sum(c.resolved and not c.error for c in changes)
        self.stdout.write(f"{prefix}已确定 {resolved} 条；仍为暂定 {left if not dry_run else left - resolved} 条。")
        if any(c.error for c in changes):
            raise CommandError("部分模块更新失败，相关期限保持暂定，请查看日志后重试")

    def do_import_year(self, *, year, file, source, dry_run, **_):
        year = parse_int(year, "年度")
        rows = read_year_file(Path(file), year)
        rest = sum(not workday for _, workday, _ in rows)
        self.stdout.write(f"{year} 年：休息日 {rest} 天、调休上班 {len(rows) - rest} 天，依据 {source}")
        for day, workday, name in rows:
            self.stdout.write(f"  {day.isoformat()} {WORK if workday else REST} {name}")
        if dry_run:
            self.stdout.write("【试运行，未写入】")
            return
        with transaction.atomic():
            if CalendarYear.objects.filter(year=year).exists():
                raise CommandError(f"{year} 年已录入；如需更正，请在后台逐日修改")
            listed = {day for day, _, _ in rows}
            stray = CalendarDay.objects.filter(date__year=year).exclude(date__in=listed).order_by("date")
            if stray.exists():
                days = "、".join(d.isoformat() for d in stray.values_list("date", flat=True))
                raise CommandError(f"数据库中已有文件未列出的 {year} 年调整（{days}），请核对后补入文件或先删除")
            for day, workday, name in rows:
                CalendarDay.objects.update_or_create(
                    date=day, defaults={"is_workday": workday, "name": name, "source_document": source}
                )
            CalendarYear.objects.create(year=year, source_document=source)
        self.stdout.write(f"已录入 {year} 年全年安排。请运行 jianguan calendar refresh 重算暂定期限。")
