from django.db import models


class CatalogueLevel(models.TextChoices):
    TYPE = "type", "种类"
    CATEGORY = "category", "类别"
    VARIETY = "variety", "品种"


class EquipmentStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    IDLE = "idle", "停用"
    SCRAPPED = "scrapped", "报废"
    DEREGISTERED = "deregistered", "注销"


# The only status changes a device may make; 报废 and 注销 are final.
STATUS_TRANSITIONS = {
    EquipmentStatus.IN_USE: {EquipmentStatus.IDLE, EquipmentStatus.SCRAPPED, EquipmentStatus.DEREGISTERED},
    EquipmentStatus.IDLE: {EquipmentStatus.IN_USE, EquipmentStatus.SCRAPPED, EquipmentStatus.DEREGISTERED},
    EquipmentStatus.SCRAPPED: set(),
    EquipmentStatus.DEREGISTERED: set(),
}
REGISTERED = (EquipmentStatus.IN_USE, EquipmentStatus.IDLE)


class DueState(models.TextChoices):
    NORMAL = "normal", "正常"
    WARNING = "warning", "预警"
    OVERDUE = "overdue", "超期"
    FAILED = "failed", "不合格停用"
    NOT_APPLICABLE = "n/a", "不适用"


class ExamConclusion(models.TextChoices):
    PASSED = "passed", "合格"
    PASSED_ON_RECHECK = "passed_recheck", "复检合格"
    FAILED = "failed", "不合格"
    MONITORED = "monitored", "允许监控使用"


PASSING = (ExamConclusion.PASSED, ExamConclusion.PASSED_ON_RECHECK, ExamConclusion.MONITORED)


# Producer licences are the licence register's rows of this kind (licences.LicenceKind code, seeded there) and
# this 主体业态 (特种设备生产); their 许可项目 are LicenceItem codes in Licence.item_codes.
PRODUCER_LICENCE_KIND = "special_equipment"
PRODUCER_SECTOR = "special_equipment"


class LicenceItem(models.TextChoices):
    MANUFACTURE = "manufacture", "制造"
    INSTALL = "install", "安装"
    MODIFY = "modify", "改造"
    REPAIR = "repair", "修理"
    FILL = "fill", "充装"
    MAINTAIN = "maintain", "维护保养"
    DESIGN = "design", "设计"


class TaskKind(models.TextChoices):
    EXAM_OVERDUE = "exam_overdue", "定期检验超期核查"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已撤销"
