from django.db import models


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", "日常检查"
    SPECIAL = "special", "专项检查"
    RANDOM = "random", "双随机抽查"
    FLYING = "flying", "飞行检查"
    SYSTEM = "system", "体系检查"
    COMPLAINT = "complaint", "投诉举报核查"
    FOLLOW_UP = "follow_up", "回头看"
    SELF = "self", "企业自查"
    COMMUNITY = "community", "社区巡查"
    THIRD_PARTY = "third_party", "第三方巡查"


# Entered by or for the business, the community grid or a third party (seed 002's loop): they count
# apart from the bureau's own and need no certified inspectors.
EXTERNAL_KINDS = (InspectionKind.SELF, InspectionKind.COMMUNITY, InspectionKind.THIRD_PARTY)
OWN_KINDS = tuple(k for k in InspectionKind if k not in EXTERNAL_KINDS)


class InspectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已计划"
    IN_PROGRESS = "in_progress", "检查中"
    COMPLETED = "completed", "已完成"
    ARCHIVED = "archived", "已归档"


INSPECTION_TRANSITIONS = {
    InspectionStatus.SCHEDULED: {InspectionStatus.IN_PROGRESS, InspectionStatus.COMPLETED},
    InspectionStatus.IN_PROGRESS: {InspectionStatus.COMPLETED},
    InspectionStatus.COMPLETED: {InspectionStatus.ARCHIVED},
    InspectionStatus.ARCHIVED: set(),
}
DONE_STATUSES = (InspectionStatus.COMPLETED, InspectionStatus.ARCHIVED)


class InspectionResult(models.TextChoices):
    NO_PROBLEM = "no_problem", "未发现问题"
    PROBLEMS = "problems", "发现问题"
    ORDERED = "ordered", "责令整改"
    CASE_LEAD = "case_lead", "立案线索"
    NOT_FOUND = "not_found", "查无下落"


class ItemOutcome(models.TextChoices):
    CONFORM = "conform", "符合"
    NONCONFORM = "nonconform", "不符合"
    NOT_APPLICABLE = "na", "不适用"
    REASONABLE_GAP = "gap", "合理缺项"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    MAJOR = "major", "重大"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    REPORTED = "reported", "待复查"
    CLOSED = "closed", "整改完成"
    ESCALATED = "escalated", "已升级处置"


# A failed re-check sends the finding back to the operator with a new deadline.
FINDING_TRANSITIONS = {
    FindingStatus.OPEN: {FindingStatus.REPORTED, FindingStatus.ESCALATED},
    FindingStatus.REPORTED: {FindingStatus.CLOSED, FindingStatus.OPEN, FindingStatus.ESCALATED},
    FindingStatus.CLOSED: set(),
    FindingStatus.ESCALATED: set(),
}


class Escalation(models.TextChoices):
    CASE_LEAD = "case_lead", "移交立案线索"
    SEAL = "seal", "查封设备"
    STOP_USE = "stop_use", "责令停止使用"


class DocumentKind(models.TextChoices):
    # The values are the foundation's numbering kinds (DocumentNumberFormat.kind).
    RECTIFICATION_NOTICE = "rectification_notice", "责令整改通知书"
    SUPERVISION_ORDER = "supervision_order", "特种设备安全监察指令书"


class ClockState(models.TextChoices):
    RUNNING = "running", "期限内"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    STOPPED = "stopped", "已办结"
