from django.db import models


class AbnormalReason(models.TextChoices):
    """The four reasons for the abnormal operations list (企业经营异常名录管理暂行办法 art. 4)."""

    NO_ANNUAL_REPORT = "no_annual_report", "未按规定报送年度报告"
    NOT_DISCLOSED = "not_disclosed", "未按责令期限公示有关信息"
    FALSE_INFO = "false_info", "公示信息隐瞒真实情况、弄虚作假"
    UNREACHABLE = "unreachable", "通过登记的住所或者经营场所无法联系"


class EntryKind(models.TextChoices):
    """Enterprises and cooperatives are listed (列入); individual businesses are only marked (标记)."""

    LIST = "list", "列入经营异常名录"
    MARK = "mark", "标记为经营异常状态"


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", "待决定"
    DECLINED = "declined", "不予列入"
    LISTED = "listed", "在列"
    REMOVED = "removed", "已移出"


# Which statuses an entry may move to from each (the services check every transition against this).
ENTRY_TRANSITIONS = {
    EntryStatus.PROPOSED: {EntryStatus.LISTED, EntryStatus.DECLINED},
    EntryStatus.LISTED: {EntryStatus.REMOVED},
    EntryStatus.DECLINED: set(),
    EntryStatus.REMOVED: set(),
}
ACTIVE_STATUSES = (EntryStatus.PROPOSED, EntryStatus.LISTED)


class RemovalReason(models.TextChoices):
    CURED = "cured", "申请移出（已纠正）"
    FILED = "filed", "补报年度报告（个体工商户自动恢复）"
    EXPIRED = "expired", "期满移出"
    ESCALATED = "escalated", "列入严重违法失信名单"
    REVOKED = "revoked", "决定撤销（错误列入）"


class SeriousSource(models.TextChoices):
    ABNORMAL = "abnormal", "列入经营异常名录届满3年"
    PENALTY = "penalty", "行政处罚（严重违法失信行为）"


class DecisionKind(models.TextChoices):
    """One numbered decision (决定书) per batch: its document lists every business it decides."""

    ABNORMAL_LIST = "credit_abnormal_list", "列入经营异常名录决定书"
    ABNORMAL_MARK = "credit_abnormal_mark", "标记经营异常状态决定书"
    ABNORMAL_REMOVE = "credit_abnormal_remove", "移出经营异常名录决定书"
    SERIOUS_LIST = "credit_serious_list", "列入严重违法失信名单决定书"
    SERIOUS_REMOVE = "credit_serious_remove", "移出严重违法失信名单决定书"
    REPAIR = "credit_repair", "信用修复决定书"


class RepairTarget(models.TextChoices):
    PUBLICATION = "publication", "行政处罚信息提前停止公示"
    ABNORMAL = "abnormal", "移出经营异常名录"
    SERIOUS = "serious", "提前移出严重违法失信名单"


class RepairStatus(models.TextChoices):
    PENDING = "pending", "待决定"
    GRANTED = "granted", "准予修复"
    REFUSED = "refused", "不予修复"

