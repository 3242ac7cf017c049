"""Inspection page forms: input checks only; the rules (inspector counts, deadlines, transitions,
file types) live in the services, whose DomainError is shown next to the field it names."""

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse_lazy

from jianguan.businesses import selectors as business_selectors
from jianguan.businesses.choices import EntityType
from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.campaigns import selectors as campaign_selectors
from jianguan.campaigns.choices import GOAL_KEYS, CampaignStatus
from jianguan.campaigns.models import Campaign
from jianguan.core.errors import DomainError, NotFound
from jianguan.equipment import selectors as equipment_selectors
from jianguan.equipment.forms import DATE_INPUT_FORMATS, DateInput, DomainErrorMixin
from jianguan.equipment.models import CatalogueEntry, Equipment
from jianguan.org.models import User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import (
    EXTERNAL_KINDS,
    DocumentKind,
    Escalation,
    InspectionKind,
    InspectionResult,
    ItemOutcome,
    Severity,
)
from .models import Checklist
from .selectors import campaign_checklist

DATE_ERRORS = {"required": "请填写日期", "invalid": "日期无法识别，请写成 2026-11-25"}
VERSION_ERRORS = {"required": "页面已过期，请刷新后重试", "invalid": "页面已过期，请刷新后重试"}
UPLOAD_ACCEPT = "image/*,application/pdf"


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DateInput(), help_text=help_text,
        error_messages=DATE_ERRORS,
    )


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, error_messages=VERSION_ERRORS)


def choice_field(label: str, choices, *, required: bool = True, blank: str = "请选择", widget=None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, choices=([("", blank)] if blank else []) + list(choices), widget=widget,
        error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}无效，请重新选择"},
    )


def text_area(
    label: str, *, required: bool = True, rows: int = 3, max_length: int = 4000, placeholder: str = "", help_text: str = "",
) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "placeholder": placeholder}),
        error_messages={"required": f"请填写{label}"},
    )


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        unit = f"{user.org_unit.name}，" if user.org_unit_id else ""
        return f"{user}（{unit}执法证 {user.cert_no}）"


def inspector_choices(actor: User) -> "forms.QuerySet[User]":
    """Users holding a 执法证, the actor's own unit first."""
    own = actor.org_unit_id or 0
    return (
        User.objects.filter(is_active=True, cert_no__isnull=False).exclude(cert_no="").select_related("org_unit")
        .annotate(own=Case(When(org_unit_id=own, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("own", "org_unit__code", "full_name", "username")
    )


def inspector_field(actor: User, label: str = "检查人员", help_text: str = "") -> InspectorChoiceField:
    return InspectorChoiceField(
        label=label, queryset=inspector_choices(actor), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=help_text, error_messages={"invalid_choice": "所选检查人员无效", "invalid_pk_value": "所选检查人员无效"},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": UPLOAD_ACCEPT, "capture": "environment", "multiple": True, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Several photos or PDFs in one input; their content is checked by the attachment service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        else:
            files = [super().clean(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [f for f in files if f]


def resolve_business(actor: User, raw: str) -> tuple[Business | None, str]:
    """A business in the actor's scope by USCC or by (part of) its name: (business, error message)."""
    raw = (raw or "").strip()
    if not raw:
        return None, "请填写检查对象的统一社会信用代码或名称"
    try:
        uscc = normalize_uscc(raw)
    except UsccError:
        uscc = None
    if uscc:
        try:
            return business_selectors.business_get(actor=actor, uscc=uscc), ""
        except NotFound:
            return None, f"未找到统一社会信用代码为 {uscc} 的市场主体，或其不在您的辖区范围内"
    qs = business_selectors.business_list(actor=actor)
    exact = list(qs.filter(name=raw)[:2])
    if len(exact) == 1:
        return exact[0], ""
    matches = list(qs.filter(name__contains=raw)[:2])
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        return None, f"未找到名称含“{raw}”的市场主体，或其不在您的辖区范围内"
    return None, f"名称含“{raw}”的市场主体不止一家，请从候选中选择或填写统一社会信用代码"


# ---------------------------------------------------------------- inspections


class InspectionForm(DomainErrorMixin, forms.Form):
    kind = choice_field("检查类型", InspectionKind.choices, blank="")
    business = forms.CharField(
        label="检查对象", max_length=200, help_text="统一社会信用代码或名称，输入后可从候选中选择",
        widget=forms.TextInput(attrs={
            "list": "business-options", "autocomplete": "off", "placeholder": "18位代码或单位名称",
            "hx-get": reverse_lazy("inspections:business_lookup"), "hx-trigger": "input changed delay:300ms, change",
            "hx-target": "#business-options", "hx-swap": "outerHTML", "hx-sync": "this:replace", "hx-include": "#equipment-for",
        }),
        error_messages={"required": "请填写检查对象的统一社会信用代码或名称"},
    )
    date = date_field("检查日期")
    inspectors = forms.Field()  # replaced per actor in __init__
    performed_by = forms.CharField(
        label="实施人", max_length=200, required=False, help_text="企业自查、社区巡查、第三方巡查填写企业、网格员或第三方机构",
    )
    campaign = forms.ModelChoiceField(
        label="专项行动", queryset=Campaign.objects.none(), required=False, to_field_name="code", empty_label="（不属于专项行动）",
        error_messages={"invalid_choice": "所选专项行动无效"},
    )
    checklist = forms.ModelChoiceField(
        label="检查表", queryset=Checklist.objects.none(), required=False, empty_label="（默认：专项行动的检查表；无则不用检查表）",
        error_messages={"invalid_choice": "所选检查表无效"},
    )
    equipment = forms.ModelMultipleChoiceField(
        label="检查设备", queryset=Equipment.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选设备不属于该检查对象", "invalid_pk_value": "所选设备无效"},
    )

    field_order = ["kind", "business", "date", "inspectors", "performed_by", "campaign", "checklist", "equipment"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["inspectors"] = inspector_field(actor, help_text="本局检查须不少于2名持有效执法证的执法人员")
        self.fields["campaign"].queryset = campaign_selectors.campaign_list(actor=actor, filters={"status": CampaignStatus.ACTIVE})
        self.fields["checklist"].queryset = Checklist.objects.filter(disabled_on__isnull=True).order_by("code", "-version")
        raw = self.data.get("business") if self.is_bound else self.initial.get("business")
        self.found_business, _ = resolve_business(actor, raw) if raw else (None, "")
        if self.found_business is not None:
            self.fields["equipment"].queryset = equipment_selectors.equipment_list(
                actor=actor, filters={"operator": self.found_business.uscc}
            ).order_by("reg_code")

    def clean_business(self):
        business, error = resolve_business(self.actor, self.cleaned_data["business"])
        if business is None:
            raise forms.ValidationError(error)
        return business

    @property
    def external_kinds(self) -> list[str]:
        return [k.value for k in EXTERNAL_KINDS]


class ChecklistForm(DomainErrorMixin, forms.Form):
    """One row per checklist item: four large radio buttons and a note."""

    version = version_field()

    def __init__(self, *args, items, results: dict | None = None, **kwargs):
        results = results or {}
        initial = kwargs.pop("initial", {}) or {}
        for item in items:
            if item.pk in results:
                initial.setdefault(f"outcome_{item.pk}", results[item.pk].outcome)
                initial.setdefault(f"note_{item.pk}", results[item.pk].note)
        super().__init__(*args, initial=initial, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(
                label=item.point, choices=ItemOutcome.choices, required=False, widget=forms.RadioSelect,
                error_messages={"invalid_choice": "检查结果无效，请重新选择"},
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="说明", max_length=500, required=False,
                widget=forms.TextInput(attrs={"placeholder": "不符合时须说明问题", "aria-label": f"第{item.order}项说明"}),
            )

    @property
    def rows(self):
        return [(item, self[f"outcome_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f"outcome_{item.pk}") for item in self.items):
            raise forms.ValidationError("请至少为一个检查要点选择结果")
        return data

    def results(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"outcome_{item.pk}"], data.get(f"note_{item.pk}", ""))
            for item in self.items if data.get(f"outcome_{item.pk}")
        }

    def add_domain_error(self, exc: DomainError) -> None:
        item = (exc.extra or {}).get("item")
        if item is not None and f"outcome_{item}" in self.fields:
            self.add_error(f"note_{item}" if exc.code == "note_required" else f"outcome_{item}", exc.message)
            return
        super().add_domain_error(exc)


class AttachmentForm(DomainErrorMixin, forms.Form):
    attachments = MultipleFileField(
        label="照片或PDF", help_text="可直接拍照，或选择多张照片、PDF 扫描件",
        error_messages={"required": "请选择要上传的照片或PDF文件", "empty": "所选文件为空"},
    )


class CompleteForm(DomainErrorMixin, forms.Form):
    result = choice_field("检查结果", InspectionResult.choices)
    summary = text_area("检查情况", required=False, rows=3)
    deadline = date_field("整改期限", required=False, help_text="检查表有“不符合”项时必填，用于这些项生成的问题")
    version = version_field()


class FreeFindingForm(DomainErrorMixin, forms.Form):
    description = text_area("问题描述", rows=2, max_length=2000)
    # An untouched extra row (severity left at 一般) is no finding: the initial value makes has_changed() false.
    severity = forms.ChoiceField(label="隐患等级", choices=Severity.choices, initial=Severity.GENERAL)
    legal_basis = forms.CharField(label="法律依据", max_length=500, required=False)
    equipment = forms.ModelChoiceField(
        label="涉及设备", queryset=Equipment.objects.none(), required=False, empty_label="（不涉及特种设备）",
        error_messages={"invalid_choice": "所选设备不属于被检查单位"},
    )
    deadline = date_field("整改期限")

    def __init__(self, *args, equipment_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if equipment_qs is not None:
            self.fields["equipment"].queryset = equipment_qs
        self.fields["equipment"].label_from_instance = lambda d: f"{d.reg_code} {d.type.name}"


FreeFindingFormSet = forms.formset_factory(FreeFindingForm, extra=2, max_num=20)


class DocumentForm(DomainErrorMixin, forms.Form):
    kind = choice_field("文书种类", DocumentKind.choices)
    findings = forms.ModelMultipleChoiceField(
        label="涉及问题", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择文书涉及的问题", "invalid_choice": "所选问题无效"},
    )
    issued_on = date_field("下达日期")
    deadline = date_field("整改期限", required=False, help_text="不填则取所选问题中最晚的整改期限")

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = inspection.findings.order_by("pk")
        self.fields["findings"].label_from_instance = lambda f: f"{f.description[:40]}（期限 {f.deadline:%Y-%m-%d}）"


class AmendForm(DomainErrorMixin, forms.Form):
    reason = text_area("更正理由", rows=2, placeholder="如：检查情况录入有误，依现场记录更正")
    result = choice_field("检查结果", InspectionResult.choices)
    summary = text_area("检查情况", required=False, rows=3)
    performed_by = forms.CharField(label="实施人", max_length=200, required=False)
    version = version_field()


class VersionForm(DomainErrorMixin, forms.Form):
    version = version_field()


# ---------------------------------------------------------------- findings


class FindingEditForm(DomainErrorMixin, forms.Form):
    description = text_area("问题描述", rows=3, max_length=2000)
    severity = choice_field("隐患等级", Severity.choices, blank="")
    legal_basis = forms.CharField(label="法律依据", max_length=500, required=False)
    deadline = date_field("整改期限")
    version = version_field()


class ReportForm(DomainErrorMixin, forms.Form):
    submitted_on = date_field("报告日期")
    text = text_area("整改情况", rows=3, placeholder="整改措施与完成情况")
    submitter_name = forms.CharField(label="报告人", max_length=100, required=False, help_text="使用单位报告人姓名")
    attachments = MultipleFileField(label="整改证明", required=False, help_text="整改后照片或PDF，可多选")
    version = version_field()


class RecheckForm(DomainErrorMixin, forms.Form):
    date = date_field("复查日期")
    passed = forms.TypedChoiceField(
        label="复查结论", choices=[("1", "整改到位"), ("0", "整改不到位")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, error_messages={"required": "请选择复查结论"},
    )
    inspectors = forms.Field()
    note = text_area("复查意见", required=False, rows=2)
    new_deadline = date_field("新整改期限", required=False, help_text="整改不到位时必填")
    version = version_field()

    field_order = ["date", "passed", "inspectors", "note", "new_deadline", "version"]

    def __init__(self, *args, actor: User, finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.registrar = actor, recheck_registrar(finding)
        field = inspector_field(actor, "复查人员", help_text="复查须由整改报告登记人以外的执法人员进行")
        # Offer only people the service will accept: not whoever entered the report, certificate valid then.
        field.queryset = field.queryset.exclude(cert_valid_until__lt=finding.reported_on or finding.found_on)
        if self.registrar is not None:
            field.queryset = field.queryset.exclude(pk=self.registrar.pk)
        field.error_messages["invalid_choice"] = "整改报告登记人不能参加复查，所选执法证也须在复查日期有效；请重新选择"
        self.fields["inspectors"] = field
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if self.registrar is not None and self.registrar.pk == self.actor.pk:
            raise forms.ValidationError(refusal_for_registrar())
        return data


def recheck_registrar(finding) -> User | None:
    """Who entered the latest rectification report: the one person who may not re-check it."""
    report = finding.reports.select_related("submitted_by").order_by("-submitted_on", "-pk").first()
    return report.submitted_by if report is not None else None


def refusal_for_registrar() -> str:
    return "整改报告由您登记，复查须由其他执法人员进行：请由所里其他持证人员登录后复查。"


class EscalateForm(DomainErrorMixin, forms.Form):
    escalation = choice_field("处置方式", Escalation.choices)
    on = date_field("处置日期")
    reason = text_area("理由", rows=2)
    version = version_field()


class LiftForm(DomainErrorMixin, forms.Form):
    lifted_on = date_field("解封日期")
    lift_reason = text_area("解封理由", rows=2)


# ---------------------------------------------------------------- work queue


class TaskInspectionForm(DomainErrorMixin, forms.Form):
    """检查并办结: the inspection of the device is the record that closes the task."""

    date = date_field("检查日期")
    inspectors = forms.Field()
    result = choice_field("检查结果", InspectionResult.choices)
    summary = text_area("检查情况", rows=2, placeholder="如：设备已停用并张贴停用标志")
    description = text_area("发现的问题", required=False, rows=2, help_text="检查结果为发现问题或责令整改时填写")
    deadline = date_field("整改期限", required=False)

    field_order = ["date", "inspectors", "result", "summary", "description", "deadline"]

    def __init__(self, *args, actor: User, inspector_choices: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"] = inspector_field(actor)
        if inspector_choices is not None:
            # One list for every task on the queue page, instead of one query per form.
            self.fields["inspectors"].choices = inspector_choices
        self.order_fields(self.field_order)


# ---------------------------------------------------------------- campaigns


def _split(text: str) -> list[str]:
    return [p for p in (s.strip() for s in (text or "").replace("，", ",").replace("\n", ",").split(",")) if p]


class CampaignForm(DomainErrorMixin, forms.Form):
    code = forms.CharField(label="编号", max_length=40, error_messages={"required": "请填写专项行动编号"})
    name = forms.CharField(label="名称", max_length=200, error_messages={"required": "请填写专项行动名称"})
    start = date_field("开始日期")
    end = date_field("结束日期")
    lead_department = forms.ModelChoiceField(
        label="牵头科室", queryset=None, empty_label="请选择", error_messages={"required": "请选择牵头科室"},
    )
    checklist = forms.ModelChoiceField(label="检查表", queryset=None, required=False, empty_label="（不指定）")
    description = text_area("工作要求", required=False, rows=3)
    subdistricts = forms.ModelMultipleChoiceField(
        label="街道范围", queryset=None, required=False, widget=forms.CheckboxSelectMultiple, help_text="不选为全辖区",
    )
    entity_types = forms.MultipleChoiceField(
        label="主体类型", choices=EntityType.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.CharField(label="行业代码前缀", required=False, max_length=400, help_text="多个用逗号分隔，如 H62, F52")
    equipment_types = forms.MultipleChoiceField(label="设备种类", choices=(), required=False, widget=forms.CheckboxSelectMultiple)
    targets = forms.CharField(
        label="目标名单", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="统一社会信用代码，每行一个或用逗号分隔",
    )
    status = choice_field("状态", CampaignStatus.choices, blank="")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in GOAL_KEYS.items():
            self.fields[f"goal_{key}"] = forms.IntegerField(
                label=f"目标：{label}", required=False, min_value=0,
                error_messages={"invalid": f"目标“{label}”须为整数", "min_value": f"目标“{label}”不能为负数"},
            )
        self.fields["lead_department"].queryset = campaign_selectors.lead_departments().order_by("code")
        self.fields["checklist"].queryset = Checklist.objects.filter(disabled_on__isnull=True).order_by("code", "-version")
        self.fields["subdistricts"].queryset = subdistricts_in_scope(actor=actor).order_by("station__code", "code")
        self.fields["equipment_types"].choices = list(
            CatalogueEntry.objects.filter(level="type", disabled_on__isnull=True).order_by("code").values_list("code", "name")
        )
        self.order_fields([
            "code", "name", "start", "end", "lead_department", "checklist", "description",
            *[f"goal_{key}" for key in GOAL_KEYS], "subdistricts", "entity_types", "industries", "equipment_types",
            "targets", "status", "version",
        ])
        self.editing = editing
        if editing:
            self.fields["code"].disabled = True
            self.fields["version"].required = True
            self.fields["version"].error_messages = VERSION_ERRORS
        else:
            del self.fields["status"]

    def clean_industries(self):
        return _split(self.cleaned_data["industries"])

    def clean_targets(self):
        found, bad = [], []
        for raw in _split(self.cleaned_data["targets"]):
            try:
                uscc = normalize_uscc(raw)
            except UsccError:
                bad.append(raw)
                continue
            business = Business.objects.filter(uscc=uscc).first()
            if business is None:
                bad.append(raw)
            else:
                found.append(business)
        if bad:
            raise forms.ValidationError(f"以下代码无效或不在市场主体名录中：{'、'.join(bad[:10])}")
        return found

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name] for name in (
                "name", "start", "end", "lead_department", "description", "entity_types", "industries",
                "equipment_types", "checklist",
            )
        }
        fields["goals"] = {key: data[f"goal_{key}"] for key in GOAL_KEYS if data.get(f"goal_{key}")}
        if self.editing:
            fields["status"] = data["status"]
        return fields

    @staticmethod
    def initial_for(campaign: Campaign) -> dict:
        initial = {
            name: getattr(campaign, name) for name in (
                "code", "name", "start", "end", "lead_department", "description", "entity_types", "equipment_types",
                "status", "version",
            )
        }
        initial["checklist"] = campaign_checklist(campaign)
        initial["industries"] = ", ".join(campaign.industries or [])
        initial["subdistricts"] = list(campaign.subdistricts.all())
        initial["targets"] = "\n".join(campaign.targets.values_list("uscc", flat=True))
        for key in GOAL_KEYS:
            initial[f"goal_{key}"] = (campaign.goals or {}).get(key)
        return initial

    def add_domain_error(self, exc: DomainError) -> None:
        if (exc.extra or {}).get("field") == "goals":
            self.add_error(None, exc.message)
            return
        super().add_domain_error(exc)



class ChecklistTemplateForm(DomainErrorMixin, forms.Form):
    """A checklist version: one 检查要点 per line, `要点 | 法律依据 | 重大` (the last two optional)."""

    code = forms.RegexField(
        label="检查表编码", max_length=40, regex=r"^[A-Za-z0-9_\-]+$",
        error_messages={"invalid": "编码只能使用英文字母、数字、下划线和连字符", "required": "请填写检查表编码"},
    )
    name = forms.CharField(label="名称", max_length=200, error_messages={"required": "请填写名称"})
    applies_to = forms.CharField(label="适用对象", max_length=200, required=False)
    items = forms.CharField(
        label="检查要点", widget=forms.Textarea(attrs={"rows": 14}),
        help_text="每行一项，按顺序：检查要点 | 法律依据 | 重大（不符合即为重大问题时写“重大”，否则留空）",
        error_messages={"required": "请至少填写一个检查要点"},
    )

    def __init__(self, *args, revising: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if revising:
            self.fields["code"].disabled = True

    def clean_items(self):
        from .services.campaigns import ItemSpec

        specs, problems = [], []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) > 3:
                problems.append(f"第{n}行有{len(parts)}段，最多三段（要点 | 法律依据 | 重大）")
                continue
            point, basis, serious = (parts + ["", ""])[:3]
            if not point:
                problems.append(f"第{n}行的检查要点为空")
            elif serious not in ("", "重大", "一般"):
                problems.append(f"第{n}行第三段应为“重大”或留空，收到“{serious}”")
            else:
                specs.append(ItemSpec(point, basis, serious == "重大"))
        if problems:
            raise forms.ValidationError(problems)
        return specs

    @staticmethod
    def initial_for(checklist) -> dict:
        lines = []
        for item in checklist.items.order_by("order"):
            parts = [item.point, item.legal_basis, "重大" if item.serious else ""]
            while parts[-1] == "":
                parts.pop()
            lines.append(" | ".join(parts))
        return {"code": checklist.code, "name": checklist.name, "applies_to": checklist.applies_to, "items": "\n".join(lines)}
