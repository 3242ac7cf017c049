from django.db import models


class LeadSource(models.TextChoices):
    COMPLAINT = "complaint", "投诉举报"
    INSPECTION = "inspection", "监督检查"
    SAMPLING = "sampling", "抽检"
    TRANSFER = "transfer", "移送"
    ASSIGNED = "assigned", "上级交办"
    OTHER = "other", "其他"


class LeadStatus(models.TextChoices):
    PENDING = "pending", "待核查"
    FILED = "filed", "已立案"
    NOT_FILED = "not_filed", "不予立案"
    TRANSFERRED = "transferred", "已移送"


class LeadDecision(models.TextChoices):
    FILE = "file", "立案"
    NOT_FILE = "not_file", "不予立案"
    TRANSFER = "transfer", "移送"


class NoPenaltyReason(models.TextChoices):
    """Why a lead is not filed, or a case ends without a penalty (Penalty Law arts. 30–33, 36, 57)."""

    NO_VIOLATION = "no_violation", "违法事实不成立"
    MINOR_CORRECTED = "minor_corrected", "违法行为轻微并及时改正，没有造成危害后果"
    FIRST_MINOR = "first_minor", "初次违法且危害后果轻微并及时改正"
    NO_FAULT = "no_fault", "当事人有证据足以证明没有主观过错"
    TIME_BARRED = "time_barred", "超过追责时效"
    OTHER = "other", "其他法定情形"


class TransferTarget(models.TextChoices):
    POLICE = "police", "公安机关"
    AGENCY = "agency", "其他行政机关"


class RespondentKind(models.TextChoices):
    ORGANISATION = "organisation", "单位"
    PERSON = "person", "自然人"


class Procedure(models.TextChoices):
    GENERAL = "general", "一般程序"
    SIMPLE = "simple", "简易程序"


class CaseStatus(models.TextChoices):
    FILED = "filed", "已立案"
    INVESTIGATING = "investigating", "调查取证"
    REVIEW = "review", "案件审核"
    NOTIFIED = "notified", "行政处罚告知"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达"
    EXECUTING = "executing", "执行中"
    CLOSED = "closed", "已结案"
    TRANSFERRED = "transferred", "已移送"


# The allowed moves of a case; everything else is refused by `case_transition`. A simple-procedure
# case is decided on the spot: it is created DECIDED.
CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.FILED: {CaseStatus.INVESTIGATING, CaseStatus.TRANSFERRED},
    CaseStatus.INVESTIGATING: {CaseStatus.REVIEW, CaseStatus.TRANSFERRED},
    CaseStatus.REVIEW: {CaseStatus.NOTIFIED, CaseStatus.DECIDED, CaseStatus.INVESTIGATING},
    CaseStatus.NOTIFIED: {CaseStatus.DECIDED, CaseStatus.INVESTIGATING},
    CaseStatus.DECIDED: {CaseStatus.SERVED},
    CaseStatus.SERVED: {CaseStatus.EXECUTING, CaseStatus.CLOSED},
    CaseStatus.EXECUTING: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
    CaseStatus.TRANSFERRED: set(),
}

OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEW, CaseStatus.NOTIFIED)


class PenaltyKind(models.TextChoices):
    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_INCOME = "confiscate_income", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    LOWER_QUALIFICATION = "lower_qualification", "降低资质等级"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    SUSPEND_BUSINESS = "suspend_business", "责令停产停业"
    CLOSE_DOWN = "close_down", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"


# Penalties whose publication is short (Order 45): a warning, a criticism, a fine under the rule's threshold.
LIGHT_PENALTIES = {PenaltyKind.WARNING, PenaltyKind.CRITICISM, PenaltyKind.FINE}


class SuspensionReason(models.TextChoices):
    TESTING = "testing", "检测检验"
    APPRAISAL = "appraisal", "鉴定"
    HEARING = "hearing", "听证"
    PUBLIC_NOTICE = "public_notice", "公告"
    SERVICE_BY_NOTICE = "service_by_notice", "公告送达"
    OTHER = "other", "其他法定情形"


class EvidenceKind(models.TextChoices):
    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    STATEMENT = "statement", "当事人陈述"
    EXPERT = "expert", "鉴定意见"
    RECORD = "record", "勘验笔录、现场笔录"


class Measure(models.TextChoices):
    NONE = "", "无"
    PRESERVATION = "preservation", "先行登记保存"
    SEIZURE = "seizure", "查封扣押"


class StepKind(models.TextChoices):
    """The timeline of a case: each approval or act with who, when and the opinion."""

    FILED = "filed", "立案"
    INVESTIGATION = "investigation", "调查取证"
    REVIEW = "review", "法制审核"
    NOTICE = "notice", "行政处罚告知"
    STATEMENT = "statement", "陈述申辩"
    HEARING_REQUESTED = "hearing_requested", "申请听证"
    HEARING = "hearing", "听证"
    EXTENSION = "extension", "延长办案期限"
    COLLECTIVE = "collective", "集体讨论"
    SUSPENSION = "suspension", "中止"
    RESUMPTION = "resumption", "恢复"
    DECISION = "decision", "作出决定"
    SERVICE = "service", "送达"
    PAYMENT = "payment", "缴纳罚没款"
    REMINDER = "reminder", "催告"
    COURT = "court", "申请法院强制执行"
    CLOSING = "closing", "结案"
    TRANSFER = "transfer", "移送"
    PUBLICATION = "publication", "公示"
    NOTE = "note", "其他"


class PublicationStatus(models.TextChoices):
    NONE = "", "未公示"
    SHOWN = "shown", "公示中"
    EXPIRED = "expired", "公示期满"
    WITHDRAWN = "withdrawn", "已撤下（决定撤销）"
    ENDED = "ended", "提前停止公示"


class SeriousCategory(models.TextChoices):
    """The areas of 严重违法失信行为 in SAMR Order 44 (市场监督管理严重违法失信名单管理办法, 2021): a penalty
    decision flagged with one of them is proposed for the serious violation list. Blank: not flagged."""

    NONE = "", "否"
    FOOD_DRUG = "food_drug", "食品药品安全领域（食品、药品、化妆品、医疗器械）"
    QUALITY = "quality", "质量安全领域（工业产品、特种设备等）"
    CONSUMER = "consumer", "侵害消费者权益"
    COMPETITION = "competition", "破坏公平竞争秩序和扰乱市场秩序"
    REGISTRATION = "registration", "违反登记管理、信息公示规定"
    OTHER = "other", "其他严重违法失信行为"
