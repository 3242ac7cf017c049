from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.org.models import OrgUnit, Subdistrict

from .choices import CampaignStatus
from .rules import campaign_scope_problem

USER = settings.AUTH_USER_MODEL


class Campaign(models.Model):
    """专项行动/专项整治: its plan and scope. Its figures are counted by the apps whose records are linked
    to it (inspections: the campaign.* indicators), and the checklist its inspections start from is kept
    by inspections (CampaignChecklist)."""

    code = models.CharField("编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    lead_department = models.ForeignKey(OrgUnit, verbose_name="牵头科室", on_delete=models.PROTECT, related_name="campaigns")
    description = models.TextField("工作要求", blank=True)
    entity_types = models.JSONField("主体类型范围", default=list, blank=True)
    industries = models.JSONField("行业范围（代码前缀）", default=list, blank=True)
    equipment_types = models.JSONField("设备种类范围", default=list, blank=True)
    subdistricts = models.ManyToManyField(Subdistrict, verbose_name="街道范围", blank=True, related_name="+")
    targets = models.ManyToManyField(Business, verbose_name="目标名单", blank=True, related_name="campaign_targets")
    goals = models.JSONField("工作目标", default=dict, blank=True, help_text='如 {"businesses": 50, "devices": 100}')
    status = models.CharField("状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        # The table (and its scope tables, inspections_campaign_subdistricts/_targets) keeps the name it
        # had when campaigns lived in inspections: the move changed no data (campaigns 0001, inspections 0005).
        db_table = "inspections_campaign"
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        ordering = ["-start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="campaign_end_after_start",
                violation_error_message="结束日期不能早于开始日期",
            )
        ]

    def __str__(self):
        return self.name

    def scope_problem(self, business: Business, device_types=()) -> str | None:
        """Why the business (and the kinds of device concerned) is outside this campaign's scope; None when inside."""
        return campaign_scope_problem(
            entity_types=self.entity_types, industries=self.industries, equipment_types=self.equipment_types,
            subdistrict_ids={s.pk for s in self.subdistricts.all()}, business_entity_type=business.entity_type,
            business_industry=business.industry_code, business_subdistrict_id=business.subdistrict_id,
            device_types=list(device_types),
        )
