"""抽检 page forms: input shapes only. The rules (clocks, who may write where, what a conclusion asks for) are
the services'; their DomainError lands next to the field it names, so each form names its fields as the
service's errors do (number, business_uscc, report_on, items, retest_requested_on, no_case_reason…)."""

import re

from django import forms
from django.utils import timezone

from jianguan.campaigns.choices import CampaignStatus
from jianguan.campaigns.models import Campaign
from jianguan.campaigns.selectors import campaign_list
from jianguan.cases.forms import (
    SubdistrictField,
    choice_field,
    date_field,
    text_area,
    text_field,
    version_field,
)
from jianguan.core.errors import DomainError
from jianguan.equipment.forms import DomainErrorMixin
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import (
    QUICKTEST_ITEMS,
    Conclusion,
    ObjectionOutcome,
    QuickTestMode,
    QuickTestResult,
    RetestOutcome,
    SamplingType,
)
from .models import BusinessFormat, FoodCategory
from .rules import conclusions_allowed
from .services import Item, Target

MAX_ITEMS = 30  # 不合格项目 rows a result may carry (a report lists a handful)
ITEM_ROW = re.compile(r"item_(\d{1,2})_name$")
QTY_ERRORS = {"invalid": "数量须为数字，如 12 或 3.5", "min_value": "数量不能为负数", "max_digits": "数量过大",
              "max_decimal_places": "数量最多两位小数", "max_whole_digits": "数量过大"}


def qty_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, min_value=0, max_digits=14, decimal_places=2,
                              error_messages={k: f"{label}：{v}" for k, v in QTY_ERRORS.items()},
                              widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


class ReferenceField(forms.ModelChoiceField):
    """A 食品大类 or 业态 in use (a disabled row stays on old samples, not in new ones)."""

    def __init__(self, model, label: str, **kwargs):
        super().__init__(queryset=model.objects.filter(disabled_on__isnull=True), empty_label="请选择", label=label,
                         error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}无效，请重新选择"}, **kwargs)


def subdistrict_field(**kwargs) -> SubdistrictField:
    return SubdistrictField(label="所属街道", required=False, queryset=Subdistrict.objects.none(),
                            empty_label="按登记主体的街道", error_messages={"invalid_choice": "所选街道无效"}, **kwargs)


def campaign_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="专项行动", required=False, queryset=Campaign.objects.none(), empty_label="不属于专项行动",
                                  error_messages={"invalid_choice": "所选专项行动无效"})


class SamplingForm(DomainErrorMixin, forms.Form):
    """Every form of a sample's page: the version the page was drawn from (optimistic lock); required dates
    default to today; `actor` and `record` for choices that depend on who fills it in and on what."""

    # A service's field name -> the form field its message is shown next to.
    ALIASES: dict[str, str] = {}

    version = version_field()

    def __init__(self, *args, actor: User | None = None, record=None, **kwargs):
        self.actor, self.record = actor, record
        super().__init__(*args, **kwargs)
        self.order_fields([n for n in self.fields if n != "version"] + ["version"])
        if not self.is_bound:
            for name, f in self.fields.items():
                if isinstance(f, forms.DateField) and f.required:
                    self.initial.setdefault(name, timezone.localdate())

    def scope_fields(self) -> None:
        if "subdistrict" in self.fields:
            scope = subdistricts_in_scope(actor=self.actor) if self.actor else Subdistrict.objects.all()
            self.fields["subdistrict"].queryset = scope.select_related("station").order_by("station__code", "code")
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = campaign_list(actor=self.actor, filters={"status": CampaignStatus.ACTIVE})
            if not self.fields["campaign"].queryset.exists() and not self.initial.get("campaign"):
                self.fields.pop("campaign")

    def add_domain_error(self, exc: DomainError) -> None:
        field = (exc.extra or {}).get("field")
        if field in self.ALIASES:
            exc = DomainError(exc.code, exc.message, {**exc.extra, "field": self.ALIASES[field]})
        super().add_domain_error(exc)


# ---------------------------------------------------------------- recording a sample


class SampleForm(SamplingForm):
    """抽样单: the sampled business by its code (a registered business brings its name and subdistrict) or by
    name and subdistrict; 业态 and 食品大类 from the reference tables; 送检 may be entered at once."""

    number = text_field("抽样单编号", max_length=60, required=True, help_text="抽样单上的编号，唯一")
    sampled_on = date_field("抽样日期")
    sampling_type = choice_field("抽检类型", SamplingType.choices, blank="")
    business_uscc = text_field("被抽样单位统一社会信用代码", max_length=40, help_text="登记在册的主体自动带出名称和所属街道")
    business_name = text_field("被抽样单位名称", help_text="未登记的摊位、商户填写名称并选择所属街道")
    subdistrict = subdistrict_field()
    business_format = ReferenceField(BusinessFormat, "业态")
    food_category = ReferenceField(FoodCategory, "食品大类")
    sample_name = text_field("样品名称", required=True)
    specification = text_field("规格型号", max_length=100)
    batch = text_field("生产日期或批号", max_length=100)
    producer_name = text_field("标称生产者名称", help_text="生产者常在外地，按标签填写")
    producer_uscc = text_field("标称生产者统一社会信用代码", max_length=40)
    institution = text_field("检验机构")
    sent_on = date_field("送检日期", required=False, help_text="已送检的可一并填写；抽样后5个工作日内送达检验机构")
    campaign = campaign_field()
    quick_test = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        self.initial.setdefault("sampling_type", SamplingType.SUPERVISION)
        self.scope_fields()


# ---------------------------------------------------------------- the steps of a sample


class SendForm(SamplingForm):
    institution = text_field("检验机构", help_text="不填则沿用抽样时登记的检验机构")
    sent_on = date_field("送检日期", help_text="检验机构收到样品之日，自此起算20个工作日的报告期限")


class ResultForm(SamplingForm):
    """The institution's report, and for 不合格 (a 问题样品 of 风险监测) its items: several rows of name,
    measured value, standard value and unit. Rows are numbered fields (item_1_name…): the page shows a few
    empty ones and a button adds more."""

    conclusion = choice_field("检验结论", [], widget=forms.RadioSelect, blank="")
    institution = text_field("检验机构", help_text="不填则沿用已登记的检验机构")
    report_on = date_field("报告日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sampling_type = getattr(self.record, "sampling_type", SamplingType.SUPERVISION)
        allowed = [c for c in conclusions_allowed(sampling_type) if c != Conclusion.PENDING]
        self.fields["conclusion"].choices = [(c, Conclusion(c).label) for c in allowed]
        self.item_errors: list[str] = []
        if self.is_bound:
            numbers = [int(m.group(1)) for key in self.data if (m := ITEM_ROW.match(key))]
            rows = min(max(numbers, default=0), MAX_ITEMS)
        else:
            existing = list(self.record.items.all()) if getattr(self.record, "pk", None) else []
            rows = max(3, len(existing) + 1)
            for n, item in enumerate(existing, 1):
                for part in ("name", "measured", "standard", "unit"):
                    self.initial[f"item_{n}_{part}"] = getattr(item, part)
        self.rows = max(rows, 1)
        for n in range(1, self.rows + 1):
            for part, label, size in (("name", "项目", 100), ("measured", "检验结果", 50), ("standard", "标准值", 50),
                                      ("unit", "单位", 20)):
                self.fields[f"item_{n}_{part}"] = forms.CharField(
                    label=f"第{n}项{label}", max_length=size, required=False,
                    error_messages={"max_length": f"第{n}项{label}不能超过 {size} 个字"})

    def item_rows(self) -> list[list]:
        """The bound fields of each row, for the page's table."""
        return [[self[f"item_{n}_{part}"] for part in ("name", "measured", "standard", "unit")] for n in range(1, self.rows + 1)]

    def clean(self):
        data = super().clean()
        for n in range(1, self.rows + 1):
            values = [(data.get(f"item_{n}_{p}") or "").strip() for p in ("name", "measured", "standard", "unit")]
            if any(values[1:]) and not values[0]:
                self.add_error(f"item_{n}_name", f"第{n}项填写了检验结果或标准值，请填写项目名称")
        return data

    def items(self) -> list[Item]:
        data = self.cleaned_data
        out = []
        for n in range(1, self.rows + 1):
            name = (data.get(f"item_{n}_name") or "").strip()
            if name:
                out.append(Item(name, *((data.get(f"item_{n}_{p}") or "").strip() for p in ("measured", "standard", "unit"))))
        return out

    def add_domain_error(self, exc: DomainError) -> None:
        if (exc.extra or {}).get("field") == "items":
            self.item_errors.append(exc.message)
            return
        super().add_domain_error(exc)


class ServeForm(SamplingForm):
    served_on = date_field("送达日期", help_text="不合格检验结论送达被抽样单位之日；自此起算7个工作日的复检、异议期限")


class RetestRequestForm(SamplingForm):
    retest_institution = text_field("复检机构")
    retest_requested_on = date_field("申请复检日期", help_text="须在送达之日起7个工作日内提出，逾期不予受理")


class RetestResultForm(SamplingForm):
    retest_outcome = choice_field("复检结论", RetestOutcome.choices, widget=forms.RadioSelect, blank="")
    retest_report_on = date_field("复检报告日期", help_text="复检结论为最终检验结论")


class ObjectionForm(SamplingForm):
    objection_on = date_field("提出异议日期", help_text="对抽样过程、样品真实性或检验方法有异议的，须在送达之日起7个工作日内提出")
    objection_outcome = choice_field("异议处理结果", ObjectionOutcome.choices, required=False, blank="尚未处理")
    objection_decided_on = date_field("异议处理日期", required=False)


class DisposeForm(SamplingForm):
    """核查处置: what was taken off the shelves, recalled or destroyed, the cause found, and either a case
    lead opened here (移交案件线索) or the reason for not opening one. Without a completion date the record
    is kept as work in progress."""

    ALIASES = {"quantity": "removed_qty", "lead": "open_lead"}

    removed_qty = qty_field("下架数量")
    recalled_qty = qty_field("召回数量")
    destroyed_qty = qty_field("销毁数量")
    qty_unit = text_field("数量单位", max_length=10, help_text="如 公斤、件、箱")
    stopped_selling = forms.BooleanField(label="责令停止经营", required=False)
    cause = text_area("原因排查", rows=3, help_text="不合格原因的排查情况（进货来源、贮存条件等）")
    note = text_area("处置情况", rows=3)
    open_lead = forms.BooleanField(label="移交案件线索", required=False, help_text="勾选后登记一条抽检来源的案件线索（只能移交一次）")
    no_case_reason = text_field("不移交立案的理由", help_text="不移交案件线索的，须写明理由")
    disposed_on = date_field("处置完成日期", required=False, help_text="处置尚未完成的可先不填，保存为处置中")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.record, "lead_id", None):
            self.fields.pop("open_lead")
            self.fields.pop("no_case_reason")


class OpenLeadForm(SamplingForm):
    received_on = date_field("移交日期", help_text="案件线索的受理日期，自此起算立案决定期限")


# ---------------------------------------------------------------- quick tests


class QuickTestForm(SamplingForm):
    """快检 at a market stall: the place and item are kept for the next product, the result is one of two
    big buttons (the form has no other submit)."""

    tested_on = date_field("检测日期")
    mode = choice_field("检测方式", QuickTestMode.choices, blank="", widget=forms.RadioSelect)
    place = text_field("检测地点", required=True, help_text="如 东关农贸市场快检室、某某超市")
    subdistrict = subdistrict_field()
    business_uscc = text_field("受检主体统一社会信用代码", max_length=40, help_text="登记在册的主体可填，自动带出所属街道")
    product = text_field("样品名称", required=True)
    item = text_field("检测项目", max_length=100, required=True)
    campaign = campaign_field()
    note = text_field("备注")
    result = choice_field("检测结果", QuickTestResult.choices, blank="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        self.initial.setdefault("mode", QuickTestMode.STATION)
        self.fields["item"].widget.attrs["list"] = "quicktest-items"
        for name in ("place", "product", "item", "business_uscc"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.scope_fields()

    @staticmethod
    def suggestions() -> tuple[str, ...]:
        return QUICKTEST_ITEMS


# ---------------------------------------------------------------- plans


class DepartmentField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT, disabled_on__isnull=True).order_by("code"),
                         empty_label="请选择", label="承担科室",
                         error_messages={"required": "请选择承担科室", "invalid_choice": "承担科室无效，请重新选择"}, **kwargs)


TARGET_ROWS = 6  # empty target lines the plan form offers (more after saving)


class PlanForm(SamplingForm):
    """年度抽检计划: batches in all, the 批次/千人 target, and target lines by 食品大类 and/or 业态."""

    department = DepartmentField()
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写年度", "invalid": "年度须为四位数字",
                                              "min_value": "年度不能早于2000年", "max_value": "年度不能晚于2100年"})
    title = text_field("计划名称", required=True, help_text="如 2026年食品安全监督抽检计划")
    batches = forms.IntegerField(label="计划批次", min_value=0, max_value=10**8,
                                 error_messages={"required": "请填写计划批次", "invalid": "计划批次须为整数",
                                                 "min_value": "计划批次不能为负数", "max_value": "计划批次过大"})
    per_thousand_target = forms.DecimalField(
        label="批次/千人目标", required=False, min_value=0, max_digits=6, decimal_places=2, help_text="国家目标为每年4批次/千人",
        error_messages={"invalid": "批次/千人目标须为数字，如 4 或 4.5", "min_value": "批次/千人目标不能为负数",
                        "max_digits": "批次/千人目标过大", "max_decimal_places": "批次/千人目标最多两位小数", "max_whole_digits": "批次/千人目标过大"})
    note = text_area("说明", rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_errors: list[str] = []
        if not self.record:
            self.fields.pop("version")
            if not self.is_bound and self.actor is not None and self.actor.role == Role.DEPARTMENT:
                self.initial.setdefault("department", self.actor.org_unit_id)
        else:
            self.fields["department"].disabled = True
            self.fields["year"].disabled = True
        existing = list(self.record.targets.all()) if self.record else []
        if self.is_bound:
            numbers = [int(m.group(1)) for key in self.data if (m := re.match(r"target_(\d{1,3})_batches$", key))]
            rows = min(max(numbers, default=0), 200)
        else:
            rows = len(existing) + TARGET_ROWS
            for n, t in enumerate(existing, 1):
                self.initial.update({f"target_{n}_category": t.food_category_id, f"target_{n}_format": t.business_format_id,
                                     f"target_{n}_batches": t.batches})
        self.rows = rows
        for n in range(1, rows + 1):
            self.fields[f"target_{n}_category"] = forms.ModelChoiceField(
                queryset=FoodCategory.objects.filter(disabled_on__isnull=True), required=False, empty_label="（不分大类）",
                label=f"第{n}行食品大类", error_messages={"invalid_choice": f"第{n}行食品大类无效"})
            self.fields[f"target_{n}_format"] = forms.ModelChoiceField(
                queryset=BusinessFormat.objects.filter(disabled_on__isnull=True), required=False, empty_label="（不分业态）",
                label=f"第{n}行业态", error_messages={"invalid_choice": f"第{n}行业态无效"})
            self.fields[f"target_{n}_batches"] = forms.IntegerField(
                required=False, min_value=0, max_value=10**8, label=f"第{n}行批次",
                error_messages={"invalid": f"第{n}行批次须为整数", "min_value": f"第{n}行批次不能为负数", "max_value": f"第{n}行批次过大"})

    def target_rows(self) -> list[list]:
        return [[self[f"target_{n}_{p}"] for p in ("category", "format", "batches")] for n in range(1, self.rows + 1)]

    def clean(self):
        data = super().clean()
        for n in range(1, self.rows + 1):
            category, fmt, batches = (data.get(f"target_{n}_{p}") for p in ("category", "format", "batches"))
            if (category or fmt) and batches is None and f"target_{n}_batches" not in self.errors:
                self.add_error(f"target_{n}_batches", f"第{n}行请填写计划批次")
            if batches is not None and not (category or fmt):
                self.add_error(f"target_{n}_category", f"第{n}行请选择食品大类或业态")
        return data

    def targets(self) -> list[Target]:
        data = self.cleaned_data
        return [Target(batches=data[f"target_{n}_batches"], food_category=data.get(f"target_{n}_category"),
                       business_format=data.get(f"target_{n}_format"))
                for n in range(1, self.rows + 1) if data.get(f"target_{n}_batches") is not None]

    def add_domain_error(self, exc: DomainError) -> None:
        if (exc.extra or {}).get("field") == "targets":
            self.target_errors.append(exc.message)
            return
        super().add_domain_error(exc)
