import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from .choices import OrgKind, Role


class OrgUnit(models.Model):
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices)
    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("编码", max_length=30, unique=True)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)
    disabled_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class Subdistrict(models.Model):
    code = models.CharField("街道代码", max_length=20, unique=True)
    name = models.CharField("街道名称", max_length=100, unique=True)
    station = models.ForeignKey(
        OrgUnit,
        verbose_name="所属监管所",
        on_delete=models.PROTECT,
        related_name="subdistricts",
        limit_choices_to={"kind": OrgKind.STATION},
    )

    class Meta:
        verbose_name = "街道（乡镇）"
        verbose_name_plural = "街道（乡镇）"
        ordering = ["code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.STATION)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所在机构", null=True, blank=True, on_delete=models.PROTECT)
    full_name = models.CharField("姓名", max_length=50, blank=True)
    # 执法证: an inspection by the bureau needs inspectors whose certificate is valid on its date.
    cert_no = models.CharField("执法证号", max_length=40, null=True, blank=True, unique=True)
    cert_valid_until = models.DateField("执法证有效期至", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    @property
    def station_scoped(self) -> bool:
        return self.role == Role.STATION

    def cert_valid_on(self, day) -> bool:
        return bool(self.cert_no) and self.cert_valid_until is not None and self.cert_valid_until >= day


class ApiToken(models.Model):
    """A token for another system; only its SHA-256 is kept, so a leaked database leaks no token."""

    user = models.ForeignKey(User, verbose_name="所属用户", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=8, db_index=True)
    digest = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
