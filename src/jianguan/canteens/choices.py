from django.db import models


class MingchuStatus(models.TextChoices):
    """明厨亮灶: a canteen's kitchen shown to diners (已建) and, beyond that, streamed to a supervision platform."""

    NONE = "none", "未建"
    BUILT = "built", "已建"
    CONNECTED = "connected", "已接入平台"


class ChangeKind(models.TextChoices):
    """What happened to a canteen's 明厨亮灶 (seed 004 counts 新接入 and 改接 apart)."""

    BUILT = "built", "建成"
    CONNECTED = "connected", "新接入平台"
    RECONNECTED = "reconnected", "改接新平台"


# The status each change leaves, and the statuses it may start from (a canteen connected without a
# separate build date is built on the day it connects).
CHANGE_TO = {ChangeKind.BUILT: MingchuStatus.BUILT, ChangeKind.CONNECTED: MingchuStatus.CONNECTED,
             ChangeKind.RECONNECTED: MingchuStatus.CONNECTED}
CHANGE_FROM = {
    ChangeKind.BUILT: {MingchuStatus.NONE},
    ChangeKind.CONNECTED: {MingchuStatus.NONE, MingchuStatus.BUILT},
    ChangeKind.RECONNECTED: {MingchuStatus.CONNECTED},
}


class SchoolLevel(models.TextChoices):
    KINDERGARTEN = "kindergarten", "幼儿园"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    NINE_YEAR = "nine_year", "九年一贯制学校"
    VOCATIONAL = "vocational", "中等职业学校"
    COLLEGE = "college", "高等院校"
    OTHER = "other", "其他"


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    FAIL = "fail", "不合格"
