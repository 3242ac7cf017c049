from django.db import models


class Domain(models.TextChoices):
    """The field of supervision a licence kind or a 业态 belongs to (the seeds' sections: 食品, 两品一械 …)."""

    FOOD = "food", "食品"
    DRUG = "drug", "药品"
    DEVICE = "device", "医疗器械"
    COSMETIC = "cosmetic", "化妆品"
    INDUSTRIAL = "industrial", "工业产品"
    SPECIAL_EQUIPMENT = "special_equipment", "特种设备"
    OTHER = "other", "其他"


class CanteenKind(models.TextChoices):
    """Whether a 业态 is a canteen, and a school one (学校食堂、托幼机构食堂 count as school canteens)."""

    NONE = "", "非食堂"
    SCHOOL = "school", "学校（托幼）食堂"
    OTHER = "other", "其他食堂"


class LicenceStatus(models.TextChoices):
    VALID = "valid", "有效"
    CANCELLED = "cancelled", "注销"
    REVOKED = "revoked", "吊销"
    EXPIRED = "expired", "过期"


# A licence ends by a decision (注销、吊销) on its status date, or by its term (过期) the day after valid_until.
ENDED_BY_DECISION = (LicenceStatus.CANCELLED, LicenceStatus.REVOKED)
