from django.conf import settings
from django.db import models


class ReportTemplate(models.Model):
    """A report's text with placeholders. Built-in ones ship as files and are copied here when first used;
    department staff may edit the copy and restore the shipped version."""

    key = models.SlugField("模板标识", max_length=50, unique=True)
    title = models.CharField("名称", max_length=100)
    body = models.TextField("模板正文")
    builtin = models.BooleanField("内置模板", default=False)
    customized = models.BooleanField("已修改内置模板", default=False)
    version = models.IntegerField("版本", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True, on_delete=models.PROTECT)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "报表模板"
        verbose_name_plural = "报表模板"
        ordering = ["key"]

    def __str__(self):
        return self.title


class ReportSnapshot(models.Model):
    """A generated report kept as it was: parameters, values, text and their hash."""

    template_key = models.CharField("模板标识", max_length=50, db_index=True)
    template_title = models.CharField("模板名称", max_length=100)
    template_version = models.IntegerField("模板版本")
    parameters = models.JSONField("参数")
    values = models.JSONField("指标值")
    text = models.TextField("正文")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "报表快照"
        verbose_name_plural = "报表快照"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.template_title} {self.parameters.get('period', '')} {self.created_at:%Y-%m-%d %H:%M}"
