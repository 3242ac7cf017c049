"""The demo district's year of enforcement (线索与案件), deterministic for a seed, all through the cases
services — every act on the case's timeline, with its documents and audit rows.

- Leads: the complaint demo's reports filed as leads (投诉举报) and the inspection demo's (监督检查) are
  decided here — filed, not filed with a statutory reason (among them 首违不罚), transferred to another
  agency or the police, a few extended or paused for testing; those received lately still wait, two of
  them past their filing deadline on the demo date. The other sources (抽检, 移送, 上级交办, 其他) open
  leads of their own.
- Cases in every state on the demo date (DEMO_DATE): closed ones through the year (paid on time or late
  with the surcharge; confiscated goods after a seizure; a 先行登记保存), 不予行政处罚 (首违不罚 and 违法
  事实不成立), a warning alone, a hearing with its suspension, a suspension for testing, the +30
  extension and a collective extension, a transfer to the police, a 简易程序 fine; and open ones: just
  filed, investigating (one due within days, one past its deadline), suspended for an appraisal, in
  legal review, notified, decided, served, in enforcement after a 催告 and the court application.
- Food cases of the summer 百日攻坚 and special-equipment cases of 中秋守护 count in those campaigns.
- Publication (Order 45) by the 信用监督管理科: on time as a rule, one late, one withdrawn after the
  decision was revoked; the 3-month publications of the first half of the year have expired.

Events are played in date order (one heap for leads, cases and publications), so that every document
number follows the calendar, as in the inspections demo.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.cases import services as cs
from jianguan.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    EvidenceKind,
    LeadDecision,
    LeadSource,
    LeadStatus,
    Measure,
    NoPenaltyReason,
    RespondentKind,
    SuspensionReason,
    TransferTarget,
)
from jianguan.cases.deadlines import payment_surcharge
from jianguan.cases.models import Case, CaseCategory, Lead, Suspension
from jianguan.cases.publication_rules import publication_required
from jianguan.cases.services.publication import publication_expire, publication_publish, publication_withdraw
from jianguan.complaints.models import Complaint
from jianguan.core.calendar import WorkingCalendar
from jianguan.equipment.models import Equipment
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User

from .district import _person
from .equipment import DEMO_DATE
from .inspections import YEAR_START

SCALES = {"small": 1, "district": 3}
REVIEWER, HEARING_HOST = "法制审核员 赵明", "听证主持人 孙丽"
# The complaint domains as 案件类别 codes.
COMPLAINT_CATEGORY = {
    "food": "food", "drug": "drug", "device": "device", "cosmetics": "cosmetic", "equipment": "special_equipment",
    "product": "product_quality", "price": "price", "advertising": "advertising", "online": "online_trade", "ip": "trademark",
}
# 案由 (cause, violated article, penalising article) by 案件类别.
OFFENCES = {
    "food": [
        ("销售超过保质期的食品", "《中华人民共和国食品安全法》第三十四条第（十）项", "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"),
        ("未取得食品经营许可从事食品经营活动", "《中华人民共和国食品安全法》第三十五条第一款", "《中华人民共和国食品安全法》第一百二十二条第一款"),
        ("经营不符合食品安全标准的散装熟食", "《中华人民共和国食品安全法》第三十四条第（二）项", "《中华人民共和国食品安全法》第一百二十四条第一款第（一）项"),
    ],
    "drug": [("从无药品经营资质的企业购进药品", "《中华人民共和国药品管理法》第五十五条", "《中华人民共和国药品管理法》第一百二十九条")],
    "cosmetic": [("销售标签不符合规定的化妆品", "《化妆品监督管理条例》第三十五条", "《化妆品监督管理条例》第六十一条第一款第（五）项")],
    "special_equipment": [
        ("使用未经定期检验的电梯", "《中华人民共和国特种设备安全法》第四十条第三款", "《中华人民共和国特种设备安全法》第八十四条第（一）项"),
    ],
    "product_quality": [("销售不合格的电线电缆产品", "《中华人民共和国产品质量法》第三十九条", "《中华人民共和国产品质量法》第五十条")],
    "metrology": [("使用未经检定的电子计价秤", "《中华人民共和国计量法》第九条第一款", "《中华人民共和国计量法实施细则》第四十三条")],
    "price": [("未按规定明码标价", "《中华人民共和国价格法》第十三条第一款", "《明码标价和禁止价格欺诈规定》第二十一条")],
    "advertising": [("发布虚假广告，欺骗、误导消费者", "《中华人民共和国广告法》第二十八条", "《中华人民共和国广告法》第五十五条第一款")],
    "consumer_rights": [
        ("拒不履行七日无理由退货义务", "《中华人民共和国消费者权益保护法》第二十五条", "《中华人民共和国消费者权益保护法》第五十六条第一款第（八）项"),
    ],
    "registration": [
        ("未将营业执照置于经营场所醒目位置", "《中华人民共和国市场主体登记管理条例》第三十六条", "《中华人民共和国市场主体登记管理条例》第四十八条第一款"),
    ],
}
# Where a category's parties are found in the register (name words); special equipment: lift operators.
TRADES = {
    "food": ("饭店", "小吃", "超市", "熟食", "面馆"), "drug": ("药店", "医药"), "cosmetic": ("母婴", "超市"),
    "product_quality": ("五金", "商贸"), "metrology": ("眼镜", "水果", "蔬菜"), "price": ("超市", "烟酒"),
    "advertising": ("科技", "文化传媒", "医药"), "consumer_rights": ("手机维修", "服装", "母婴"), "registration": ("理发", "服装"),
}
NEW_SOURCES = [
    (LeadSource.SAMPLING, "食品安全监督抽检不合格（检验报告 SP2026%04d）"),
    (LeadSource.TRANSFER, "示范区公安分局移送线索（移送函〔2026〕%d号）"),
    (LeadSource.ASSIGNED, "市市场监管局交办（交办单 JB2026-%03d）"),
    (LeadSource.OTHER, "网络交易监测发现（监测编号 WJ2026%04d）"),
]
NOT_FILED = [NoPenaltyReason.NO_VIOLATION, NoPenaltyReason.MINOR_CORRECTED, NoPenaltyReason.NO_VIOLATION,
             NoPenaltyReason.FIRST_MINOR, NoPenaltyReason.NO_FAULT, NoPenaltyReason.NO_VIOLATION]
NOT_FILED_NOTE = {
    NoPenaltyReason.NO_VIOLATION: "经现场核查，举报反映的问题不存在",
    NoPenaltyReason.MINOR_CORRECTED: "违法行为轻微，已当场改正，未造成危害后果",
    NoPenaltyReason.FIRST_MINOR: "当事人初次违法，危害后果轻微并已及时改正，依法不予行政处罚",
    NoPenaltyReason.NO_FAULT: "当事人提供进货票据等证据，足以证明没有主观过错",
}


@dataclass
class Plan:
    """One case to make: how it ends (or stands on the demo date), its category and penalties."""

    fate: str
    offset: int  # calendar days before the demo date when it is filed (anchored fates compute their own)
    category: str
    kinds: tuple = ("fine",)
    fine: int = 0
    income: int = 0
    value: int = 0
    person: bool = False
    campaign: str = ""


# Completed through the year, then open ones as they stand on the demo date.
PLANS = [
    Plan("closed", 320, "food", ("warning", "fine"), 2000),
    Plan("closed", 300, "price", ("warning", "fine"), 1000),
    Plan("closed", 290, "food", ("fine", "confiscate_income"), 20000, 1860),
    Plan("late_publication", 275, "product_quality", ("fine", "confiscate_income"), 15000, 3200),
    Plan("first_minor", 262, "registration", ()),
    Plan("hearing", 250, "special_equipment", ("fine",), 150000),
    Plan("late_pay", 240, "metrology", ("fine",), 8000),
    Plan("testing", 232, "food", ("fine", "confiscate_income"), 30000, 4500),
    Plan("revoked", 222, "advertising", ("fine",), 50000),
    Plan("seizure", 212, "product_quality", ("fine", "confiscate_property"), 10000, 0, 26000),
    Plan("warning_only", 203, "price", ("warning",)),
    Plan("collective", 200, "cosmetic", ("fine", "confiscate_income"), 40000, 5200),
    Plan("no_violation", 190, "consumer_rights", ()),
    Plan("extension", 182, "drug", ("fine", "confiscate_income"), 20000, 900),
    Plan("closed", 170, "food", ("fine",), 12000, campaign="2026-BRGJ"),
    Plan("preservation", 160, "food", ("fine", "confiscate_income"), 6000, 780, campaign="2026-BRGJ"),
    Plan("transfer_police", 150, "food", ()),
    Plan("first_minor", 140, "food", (), campaign="2026-BRGJ"),
    Plan("closed", 128, "food", ("fine",), 5000, person=True, campaign="2026-BRGJ"),
    Plan("executing", 125, "consumer_rights", ("fine",), 6000),
    Plan("closed", 66, "special_equipment", ("fine",), 50000, campaign="2026-ZQSH"),
    Plan("served", 75, "special_equipment", ("fine",), 30000, campaign="2026-ZQSH"),
    Plan("decided", 60, "food", ("fine", "confiscate_income"), 10000, 1200),
    Plan("notified", 55, "special_equipment", ("fine",), 20000, campaign="2026-ZQSH"),
    Plan("review", 45, "advertising", ("fine",), 30000),
    Plan("suspended", 70, "cosmetic"),
    Plan("investigating_overdue", 100, "food"),
    Plan("investigating_near", 86, "product_quality"),
    Plan("investigating", 25, "price"),
    Plan("filed", 4, "food"),
    Plan("filed", 2, "consumer_rights"),
]
# Fates that a bigger district repeats (the open ones stay one of each).
REPEATABLE = {"closed", "late_pay", "first_minor", "no_violation", "warning_only", "seizure", "preservation"}
# 简易程序: (calendar days before the demo date, penalty kinds, fine, a person?)
SIMPLE = [(280, ("warning",), 0, False), (150, ("fine",), 200, True), (20, ("fine",), 1000, False)]


@dataclass
class CaseCounts:
    leads: Counter = field(default_factory=Counter)
    lead_states: Counter = field(default_factory=Counter)
    cases: Counter = field(default_factory=Counter)
    published: int = 0
    overdue: int = 0

    def summary(self) -> str:
        sources = "、".join(f"{LeadSource(s).label} {n}" for s, n in self.leads.items())
        lead_states = "、".join(f"{LeadStatus(s).label} {n}" for s, n in self.lead_states.items())
        states = "、".join(f"{CaseStatus(s).label} {self.cases.get(s, 0)}" for s in CaseStatus.values)
        return (f"执法办案：线索 {sum(self.leads.values())} 条（{sources}；{lead_states}），案件 {sum(self.cases.values())} 件（{states}），"
                f"截至 {DEMO_DATE:%Y-%m-%d} 超过办案期限 {self.overdue} 件；公示行政处罚信息 {self.published} 件")


class _Builder:
    def __init__(self, seed: int, factor: int):
        self.rng = random.Random(seed * 89 + 17)
        self.factor = factor
        self.cal = WorkingCalendar()
        self.queue: list = []
        self.order = 0
        self.approver = User.objects.get(username="leader").full_name or "局领导"
        self.credit = User.objects.get(username="xinyong")  # publication: 信用监督管理科
        self.departments = {u.username: u for u in User.objects.filter(username__in=("jicha", "shipin", "tezhong"))}
        self.staff: dict[int, list[User]] = {}
        for user in User.objects.filter(role=Role.STATION, cert_no__isnull=False).order_by("username"):
            self.staff.setdefault(user.org_unit_id, []).append(user)
        self.station_of = dict(Subdistrict.objects.values_list("pk", "station_id"))
        self.subdistricts = list(Subdistrict.objects.order_by("code"))
        self.categories = {c.code: c for c in CaseCategory.objects.all()}
        self.campaigns = {c.code: c for c in Campaign.objects.filter(code__in=("2026-BRGJ", "2026-ZQSH"))}
        self.used_leads: set[int] = set()
        self.used_businesses: set[int] = set()
        self.serial = Counter()
        self.not_filed = 0
        self.inspection_filed = False  # at least one of the inspections' leads becomes a case

    # ---- dates ----------------------------------------------------------------------------------

    def after(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(day, n).date

    def before(self, day: dt.date, n: int) -> dt.date:
        while n:
            day -= dt.timedelta(days=1)
            n -= self.cal.is_workday(day)[0]
        return day

    def workday(self, day: dt.date) -> dt.date:
        return day if self.cal.is_workday(day)[0] else self.after(day, 1)

    def r(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    # ---- the timeline: each story is a generator yielding the date of its next act ----------------

    def start(self, story) -> None:
        self._next(story)

    def _next(self, story) -> None:
        try:
            day = next(story)
        except StopIteration:
            return
        if day <= DEMO_DATE:
            self.order += 1
            heapq.heappush(self.queue, (day, self.order, story))

    def run(self) -> None:
        while self.queue:
            _, _, story = heapq.heappop(self.queue)
            self._next(story)

    # ---- people and parties ---------------------------------------------------------------------

    def team(self, subdistrict_id: int | None, day: dt.date, category: str = "food") -> list[User]:
        if subdistrict_id is None:  # no station: 稽查科 with the domain's department
            return [self.departments["jicha"], self.departments["tezhong" if category == "special_equipment" else "shipin"]]
        valid = [u for u in self.staff[self.station_of[subdistrict_id]] if u.cert_valid_on(day)]
        return self.rng.sample(valid, 2)

    def business_for(self, category: str) -> Business:
        active = Business.objects.filter(reg_status="active").exclude(pk__in=self.used_businesses).order_by("uscc")
        if category == "special_equipment":
            pool = active.filter(pk__in=Equipment.objects.values("operator"), entity_type="enterprise")
        else:
            words = TRADES.get(category, ("商贸",))
            pool = active.filter(name__regex="|".join(words))
        pks = list(pool.values_list("pk", flat=True)[:400]) or list(active.values_list("pk", flat=True)[:400])
        business = Business.objects.select_related("subdistrict").get(pk=self.rng.choice(pks))
        self.used_businesses.add(business.pk)
        return business

    def person(self) -> dict:
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=self.r(0, 12000))
        body = f"370102{birth:%Y%m%d}{self.r(100, 999)}"
        weights = [2 ** (17 - i) % 11 for i in range(17)]
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
        road = self.rng.choice(("经十路", "解放路", "花园路", "山大路"))
        return {"respondent_name": _person(self.rng), "respondent_kind": RespondentKind.PERSON, "respondent_id_no": body + check,
                "subdistrict": self.rng.choice(self.subdistricts), "respondent_uscc": "", "_place": road}

    def new_lead(self, category: str, on: dt.date, *, person: bool = False, source: str | None = None) -> Lead:
        """A lead of a source other than complaints and inspections, received on `on`."""
        if source is None:
            source, label = NEW_SOURCES[sum(self.serial.values()) % len(NEW_SOURCES)]
        else:
            label = dict(NEW_SOURCES)[source]
        self.serial[source] += 1
        label = label % self.serial[source]
        party = {"business": self.business_for(category)} if not person else self.person()
        place = party.pop("_place", "")
        name = party["business"].name if "business" in party else f"{party['respondent_name']}（{place}流动摊点）"
        summary = f"{label}：{name}涉嫌{OFFENCES.get(category, OFFENCES['food'])[0][0]}"
        actor = self.departments["jicha"]
        return cs.lead_open(actor=actor, source=source, received_on=on, summary=summary, source_label=label[:200],
                            category=self.categories[category], **party)

    # ---- leads ----------------------------------------------------------------------------------

    def lead_category(self, lead: Lead) -> str:
        if lead.category_id:
            return lead.category.code
        if lead.source_ref.startswith("complaints.complaint:"):
            category = Complaint.objects.filter(pk=int(lead.source_ref.split(":")[1])).values_list("category", flat=True).first()
            return COMPLAINT_CATEGORY.get(category or "", "consumer_rights")
        return "food"

    def take_lead(self, category: str, filed_on: dt.date) -> Lead | None:
        """A pending lead of the category received within the 12 working days before filing, if any."""
        earliest = self.before(filed_on, 12)
        for lead in (Lead.objects.filter(status=LeadStatus.PENDING, received_on__range=(earliest, filed_on), business__isnull=False)
                     .exclude(pk__in=self.used_leads).select_related("category").order_by("received_on", "pk")):
            if self.lead_category(lead) == category:
                self.used_leads.add(lead.pk)
                return lead
        return None

    def decide_lead(self, lead: Lead, index: int):
        """The remaining leads: filed now and then, otherwise not filed or transferred; the latest wait."""
        actor = self.team(lead.subdistrict_id, lead.received_on)[0]
        paused = 0
        if index % 9 == 4:  # sampled for testing: the working days of the test are not counted
            yield self.after(lead.received_on, 4)
            paused = self.r(5, 10)
            cs.lead_pause(actor=actor, pk=lead.pk, version=None, working_days=paused)
        if index % 9 == 7:  # a complicated one: the one approved extension, before the deadline
            yield self.after(lead.received_on, 13)
            cs.lead_extend(actor=actor, pk=lead.pk, version=None, approved_by=self.approver, on=self.after(lead.received_on, 13))
        decided = self.after(lead.received_on, self.r(5, 12) + paused + (15 if index % 9 == 7 else 0))
        yield decided
        if index % 6 == 1 or (lead.source == LeadSource.INSPECTION and not self.inspection_filed):
            self.inspection_filed |= lead.source == LeadSource.INSPECTION
            category = self.lead_category(lead)
            self.used_leads.add(lead.pk)
            self.case(Plan("closed", 0, category if category in OFFENCES else "consumer_rights", ("fine",), self.r(3, 30) * 1000),
                      lead=lead, filed_on=decided)
        elif index % 13 == 6:
            police = index % 2 == 0
            cs.lead_decide(actor=actor, pk=lead.pk, version=None, decision=LeadDecision.TRANSFER, on=decided,
                           transfer_target=TransferTarget.POLICE if police else TransferTarget.AGENCY,
                           transfer_body="示范区公安分局" if police else "示范区卫生健康局",
                           note="涉嫌犯罪，依法移送公安机关" if police else "不属于本机关管辖，移送有管辖权的机关")
        else:
            self.not_filed += 1
            reason = NOT_FILED[self.not_filed % len(NOT_FILED)]
            cs.lead_decide(actor=actor, pk=lead.pk, version=None, decision=LeadDecision.NOT_FILE, on=decided, reason=reason,
                           note=NOT_FILED_NOTE[reason])

    def plan_leads(self) -> None:
        """Every pending lead not taken by a planned case, decided in its time; the latest stay pending and two
        older ones are left past their deadline."""
        pending = list(Lead.objects.filter(status=LeadStatus.PENDING).exclude(pk__in=self.used_leads)
                       .select_related("category").order_by("received_on", "pk"))
        cut = self.before(DEMO_DATE, 12)
        older = [lead for lead in pending if lead.received_on < cut]
        stale = {lead.pk for lead in older if self.before(DEMO_DATE, 40) <= lead.received_on}
        stale = set(sorted(stale)[:2])
        for index, lead in enumerate(older):
            if lead.pk not in stale:
                self.start(self.decide_lead(lead, index))

    # ---- cases ----------------------------------------------------------------------------------

    def case(self, plan: Plan, *, lead: Lead | None = None, filed_on: dt.date | None = None) -> None:
        """Plan one case: its pace, its filing day (the open ones counted back from the demo date) and its lead,
        taken now, so that the leads left over are known before the year is played."""
        gaps = {"evidence": self.r(1, 4), "statement": self.r(2, 6), "review": self.r(8, 18), "reviewed": self.r(2, 7),
                "notified": self.r(1, 3), "decided": self.r(6, 9), "served": self.r(1, 3)}
        if plan.fate in ("extension", "collective", "seizure"):  # the long ones: no time lost after the investigation
            gaps.update(review=3, reviewed=2, notified=1, decided=6)
        anchors = {"filed": ("filed", 2), "review": ("review", 2), "notified": ("notified", 2), "decided": ("decided", 1),
                   "served": ("served", 3)}
        if filed_on is None:
            if plan.fate in anchors:
                milestone, days = anchors[plan.fate]
                order = ["filed", "evidence", "statement", "review", "reviewed", "notified", "decided", "served"]
                total = sum(gaps[m] for m in order[1:order.index(milestone) + 1])
                filed_on = self.before(self.before(DEMO_DATE, days), total)
            elif plan.fate == "executing":
                filed_on = self.before(DEMO_DATE - dt.timedelta(days=45), sum(gaps.values()))
            else:
                filed_on = self.workday(DEMO_DATE - dt.timedelta(days=plan.offset))
        if lead is None and not plan.person:
            lead = self.take_lead(plan.category, filed_on)
        self.start(self.case_story(plan, gaps, filed_on, lead))

    def case_story(self, plan: Plan, gaps: dict, filed_on: dt.date, lead: Lead | None):
        """One case from filing to the state its plan gives; each `yield` waits for the next act's date."""
        rng, fate = self.rng, plan.fate
        if lead is None:  # a lead of another source, received a few days before
            received = max(self.before(filed_on, self.r(2, 8)), YEAR_START)
            yield received
            lead = self.new_lead(plan.category, received, person=plan.person)
        yield filed_on
        category = self.categories[plan.category]
        cause, violated, penalising = rng.choice(OFFENCES[plan.category])
        team = self.team(lead.subdistrict_id, filed_on, plan.category)
        actor = team[0]
        campaign = self.campaigns.get(plan.campaign)
        if campaign is not None and not campaign.start <= filed_on <= campaign.end:
            campaign = None  # a case counts in a campaign only when filed in its time
        case = cs.case_file(actor=actor, filed_on=filed_on, category=category, cause=cause, officers=team,
                            approved_by=self.approver, lead_pk=lead.pk, lead_version=None, violated_articles=violated,
                            penalising_articles=penalising, campaigns=[campaign] if campaign else (),
                            goods_value=Decimal(plan.value or self.r(5, 80) * 100))
        pk = case.pk

        def act(fn, **kw):
            return fn(actor=actor, pk=pk, version=None, **kw)

        if fate == "filed":
            return
        day = self.after(filed_on, gaps["evidence"])
        yield day
        measure = {"seizure": Measure.SEIZURE, "preservation": Measure.PRESERVATION}.get(fate, "")
        first = act(cs.evidence_add, kind=EvidenceKind.RECORD, description="现场检查笔录及现场照片", collected_on=day,
                    measure=measure, approved_by=self.approver if measure else "")
        if fate == "seizure":
            yield day + dt.timedelta(days=25)
            cs.evidence_measure_extend(actor=actor, evidence_pk=first.pk, version=None, approved_on=day + dt.timedelta(days=25),
                                       approved_by=self.approver)
            day += dt.timedelta(days=40)
            yield day
            cs.evidence_measure_end(actor=actor, evidence_pk=first.pk, version=None, ended_on=day, outcome="经检验为不合格产品，依法予以没收")
        elif fate == "preservation":
            day = self.after(day, 5)
            yield day
            cs.evidence_measure_end(actor=actor, evidence_pk=first.pk, version=None, ended_on=day, outcome="作出处理决定，解除先行登记保存")
        day = self.after(day, gaps["statement"])
        yield day
        act(cs.evidence_add, kind=EvidenceKind.STATEMENT, description="对当事人的询问笔录", collected_on=day)
        if fate.startswith("investigating"):
            return
        if fate == "transfer_police":
            day = self.after(day, 5)
            yield day
            act(cs.case_transfer, on=day, target=TransferTarget.POLICE, body="示范区公安分局", approved_by=self.approver,
                opinion="涉案货值达到刑事立案追诉标准，涉嫌生产、销售伪劣产品罪")
            return
        if fate == "suspended":
            day = self.before(DEMO_DATE, 10)
            yield day
            act(cs.suspension_start, reason=SuspensionReason.APPRAISAL, start=day, note="涉案产品委托鉴定机构鉴定")
            return
        if fate == "testing":
            day = self.after(day, 2)
            yield day
            act(cs.suspension_start, reason=SuspensionReason.TESTING, start=day, note="涉案食品送检验机构检验")
            day += dt.timedelta(days=25)
            yield day
            act(cs.suspension_end, end=day, note="收到检验报告，检验结论为不合格")
        if fate in ("extension", "collective"):
            day = filed_on + dt.timedelta(days=80)
            yield day
            act(cs.case_extend, approved_on=day, approved_by=self.approver, opinion="案情复杂，需进一步调查取证，经批准延长办案期限30日")
            if fate == "collective":
                day = filed_on + dt.timedelta(days=112)
                yield day
                act(cs.case_collective_extend, decided_on=day, days=30, approved_by=self.approver,
                    decision="经局案件审理委员会集体讨论，需补充调取电子数据，决定继续延长办案期限")
            day = max(day, filed_on + dt.timedelta(days=88)) + dt.timedelta(days=5)
        day = self.after(day, gaps["review"])
        yield day
        act(cs.case_transition, to=CaseStatus.REVIEW, on=day, opinion="调查终结，提交法制审核")
        if fate == "review":
            return
        day = self.after(day, gaps["reviewed"])
        yield day
        act(cs.case_review, reviewed_on=day, reviewer=REVIEWER, opinion="事实清楚，证据确凿，适用依据正确，程序合法")
        if fate in ("first_minor", "no_violation"):
            day = self.after(day, 2)
            yield day
            reason = NoPenaltyReason.FIRST_MINOR if fate == "first_minor" else NoPenaltyReason.NO_VIOLATION
            act(cs.case_decide_no_penalty, decided_on=day, reason=reason, approved_by=self.approver)
            yield from self.serve_and_close(plan, act, day)
            return
        fine = plan.fine
        day = self.after(day, gaps["notified"])
        yield day
        case = act(cs.case_notify, notified_on=day, penalty_kinds=list(plan.kinds), approved_by=self.approver, fine_amount=fine,
                   confiscated_income=plan.income, confiscated_value=plan.value)
        if fate == "notified":
            return
        if fate == "hearing":
            day = self.after(day, 2)
            yield day
            act(cs.case_hearing_request, requested_on=day, suspend_clock=True, note="当事人书面要求举行听证")
            day = self.after(day, 3)
            yield day
            hearing_on = self.after(day, 9)
            act(cs.case_hearing_schedule, notified_on=day, hearing_on=hearing_on, place="局三楼听证室", host=HEARING_HOST)
            yield hearing_on
            act(cs.case_hearing_hold, held_on=hearing_on, host=HEARING_HOST,
                report="当事人对违法事实无异议，提出已完成整改、积极配合调查，请求从轻处罚；听证主持人建议予以采纳")
            fine = fine * 4 // 5
            day = self.after(hearing_on, 4)
        else:
            if rng.random() < 0.5:
                stated = self.after(day, 2)
                yield stated
                act(cs.case_statement, stated_on=stated, statement="当事人对违法事实无异议，表示已整改，请求从轻处罚")
            day = self.after(case.statement_due, gaps["decided"] - 5)
        yield day
        case = act(cs.case_decide, decided_on=day, penalty_kinds=list(plan.kinds), approved_by=self.approver, fine_amount=fine,
                   confiscated_income=plan.income, confiscated_value=plan.value)
        if publication_required(procedure=case.procedure, penalty_kinds=case.penalty_kinds, exempt=case.exempt):
            late = fate == "late_publication"
            on = self.after(case.publish_due, 4) if late else min(self.after(day, self.r(3, 12)), case.publish_due)
            self.start(self.publication_story(pk, on, revoked=fate == "revoked"))
        if fate == "decided":
            return
        yield from self.serve_and_close(plan, act, day, fine=fine, decided=case)

    def serve_and_close(self, plan: Plan, act, decided_on: dt.date, *, fine: int = 0, decided: Case | None = None):
        fate = plan.fate
        day = self.after(decided_on, self.r(1, 3))
        yield day
        case = act(cs.case_serve, served_on=day, method="直接送达，当事人签收")
        if fate == "served":
            return
        if case.payment_due:
            if fate == "executing":
                day = case.payment_due + dt.timedelta(days=3)
                yield day
                act(cs.case_remind, reminded_on=day, note="当事人逾期未缴纳罚款，送达催告书")
                day = self.after(day, 11)
                yield day
                act(cs.case_court_apply, applied_on=day, court="示范区人民法院")
                return
            paid = case.payment_due + dt.timedelta(days=6) if fate == "late_pay" else day + dt.timedelta(days=self.r(2, 12))
            yield paid
            owed = Decimal(fine) + Decimal(plan.income)
            owed += payment_surcharge(fine=Decimal(fine), served_on=case.served_on, paid_on=paid)
            case = act(cs.case_payment, paid_on=paid, amount=owed)
            day = paid
        if not case.executed_on:
            day = self.after(day, 2)
            yield day
            act(cs.case_execution_done, executed_on=day, opinion="没收的不合格产品已依法销毁")
        day = self.after(day, self.r(2, 8))
        yield day
        act(cs.case_close, closed_on=day, approved_by=self.approver)

    def publication_story(self, pk: int, on: dt.date, *, revoked: bool):
        yield on
        case = publication_publish(actor=self.credit, pk=pk, version=None, on=on)
        if revoked:
            revoked_on = self.workday(on + dt.timedelta(days=45))
            withdrawn = self.after(revoked_on, 2)
            yield withdrawn
            publication_withdraw(actor=self.credit, pk=case.pk, version=None, revoked_on=revoked_on, on=withdrawn,
                                 reason="示范区人民政府行政复议决定撤销该行政处罚决定", approved_by=self.approver)

    def simple_story(self, offset: int, kinds: tuple, fine: int, person: bool, index: int):
        day = self.workday(DEMO_DATE - dt.timedelta(days=offset))
        yield day
        party = self.person() if person else {"business": self.business_for("registration")}
        party.pop("_place", None)
        subdistrict = party.get("subdistrict") or party["business"].subdistrict
        team = self.team(subdistrict.pk, day)
        actor = team[0]
        cause, violated, penalising = OFFENCES["registration"][0] if not person else (
            "占道流动经营未亮照", "《无证无照经营查处办法》第二条", "《无证无照经营查处办法》第十三条")
        case = cs.case_simple(actor=actor, decided_on=day, category=self.categories["registration"], cause=cause, officers=team,
                              penalty_kinds=list(kinds), fine_amount=fine, violated_articles=violated,
                              penalising_articles=penalising, source=LeadSource.INSPECTION, **party)

        def act(fn, **kw):
            return fn(actor=actor, pk=case.pk, version=None, **kw)

        act(cs.case_simple_record, recorded_on=self.after(day, 2 + index % 3))
        if offset < 60:
            return  # the latest stays decided: served on the spot is not recorded here
        yield from self.serve_and_close(Plan("closed", offset, "registration", kinds, fine), act, day, fine=fine)


def build_cases(seed: int, scale: str = "small") -> CaseCounts:
    """A year of leads and cases up to the demo date, after the complaints' and inspections' leads exist."""
    b = _Builder(seed, SCALES[scale])
    for k in range(b.factor):
        for plan in PLANS:
            if k == 0 or plan.fate in REPEATABLE:
                shifted = Plan(**{**plan.__dict__, "offset": max(plan.offset - 11 * k, 30) if k else plan.offset})
                b.case(shifted)
        for index, (offset, kinds, fine, person) in enumerate(SIMPLE):
            b.start(b.simple_story(offset - 5 * k, kinds, fine, person, index))
    for i in range(4 * b.factor):  # leads of the other sources, decided like the rest
        category = ("food", "product_quality", "cosmetic", "consumer_rights")[i % 4]
        b.new_lead(category, b.workday(DEMO_DATE - dt.timedelta(days=300 - 70 * (i % 4) - 9 * (i // 4))))
    b.plan_leads()  # the leads the planned cases did not take, decided in their time
    b.run()
    publication_expire(today=DEMO_DATE)
    return _count()


def _count() -> CaseCounts:
    counts = CaseCounts()
    counts.leads = Counter(Lead.objects.values_list("source", flat=True))
    counts.lead_states = Counter(Lead.objects.values_list("status", flat=True))
    counts.cases = Counter(Case.objects.values_list("status", flat=True))
    counts.published = Case.objects.filter(published_on__isnull=False).count()
    suspended = Suspension.objects.filter(end__isnull=True).values("case")
    counts.overdue = (Case.objects.filter(status__in=OPEN_STATUSES, decision_due__lt=DEMO_DATE).exclude(pk__in=suspended)
                      .count())  # a suspended clock stands still: not overdue
    return counts
