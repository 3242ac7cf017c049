"""The demo district's year of food sampling (抽检) and quick tests (快检), deterministic for a seed, all
through the sampling services — every sample with its clocks, items and audit rows.

- Population (批次/千人): the versioned rule `region.population` for the bureau (two versions: the 2024
  year-end figure in force in 2025, the 2025 one from 2026-01-01) and `region.population.<station code>`
  for each station, about 13 residents per registered business of its subdistricts; the bureau's 2026
  figure is the sum of the stations'.
- The food department's (食品安全监督管理科) 2026 plan: batches by 食品大类 and by 业态, 4 批次/千人.
- A year of samples up to the demo date (DEMO_DATE): 监督抽检 mostly, some 评价性抽检 and 风险监测 (a few
  问题样品), at markets (stalls of unregistered sellers among them), supermarkets, restaurants, small
  shops, producers, wholesalers and school canteens; the latest still wait for their report. A few
  percent unqualified, each in its own story: disposed in time with a case lead (most), disposed without
  one (a reason given), re-tested and upheld, re-tested and overturned (合格), one disposal past its 90 days
  on the demo date, two still within them, one just served; one follows a positive quick test.
- Quick tests at each station's market test room every fortnight and by mobile teams at restaurants and
  shops: mostly negative, a few positive (the product removed, one followed by a sample).
- The summer food campaign (2026-BRGJ, 百日攻坚) counts the samples and quick tests of its weeks.

Case leads: most unqualified results open one (once) through the disposal service. This demo runs after the
cases demo, which has decided its own leads, and leaves that year as it is: a lead of a product made out of
town is transferred (移送) to the producer's regulator within its filing period, the latest ones wait within
their clock, and a seller who kept its purchase records, or a stall, gets the reason why no lead is opened.
No decision here issues a numbered document, so the cases demo's numbers keep following the calendar.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from jianguan.businesses.models import Business
from jianguan.businesses.rules import with_check_digit
from jianguan.campaigns.models import Campaign
from jianguan.cases.choices import LeadDecision, TransferTarget
from jianguan.cases.services import lead_decide
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.models import Rule, RuleUnit
from jianguan.core.services import acting, save_valid
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, Subdistrict, User
from jianguan.sampling.choices import (
    Conclusion,
    DisposalStatus,
    QuickTestMode,
    QuickTestResult,
    RetestOutcome,
    SamplingType,
)
from jianguan.sampling.models import BusinessFormat, FoodCategory, QuickTest, Sample
from jianguan.sampling.services import (
    Item,
    Target,
    plan_save,
    quicktest_record,
    sample_dispose,
    sample_open_lead,
    sample_proposal,
    sample_record,
    sample_result,
    sample_retest_request,
    sample_retest_result,
    sample_serve,
)

from . import names
from .district import DIVISION, _person
from .equipment import DEMO_DATE
from .inspections import YEAR_START

SCALES = {"small": 1, "district": 3}
YEAR = DEMO_DATE.year
CAMPAIGN = "2026-BRGJ"
# Regular samples per scale unit over the year (the unqualified stories come on top).
SAMPLES = 255
RISK_SHARE, EVALUATION_SHARE = 0.08, 0.10
RESIDENTS_PER_BUSINESS = (12.0, 14.0)
STATS_BUREAU = "示范区统计局"
INSTITUTIONS = ("示范市食品药品检验检测中心", "山东齐鲁检测技术有限公司", "示范市农产品质量安全检测中心")
PRODUCE_INSTITUTION = INSTITUTIONS[2]
# Where the stated producers are: (city, division code).
PRODUCER_PLACES = [("临沂", "371300"), ("潍坊", "370700"), ("德州", "371400"), ("聊城", "371500"), ("淄博", "370300"),
                   ("保定", "130600"), ("漯河", "411100"), ("济南", "370100")]
PRODUCER_LINES = {"粮食加工品": "面业", "食用油、油脂及其制品": "油脂", "调味品": "酿造", "乳制品": "乳业", "饮料": "饮品",
                  "肉制品": "肉制品", "酒类": "酒业", "速冻食品": "速冻食品", "炒货食品及坚果制品": "炒货食品", "糖果制品": "糖果"}
SCHOOLS = ["示范区实验小学", "示范区第一中学", "示范区文化路小学", "示范区南山中学", "示范区高新实验学校", "示范区舜耕幼儿园"]

# 业态 → (weight, [(sample name, 食品大类, specification, packaged)]).
P, S, N = True, "散装", False
PRODUCTS = {
    "农贸市场": (28, [("韭菜", "食用农产品", S, N), ("芹菜", "食用农产品", S, N), ("豇豆", "食用农产品", S, N),
                    ("菠菜", "食用农产品", S, N), ("普通白菜", "食用农产品", S, N), ("鸡蛋", "食用农产品", S, N),
                    ("猪肉", "食用农产品", S, N), ("鸡肉", "食用农产品", S, N), ("牛肉", "食用农产品", S, N),
                    ("草鱼", "食用农产品", S, N), ("鲫鱼", "食用农产品", S, N), ("香蕉", "食用农产品", S, N),
                    ("生姜", "食用农产品", S, N), ("豆腐", "豆制品", S, N), ("散装小麦粉", "粮食加工品", S, N)]),
    "超市": (26, [("大米", "粮食加工品", "10kg/袋", P), ("小麦粉", "粮食加工品", "5kg/袋", P), ("挂面", "粮食加工品", "1kg/袋", P),
                ("花生油", "食用油、油脂及其制品", "5L/桶", P), ("大豆油", "食用油、油脂及其制品", "5L/桶", P),
                ("酿造酱油", "调味品", "500mL/瓶", P), ("食醋", "调味品", "500mL/瓶", P), ("纯牛奶", "乳制品", "250mL/盒", P),
                ("饮用纯净水", "饮料", "550mL/瓶", P), ("苏打饼干", "饼干", "400g/袋", P), ("蛋糕", "糕点", "散装称重", P),
                ("火腿肠", "肉制品", "270g/袋", P), ("白酒", "酒类", "500mL/瓶", P), ("啤酒", "酒类", "500mL/听", P),
                ("速冻水饺", "速冻食品", "1kg/袋", P), ("方便面", "方便食品", "110g/袋", P),
                ("瓜子", "炒货食品及坚果制品", "200g/袋", P), ("水果糖", "糖果制品", "500g/袋", P),
                ("鸡蛋", "食用农产品", "散装称重", N), ("苹果", "食用农产品", "散装称重", N), ("猪肉", "食用农产品", "散装称重", N)]),
    "餐饮": (18, [("复用餐饮具", "餐饮食品", "/", N), ("油条", "餐饮食品", "/", N), ("馒头", "餐饮食品", "/", N),
                ("酱卤肉", "餐饮食品", "/", N), ("凉拌菜", "餐饮食品", "/", N), ("自制辣椒油", "餐饮食品", "/", N)]),
    "食杂店": (12, [("饮用纯净水", "饮料", "550mL/瓶", P), ("乳酸菌饮料", "饮料", "340mL/瓶", P), ("面包", "糕点", "90g/袋", P),
                  ("薯片", "薯类和膨化食品", "70g/袋", P), ("方便面", "方便食品", "110g/袋", P), ("白酒", "酒类", "500mL/瓶", P),
                  ("瓜子", "炒货食品及坚果制品", "200g/袋", P), ("苏打饼干", "饼干", "400g/袋", P)]),
    "生产": (5, [("蛋糕", "糕点", "散装称重", P), ("豆腐", "豆制品", "散装称重", P), ("酱卤肉制品", "肉制品", "散装称重", P),
               ("挂面", "粮食加工品", "1kg/袋", P)]),
    "批发": (6, [("花生油", "食用油、油脂及其制品", "5L/桶", P), ("酿造酱油", "调味品", "500mL/瓶", P), ("白酒", "酒类", "500mL/瓶", P),
               ("饮用纯净水", "饮料", "550mL/瓶", P), ("大米", "粮食加工品", "25kg/袋", P), ("味精", "调味品", "454g/袋", P)]),
    "学校食堂": (5, [("复用餐饮具", "餐饮食品", "/", N), ("米饭", "餐饮食品", "/", N), ("馒头", "餐饮食品", "/", N),
                   ("普通白菜", "食用农产品", S, N), ("猪肉", "食用农产品", S, N)]),
}
# Registered businesses of each 业态, found by the words of their names (markets: shops selling produce).
POOLS = {"农贸市场": "蔬菜店|水果店|粮油店|熟食店", "超市": "超市", "餐饮": "饭店|小吃|面馆|烧烤|早餐|餐饮管理",
         "食杂店": "烟酒|茶叶|便民超市", "生产": "食品有限公司", "批发": "商贸有限公司"}
# How old a prepackaged food may be when sampled (days since production): fresh ones are days old.
SHELF_DAYS = {"糕点": 4, "豆制品": 2, "乳制品": 20, "肉制品": 40, "饮料": 120, "速冻食品": 90}
STALL_SHARE = 0.6  # of market samples: an unregistered seller's stall
# 风险监测 问题样品: (item, measured, reference value, unit).
RISK_ITEMS = [("镉（以Cd计）", "0.31", "≤0.2", "mg/kg"), ("铅（以Pb计）", "0.42", "≤0.2", "mg/kg"),
              ("黄曲霉毒素B₁", "28.6", "≤20", "μg/kg"), ("氯霉素", "0.36", "不得检出", "μg/kg")]


@dataclass(frozen=True)
class Story:
    """An unqualified sample and what becomes of it by the demo date."""

    offset: int  # calendar days before the demo date when it is sampled
    fate: str
    fmt: str
    product: str
    category: str
    items: tuple
    spec: str = S
    packaged: bool = False
    stall: bool = False
    evaluation: bool = False
    retest: str = ""  # "upheld" | "overturned"
    quick_test: bool = False  # follows a positive quick test
    reason: str = ""  # why no case lead


STALL_REASON = "被抽样单位为农贸市场内未办理登记的个人摊贩，能如实说明进货来源，问题产品已当场下架销毁，不移交立案"
SELLER_REASON = ("销售者履行了进货查验义务，能提供进货票据、如实说明进货来源，依据《中华人民共和国食品安全法》第一百三十六条不移交立案；"
                 "已追溯至供货批发商，通报其所在地市场监管部门")
STORIES = [
    Story(300, "transfer", "超市", "酿造酱油", "调味品", (("氨基酸态氮（以氮计）", "0.38", "≥0.40", "g/100mL"),), "500mL/瓶", P),
    Story(262, "no_case", "农贸市场", "韭菜", "食用农产品", (("腐霉利", "0.82", "≤0.2", "mg/kg"),), stall=True, reason=STALL_REASON),
    Story(236, "transfer", "超市", "蛋糕", "糕点", (("菌落总数", "2.6×10⁵", "≤1×10⁵", "CFU/g"), ("霉菌", "260", "≤150", "CFU/g")),
          "400g/盒", P, retest="upheld"),
    Story(205, "overturned", "农贸市场", "鸡蛋", "食用农产品", (("恩诺沙星", "18.5", "不得检出", "μg/kg"),), retest="overturned"),
    Story(172, "transfer", "超市", "火腿肠", "肉制品", (("菌落总数", "5.2×10⁴", "≤2×10⁴", "CFU/g"),), "270g/袋", P),
    Story(128, "no_case", "农贸市场", "芹菜", "食用农产品", (("毒死蜱", "0.21", "≤0.05", "mg/kg"),), quick_test=True,
          reason=SELLER_REASON),
    Story(110, "overdue", "食杂店", "面包", "糕点", (("脱氢乙酸及其钠盐（以脱氢乙酸计）", "0.62", "≤0.5", "g/kg"),), "90g/袋", P),
    Story(88, "transfer", "批发", "白酒", "酒类", (("甜蜜素（以环己基氨基磺酸计）", "0.12", "不得使用", "g/kg"),
                                              ("酒精度", "49.1", "52±1.0", "%vol")), "500mL/瓶", P, evaluation=True),
    Story(60, "disposing", "餐饮", "酱卤肉", "餐饮食品", (("亚硝酸盐（以亚硝酸钠计）", "62", "≤30", "mg/kg"),), "/"),
    Story(46, "disposing", "生产", "豆腐", "豆制品", (("苯甲酸及其钠盐（以苯甲酸计）", "0.35", "不得使用", "g/kg"),), "散装称重", P),
    Story(24, "served", "超市", "大米", "粮食加工品", (("镉（以Cd计）", "0.29", "≤0.2", "mg/kg"),), "10kg/袋", P),
]
# Stories a bigger district repeats (the overdue, the overturned and the quick test's stay one of each).
REPEATABLE = {"transfer", "no_case"}
CAUSES = {
    "调味品": "标称生产者原料配比控制不严，产品质量不达标；超市进货查验记录齐全",
    "食用农产品": "供货基地采收前未执行农药安全间隔期，经营者进货查验不到位",
    "糕点": "生产过程卫生控制不到位、储存温度过高导致微生物超标",
    "肉制品": "标称生产者杀菌工艺控制不当；超市冷藏储存记录正常",
    "餐饮食品": "腌制工序中亚硝酸盐使用超量，未执行“五专”管理",
    "酒类": "标称生产者违法添加甜味剂、酒精度不足；批发商进货查验记录齐全",
    "豆制品": "为延长保质期违规使用防腐剂",
}
QUICK_PRODUCTS = [("小白菜", "农药残留"), ("韭菜", "农药残留"), ("芹菜", "农药残留"), ("豇豆", "农药残留"), ("菠菜", "农药残留"),
                  ("黄瓜", "农药残留"), ("苹果", "农药残留"), ("猪肉", "瘦肉精"), ("猪肉", "兽药残留"), ("鸡肉", "兽药残留"),
                  ("鸡蛋", "兽药残留"), ("草鱼", "孔雀石绿"), ("黄花菜", "二氧化硫"), ("鱿鱼（水发）", "甲醛"),
                  ("卤肉", "亚硝酸盐"), ("米粉", "吊白块")]
QUICK_PER_SESSION = 2
QUICK_EVERY_DAYS = 14
POSITIVE_SHARE = 0.02


@dataclass
class SamplingCounts:
    samples: Counter = field(default_factory=Counter)
    conclusions: Counter = field(default_factory=Counter)
    retested: int = 0
    overturned: int = 0
    overdue: int = 0
    leads: int = 0
    quick_tests: int = 0
    positive: int = 0
    population: int = 0

    def summary(self) -> str:
        types = "、".join(f"{SamplingType(t).label} {self.samples.get(t, 0)}" for t in SamplingType.values)
        results = "、".join(f"{Conclusion(c).label} {n}" for c, n in sorted(self.conclusions.items()))
        return (f"食品抽检：常住人口 {self.population} 人，样品 {sum(self.samples.values())} 批次（{types}；{results}），"
                f"复检 {self.retested} 批次（其中复检合格 {self.overturned} 批次），移交案件线索 {self.leads} 条，"
                f"截至 {DEMO_DATE:%Y-%m-%d} 超过处置期限 {self.overdue} 批次；快检 {self.quick_tests} 批次（阳性 {self.positive}）")


class _Builder:
    def __init__(self, seed: int, factor: int):
        self.rng = random.Random(seed * 71 + 29)
        self.factor = factor
        self.cal = WorkingCalendar()
        self.serial = 0
        self.admin = User.objects.get(username="admin")
        self.food = User.objects.get(username="shipin")  # 食品安全监督管理科
        self.staff: dict[int, list[User]] = {}
        for user in User.objects.filter(role=Role.STATION).order_by("username"):
            self.staff.setdefault(user.org_unit_id, []).append(user)
        self.subdistricts = list(Subdistrict.objects.select_related("station").order_by("code"))
        self.formats = {f.name: f for f in BusinessFormat.objects.all()}
        self.categories = {c.name: c for c in FoodCategory.objects.all()}
        self.campaign = Campaign.objects.filter(code=CAMPAIGN).first()
        active = Business.objects.filter(reg_status="active").select_related("subdistrict").order_by("uscc")
        self.pools = {fmt: list(active.filter(name__regex=words)[:300]) for fmt, words in POOLS.items()}
        self.schools = [(name, with_check_digit(f"12{DIVISION}MB{n:07d}"), self.subdistricts[(3 * n) % len(self.subdistricts)])
                        for n, name in enumerate(SCHOOLS, 1)]

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

    def in_campaign(self, day: dt.date) -> Campaign | None:
        c = self.campaign
        return c if c is not None and c.start <= day <= c.end else None

    # ---- population and plan --------------------------------------------------------------------

    def population(self) -> int:
        """region.population per station (its businesses × ~13) and for the bureau (their sum; and a 2025
        version a little smaller, so that the figure of each year reads its own)."""
        per_station = dict(Business.objects.filter(reg_status="active").order_by().values("subdistrict__station_id")
                           .annotate(n=Count("pk")).values_list("subdistrict__station_id", "n"))
        total = 0
        with acting(self.admin):
            for station in OrgUnit.objects.filter(kind=OrgKind.STATION).order_by("code"):
                people = int(round(per_station.get(station.pk, 0) * self.rng.uniform(*RESIDENTS_PER_BUSINESS), -2))
                total += people
                save_valid(Rule(key=f"region.population.{station.code}", label=f"{station.name}辖区常住人口", value=str(people),
                                unit=RuleUnit.COUNT, valid_from=dt.date(YEAR, 1, 1),
                                source_document=f"{STATS_BUREAU}：{YEAR - 1}年末各街道常住人口（按监管所辖区汇总）"))
            bureau = OrgUnit.objects.get(kind=OrgKind.BUREAU)
            for year, people in ((YEAR - 1, int(round(total * 0.985, -2))), (YEAR, total)):
                save_valid(Rule(key="region.population", label=f"{bureau.name}辖区常住人口", value=str(people), unit=RuleUnit.COUNT,
                                valid_from=dt.date(year, 1, 1),
                                source_document=f"{STATS_BUREAU}《{year - 1}年国民经济和社会发展统计公报》（{year - 1}年末常住人口）"))
        return total

    def plan(self, regular: int) -> None:
        """The food department's plan: the year's batches shared out like the samples that follow."""
        weights = {fmt: weight for fmt, (weight, _) in PRODUCTS.items()}
        total_weight = sum(weights.values())
        batches = round(regular * 1.06, -1)
        by_format = {fmt: round(batches * w / total_weight) for fmt, w in weights.items()}
        by_category = Counter()
        for fmt, (_, products) in PRODUCTS.items():
            for _, category, _, _ in products:
                by_category[category] += by_format[fmt] / len(products)
        targets = [Target(batches=n, business_format=self.formats[fmt]) for fmt, n in by_format.items()]
        targets += [Target(batches=round(n), food_category=self.categories[c]) for c, n in sorted(by_category.items()) if round(n)]
        plan_save(actor=self.food, year=YEAR, department=self.food.org_unit, title=f"{YEAR}年度食品安全监督抽检计划",
                  batches=sum(by_format.values()), per_thousand_target=Decimal("4.00"), targets=targets,
                  note="按国家食品安全抽检工作要求，全年抽检量不低于每千人4批次；食用农产品和校园周边、农贸市场为重点。")

    # ---- parties and products -------------------------------------------------------------------

    def actor_for(self, subdistrict: Subdistrict | None) -> User:
        if subdistrict is None:
            return self.food
        return self.rng.choice(self.staff[subdistrict.station_id])

    def party(self, fmt: str, stall: bool | None = None) -> dict:
        """The sampled business of a 业态: registered, a school canteen (coded, not in the registry) or a stall."""
        if fmt == "学校食堂":
            name, uscc, subdistrict = self.rng.choice(self.schools)
            return {"business": None, "business_name": f"{name}食堂", "business_uscc": uscc, "subdistrict": subdistrict}
        if fmt == "农贸市场" and (stall if stall is not None else self.rng.random() < STALL_SHARE):
            return {"business": None, "business_name": _person(self.rng), "business_uscc": "",
                    "subdistrict": self.rng.choice(self.subdistricts)}
        business = self.rng.choice(self.pools[fmt] or self.pools["超市"])
        return {"business": business, "subdistrict": business.subdistrict}

    def producer(self, category: str, packaged: bool, party: dict, fmt: str) -> tuple[str, str]:
        if not packaged:
            return "", ""
        if fmt == "生产" and party["business"] is not None:
            return party["business"].name, party["business"].uscc
        city, division = self.rng.choice(PRODUCER_PLACES)
        name = f"{city}{self.rng.choice(names.TRADE_NAMES)}{PRODUCER_LINES.get(category, '食品')}有限公司"
        if self.rng.random() < 0.4:
            return name, with_check_digit(f"91{division}{self.r(10**8, 10**9 - 1)}")
        return name, ""

    def batch(self, sampled_on: dt.date, category: str, packaged: bool) -> str:
        if category == "餐饮食品":
            return f"{sampled_on.isoformat()}（加工日期）"
        if not packaged:
            return f"{(sampled_on - dt.timedelta(days=self.r(0, 2))).isoformat()}（购进日期）"
        return (sampled_on - dt.timedelta(days=self.r(1, SHELF_DAYS.get(category, 150)))).isoformat()

    # ---- samples --------------------------------------------------------------------------------

    def number(self) -> str:
        self.serial += 1
        return f"DC{YEAR % 100:02d}{DIVISION}{self.serial:06d}"

    def record(self, sampled_on: dt.date, fmt: str, product: str, category: str, spec: str, packaged: bool, *,
               sampling_type: str = SamplingType.SUPERVISION, party: dict | None = None, quick_test: QuickTest | None = None,
               campaign: Campaign | None = None) -> Sample:
        party = party or self.party(fmt)
        producer, producer_uscc = self.producer(category, packaged, party, fmt)
        if category == "食用农产品":
            institution = PRODUCE_INSTITUTION if self.rng.random() < 0.6 else INSTITUTIONS[0]
        else:
            institution = self.rng.choice(INSTITUTIONS[:2])
        sent_on = self.after(sampled_on, self.r(0, 2))
        return sample_record(
            actor=self.actor_for(party["subdistrict"]), number=self.number(), sampled_on=sampled_on, sample_name=product,
            business_format=self.formats[fmt], food_category=self.categories[category], sampling_type=sampling_type,
            specification=spec, batch=self.batch(sampled_on, category, packaged), producer_name=producer,
            producer_uscc=producer_uscc, institution=institution, sent_on=sent_on if sent_on <= DEMO_DATE else None,
            campaign=campaign if campaign is not None else self.in_campaign(sampled_on), quick_test=quick_test,
            calendar=self.cal, **party)

    def regular_days(self, count: int) -> list[dt.date]:
        """Sampling days over the year, a little denser in the campaign's weeks."""
        span = (DEMO_DATE - YEAR_START).days
        days = []
        while len(days) < count:
            day = self.workday(YEAR_START + dt.timedelta(days=self.r(0, span)))
            if day > DEMO_DATE:
                continue
            if self.in_campaign(day) is None and self.rng.random() < 0.2:
                continue  # outside the campaign, one day in five drawn again: the campaign's weeks are busier
            days.append(day)
        return sorted(days)

    def regular(self, sampled_on: dt.date) -> Sample:
        """A sample that passes (or, in risk monitoring, now and then finds a 问题样品); recent ones still wait."""
        fmt = self.rng.choices(list(PRODUCTS), weights=[w for w, _ in PRODUCTS.values()])[0]
        product, category, spec, packaged = self.rng.choice(PRODUCTS[fmt][1])
        roll = self.rng.random()
        kind = SamplingType.RISK if roll < RISK_SHARE else SamplingType.EVALUATION if roll < RISK_SHARE + EVALUATION_SHARE \
            else SamplingType.SUPERVISION
        sample = self.record(sampled_on, fmt, product, category, spec, packaged, sampling_type=kind)
        report_on = self.after(sample.sent_on, self.r(7, 18)) if sample.sent_on else None
        if report_on is None or report_on > DEMO_DATE:
            return sample
        if kind == SamplingType.RISK and self.rng.random() < 0.2:
            item = self.rng.choice(RISK_ITEMS)
            return sample_result(actor=sample.created_by, sample=sample, report_on=report_on, conclusion=Conclusion.PROBLEM,
                                 items=[Item(*item)], calendar=self.cal)
        return sample_result(actor=sample.created_by, sample=sample, report_on=report_on, conclusion=Conclusion.QUALIFIED,
                             calendar=self.cal)

    def story(self, sampled_on: dt.date, story: Story) -> None:
        """An unqualified sample, from sampling to where its fate leaves it on the demo date."""
        kind = SamplingType.EVALUATION if story.evaluation else SamplingType.SUPERVISION
        quick_test = None
        if story.quick_test:
            quick_test = self.positive_quick_test(sampled_on, story.product)
            proposal = sample_proposal(quick_test)
            party = {"business": proposal["business"], "subdistrict": proposal["subdistrict"]}
        else:
            party = self.party(story.fmt, stall=story.stall)
        sample = self.record(sampled_on, story.fmt, story.product, story.category, story.spec, story.packaged, sampling_type=kind,
                             party=party, quick_test=quick_test)
        actor = sample.created_by
        # The latest story is served a few days before the demo date, whatever the draws say.
        report_on = min(self.after(sample.sent_on, self.r(9, 15)), self.before(DEMO_DATE, 3))
        sample = sample_result(actor=actor, sample=sample, report_on=report_on, conclusion=Conclusion.UNQUALIFIED,
                               items=[Item(*i) for i in story.items], calendar=self.cal)
        served = min(self.after(report_on, self.r(1, 4)), DEMO_DATE)
        sample = sample_serve(actor=actor, sample=sample, served_on=served)
        fate = story.fate
        if fate == "served":
            return
        if story.retest:
            asked = self.after(served, self.r(2, 6))
            sample = sample_retest_request(actor=actor, sample=sample, requested_on=asked, institution="山东省食品药品检验研究院")
            outcome = RetestOutcome.OVERTURNED if story.retest == "overturned" else RetestOutcome.UPHELD
            sample = sample_retest_result(actor=actor, sample=sample, report_on=self.after(asked, self.r(12, 18)), outcome=outcome)
            if outcome == RetestOutcome.OVERTURNED:
                return
        qty, unit = Decimal(self.r(3, 40)), "公斤" if story.spec in (S, "散装称重", "/") else "件"
        measures = {"removed_qty": qty, "destroyed_qty": qty, "qty_unit": unit, "stopped_selling": True}
        cause = CAUSES.get(story.category, "进货查验不到位")
        start = sample.retest_report_on or served
        done = min(self.after(start, self.r(15, 30)), sample.disposal_due)
        if fate == "overdue":  # measures taken, the cause not yet found, past its 90 days on the demo date
            sample_dispose(actor=actor, sample=sample, disposed_on=None, cause="", removed_qty=qty, qty_unit=unit,
                           stopped_selling=True, note="已责令停止销售并下架，标称生产者在外省，协查函尚未回复")
        elif fate == "no_case":
            sample_dispose(actor=actor, sample=sample, disposed_on=min(done, DEMO_DATE), cause=cause, no_case_reason=story.reason,
                           note="已监督下架销毁，责令改进进货查验", **measures)
        elif fate == "disposing":  # measures taken; the cause found lately, the lead waits for its decision
            sample = sample_dispose(actor=actor, sample=sample, disposed_on=None, cause=cause, note="已责令停止经营、下架封存",
                                    **measures)
            received = max(self.after(start, 3), self.before(DEMO_DATE, self.r(3, 8)))
            sample_open_lead(actor=actor, sample=sample, received_on=received)
        else:  # transfer: the lead opened with the first measures (after a retest: when the disposal is completed)
            retested = story.retest == "upheld"
            sample = sample_dispose(actor=actor, sample=sample, disposed_on=None, cause=cause, open_lead=not retested,
                                    note="已责令停止销售、下架封存" + ("" if retested else "，移交案件线索"), **measures)
            if done <= DEMO_DATE:
                sample = sample_dispose(actor=actor, sample=sample, disposed_on=done, cause=cause, open_lead=retested,
                                        note="问题产品已全部下架销毁，已告知标称生产者所在地市场监管部门", **measures)
            if sample.lead_id is not None:
                self.transfer(sample)

    def transfer(self, sample: Sample) -> None:
        """The case lead of an unqualified product made by an out-of-town producer goes to the producer's
        regulator (移送), within the lead's filing period (a decision falling after the demo date waits)."""
        lead = sample.lead
        decided = self.after(lead.received_on, self.r(5, 10))
        if decided > DEMO_DATE:
            return
        city = sample.producer_name[:2] or "标称生产者所在地"
        lead_decide(actor=sample.created_by, pk=lead.pk, version=None, decision=LeadDecision.TRANSFER, on=decided,
                    transfer_target=TransferTarget.AGENCY, transfer_body=f"{city}市市场监督管理局",
                    note="不合格原因在生产环节，标称生产者在外地；销售者履行了进货查验义务，移送标称生产者所在地市场监管部门依法查处")

    # ---- quick tests ----------------------------------------------------------------------------

    def markets(self) -> list[tuple[str, Subdistrict]]:
        """One market with a test room per station, in its first subdistrict."""
        seen, out = set(), []
        for sub in self.subdistricts:
            if sub.station_id not in seen:
                seen.add(sub.station_id)
                out.append((f"{sub.name.removesuffix('街道').removesuffix('镇')}农贸市场", sub))
        return out

    def quick_tests(self) -> None:
        markets = self.markets()
        mobile_pool = self.pools["餐饮"] + self.pools["超市"]
        for index, (market, sub) in enumerate(markets):
            day = self.workday(YEAR_START + dt.timedelta(days=index * 2))
            while day <= DEMO_DATE:
                for product, item in self.rng.sample(QUICK_PRODUCTS, QUICK_PER_SESSION * self.factor):
                    self.quick_test(day, product, item, mode=QuickTestMode.STATION, place=f"{market}快检室", subdistrict=sub)
                day = self.workday(day + dt.timedelta(days=QUICK_EVERY_DAYS))
        for n in range(40 * self.factor):  # mobile tests at restaurants and supermarkets, more in the campaign
            business = self.rng.choice(mobile_pool)
            day = self.workday(dt.date(YEAR, 3, 1) + dt.timedelta(days=self.r(0, (DEMO_DATE - dt.date(YEAR, 3, 1)).days - 3)))
            if n % 3 == 0 and self.campaign is not None:
                day = self.workday(self.campaign.start + dt.timedelta(days=self.r(0, (self.campaign.end - self.campaign.start).days - 4)))
            product, item = self.rng.choice(QUICK_PRODUCTS)
            self.quick_test(day, product, item, mode=QuickTestMode.MOBILE, place=business.name, business=business)

    def quick_test(self, day: dt.date, product: str, item: str, *, mode: str, place: str, subdistrict: Subdistrict | None = None,
                   business: Business | None = None, positive: bool | None = None) -> QuickTest:
        positive = self.rng.random() < POSITIVE_SHARE if positive is None else positive
        campaign = self.in_campaign(day)
        if mode == QuickTestMode.STATION and campaign is not None and self.rng.random() < 0.5:
            campaign = None  # the market rooms' routine tests count in the campaign only when run for it
        return quicktest_record(
            actor=self.actor_for(subdistrict or business.subdistrict), tested_on=day, place=place, product=product, item=item,
            result=QuickTestResult.POSITIVE if positive else QuickTestResult.NEGATIVE, mode=mode, business=business,
            subdistrict=subdistrict, campaign=campaign,
            note="阳性，已监督经营者下架并销毁同批次产品" if positive else "")

    def positive_quick_test(self, day: dt.date, product: str) -> QuickTest:
        """A mobile test at a produce shop found positive: the sample follows the same day."""
        business = self.rng.choice(self.pools["农贸市场"] or self.pools["超市"])
        return self.quick_test(day, product, "农药残留", mode=QuickTestMode.MOBILE, place=business.name, business=business,
                               positive=True)


def build_sampling(seed: int, scale: str = "small") -> SamplingCounts:
    """A year of sampling and quick tests up to the demo date, after the register and the campaigns exist."""
    b = _Builder(seed, SCALES[scale])
    regular = SAMPLES * b.factor
    population = b.population()
    b.plan(regular + len(STORIES))
    # Samples in the order they are taken, so that their numbers follow the calendar.
    stories = [(story, 0) for story in STORIES]
    stories += [(story, 9 * k) for k in range(1, b.factor) for story in STORIES if story.fate in REPEATABLE]
    events = [(b.workday(DEMO_DATE - dt.timedelta(days=story.offset - shift)), n, story) for n, (story, shift) in enumerate(stories)]
    events += [(day, len(events) + n, None) for n, day in enumerate(b.regular_days(regular))]
    for day, _, story in sorted(events, key=lambda e: (e[0], e[1])):
        if story is None:
            b.regular(day)
        else:
            b.story(day, story)
    b.quick_tests()
    return _count(population)


def _count(population: int) -> SamplingCounts:
    counts = SamplingCounts(population=population)
    counts.samples = Counter(Sample.objects.values_list("sampling_type", flat=True))
    counts.conclusions = Counter(Sample.objects.values_list("conclusion", flat=True))
    counts.retested = Sample.objects.filter(retest_requested_on__isnull=False).count()
    counts.overturned = Sample.objects.filter(retest_outcome=RetestOutcome.OVERTURNED).count()
    counts.overdue = Sample.objects.filter(disposal_status=DisposalStatus.DISPOSING, disposal_due__lt=DEMO_DATE).count()
    counts.leads = Sample.objects.filter(lead__isnull=False).count()
    counts.quick_tests = QuickTest.objects.count()
    counts.positive = QuickTest.objects.filter(result=QuickTestResult.POSITIVE).count()
    return counts
