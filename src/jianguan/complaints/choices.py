"""Kinds, channels, categories, states and the transition tables of 投诉举报 (12315)."""

from django.db import models


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    INQUIRY = "inquiry", "咨询"


class Channel(models.TextChoices):
    HOTLINE = "hotline", "12315热线"
    PUBLIC = "public", "网上投诉举报（本平台）"
    API = "api", "平台接口"
    NATIONAL = "national", "全国12315平台导入"


class Category(models.TextChoices):
    """The domain a complaint or report belongs to (classified by keyword rules, overridable)."""

    FOOD = "food", "食品"
    DRUG = "drug", "药品"
    DEVICE = "device", "医疗器械"
    COSMETICS = "cosmetics", "化妆品"
    EQUIPMENT = "equipment", "特种设备"
    PRODUCT = "product", "产品质量"
    PRICE = "price", "价格"
    ADVERTISING = "advertising", "广告"
    CONTRACT = "contract", "合同"
    ONLINE = "online", "网络交易"
    PREPAID = "prepaid", "预付式消费"
    IP = "ip", "知识产权"
    METROLOGY = "metrology", "计量"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "待受理"
    TRIAGE = "triage", "待分派"
    ODR = "odr", "ODR企业自行和解中"
    ACCEPTED = "accepted", "调解中"
    PAUSED = "paused", "调解暂停（检测鉴定）"
    MEDIATED = "mediated", "调解终结，待告知"
    VERIFYING = "verifying", "核查中"
    DECIDED = "decided", "已作出立案决定，待告知"
    CLOSED = "closed", "已办结"
    TRANSFERRED = "transferred", "已移送"


class RefusalReason(models.TextChoices):
    """不予受理 reasons (SAMR Order 20); kept for Order 121 until its text is verified (see DOMAIN.md)."""

    OUTSIDE_DUTIES = "outside_duties", "不属于市场监督管理部门职责范围"
    HANDLED_ELSEWHERE = "handled_elsewhere", "法院、仲裁机构或其他行政机关已受理或处理"
    NOT_CONSUMPTION = "not_consumption", "不是为生活消费需要购买、使用商品或者接受服务"
    TOO_OLD = "too_old", "购买商品或接受服务之日起超过三年"
    MATERIALS_MISSING = "materials_missing", "未提供真实身份信息、具体诉求或事实依据"
    ALREADY_SETTLED = "already_settled", "双方已达成调解协议并履行"
    OTHER = "other", "其他依法不予受理的情形"


class MediationOutcome(models.TextChoices):
    SUCCESS = "success", "调解成功"
    FAILED = "failed", "调解不成"
    TERMINATED = "terminated", "终止调解"


class OdrOutcome(models.TextChoices):
    SETTLED = "settled", "企业和解成功"
    FAILED = "failed", "和解不成，转入受理"


class FilingDecision(models.TextChoices):
    FILED = "filed", "立案"
    NOT_FILED = "not_filed", "不予立案"


# What each state may become. A complaint passes ODR (optional) → acceptance → mediation → notice;
# a report passes verification → filing decision → notice; an inquiry is answered and closed.
TRANSITIONS = {
    Kind.COMPLAINT: {
        Status.TRIAGE: {Status.RECEIVED, Status.TRANSFERRED},
        Status.RECEIVED: {Status.ODR, Status.ACCEPTED, Status.CLOSED, Status.TRANSFERRED},
        Status.ODR: {Status.RECEIVED, Status.CLOSED},
        Status.ACCEPTED: {Status.PAUSED, Status.MEDIATED},
        Status.PAUSED: {Status.ACCEPTED},
        Status.MEDIATED: {Status.CLOSED},
    },
    Kind.REPORT: {
        Status.TRIAGE: {Status.VERIFYING, Status.TRANSFERRED},
        Status.VERIFYING: {Status.DECIDED, Status.CLOSED, Status.TRANSFERRED},
        Status.DECIDED: {Status.CLOSED},
    },
    Kind.INQUIRY: {
        Status.TRIAGE: {Status.RECEIVED, Status.TRANSFERRED},
        Status.RECEIVED: {Status.CLOSED, Status.TRANSFERRED},
    },
}

OPEN_STATES = {s for table in TRANSITIONS.values() for s in table}
