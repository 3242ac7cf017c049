import time

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from jianguan.core import audit
from jianguan.core.services import acting, generated_data
from jianguan.org.models import OrgUnit, User

from ...baobao import build_baobao
from ...canteens import build_canteens
from ...cases import build_cases
from ...complaints import CONSUMER_RIGHTS, PERSONAL_INFO, build_complaints
from ...credit import build_credit
from ...district import DEMO_PASSWORD, SCALES, build_businesses, build_org, demo_usernames
from ...equipment import SCALES as EQUIPMENT_SCALES
from ...equipment import build_equipment
from ...food import build_food
from ...inspections import build_inspections, inspector_usernames
from ...licences import build_licences
from ...sampling import build_sampling
from ...spotchecks import build_spotchecks


class Command(BaseCommand):
    help = "载入演示辖区（机构、用户、市场主体）；数据按 --seed 确定，可重复生成。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="small≈5千户，district≈30万户")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="数据库已有机构时什么也不做")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要生成的规模，不写入")

    def handle(self, *args, scale, seed, if_empty, dry_run, **options):
        count = SCALES[scale]
        if dry_run:
            self.stdout.write(
                f"将生成：1个局、5个科室、6个监管所、15个街道、13个用户、{count}户市场主体、"
                f"约{EQUIPMENT_SCALES[scale]}台特种设备、两个专项行动及一年的监督检查、“双随机、一公开”抽查计划及三项任务、一年的投诉举报、食品抽检与快检、执法办案、两个年度的年度报告与经营异常名录及信用风险分类、学校医院等其他组织及各类许可证、学校食堂与明厨亮灶、包保、食品安全风险分级与年度检查计划（seed={seed}）"
            )
            return
        if OrgUnit.objects.exists():
            if if_empty:
                self.stdout.write("数据库中已有数据，未载入演示辖区。")
                print_logins(self.stdout)
                return
            raise CommandError("数据库中已有机构数据；演示辖区只能载入空数据库（或使用 --if-empty）")
        started = time.monotonic()
        with transaction.atomic(), generated_data():
            bureau, subdistricts, _ = build_org()
            total = build_businesses(subdistricts, count, seed, progress=self._progress)
            licences = build_licences(seed, scale)  # schools, hospitals … and the licences the other modules read
            # Audit rows are chained once at the end: the same links, without the chain's queries per row.
            with audit.chained_at_the_end():
                equipment = build_equipment(subdistricts, EQUIPMENT_SCALES[scale], seed)
                inspections = build_inspections(seed, scale)
                spotchecks = build_spotchecks(seed, scale)
                complaints = build_complaints(seed, scale)
                cases = build_cases(seed, scale)  # after complaints and inspections: their leads are decided here
                sampling = build_sampling(seed, scale)  # after cases: it decides (or leaves in time) its own leads
                # Canteen evaluations record inspections and findings, which the credit class and the food grade read.
                canteens = build_canteens(seed, scale)
                baobao = build_baobao(seed, scale)
                credit = build_credit(seed, scale)  # the risk class reads every module's records above
                food = build_food(seed, scale)  # last: the food grade reads the credit class too
            admin = User.objects.get(username="admin")
            with acting(admin):
                LogEntry.objects.log_create(
                    bureau,
                    action=LogEntry.Action.CREATE,
                    changes={"演示辖区": [None, f"scale={scale} seed={seed} 市场主体{total}户 特种设备{equipment.devices}台"]},
                    force_log=True,
                )
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner picks the covering indexes on a just-loaded table.
            cursor.execute("ANALYZE")
        self.stdout.write(f"已载入演示辖区：{total} 户市场主体，用时 {time.monotonic() - started:.1f} 秒。")
        self.stdout.write(f"  {licences.summary()}。")
        self.stdout.write(f"  {equipment.summary()}。")
        self.stdout.write(f"  {inspections.summary()}。")
        self.stdout.write(f"  {spotchecks.summary()}。")
        self.stdout.write(f"  {complaints.summary()}。")
        self.stdout.write(f"  {cases.summary()}。")
        self.stdout.write(f"  {sampling.summary()}。")
        self.stdout.write(f"  {credit.summary()}。")
        self.stdout.write(f"  {canteens.summary()}。")
        self.stdout.write(f"  {baobao.summary()}。")
        self.stdout.write(f"  {food.summary()}。")
        print_logins(self.stdout)

    def _progress(self, done, total):
        if total >= 50_000 and done % 50_000 == 0:
            self.stderr.write(f"  已生成 {done}/{total} 户…")


def print_logins(out) -> None:
    # Checking each password would cost a hash per user; the demo accounts are known by name.
    demo = User.objects.select_related("org_unit").filter(username__in=demo_usernames(), is_active=True).order_by("id")
    if not demo:
        return
    out.write(f"演示账号（密码均为 {DEMO_PASSWORD}，如未修改）：")
    for user in demo:
        out.write(f"  {user.username:<10} {user.get_role_display():<8} {user.org_unit or ''}")
    inspectors = list(User.objects.filter(username__in=inspector_usernames()).order_by("username").values_list("username", flat=True))
    if inspectors:
        out.write(f"  另有各监管所执法人员 {'、'.join(inspectors)}（密码相同），可用于复查等须由他人办理的环节")
    app_label, codename = PERSONAL_INFO
    if demo.filter(username=CONSUMER_RIGHTS, user_permissions__content_type__app_label=app_label,
                   user_permissions__codename=codename).exists():
        out.write(f"  {CONSUMER_RIGHTS} 可查看投诉举报人的姓名和电话（每次查看留痕）；其他账号（承办人、系统管理员除外）只见脱敏信息")
