"""The demo district's year of 12315 work (投诉、举报、咨询), deterministic for a seed, written through the
complaint services so that every record has its timeline (Event) and its audit rows.

- Items arrive every day of 2026 up to the demo date by the hotline, the national 12315 platform, this
  platform's public form and the platform interface; more in the week of 3·15 and around the National
  Day holidays (2026-09-30 … 10-09), whose clocks run over the holidays.
- Texts are short and in the complainant's words, per domain; the classifier gives the domain
  (jianguan.complaints.classify, from the respondent's name and the text). Respondents are businesses of
  the register of the matching trade (a food complaint against a restaurant, a lift against an operator
  of lifts), some a stall named with its subdistrict, some unknown — these wait in triage until the
  消费者权益保护科 routes them to a station or moves them (移送) to another district's bureau.
- Complaints go through ODR (four ODR enterprises, one of which left in August), acceptance or refusal,
  mediation (a few paused for testing) and the notice; reports through verification, a filing decision
  (立案 opens a case lead; a few with the one approved extension) and the reporter's notice; inquiries
  are answered by the hotline. A few of each are late, and on the demo date some are open past their
  deadline, some wait in triage, a few were re-assigned between stations or transferred; one is a
  duplicate, refused.
- The services stamp an event's time with the real clock; the demo moves those times onto its own
  calendar afterwards (as spotchecks does for a draw). Query codes of the public form are random by
  design (a credential): only their digests differ between two builds of the same seed.

Speed: the audit hash chain (core.audit) costs several queries per audit row when each row is chained
as it is written; the build writes its rows unchained and chains them once at the end, in id order,
which gives the same links as chaining one by one (see core.audit: writers that bypass the signal call
chain_entries). Everything else goes through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.complaints.choices import (
    Category,
    Channel,
    FilingDecision,
    Kind,
    MediationOutcome,
    OdrOutcome,
    RefusalReason,
    Status,
)
from jianguan.complaints.models import Complaint, Event, OdrEnterprise
from jianguan.complaints.selectors import queue
from jianguan.complaints.services import handling, routing
from jianguan.complaints.services.intake import complaint_receive
from jianguan.core import audit
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.services import acting
from jianguan.equipment.models import Equipment
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User

from . import names
from .district import _person
from .equipment import DEMO_DATE

# Items in the year, by scale. The services cost a few tens of milliseconds an item (see the speed note).
SCALES = {"small": 2000, "district": 5000}
YEAR_START = dt.date(2026, 1, 1)
HOLIDAYS = (dt.date(2026, 9, 30), dt.date(2026, 10, 9))
STALLED = (dt.date(2026, 10, 12), dt.date(2026, 11, 13))  # some items received then are left lying: overdue now
TRIAGE_BACKLOG = dt.date(2026, 11, 19)  # the desk has not routed the last week's unmatched items yet
CONSUMER_RIGHTS = "xiaobao"  # 消费者权益保护科: the hotline, triage, ODR, and the right to see personal details
PERSONAL_INFO = ("complaints", "view_personal_info")
KIND_SHARE = ((Kind.COMPLAINT, 50), (Kind.REPORT, 20), (Kind.INQUIRY, 30))
CHANNEL_SHARE = ((Channel.HOTLINE, 45), (Channel.NATIONAL, 30), (Channel.PUBLIC, 20), (Channel.API, 5))
# Domains of complaints and reports (inquiries lean to registration questions: OTHER).
CATEGORY_SHARE = {
    Category.FOOD: 24, Category.PRODUCT: 12, Category.ONLINE: 10, Category.PRICE: 8, Category.PREPAID: 8,
    Category.CONTRACT: 7, Category.COSMETICS: 5, Category.DRUG: 4, Category.ADVERTISING: 4, Category.DEVICE: 3,
    Category.EQUIPMENT: 3, Category.IP: 3, Category.METROLOGY: 4, Category.OTHER: 5,
}
INQUIRY_OTHER = 0.35
# The trades that settle their own disputes online (name contains, joined, left, contact, what they hear about).
ODR_BUSINESSES = (
    ("超市", dt.date(2025, 6, 1), None, "客服中心 周经理", (Category.FOOD, Category.PRICE, Category.PREPAID, Category.PRODUCT)),
    ("汽车销售", dt.date(2025, 9, 15), None, "售后服务部 刘主管", (Category.CONTRACT, Category.PRODUCT)),
    ("商贸", dt.date(2026, 3, 1), None, "电商客服部 孙经理", (Category.ONLINE, Category.PRODUCT)),
    ("餐饮管理", dt.date(2025, 11, 1), dt.date(2026, 8, 31), "运营部 陈经理", (Category.FOOD, Category.PREPAID)),
)
OTHER_BUREAUS = (
    ("浙江省杭州市余杭区市场监督管理局", "被投诉网店经营者住所在杭州市余杭区，依法移送其所在地市场监管部门"),
    ("广东省广州市白云区市场监督管理局", "被投诉经营者住所在广州市白云区，依法移送其所在地市场监管部门"),
    ("济南市历下区市场监督管理局", "经核实经营场所位于历下区，不属本局管辖"),
)
OTHER_AUTHORITIES = (
    ("区住房和城乡建设局", "属于房屋租赁及物业服务纠纷，不属市场监管部门职责"),
    ("区卫生健康局", "涉及医疗机构诊疗行为，属卫生健康部门职责"),
    ("区人力资源和社会保障局", "涉及劳动报酬争议，属人社部门职责"),
)
PLATFORMS = ("淘宝", "拼多多", "抖音", "京东", "快手", "微信")
ANSWERS = {
    Category.OTHER: "已告知办理流程、所需材料及线上办理入口。",
    Category.FOOD: "已告知可依《食品安全法》第一百四十八条向经营者主张赔偿，协商不成可投诉。",
}
DEFAULT_ANSWER = "已解答相关法律规定，告知维权途径，如需进一步处理可提起投诉或举报。"


@dataclass(frozen=True)
class _Texts:
    complaint: tuple[str, ...]
    report: tuple[str, ...]
    inquiry: tuple[str, ...]
    shops: tuple[str, ...]  # words of the respondents' names (names.py trades); () = operators of equipment
    holiday: tuple[str, ...] = ()  # complaints of the holiday weeks (Mid-Autumn, National Day)


# What people write to 12315, by domain: complaints (a grievance and a demand), reports (a violation to
# look into) and inquiries (a question). Short, in their own words; the classifier reads the respondent's
# name with the text, so each domain also says which registered businesses it is against.
TEXTS = {
    Category.FOOD: _Texts(
        complaint=(
            "在该店购买的牛奶已过保质期，要求退一赔十。",
            "点的外卖里吃出头发，联系商家只肯退一半，要求全额退款并赔偿。",
            "买的面包发霉长毛，生产日期是三天前，商家拒绝退货。",
            "在店里吃饭后全家上吐下泻，怀疑食物中毒，要求赔偿医药费。",
            "买的熟食有馊味，店家不承认是变质，拒绝退换。",
            "在店里吃火锅吃出虫子，老板只说免单，要求按食品安全法赔偿。",
            "购买的进口饼干没有中文标签，要求退一赔十。",
        ),
        report=(
            "该店后厨卫生脏乱，有老鼠出没，从业人员没有健康证。",
            "该店货架上多种零食已过保质期仍在销售。",
            "该店无食品经营许可证从事餐饮经营。",
            "该店用过期的肉加工熟食出售，请执法人员检查。",
        ),
        inquiry=(
            "请问买到过期食品可以要求几倍赔偿？",
            "请问食品经营许可证到期了怎么延续？",
        ),
        shops=("超市", "小吃部", "饭店", "早餐店", "面馆", "烧烤店", "熟食店", "餐饮管理", "食品", "粮油店"),
        holiday=("中秋买的月饼礼盒打开就发霉变质，要求退一赔十。", "国庆假期在饭店吃饭吃出苍蝇，老板拒绝赔偿。"),
    ),
    Category.DRUG: _Texts(
        complaint=(
            "在药店买的感冒药已过有效期两个月，药店只换不赔。",
            "药店店员推荐的减肥药吃了心慌，怀疑是假药，要求退款。",
            "药房卖给我的中药饮片发霉了，要求退款。",
        ),
        report=(
            "该药店不凭处方销售处方药，阿莫西林随便卖。",
            "该药房执业药师长期不在岗，营业员随意推荐药品。",
            "该药店用医保卡刷保健品，按药品名目开票。",
        ),
        inquiry=("请问网上买处方药需要上传处方吗？",),
        shops=("药店", "医药"),
    ),
    Category.DEVICE: _Texts(
        complaint=(
            "在该店买的血压计测量误差很大，查不到医疗器械注册证，要求退货。",
            "买的隐形眼镜戴了眼睛红肿，包装上没有注册证号，要求退款。",
            "购买的血糖仪试纸批号与包装不符，要求退款。",
        ),
        report=(
            "该店销售没有医疗器械注册证的理疗仪。",
            "该店销售的医用口罩没有注册证，疑似假冒医疗器械。",
        ),
        inquiry=("请问怎么查询医疗器械注册证是不是真的？",),
        shops=("眼镜店", "药店", "医药"),
    ),
    Category.COSMETICS: _Texts(
        complaint=(
            "在该店买的面霜用后烂脸，怀疑含激素，要求退款赔偿。",
            "染发剂用后头皮起红疹，商家拒绝退货。",
            "店里推销的美白祛斑护肤品用后皮炎，要求赔偿医药费。",
        ),
        report=(
            "该店销售的化妆品没有中文标签，疑似走私货。",
            "该店销售的祛斑霜疑似含汞，很多人用后过敏。",
        ),
        inquiry=("请问化妆品备案信息在哪里查询？",),
        shops=("理发店", "超市", "商贸"),
    ),
    Category.EQUIPMENT: _Texts(
        complaint=(
            "小区电梯一个月困人三次，物业不处理，维保记录也不公示。",
            "商场自动扶梯突然停止，孩子摔伤，要求商场赔偿医药费。",
            "送来的液化气罐漏气，要求更换并赔偿。",
        ),
        report=(
            "该单位电梯检验合格证已过期仍在使用。",
            "该店使用的气瓶没有检验标志，存在安全隐患。",
            "该单位锅炉没有使用登记证，司炉工无证上岗。",
        ),
        inquiry=("请问电梯年检合格证过期了向哪里反映？",),
        shops=(),  # the operators of special equipment
        holiday=("国庆期间商场电梯困人四十分钟，救援迟迟不到，要求商场道歉赔偿。",),
    ),
    Category.PRODUCT: _Texts(
        complaint=(
            "买的电动自行车电池鼓包，商家不给三包。",
            "新买的冰箱不制冷，维修三次仍未修好，要求退货。",
            "购买的羽绒服含绒量不达标，要求退款。",
            "买的插线板使用时漏电着火，要求赔偿损失。",
            "新买的热水器漏水，厂家售后一直推脱。",
        ),
        report=(
            "该店销售没有3C认证的电热水壶。",
            "该店销售以次充好的电线电缆，存在安全隐患。",
        ),
        inquiry=("请问家电三包期是多长时间？",),
        shops=("五金店", "服装店", "母婴店", "手机维修部", "商贸", "汽车销售", "机械设备"),
    ),
    Category.PRICE: _Texts(
        complaint=(
            "结账时实际收费比价签标价多收，商家不给退差价。",
            "该店未明码标价，结账时才说是时价，收费明显偏高。",
            "停车场收费标准未公示，多收停车费。",
        ),
        report=(
            "该店商品不明码标价，涉嫌价格欺诈。",
            "该店虚构原价打折促销，原价从来没有卖过。",
        ),
        inquiry=("请问商家不明码标价怎么处理？",),
        shops=("便民超市", "水果店", "烟酒店", "理发店", "饭店", "物业管理"),
        holiday=("国庆假期景区附近饭店菜品不明码标价，一盘菜收了三百多元。",),
    ),
    Category.ADVERTISING: _Texts(
        complaint=(
            "听了健康讲座买的保健品，宣称能治高血压，吃了根本没用，要求退款。",
            "该店广告宣称百分之百有效、永不反弹，实际效果与宣传不符。",
        ),
        report=(
            "该店门口广告牌使用国家级、最好等绝对化用语。",
            "有人在小区发放宣传单，虚假宣传保健品包治百病。",
            "该公司组织老年人会销，虚假宣传保健品功效。",
        ),
        inquiry=("请问发现虚假广告怎么举报？",),
        shops=("医药", "文化传媒", "科技", "商贸"),
    ),
    Category.CONTRACT: _Texts(
        complaint=(
            "装修公司不按合同施工，拖延工期，要求退还定金。",
            "买车交了定金，商家违约不交车，还拒绝退还定金。",
            "店里格式条款写明概不退换，商品有问题也不给退。",
        ),
        report=("该公司合同中使用霸王条款，规定最终解释权归商家。",),
        inquiry=("请问定金和订金有什么区别，能退吗？",),
        shops=("装饰工程", "汽车销售", "物业管理", "建筑工程"),
    ),
    Category.ONLINE: _Texts(
        complaint=(
            "网购的商品七天无理由退货，店铺客服一直不处理。",
            "在网店下单付款半个月了一直不发货，联系客服不回复。",
            "直播间买的商品与宣传不一致，申请退货被拒。",
        ),
        report=("该网店刷单炒信，好评返现诱导消费者评价。",),
        inquiry=("请问网购七天无理由退货运费谁承担？",),
        shops=("商贸", "科技"),
    ),
    Category.PREPAID: _Texts(
        complaint=(
            "在该店办的会员卡还有余额，店铺突然闭店，老板联系不上，要求退卡退费。",
            "充值的储值卡商家单方面改规则，余额不能用了，要求退费。",
            "办了美容卡，次卡没用完商家转让了，新老板不认。",
        ),
        report=("该店大量办卡充值后准备跑路，已经关门好几天了。",),
        inquiry=("请问预付卡余额不想用了能要求退吗？",),
        shops=("理发店", "超市", "饭店", "科技"),
    ),
    Category.IP: _Texts(
        complaint=(
            "在该店买的名牌运动鞋是假冒的，要求退一赔三。",
            "买的白酒是假冒注册商标的，要求赔偿。",
        ),
        report=(
            "该店销售假冒名牌服装。",
            "该店销售的茶叶冒用地理标志。",
        ),
        inquiry=("请问怎么鉴别商品是不是假冒注册商标？",),
        shops=("服装店", "烟酒店", "茶叶店", "商贸"),
    ),
    Category.METROLOGY: _Texts(
        complaint=(
            "在该店买水果缺斤短两，复称少了半斤，要求退差价。",
            "买的大米用公平秤一称短斤少两。",
            "该店电子秤作弊，称重明显不准。",
        ),
        report=("该店电子秤没有检定，经常缺斤短两。",),
        inquiry=("请问市场里的公平秤在哪里？",),
        shops=("水果店", "蔬菜店", "粮油店", "熟食店", "便民超市"),
    ),
    Category.OTHER: _Texts(
        complaint=(
            "店员服务态度恶劣，辱骂顾客，要求道歉。",
            "商家不开发票，要求补开。",
        ),
        report=(
            "该店晚上营业噪音扰民。",
            "该店没有营业执照，无照经营。",
        ),
        inquiry=(
            "请问个体工商户怎么注销？",
            "请问营业执照地址变更需要什么材料？",
            "请问企业年报什么时候截止？",
            "请问怎么办理营业执照？",
        ),
        shops=("商贸", "科技", "服装店", "五金店"),
    ),
}

STALL_CATEGORIES = (Category.FOOD, Category.PRICE, Category.METROLOGY, Category.PRODUCT, Category.IP, Category.OTHER)
STALLS = ("流动摊点", "早市摊位", "临街无名小店", "夜市摊位")
ONLINE_CATEGORIES = (Category.ONLINE, Category.PRODUCT, Category.COSMETICS, Category.IP, Category.ADVERTISING)
TESTS = ("商品送检测机构检验，待出具检验报告", "委托鉴定机构进行质量鉴定", "送计量检定机构检定")
MEDIATION_NOTES = {
    MediationOutcome.SUCCESS: ("经调解，经营者同意退款并赔偿", "经调解，双方达成一致，经营者退货退款", "经调解，经营者同意更换商品并补偿"),
    MediationOutcome.FAILED: ("双方分歧较大，调解不成，已告知可依法向人民法院起诉",),
    MediationOutcome.TERMINATED: ("投诉人撤回投诉，终止调解", "投诉人无法联系，终止调解"),
}
NOTICES = ("电话告知双方调解结果", "短信告知投诉人，电话告知被投诉人", "平台消息告知双方")
VERIFIED = {
    FilingDecision.FILED: "经现场核查，举报反映的问题基本属实，决定立案调查",
    FilingDecision.NOT_FILED: "经现场核查，未发现举报所述违法行为，不予立案",
}
AMOUNTS = (20, 50, 80, 150, 300, 600, 1200, 2500, 5000)


@dataclass
class ComplaintCounts:
    by_kind: Counter = field(default_factory=Counter)
    events: int = 0
    open: int = 0
    overdue: int = 0
    triage: int = 0
    odr_enterprises: int = 0
    odr_settled: int = 0
    reassigned: int = 0
    transferred: int = 0
    duplicates: int = 0
    filed: int = 0
    recovered: Decimal = Decimal("0")

    def summary(self) -> str:
        kinds = "、".join(f"{k.label} {self.by_kind.get(k.value, 0)}" for k in Kind)
        return (
            f"投诉举报：登记 {sum(self.by_kind.values())} 件（{kinds}），办理记录 {self.events} 条；截至 {DEMO_DATE:%Y-%m-%d} "
            f"正在处理 {self.open} 件（其中超过办理期限 {self.overdue} 件、待分派 {self.triage} 件）；ODR企业 {self.odr_enterprises} 家，"
            f"前端拦截 {self.odr_settled} 件；改派 {self.reassigned} 件，移送 {self.transferred} 件，疑似重复 {self.duplicates} 件；"
            f"举报立案 {self.filed} 件；调解挽回经济损失 {self.recovered} 元"
        )


def _pick(rng: random.Random, shares):
    values, weights = zip(*shares, strict=True)
    return rng.choices(values, weights)[0]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def grant_personal_info(username: str = CONSUMER_RIGHTS) -> User:
    """The 消费者权益保护科 login may see complainants' names and phones (each look is logged)."""
    user = User.objects.get(username=username)
    app_label, codename = PERSONAL_INFO
    with acting(User.objects.get(username="admin")):
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


class _Year:
    def __init__(self, seed: int, count: int):
        self.rng = random.Random(seed * 71 + 13)
        self.count = count
        self.cal = WorkingCalendar()
        self.desk = User.objects.get(username=CONSUMER_RIGHTS)
        self.approver = User.objects.get(username="leader").full_name or "局领导"
        self.subdistricts = list(Subdistrict.objects.select_related("station").order_by("code"))
        self.staff: dict[int, list[User]] = {}
        for user in User.objects.filter(role=Role.STATION, is_active=True).order_by("username"):
            self.staff.setdefault(user.org_unit_id, []).append(user)
        self.pools = self._pools()
        self.odr = self._odr_enterprises()
        self.received_at: dict[int, dt.datetime] = {}
        self.counts = ComplaintCounts()
        self.duplicate_due = count // 3  # the item after which the same complaint comes in again

    # ---- the register -----------------------------------------------------------------------

    def _pools(self) -> dict[Category, list[tuple]]:
        """Registered businesses of each domain's trades (established before the year), by USCC."""
        active = Business.objects.filter(reg_status="active", established_on__lt=YEAR_START).order_by("uscc")
        columns = ("name", "uscc", "address")
        operators = list(active.filter(pk__in=Equipment.objects.values("operator")).values_list(*columns))
        pools = {}
        for category, texts in TEXTS.items():
            if not texts.shops:
                pools[category] = operators
                continue
            rows = active.none()
            for word in texts.shops:
                rows = rows | active.filter(name__contains=word)
            pools[category] = list(rows.values_list(*columns)[:5000])
        return pools

    def _odr_enterprises(self) -> list[OdrEnterprise]:
        made = []
        with acting(self.desk):
            for word, joined, left, contact, _ in ODR_BUSINESSES:
                business = (
                    Business.objects.filter(reg_status="active", entity_type="enterprise", name__contains=word,
                                            established_on__lt=joined, odr__isnull=True).order_by("uscc").first()
                )
                if business is not None:
                    made.append(OdrEnterprise.objects.create(
                        business=business, joined_on=joined, left_on=left, contact=contact,
                        note="签署在线消费纠纷解决承诺：收到投诉后5个工作日内自行和解",
                    ))
        return made

    # ---- dates and people -------------------------------------------------------------------

    def days(self) -> list[dt.date]:
        days = [YEAR_START + dt.timedelta(days=n) for n in range((DEMO_DATE - YEAR_START).days + 1)]
        weights = []
        for day in days:
            weight = 1.0 if day.weekday() < 5 else 0.7
            if dt.date(2026, 3, 9) <= day <= dt.date(2026, 3, 20):  # 3·15
                weight *= 1.8
            if HOLIDAYS[0] <= day <= HOLIDAYS[1]:
                weight *= 2.5
            weights.append(weight)
        return sorted(self.rng.choices(days, weights, k=self.count))

    def later(self, day: dt.date, low: int, high: int | None = None) -> dt.date:
        """low … high working days after day (holidays skipped, make-up Saturdays worked)."""
        n = low if high is None else self.rng.randint(low, high)
        return self.cal.add_working_days(day, n).date

    def person(self) -> dict:
        phone = f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
        return {"complainant_name": _person(self.rng), "complainant_phone": phone}

    def officer(self, station_id: int) -> User:
        return self.rng.choice(self.staff[station_id])

    # ---- one item ---------------------------------------------------------------------------

    def respondent(self, kind: str, category: Category) -> dict:
        rng = self.rng
        roll = rng.random()
        if kind == Kind.INQUIRY and roll < 0.75:
            return {}  # a question about the rules, about no one
        if roll < 0.84 or kind == Kind.INQUIRY:
            name, uscc, address = rng.choice(self.pools[category])
            return {"respondent_name": name, "respondent_uscc": uscc, "respondent_address": address}
        if roll < 0.91 and category in STALL_CATEGORIES:  # not in the register, but its place is known
            sub = rng.choice(self.subdistricts)
            road = rng.choice(names.ROADS)
            return {"respondent_name": f"{road}{rng.choice(STALLS)}", "respondent_address": f"{sub.name}{road}",
                    "subdistrict_text": sub.name}
        if category in ONLINE_CATEGORIES:  # an online shop: triage, then routed or moved to its own district
            platform = rng.choice(PLATFORMS)
            shop = f"{rng.choice(names.TRADE_NAMES)}{rng.choice(('优选', '旗舰店', '好物馆', '小铺'))}"
            return {"respondent_name": f"{platform}店铺“{shop}”", "respondent_address": f"网络店铺（{platform}）"}
        return {"respondent_name": f"{rng.choice(names.ROADS)}附近{rng.choice(STALLS)}", "respondent_address": "地址不详"}

    def item(self, day: dt.date, index: int) -> None:
        rng = self.rng
        kind = _pick(rng, KIND_SHARE)
        odr = None
        if kind == Kind.COMPLAINT and rng.random() < 0.12:
            odr = next((o for o in rng.sample(self.odr, len(self.odr)) if o.active_on(day)), None)
        if odr is not None:
            category = rng.choice(next(c for w, *_, c in ODR_BUSINESSES if w in odr.business.name))
            fields = {"respondent_name": odr.business.name, "respondent_uscc": odr.business.uscc,
                      "respondent_address": odr.business.address}
        else:
            other = kind == Kind.INQUIRY and rng.random() < INQUIRY_OTHER
            category = Category.OTHER if other else _pick(rng, CATEGORY_SHARE.items())
            fields = self.respondent(kind, category)
        texts = TEXTS[category]
        festive = texts.holiday and kind == Kind.COMPLAINT and dt.date(2026, 9, 20) <= day <= HOLIDAYS[1]
        content = rng.choice(texts.holiday if festive and rng.random() < 0.6 else getattr(texts, kind))
        channel = _pick(rng, CHANNEL_SHARE)
        hour = rng.randrange(8, 21) if channel == Channel.HOTLINE else rng.randrange(0, 24)
        if kind == Kind.COMPLAINT or rng.random() < (0.7 if kind == Kind.REPORT else 0.85):
            fields.update(self.person())
        if kind == Kind.COMPLAINT and rng.random() < 0.9:
            fields["amount"] = (Decimal(rng.choice(AMOUNTS)) * Decimal(rng.randint(60, 140)) / 100).quantize(Decimal("0.01"))
        fields.update(kind=kind, channel=channel, content=content, received_at=_at(day, hour, rng.randrange(60)))
        complaint = self.receive(fields)
        self.handle(complaint)
        if index >= self.duplicate_due and kind == Kind.COMPLAINT and complaint.business_id and not complaint.odr_enterprise_id:
            # The same person files the same complaint again on the web two hours later: flagged, then refused.
            self.duplicate_due = self.count + 1
            again = self.receive({**fields, "channel": Channel.PUBLIC, "received_at": fields["received_at"] + dt.timedelta(hours=2)})
            self.handle(again)

    def receive(self, fields: dict) -> Complaint:
        actor = self.desk if fields["channel"] == Channel.HOTLINE else None  # the hotline's operator; imports by the system
        complaint = complaint_receive(actor=actor, **fields)
        self.received_at[complaint.pk] = fields["received_at"]
        return complaint

    def handle(self, c: Complaint) -> None:
        start = c.received_on
        station = c.subdistrict.station_id if c.subdistrict_id else None
        if c.status == Status.TRIAGE:
            start, station = self.route(c, start)
            if station is None:
                return
        elif c.kind != Kind.INQUIRY and self.rng.random() < 0.03:
            start, station = self.reroute(c, start, station)
            if station is None:
                return
        if c.kind != Kind.INQUIRY and STALLED[0] <= c.received_on <= STALLED[1] and self.rng.random() < 0.08:
            return  # left lying at the station: past its deadline on the demo date
        if c.kind == Kind.COMPLAINT:
            self.complaint(c, start, station)
        elif c.kind == Kind.REPORT:
            self.report(c, start, station)
        else:
            self.inquiry(c, start)

    # ---- routing ----------------------------------------------------------------------------

    def route(self, c: Complaint, start: dt.date) -> tuple[dt.date, int | None]:
        """The desk routes a triage item within two working days, or moves an online shop's to its district."""
        on = self.later(start, 1, 2)
        if on > DEMO_DATE or start >= TRIAGE_BACKLOG:
            return on, None  # still in triage on the demo date
        if c.respondent_address.startswith("网络店铺") and self.rng.random() < 0.6:
            to, reason = self.rng.choice(OTHER_BUREAUS[:2])
            routing.complaint_transfer(actor=self.desk, pk=c.pk, version=None, to=to, reason=reason, on=on)
            return on, None
        sub = self.rng.choice(self.subdistricts)
        routing.complaint_assign(actor=self.desk, pk=c.pk, version=None, subdistrict=sub, on=on)
        return on, sub.station_id

    def reroute(self, c: Complaint, start: dt.date, station: int) -> tuple[dt.date, int | None]:
        """A station hands the item back to triage, or the desk re-assigns it, saying why."""
        on = self.later(start, 1)
        if on > DEMO_DATE:
            return start, station
        sub = self.rng.choice([s for s in self.subdistricts if s.station_id != station])
        reason = f"经核实，被投诉举报对象实际经营场所位于{sub.name}"
        if self.rng.random() < 0.4:
            routing.complaint_return(actor=self.officer(station), pk=c.pk, version=None, reason=f"不属本所辖区：{reason}", on=on)
            on = self.later(on, 1)
            if on > DEMO_DATE:
                return on, None
            routing.complaint_assign(actor=self.desk, pk=c.pk, version=None, subdistrict=sub, on=on)
        else:
            routing.complaint_assign(actor=self.desk, pk=c.pk, version=None, subdistrict=sub, reason=reason, on=on)
        self.counts.reassigned += 1
        return on, sub.station_id

    # ---- the three kinds --------------------------------------------------------------------

    def complaint(self, c: Complaint, start: dt.date, station: int) -> None:
        rng, officer = self.rng, self.officer(station)
        if c.duplicate_of_id:
            on = self.later(start, 1, 2)
            if on <= DEMO_DATE:
                handling.complaint_refuse(
                    actor=officer, pk=c.pk, version=None, reason=RefusalReason.OTHER, on=on,
                    note=f"与{c.duplicate_of.number}为同一投诉人就同一事项的重复投诉，已并入原件办理",
                )
            return
        if any(o.business_id == c.business_id and o.active_on(start) for o in self.odr):
            handling.odr_start(actor=self.desk, pk=c.pk, version=None, on=start)
            end = self.later(start, 1, 6)
            if end > DEMO_DATE:
                return
            settled = rng.random() < 0.8
            handling.odr_end(
                actor=self.desk, pk=c.pk, version=None, on=end, outcome=OdrOutcome.SETTLED if settled else OdrOutcome.FAILED,
                note="企业已与消费者和解并反馈" if settled else "企业反馈双方未能和解，转入受理程序",
            )
            if settled:
                return
            start = end
        roll = rng.random()
        if roll < 0.02:
            on = self.later(start, 1, 3)
            if on <= DEMO_DATE:
                to, reason = rng.choice(OTHER_AUTHORITIES)
                routing.complaint_transfer(actor=officer, pk=c.pk, version=None, to=to, reason=reason, on=on)
            return
        if roll < 0.10:
            on = self.later(start, 1, 6)
            if on <= DEMO_DATE:
                reason = rng.choice([r for r in RefusalReason if r != RefusalReason.OTHER])
                handling.complaint_refuse(actor=officer, pk=c.pk, version=None, reason=reason, on=on)
            return
        accepted = self.later(start, 1, 5) if rng.random() < 0.92 else self.later(start, 8, 12)
        if accepted > DEMO_DATE:
            return
        handling.complaint_accept(actor=officer, pk=c.pk, version=None, on=accepted)
        ended = self.later(accepted, 3, 30) if rng.random() < 0.94 else self.later(accepted, 47, 60)
        if rng.random() < 0.05:  # sent for testing: the 45 days stop meanwhile
            paused = self.later(accepted, 2, 6)
            if paused > DEMO_DATE:
                return
            handling.mediation_pause(actor=officer, pk=c.pk, version=None, note=rng.choice(TESTS), on=paused)
            resumed = self.later(paused, 5, 15)
            if resumed > DEMO_DATE:
                return
            handling.mediation_resume(actor=officer, pk=c.pk, version=None, on=resumed)
            ended = self.later(resumed, 2, 15)
        if ended > DEMO_DATE:
            return
        outcome = _pick(rng, ((MediationOutcome.SUCCESS, 62), (MediationOutcome.FAILED, 25), (MediationOutcome.TERMINATED, 13)))
        recovered = None
        if outcome == MediationOutcome.SUCCESS and c.amount:
            recovered = (c.amount * Decimal(rng.choice((100, 100, 100, 80, 50, 30))) / 100).quantize(Decimal("0.01"))
        handling.mediation_end(
            actor=officer, pk=c.pk, version=None, outcome=outcome, recovered_amount=recovered, on=ended,
            note=rng.choice(MEDIATION_NOTES[outcome]),
        )
        told = self.later(ended, 1, 4) if rng.random() < 0.96 else self.later(ended, 8, 10)
        if told <= DEMO_DATE:
            handling.parties_notify(actor=officer, pk=c.pk, version=None, on=told, note=rng.choice(NOTICES))

    def report(self, c: Complaint, start: dt.date, station: int) -> None:
        rng, officer = self.rng, self.officer(station)
        if rng.random() < 0.03:
            on = self.later(start, 1, 5)
            if on <= DEMO_DATE:
                to, reason = rng.choice(OTHER_AUTHORITIES)
                routing.complaint_transfer(actor=officer, pk=c.pk, version=None, to=to, reason=reason, on=on)
            return
        if rng.random() < 0.06:  # sampled for testing: the decision needs the one approved extension
            extended = self.later(c.received_on, 9, 13)
            if extended > DEMO_DATE:
                return
            handling.filing_extend(
                actor=officer, pk=c.pk, version=None, approved_by=self.approver, on=extended,
                reason="涉案商品已抽样送检，检验周期较长，需待检验报告作出立案决定",
            )
            decided = self.later(c.received_on, 17, 27)
        else:
            decided = self.later(start, 3, 13) if rng.random() < 0.95 else self.later(c.received_on, 16, 20)
        if decided > DEMO_DATE:
            return
        decision = FilingDecision.FILED if c.business_id and rng.random() < 0.25 else FilingDecision.NOT_FILED
        c = handling.report_decide(actor=officer, pk=c.pk, version=None, decision=decision, on=decided, note=VERIFIED[decision])
        if c.status == Status.DECIDED:  # a named reporter is told
            told = self.later(decided, 1, 4)
            if told <= DEMO_DATE:
                handling.parties_notify(actor=officer, pk=c.pk, version=None, on=told, note="电话告知举报人处理结果")

    def inquiry(self, c: Complaint, start: dt.date) -> None:
        on = start if self.rng.random() < 0.85 else self.later(start, 1, 2)
        if on <= DEMO_DATE:
            answer = ANSWERS.get(Category(c.category), DEFAULT_ANSWER)
            handling.inquiry_answer(actor=self.desk, pk=c.pk, version=None, answer=answer, on=on)

    # ---- afterwards ---------------------------------------------------------------------------

    def stamp_events(self, first_event: int) -> int:
        """Move the events' times (the real clock when written) onto their business dates: a receipt at
        its registration time, every later step in office hours, in order within its item."""
        rows = Event.objects.filter(pk__gt=first_event).order_by("complaint_id", "pk").values_list("pk", "complaint_id", "on")
        stamped, last = [], {}
        for pk, complaint_id, on in rows:
            at = self.received_at.get(complaint_id) if complaint_id not in last else None
            if at is None:
                at = _at(on, 9) + dt.timedelta(minutes=self.rng.randrange(8 * 60))
                if complaint_id in last and at <= last[complaint_id]:  # the same day as the step before: after it
                    after = last[complaint_id] + dt.timedelta(minutes=self.rng.randrange(5, 60))
                    at = after if timezone.localdate(after) == on else last[complaint_id] + dt.timedelta(seconds=1)
            last[complaint_id] = at
            stamped.append(Event(pk=pk, at=at))
        Event.objects.bulk_update(stamped, ["at"], batch_size=500)
        return len(stamped)

    def tally(self) -> ComplaintCounts:
        counts = self.counts
        counts.by_kind = Counter(Complaint.objects.values_list("kind", flat=True))
        counts.events = Event.objects.count()
        counts.open = Complaint.objects.exclude(status__in=(Status.CLOSED, Status.TRANSFERRED)).count()
        counts.overdue = queue(User.objects.get(username="admin"), today=DEMO_DATE, overdue_only=True).count()
        counts.triage = Complaint.objects.filter(status=Status.TRIAGE).count()
        counts.odr_enterprises = len(self.odr)
        counts.odr_settled = Complaint.objects.filter(odr_outcome=OdrOutcome.SETTLED).count()
        counts.transferred = Complaint.objects.filter(status=Status.TRANSFERRED).count()
        counts.duplicates = Complaint.objects.filter(duplicate_of__isnull=False).count()
        counts.filed = Complaint.objects.filter(filing_decision=FilingDecision.FILED).count()
        recovered = Complaint.objects.aggregate(s=Sum("recovered_amount"))["s"] or 0
        counts.recovered = Decimal(recovered).quantize(Decimal("0.01"))  # SQLite sums decimals as floats
        return counts


@transaction.atomic  # all or nothing: the audit rows are chained only at the end
def build_complaints(seed: int, scale: str = "small") -> ComplaintCounts:
    """A year of 12315 items up to the demo date, through the services; returns what was made."""
    grant_personal_info()
    first_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with audit.chained_at_the_end():
        year = _Year(seed, SCALES[scale])
        for index, day in enumerate(year.days()):
            year.item(day, index)
        year.stamp_events(first_event)
    return year.tally()
