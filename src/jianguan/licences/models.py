from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.core.models import Reference

from .choices import CanteenKind, Domain, LicenceStatus


class LicenceKind(Reference):
    """许可种类: 食品经营许可证, 药品经营许可证（零售）, 特种设备生产许可证 … (a bureau may add its own)."""

    domain = models.CharField("领域", max_length=20, choices=Domain.choices, default=Domain.OTHER)
    # Kinds whose 许可项目 form a catalogue (特种设备生产: 制造、安装…) keep them as codes in Licence.item_codes.
    has_item_codes = models.BooleanField("许可项目按目录", default=False)

    class Meta(Reference.Meta):
        verbose_name = "许可种类"
        verbose_name_plural = "许可种类"


class Sector(Reference):
    """主体业态: 超市, 小型餐饮, 学校食堂, 药品零售 … — what a licensed subject does, as the licence records it."""

    domain = models.CharField("领域", max_length=20, choices=Domain.choices, default=Domain.OTHER)
    canteen = models.CharField("食堂类别", max_length=10, choices=CanteenKind.choices, default=CanteenKind.NONE, blank=True)

    class Meta(Reference.Meta):
        verbose_name = "主体业态"
        verbose_name_plural = "主体业态"


class Licence(models.Model):
    """A licence (or 备案, 登记) held by a business or another organisation."""

    number = models.CharField("许可证编号", max_length=60, unique=True)
    kind = models.ForeignKey(LicenceKind, verbose_name="许可种类", on_delete=models.PROTECT, related_name="licences")
    business = models.ForeignKey(Business, verbose_name="持证主体", on_delete=models.PROTECT, related_name="licences")
    sector = models.ForeignKey(Sector, verbose_name="主体业态", on_delete=models.PROTECT, related_name="licences", null=True, blank=True)
    items = models.CharField("经营项目", max_length=500, blank=True)
    item_codes = models.JSONField("许可项目编码", default=list, blank=True, help_text="许可项目按目录的许可种类：项目编码列表")
    issued_on = models.DateField("发证日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="备案、登记无有效期的留空")
    status = models.CharField("状态", max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    status_date = models.DateField("注销（吊销）日期", null=True, blank=True)
    version = models.IntegerField("版本", default=1)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "许可证"
        verbose_name_plural = "许可证"
        ordering = ["kind__order", "number"]
        indexes = [
            # A subject's licences, with every column the validity test (rules.valid_q) and the figures by 业态 and
            # 许可种类 read: those figures look up each inspection's licences here without reading the table.
            models.Index(
                fields=["business", "sector", "kind", "issued_on", "valid_until", "status", "status_date"],
                name="licence_held_on",
            ),
            models.Index(fields=["kind", "status", "valid_until"], name="licence_kind_status"),
            models.Index(fields=["sector", "business"], name="licence_sector_business"),
            models.Index(fields=["valid_until"], name="licence_valid_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["cancelled", "revoked"]) | Q(status_date__isnull=False),
                name="licence_end_date_required",
                violation_error_message="注销或吊销的许可证须填写注销（吊销）日期",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(issued_on__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                name="licence_dates_in_order",
                violation_error_message="有效期至不能早于发证日期",
            ),
        ]

    def __str__(self):
        return self.number
