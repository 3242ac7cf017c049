"""The demo district's inspections, deterministic for a seed, all written through the services.

- 执法证: each station's login (suo1 …) and two more inspectors per station (suo1b, suo1c …), and the
  特种设备科, 食品科 and 稽查科 logins, get a certificate; two certificates expired during the year,
  and every station keeps at least two valid ones.
- Two campaigns: “百日攻坚” (食品科, summer) and “中秋守护” (特种设备科, around the Mid-Autumn and
  National Day holidays), with checklists, goals and a few hundred inspections between them and the
  stations' routine work; external checks (企业自查, 社区巡查, 第三方巡查) too.
- Findings go round the rectification loop — notice or supervision order, the operator's report,
  the re-check (sometimes failed first), escalation (a case lead, a sealed or stopped device) — so
  that on the demo date (DEMO_DATE) there are findings in every state, some overdue.
- A couple of the stations' overdue-examination tasks are done by inspecting the device; the rest
  stay open for 我的任务.

Events are played in date order (inspections, documents, reports, re-checks, escalations), so that
inspection and document numbers follow the calendar.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from jianguan.businesses.models import Business
from jianguan.core.services import acting
from jianguan.equipment.models import Equipment, FollowUpTask
from jianguan.inspections.choices import (
    DocumentKind,
    Escalation,
    FindingStatus,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
    ItemOutcome,
    Severity,
)
from jianguan.inspections.models import Checklist, Finding, Inspection
from jianguan.inspections.services.campaigns import campaign_create, task_complete_by_inspection
from jianguan.inspections.services.findings import (
    case_lead_open,
    document_issue,
    finding_escalate,
    finding_recheck,
    finding_report,
)
from jianguan.inspections.services.inspections import (
    NewFinding,
    inspection_complete,
    inspection_create,
    inspection_record_items,
)
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, Subdistrict, User

from .district import DEMO_PASSWORD, DIVISION, STATIONS, _person
from .equipment import DEMO_DATE

SCALES = {"small": 1, "district": 3}
YEAR_START = dt.date(2026, 1, 5)
# 百日攻坚's scope by industry (GB/T 4754 prefixes): food manufacturing, food wholesale and retail, catering.
SUMMER_INDUSTRIES = ("14", "512", "521", "522", "62")

# Expired during the year: station 2's and station 5's third inspector.
EXPIRED = {"suo2c": dt.date(2026, 6, 30), "suo5c": dt.date(2026, 8, 31)}
DEPARTMENT_INSPECTORS = ("tezhong", "shipin", "jicha")

# What an inspector writes for a 不符合 item, by checklist code and item order.
NOTES = {
    "food_daily": {
        1: "食品经营许可证未悬挂在经营场所醒目位置",
        2: "2名从业人员健康证明已过期",
        3: "部分预包装食品无进货票据，进货查验记录不全",
        4: "货架上发现超过保质期的预包装食品3袋",
        5: "冷藏柜温度显示12℃，生熟食品混放",
        6: "餐饮具消毒记录缺失近一周",
        7: "食品添加剂未专柜存放，无使用记录",
        8: "未配备食品安全管理人员",
    },
    "elevator_operator": {
        1: "使用登记标志未置于轿厢内显著位置",
        2: "检验合格标志已过有效期",
        3: "安全管理员证书过期，未重新取证",
        4: "维保记录缺少两次，维保间隔超过15日",
        5: "安全技术档案不完整，缺少上次检验报告",
        6: "轿厢应急报警装置无法接通值班室",
        7: "未制定应急救援预案，未开展演练",
        8: "乘梯须知及警示标志缺失",
    },
}
FREE_FINDINGS = [
    ("经营场所卫生状况差，防鼠防蝇设施缺失", Severity.GENERAL),
    ("未按规定公示营业执照", Severity.GENERAL),
    ("价格标签不规范，未明码标价", Severity.GENERAL),
    ("消防通道堆放杂物", Severity.GENERAL),
]
FREE_DEVICE_FINDINGS = [
    ("维保记录不全，维保人员未签字", Severity.GENERAL),
    ("机房门未上锁，机房内堆放杂物", Severity.GENERAL),
    ("轿厢照明及通风装置损坏", Severity.GENERAL),
]
THIRD_PARTIES = ("济南安泰安全技术服务有限公司", "山东鲁信检测技术有限公司")


@dataclass
class InspectionCounts:
    inspectors: int = 0
    inspections: int = 0
    external: int = 0
    by_campaign: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)
    overdue: int = 0
    documents: int = 0
    tasks_done: int = 0
    tasks_open: int = 0

    def summary(self) -> str:
        campaigns = "、".join(f"{name} {n} 次" for name, n in self.by_campaign.items())
        states = "、".join(f"{FindingStatus(s).label} {self.findings.get(s, 0)}" for s in FindingStatus.values)
        return (
            f"持证执法人员 {self.inspectors} 名；监督检查 {self.inspections} 次（其中外部检查 {self.external} 次；{campaigns}），"
            f"执法文书 {self.documents} 份；隐患问题 {sum(self.findings.values())} 条（{states}），截至 {DEMO_DATE:%Y-%m-%d} 逾期未整改 "
            f"{self.overdue} 条；设备跟进任务以检查办结 {self.tasks_done} 项、待办 {self.tasks_open} 项"
        )


def inspector_usernames() -> list[str]:
    """The inspectors the demo adds to each station's login."""
    return [f"suo{i}{suffix}" for i in range(1, len(STATIONS) + 1) for suffix in "bc"]


def _weekday(day: dt.date, start: dt.date, end: dt.date) -> dt.date:
    """The day, moved off a weekend within [start, end]."""
    if day.weekday() < 5:
        return day
    forward = day + dt.timedelta(days=7 - day.weekday())
    if forward <= end:
        return forward
    back = day - dt.timedelta(days=day.weekday() - 4)
    return back if back >= start else day


def issue_certificates(rng: random.Random, admin: User) -> dict[int, list[User]]:
    """Certificates for the stations' and departments' staff; returns each station's inspectors."""
    hashed = make_password(DEMO_PASSWORD)  # one hash for the new accounts: they log in like the rest
    staff: dict[int, list[User]] = {}
    serial = 0

    def certify(user: User, until: dt.date) -> None:
        nonlocal serial
        serial += 1
        user.cert_no, user.cert_valid_until = f"{DIVISION}{serial:05d}", until

    with acting(admin):
        stations = OrgUnit.objects.filter(kind=OrgKind.STATION).order_by("code")
        for i, station in enumerate(stations, start=1):
            login = User.objects.get(username=f"suo{i}")
            certify(login, dt.date(2028, 12, 31))
            login.save(update_fields=["cert_no", "cert_valid_until"])
            members = [login]
            for suffix, until in (("b", dt.date(2029, 6, 30)), ("c", dt.date(2027, 12, 31))):
                username = f"suo{i}{suffix}"
                user = User(username=username, role=Role.STATION, org_unit=station, full_name=_person(rng), password=hashed)
                certify(user, EXPIRED.get(username, until))
                user.save()
                members.append(user)
            staff[station.pk] = members
        for username in DEPARTMENT_INSPECTORS:
            user = User.objects.get(username=username)
            certify(user, dt.date(2028, 12, 31))
            user.save(update_fields=["cert_no", "cert_valid_until"])
    return staff


@dataclass
class _Spec:
    """One inspection to make."""

    date: dt.date
    kind: str
    business: Business
    campaign: object = None
    checklist: Checklist | None = None
    devices: list = field(default_factory=list)
    with_department: User | None = None
    performed_by: str = ""
    nonconform: float = 0.0  # chance that some checklist items fail
    free_finding: float = 0.0  # chance of a finding without a checklist
    outcome: str = ""  # case_lead / not_found: a routine visit that ends so


class _Builder:
    def __init__(self, seed: int, scale: int, admin: User):
        self.rng = random.Random(seed * 53 + 11)
        self.scale, self.admin = scale, admin
        self.queue: list = []
        self.order = 0
        self.station_of = dict(Subdistrict.objects.values_list("pk", "station_id"))
        self.counts = InspectionCounts()
        self.need = {"seal", "case_lead"}
        pattern = ["closed"] * 13 + ["reported"] * 3 + ["open"] * 3 + ["escalated"] * 1
        self.rng.shuffle(pattern)
        # The first ten findings past their deadline take one of each fate at least.
        self.fates = ["closed", "reported", "open", "escalated", "closed", "closed", "open", "reported", "closed", "closed"] + pattern
        self.passed = 0
        self.today = DEMO_DATE
        self.staff: dict[int, list[User]] = {}
        self.sealed: set[int] = set()
        self.departments: dict[str, User] = {}

    # ---- the timeline ----------------------------------------------------------------------

    def at(self, day: dt.date, action, *args) -> None:
        self.order += 1
        heapq.heappush(self.queue, (day, self.order, action, args))

    def run(self) -> None:
        while self.queue:
            self.today, _, action, args = heapq.heappop(self.queue)
            action(*args)

    # ---- people ----------------------------------------------------------------------------

    def staff_of(self, business: Business) -> list[User]:
        return self.staff[self.station_of[business.subdistrict_id]]

    def team(self, business: Business, day: dt.date, department: User | None = None) -> list[User]:
        valid = [u for u in self.staff_of(business) if u.cert_valid_on(day)]
        if department is not None:
            return [valid[0], department]
        return self.rng.sample(valid, 2)

    # ---- inspections -----------------------------------------------------------------------

    def inspect(self, spec: _Spec) -> None:
        rng, business = self.rng, spec.business
        external = spec.kind in (InspectionKind.SELF, InspectionKind.COMMUNITY, InspectionKind.THIRD_PARTY)
        inspectors = [] if external else self.team(business, spec.date, spec.with_department)
        actor = self.staff_of(business)[0]
        inspection = inspection_create(
            actor=actor, kind=spec.kind, business=business, date=spec.date, inspectors=inspectors,
            equipment=spec.devices, checklist=spec.checklist, campaign=spec.campaign, performed_by=spec.performed_by,
            status=InspectionStatus.IN_PROGRESS,
        )
        self.counts.inspections += 1
        self.counts.external += external
        findings: list[NewFinding] = []
        deadline = spec.date + dt.timedelta(days=rng.choice((7, 10, 15, 15, 20, 30)))
        checklist = inspection.checklist
        if spec.outcome == InspectionResult.NOT_FOUND:
            inspection_complete(
                actor=actor, pk=inspection.pk, version=None, result=InspectionResult.NOT_FOUND,
                summary="按登记住所实地核查，未找到该市场主体，经营场所已关闭。",
            )
            return
        if checklist is not None:
            items = list(checklist.items.all())
            failing = set()
            if rng.random() < spec.nonconform:
                failing = {item.pk for item in rng.sample(items, rng.choice((1, 1, 2)))}
            answers = {}
            for item in items:
                if item.pk in failing:
                    answers[item.pk] = (ItemOutcome.NONCONFORM, NOTES[checklist.code][item.order])
                else:
                    answers[item.pk] = (ItemOutcome.NOT_APPLICABLE if rng.random() < 0.05 else ItemOutcome.CONFORM, "")
            inspection_record_items(actor=actor, pk=inspection.pk, version=None, results=answers)
            if spec.devices:  # equipment findings name the device, so that a supervision order can cover them
                for item in items:
                    if item.pk in failing:
                        findings.append(NewFinding(
                            description=f"{item.point}：{NOTES[checklist.code][item.order]}", deadline=deadline,
                            severity=Severity.MAJOR if item.serious else Severity.GENERAL, legal_basis=item.legal_basis,
                            equipment=rng.choice(spec.devices), item_id=item.pk,
                        ))
            problems = bool(failing)
        else:
            problems = rng.random() < spec.free_finding
            if problems:
                device = rng.choice(spec.devices) if spec.devices else None
                description, severity = rng.choice(FREE_DEVICE_FINDINGS if device else FREE_FINDINGS)
                findings.append(NewFinding(description=description, deadline=deadline, severity=severity, equipment=device))
        ordered = problems and not external and rng.random() < 0.85
        if spec.outcome == InspectionResult.CASE_LEAD:
            result = InspectionResult.CASE_LEAD
        elif problems:
            result = InspectionResult.ORDERED if ordered else InspectionResult.PROBLEMS
        else:
            result = InspectionResult.NO_PROBLEM
        summary = "检查中发现问题，已当场指出并要求限期整改。" if problems else "现场检查未发现问题。"
        inspection = inspection_complete(
            actor=actor, pk=inspection.pk, version=None, result=result, summary=summary, findings=findings,
            deadline=deadline,
        )
        raised = list(inspection.findings.select_related("equipment", "subdistrict").order_by("pk"))
        if spec.outcome == InspectionResult.CASE_LEAD:
            case_lead_open(actor=actor, inspection=inspection, description="现场发现该单位涉嫌无证经营，移交执法稽查科", on=spec.date)
        if ordered and raised:
            with_device = [f for f in raised if f.equipment_id]
            without = [f for f in raised if not f.equipment_id]
            for kind, group in ((DocumentKind.SUPERVISION_ORDER, with_device), (DocumentKind.RECTIFICATION_NOTICE, without)):
                if group:
                    document_issue(actor=actor, inspection=inspection, kind=kind, findings=group, issued_on=spec.date)
                    self.counts.documents += 1
        for finding in raised:
            self.plan(finding)

    # ---- the rectification loop ------------------------------------------------------------

    def plan(self, finding: Finding) -> None:
        rng, found, deadline = self.rng, finding.found_on, finding.deadline
        last = DEMO_DATE - dt.timedelta(days=1)
        if deadline >= DEMO_DATE:
            if (last - found).days > 4 and rng.random() < 0.35:
                self.at(found + dt.timedelta(days=rng.randrange(2, (last - found).days)), self.report, finding.pk, None)
            return
        fate = self.fates[self.passed % len(self.fates)]
        self.passed += 1
        if "seal" in self.need and finding.equipment_id and finding.equipment_id not in self.sealed:
            fate = "seal"
        elif "case_lead" in self.need and not finding.equipment_id and finding.severity == Severity.MAJOR:
            fate = "case_lead"
        span = max(1, (deadline - found).days)
        if fate == "closed":
            late = rng.random() < 0.2
            reported = deadline + dt.timedelta(days=rng.randrange(1, 10)) if late else found + dt.timedelta(days=rng.randrange(1, span + 1))
            reported = min(reported, last - dt.timedelta(days=2))
            checked = min(reported + dt.timedelta(days=rng.randrange(1, 9)), last)
            self.at(reported, self.report, finding.pk, checked)
        elif fate == "reported":
            reported = max(found + dt.timedelta(days=1), last - dt.timedelta(days=rng.randrange(2, 25)))
            self.at(reported, self.report, finding.pk, None)
        elif fate in ("escalated", "seal", "case_lead"):
            on = min(deadline + dt.timedelta(days=rng.randrange(1, 15)), last)
            self.at(on, self.escalate, finding.pk, fate)
        # "open": the operator never reported: overdue on the demo date.

    def report(self, pk: int, recheck_on: dt.date | None) -> None:
        """The operator reports the rectification today; a station clerk enters it."""
        finding = Finding.objects.select_related("business").get(pk=pk)
        clerk = self.staff[self.station_of[finding.subdistrict_id]][2]
        finding_report(
            actor=clerk, pk=pk, version=None, submitted_on=self.today, text="已按要求完成整改，附整改前后照片。",
            submitter_name=f"{finding.business.legal_rep or '负责人'}（{finding.business.name[:20]}）",
        )
        if recheck_on is not None:
            self.at(max(recheck_on, self.today), self.recheck, pk)

    def recheck(self, pk: int) -> None:
        finding = Finding.objects.select_related("subdistrict").get(pk=pk)
        checker, partner = self.staff[self.station_of[finding.subdistrict_id]][:2]
        failed = self.rng.random() < 0.12 and finding.rechecks.count() == 0
        new_deadline = self.today + dt.timedelta(days=10) if failed else None
        finding_recheck(
            actor=checker, pk=pk, version=None, date=self.today, passed=not failed, inspectors=[checker, partner],
            note="整改不到位，责令继续整改" if failed else "现场复查，整改到位", new_deadline=new_deadline,
        )
        if failed and new_deadline < DEMO_DATE - dt.timedelta(days=3):
            reported = new_deadline - dt.timedelta(days=self.rng.randrange(1, 5))
            self.at(reported, self.report, pk, min(reported + dt.timedelta(days=3), DEMO_DATE - dt.timedelta(days=1)))

    def escalate(self, pk: int, fate: str) -> None:
        finding = Finding.objects.select_related("equipment").get(pk=pk)
        if finding.status != FindingStatus.OPEN:
            return
        if finding.equipment_id:
            escalation = Escalation.SEAL if (fate == "seal" or self.rng.random() < 0.5) and finding.equipment_id not in self.sealed else Escalation.STOP_USE
            actor = self.departments["tezhong"]  # 特种设备科 decides on sealing or stopping a device
            reason = "逾期未整改，存在严重事故隐患，依法查封" if escalation == Escalation.SEAL else "逾期未整改，责令停止使用"
            if escalation == Escalation.SEAL:
                self.sealed.add(finding.equipment_id)
                self.need.discard("seal")
        else:
            escalation, actor, reason = Escalation.CASE_LEAD, self.departments["jicha"], "逾期拒不整改，移交立案查处"
            self.need.discard("case_lead")
        finding_escalate(actor=actor, pk=pk, version=None, escalation=escalation, on=self.today, reason=reason)


# ---- the whole year ---------------------------------------------------------------------------


def _latest(code: str) -> Checklist:
    return Checklist.objects.filter(code=code, disabled_on__isnull=True).order_by("-version").first()


def _sample_businesses(rng: random.Random, pks: list[int], n: int) -> list[Business]:
    chosen = [rng.choice(pks) for _ in range(n)] if pks else []
    found = Business.objects.select_related("subdistrict").in_bulk(set(chosen))
    return [found[pk] for pk in chosen]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return _weekday(start + dt.timedelta(days=rng.randrange((end - start).days + 1)), start, end)


def build_inspections(seed: int, scale: str = "small") -> InspectionCounts:
    """Certificates, the two campaigns and a year of inspections up to the demo date."""
    factor = SCALES[scale]
    admin = User.objects.get(username="admin")
    b = _Builder(seed, factor, admin)
    rng = b.rng
    b.staff = issue_certificates(rng, admin)
    b.departments = {u.username: u for u in User.objects.filter(username__in=DEPARTMENT_INSPECTORS)}
    food_daily, elevator = _latest("food_daily"), _latest("elevator_operator")
    tezhong, shipin = b.departments["tezhong"], b.departments["shipin"]
    everywhere = list(Subdistrict.objects.order_by("code"))
    summer = campaign_create(
        actor=shipin, code="2026-BRGJ", name="食品安全“百日攻坚”专项行动", start=dt.date(2026, 6, 1), end=dt.date(2026, 9, 8),
        lead_department=shipin.org_unit, checklist=food_daily, industries=list(SUMMER_INDUSTRIES),
        description="聚焦餐饮服务、食品销售环节，对照食品经营者日常监督检查表逐项检查，发现问题限期整改、逐一复查销号。",
        goals={"inspections": 100 * factor, "businesses": 90 * factor, "inspector_visits": 200 * factor},
        subdistricts=everywhere,
    )
    autumn = campaign_create(
        actor=tezhong, code="2026-ZQSH", name="“中秋守护”专项行动", start=dt.date(2026, 9, 10), end=dt.date(2026, 10, 10),
        lead_department=tezhong.org_unit, checklist=elevator, equipment_types=["3000", "6000", "9000"],
        description="中秋、国庆两节期间，对商场、医院、学校、车站、景区等人员密集场所的电梯、大型游乐设施、客运索道及节日热销食品开展隐患排查。",
        goals={"inspections": 75 * factor, "businesses": 60 * factor, "devices": 100 * factor, "inspector_visits": 150 * factor},
        subdistricts=everywhere,
    )

    active = Business.objects.filter(reg_status="active").order_by("uscc")
    food = list(active.filter(licences__kind__code="food_business").values_list("pk", flat=True).distinct())
    # Only these count toward 百日攻坚: the campaign's scope is checked when an inspection joins it.
    in_summer_scope = {
        pk for pk, code in active.filter(licences__kind__code="food_business").values_list("pk", "industry_code").distinct()
        if code.startswith(SUMMER_INDUSTRIES)
    }
    summer_food = [pk for pk in food if pk in in_summer_scope]
    enterprises = list(active.filter(entity_type="enterprise").values_list("pk", flat=True))
    lifts: dict[int, list[Equipment]] = {}
    for device in Equipment.objects.filter(status="in_use", type_id="3000", sealed=False).order_by("reg_code"):
        lifts.setdefault(device.operator_id, []).append(device)
    operators = sorted(lifts)
    op_objects = Business.objects.select_related("subdistrict").in_bulk(operators)

    specs: list[_Spec] = []
    last = DEMO_DATE - dt.timedelta(days=1)

    def devices_of(business: Business) -> list[Equipment]:
        own = lifts[business.pk]
        return rng.sample(own, min(len(own), rng.choice((1, 1, 2, 3))))

    # 百日攻坚: food businesses, summer.
    for business in _sample_businesses(rng, summer_food, 65 * factor):
        specs.append(_Spec(
            date=_day(rng, summer.start, summer.end), kind=InspectionKind.SPECIAL, business=business, campaign=summer,
            with_department=shipin if rng.random() < 0.15 else None, nonconform=0.3,
        ))
    # 中秋守护: elevator operators, and the festival's food.
    for _ in range(36 * factor):
        business = op_objects[rng.choice(operators)]
        specs.append(_Spec(
            date=_day(rng, autumn.start, autumn.end), kind=InspectionKind.SPECIAL, business=business, campaign=autumn,
            devices=devices_of(business), with_department=tezhong if rng.random() < 0.25 else None, nonconform=0.35,
        ))
    for business in _sample_businesses(rng, food, 12 * factor):
        specs.append(_Spec(
            date=_day(rng, autumn.start, autumn.end), kind=InspectionKind.SPECIAL, business=business, campaign=autumn,
            checklist=food_daily, nonconform=0.25,
        ))
    # The stations' routine work over the year, busier in the last weeks.
    kinds = [InspectionKind.ROUTINE] * 14 + [InspectionKind.RANDOM] * 3 + [InspectionKind.COMPLAINT] * 2 + [InspectionKind.FLYING]
    for i, business in enumerate(_sample_businesses(rng, food, 45 * factor)):
        # A quarter with the checklist; the others recorded as a visit, problems written down freely.
        start = dt.date(2026, 11, 1) if i % 3 == 0 else YEAR_START
        with_list = i % 4 == 0
        specs.append(_Spec(
            date=_day(rng, start, last), kind=rng.choice(kinds), business=business, checklist=food_daily if with_list else None,
            nonconform=0.3, free_finding=0.3,
        ))
    for business in _sample_businesses(rng, enterprises, 25 * factor):
        specs.append(_Spec(
            date=_day(rng, YEAR_START, last), kind=rng.choice((InspectionKind.RANDOM, InspectionKind.ROUTINE)),
            business=business, free_finding=0.2,
        ))
    for i, business in enumerate(_sample_businesses(rng, food, 5 * factor)):
        outcome = InspectionResult.CASE_LEAD if i % 5 < 2 else InspectionResult.NOT_FOUND
        specs.append(_Spec(date=_day(rng, YEAR_START, last), kind=InspectionKind.ROUTINE, business=business, outcome=outcome))
    # External checks: the business's own, the community grid's, third parties' on elevators.
    for i in range(30 * factor):
        day = _day(rng, YEAR_START, last)
        if i % 10 < 4:
            business = _sample_businesses(rng, food, 1)[0]
            kind, performer = InspectionKind.SELF, f"企业食品安全员{_person(rng)}"
        elif i % 10 < 7:
            business = _sample_businesses(rng, food, 1)[0]
            kind, performer = InspectionKind.COMMUNITY, f"网格员{_person(rng)}"
        else:
            business = op_objects[rng.choice(operators)]
            kind, performer = InspectionKind.THIRD_PARTY, rng.choice(THIRD_PARTIES)
        # Self-inspections during 百日攻坚 answer its checklist and count in it; the others stand alone.
        in_summer = kind == InspectionKind.SELF and summer.start <= day <= summer.end and business.pk in in_summer_scope
        spec = _Spec(
            date=day, kind=kind, business=business, campaign=summer if in_summer else None, performed_by=performer,
            nonconform=0.25, free_finding=0.2,
        )
        if kind == InspectionKind.THIRD_PARTY:
            spec.devices = devices_of(business)
        specs.append(spec)
    for spec in specs:
        b.at(spec.date, b.inspect, spec)
    b.run()
    _late_escalations(b)
    _complete_tasks(b)
    return _count(b, (summer, autumn))


def _late_escalations(b: _Builder) -> None:
    """Should the year have brought no sealed device or no case lead, one open finding gets it."""
    for need, with_device in (("seal", True), ("case_lead", False)):
        if need not in b.need:
            continue
        finding = Finding.objects.filter(status=FindingStatus.OPEN, equipment__isnull=not with_device).order_by("pk").first()
        if finding is not None:
            b.today = max(finding.found_on, DEMO_DATE - dt.timedelta(days=1))
            b.escalate(finding.pk, need)


def _complete_tasks(b: _Builder) -> None:
    """Two overdue-examination tasks done by inspecting the device on the demo date; the rest stay open."""
    tasks = list(FollowUpTask.objects.filter(status="open").select_related("equipment__operator__subdistrict").order_by("pk"))
    done = 0
    for task in tasks:
        if done >= min(2, len(tasks) - 2):
            break
        device, operator = task.equipment, task.equipment.operator
        station = b.station_of[operator.subdistrict_id]
        if b.station_of[device.subdistrict_id] != station:
            continue
        inspectors = b.team(operator, DEMO_DATE)
        task_complete_by_inspection(
            actor=inspectors[0], task_pk=task.pk, date=DEMO_DATE, inspectors=inspectors, result=InspectionResult.ORDERED,
            summary="设备超过检验有效期仍在使用，已责令立即停止使用并申报定期检验。",
            findings=[NewFinding(
                description="设备超过定期检验有效期仍在使用", deadline=DEMO_DATE + dt.timedelta(days=10),
                severity=Severity.MAJOR, legal_basis="《中华人民共和国特种设备安全法》第四十条", equipment=device,
            )],
        )
        done += 1
    b.counts.tasks_done = done


def _count(b: _Builder, campaigns) -> InspectionCounts:
    counts = b.counts
    counts.inspectors = User.objects.filter(cert_no__isnull=False).count()
    counts.inspections = Inspection.objects.count()
    counts.by_campaign = {c.name: c.inspections.count() for c in campaigns}
    counts.findings = dict(Counter(Finding.objects.values_list("status", flat=True)))
    counts.overdue = Finding.objects.filter(status=FindingStatus.OPEN, deadline__lt=DEMO_DATE).count()
    counts.tasks_open = FollowUpTask.objects.filter(status="open").count()
    return counts
