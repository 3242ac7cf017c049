from django.db import models


class SamplingType(models.TextChoices):
    SUPERVISION = "supervision", "监督抽检"
    RISK = "risk", "风险监测"
    EVALUATION = "evaluation", "评价性抽检"


class Conclusion(models.TextChoices):
    """The result of testing. 风险监测 finds 问题样品, never 不合格: it does not enter 合格率."""

    PENDING = "pending", "待检验"
    QUALIFIED = "qualified", "合格"
    UNQUALIFIED = "unqualified", "不合格"
    PROBLEM = "problem", "问题样品"


class RetestOutcome(models.TextChoices):
    UPHELD = "upheld", "维持原检验结论"
    OVERTURNED = "overturned", "复检合格，原结论不成立"


class ObjectionOutcome(models.TextChoices):
    REJECTED = "rejected", "异议不成立"
    ACCEPTED = "accepted", "异议成立，撤销原结论"


class DisposalStatus(models.TextChoices):
    """Where the disposal (核查处置) of a sample stands; derived from its dates, stored for lists and filters."""

    NONE = "none", "无需处置"
    AWAITING = "awaiting", "待出具报告"
    DISPOSING = "disposing", "核查处置中"
    DISPOSED = "disposed", "已处置"


class QuickTestMode(models.TextChoices):
    STATION = "station", "快检室"
    MOBILE = "mobile", "流动快检"


class QuickTestResult(models.TextChoices):
    NEGATIVE = "negative", "阴性"
    POSITIVE = "positive", "阳性"


# Items a quick-test form suggests (free text: a kit may test what this list does not name).
QUICKTEST_ITEMS = ("农药残留", "兽药残留", "非法添加", "二氧化硫", "甲醛", "亚硝酸盐", "吊白块", "瘦肉精", "孔雀石绿", "其他")
