from django.db import models
from django.utils import timezone


def _upload_to(instance, filename: str) -> str:
    # one folder per kind and year of issue, so that no folder grows without end
    year = str(instance.context.get("issued_on") or "")[:4] or str(timezone.localdate().year)
    return f"documents/{instance.kind}/{year}/{filename}"


class IssuedDocument(models.Model):
    """A numbered document as issued: the Word file (Django storage), what it was rendered from, and which
    record issued it. The file is kept, not regenerated, so that what the party received stays what the
    system shows even when the business's name or address changes later."""

    kind = models.CharField("文书种类", max_length=50, db_index=True)
    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    # "app_label.model:pk" of the issuing record: a generic reference, so core knows no higher app.
    owner_ref = models.CharField("签发记录", max_length=100, db_index=True)
    file = models.FileField("文件", upload_to=_upload_to, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    context = models.JSONField("生成数据", default=dict)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey("org.User", verbose_name="生成人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        app_label = "core"
        verbose_name = "已生成文书"
        verbose_name_plural = "已生成文书"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title} {self.number}".strip()
