"""What the demo's 12315 year is made of: shares, names, amounts and the complainants' texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jianguan.complaints.choices import (
    Category,
    Channel,
    FilingDecision,
    Kind,
    MediationOutcome,
)

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
