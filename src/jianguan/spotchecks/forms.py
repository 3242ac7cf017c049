"""Spot-check page forms: input shapes only. The rules (ratios, team size, transitions, who may write)
are the services'; their DomainError is shown next to the field it names."""

from django import forms
from django.db.models import Q

from jianguan.businesses import selectors as business_selectors
from jianguan.businesses.choices import EntityType
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError, NotFound
from jianguan.equipment.forms import DomainErrorMixin
from jianguan.equipment.models import CatalogueEntry
from jianguan.inspections.forms import (
    VERSION_ERRORS,
    choice_field,
    date_field,
    inspector_choices,
    text_area,
    version_field,
)
from jianguan.licences.selectors import kind_choices
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit, Subdistrict, User

from .choices import PlanStatus, PoolTarget, PublicResult
from .models import CheckItem, InspectorPool, ObjectPool, Plan
from .selectors import UNRATED

STRATA = ("A", "B", "C", "D")
CREDIT_CLASS_CHOICES = [
    ("A", "A类（低风险）"), ("B", "B类（一般风险）"), ("C", "C类（较高风险）"), ("D", "D类（高风险）"), (UNRATED, "未分类"),
]
INDUSTRY_ATTRS = {"placeholder": "如 52, 6210", "autocomplete": "off"}


def split_codes(text: str) -> list[str]:
    return [p for p in (s.strip() for s in (text or "").replace("，", ",").replace("、", ",").replace("\n", ",").split(",")) if p]


def departments():
    return OrgUnit.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.BUREAU], disabled_on__isnull=True).order_by("kind", "code")


def unit_field(label: str, *, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, queryset=departments(), required=required, empty_label="请选择",
        error_messages={"required": f"请选择{label}", "invalid_choice": f"所选{label}无效"},
    )


def text_field(label: str, *, max_length: int = 200, required: bool = True, **kw) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, error_messages={
        "required": f"请填写{label}", "max_length": f"{label}不能超过 {max_length} 个字",
    }, **kw)


def multi_choice(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text,
        error_messages={"invalid_choice": f"所选{label}无效"},
    )


class CertifiedField(forms.ModelMultipleChoiceField):
    """执法人员 with their certificate and unit, for choosing pool members."""

    def label_from_instance(self, user):
        unit = user.org_unit.name if user.org_unit_id else "—"
        until = f"有效期至 {user.cert_valid_until:%Y-%m-%d}" if user.cert_valid_until else "有效期未登记"
        return f"{user}（{unit}，执法证 {user.cert_no}，{until}）"


class CertifiedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        unit = user.org_unit.name if user.org_unit_id else "—"
        return f"{user}（{unit}，执法证 {user.cert_no}）"


class RatioErrorMixin(DomainErrorMixin):
    """Domain errors of a stratum's ratio land next to that ratio."""

    def add_domain_error(self, exc: DomainError) -> None:
        stratum = (exc.extra or {}).get("stratum")
        name = {**{s: f"ratio_{s}" for s in STRATA}, UNRATED: "ratio_unrated"}.get(stratum or "")
        if name and name in self.fields:
            self.add_error(name, exc.message)
            return
        super().add_domain_error(exc)


# ---------------------------------------------------------------- registers


class CheckItemForm(DomainErrorMixin, forms.Form):
    code = text_field("事项编码", max_length=40)
    name = text_field("抽查事项")
    legal_basis = text_area("法律依据", rows=2, max_length=500)
    method = text_field("检查方式", required=False, help_text="如 现场检查、书面检查、网络监测")
    key_item = forms.BooleanField(label="重点检查事项", required=False)
    department = unit_field("实施科室", required=False)


class CheckItemEditForm(CheckItemForm):
    """The code is shown but stays: lists, imports and published tasks name the item by it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].disabled = True
        self.fields["code"].help_text = "事项编码不能修改；事项内容有实质变化时，请停用本事项并新增事项"

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "code"}

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "code": item.code, "name": item.name, "legal_basis": item.legal_basis, "method": item.method,
            "key_item": item.key_item, "department": item.department_id,
        }


class DisableForm(DomainErrorMixin, forms.Form):
    on = date_field("停用日期", help_text="停用后，新建或编辑任务时不能再选择本事项；已使用本事项的任务照常保留")


class PlanForm(DomainErrorMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages={
        "required": "请填写年度", "invalid": "年度须为四位数字", "min_value": "年度须为四位数字", "max_value": "年度须为四位数字",
    })
    name = text_field("计划名称")
    department = unit_field("制定单位")
    description = text_area("说明", required=False, rows=3)


class InspectorPoolForm(DomainErrorMixin, forms.Form):
    name = text_field("名录库名称")
    department = unit_field("建库单位")
    members = CertifiedField(
        label="执法人员", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="只列出持有执法证的人员；锁定任务时只计入执法证在任务开始日有效的人员",
        error_messages={"required": "请选择执法人员", "invalid_choice": "所选执法人员无效", "invalid_pk_value": "所选执法人员无效"},
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = inspector_choices(actor)


class InspectorPoolEditForm(InspectorPoolForm):
    """Name and members; the building unit stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["department"]

    @staticmethod
    def initial_for(pool) -> dict:
        return {"name": pool.name, "members": list(pool.members.values_list("pk", flat=True))}


class ObjectPoolForm(DomainErrorMixin, forms.Form):
    name = text_field("名录库名称")
    department = unit_field("建库单位")
    target = choice_field("对象类别", PoolTarget.choices, blank="")
    credit_classes = multi_choice("信用风险分类", CREDIT_CLASS_CHOICES, help_text="不选为全部分类（含未分类）")
    entity_types = multi_choice("主体类型", EntityType.choices, help_text="不选为全部")
    industries = forms.CharField(
        label="行业代码前缀", required=False, max_length=400, widget=forms.TextInput(attrs=INDUSTRY_ATTRS),
        help_text="国民经济行业分类代码的前几位，多个用逗号分隔；不填为全部",
    )
    licence_kinds = multi_choice("许可类别", kind_choices, help_text="持有所选任一许可；不选为不限")
    equipment_types = multi_choice("设备种类", (), help_text="仅对象类别为特种设备使用单位或特种设备时适用")
    subdistricts = forms.ModelMultipleChoiceField(
        label="街道", queryset=Subdistrict.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="不选为全辖区", error_messages={"invalid_choice": "所选街道无效", "invalid_pk_value": "所选街道无效"},
    )
    key_units_only = forms.BooleanField(label="仅重点单位", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistricts"].queryset = Subdistrict.objects.select_related("station").order_by("station__code", "code")
        self.fields["equipment_types"].choices = list(
            CatalogueEntry.objects.filter(level="type", disabled_on__isnull=True).order_by("code").values_list("code", "name")
        )

    def clean_industries(self):
        return split_codes(self.cleaned_data["industries"])

    def filters(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "target", "entity_types", "industries", "licence_kinds", "equipment_types", "key_units_only", "credit_classes",
        )}


class ObjectPoolEditForm(ObjectPoolForm):
    """Name, filters and subdistricts; the building unit stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["department"]

    @staticmethod
    def initial_for(pool) -> dict:
        return {
            "name": pool.name, "target": pool.target, "credit_classes": pool.credit_classes, "entity_types": pool.entity_types,
            "industries": ", ".join(pool.industries or []), "licence_kinds": pool.licence_kinds,
            "equipment_types": pool.equipment_types, "subdistricts": list(pool.subdistricts.values_list("pk", flat=True)),
            "key_units_only": pool.key_units_only,
        }


class ConflictForm(DomainErrorMixin, forms.Form):
    inspector = CertifiedChoiceField(
        label="执法人员", queryset=User.objects.none(), empty_label="请选择",
        error_messages={"required": "请选择执法人员", "invalid_choice": "所选执法人员无效"},
    )
    business = forms.CharField(
        label="市场主体", max_length=40, help_text="统一社会信用代码（18位）",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "18位统一社会信用代码"}),
        error_messages={"required": "请填写市场主体的统一社会信用代码"},
    )
    relation = text_field("关系", max_length=100, help_text="如 近亲属、曾任职、利害关系")
    reason = text_field("回避理由", max_length=300, required=False)
    declared_on = date_field("申报日期")

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["inspector"].queryset = inspector_choices(actor)

    def clean_business(self):
        try:
            uscc = normalize_uscc(self.cleaned_data["business"])
        except UsccError as exc:
            raise forms.ValidationError(str(exc)) from exc
        try:
            return business_selectors.business_get(actor=self.actor, uscc=uscc)
        except NotFound:
            raise forms.ValidationError(f"未找到统一社会信用代码为 {uscc} 的市场主体") from None


# ---------------------------------------------------------------- tasks


def ratio_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=20, required=required, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": f"请填写{label}"}, help_text="写成小数：0.05 即 5%，0.005 即 0.5%",
    )


class TaskForm(RatioErrorMixin, forms.Form):
    plan = forms.ModelChoiceField(
        label="抽查计划", queryset=Plan.objects.none(), empty_label="请选择",
        error_messages={"required": "请选择抽查计划", "invalid_choice": "所选抽查计划无效"},
    )
    name = text_field("任务名称")
    object_pool = forms.ModelChoiceField(
        label="检查对象名录库", queryset=ObjectPool.objects.none(), empty_label="请选择",
        error_messages={"required": "请选择检查对象名录库", "invalid_choice": "所选检查对象名录库无效"},
    )
    inspector_pool = forms.ModelChoiceField(
        label="执法检查人员名录库", queryset=InspectorPool.objects.none(), empty_label="请选择",
        error_messages={"required": "请选择执法检查人员名录库", "invalid_choice": "所选执法检查人员名录库无效"},
    )
    ratio_A = ratio_field("A类抽取比例")
    ratio_B = ratio_field("B类抽取比例")
    ratio_C = ratio_field("C类抽取比例")
    ratio_D = ratio_field("D类抽取比例")
    ratio_unrated = ratio_field("未分类抽取比例", required=False)
    team_size = forms.IntegerField(label="每组人数", error_messages={"required": "请填写每组人数", "invalid": "每组人数须为整数"})
    max_objects_per_inspector = forms.IntegerField(
        label="每人最多承担对象数", required=False, min_value=1, help_text="不填为不限",
        error_messages={"invalid": "须为正整数", "min_value": "须为正整数"},
    )
    start = date_field("开始日期")
    end = date_field("结束日期")
    items = forms.ModelMultipleChoiceField(
        label="抽查事项", queryset=CheckItem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选抽查事项无效", "invalid_pk_value": "所选抽查事项无效"},
    )
    departments = forms.ModelMultipleChoiceField(
        label="参与部门（联合抽查）", queryset=OrgUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选部门无效", "invalid_pk_value": "所选部门无效"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A completed plan takes no new task (the service refuses it); an edited task keeps its plan.
        plans = Plan.objects.order_by("-year", "name")
        self.fields["plan"].queryset = plans if editing else plans.exclude(status=PlanStatus.DONE)
        self.fields["object_pool"].queryset = ObjectPool.objects.order_by("name")
        self.fields["inspector_pool"].queryset = InspectorPool.objects.order_by("name")
        self._item_choices()
        self.fields["departments"].queryset = OrgUnit.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.STATION], disabled_on__isnull=True
        ).order_by("kind", "code")
        self.fields["ratio_unrated"].help_text = "写成小数（0.05 即 5%）；留空则未分类的对象不抽取"
        self.fields["team_size"].help_text = "每个抽查对象派出的执法人员数，不少于 2 名"
        self.editing = editing
        if editing:
            self.fields["plan"].disabled = True
            self.fields["version"].required = True
            self.fields["version"].error_messages = VERSION_ERRORS

    def _item_choices(self) -> None:
        """Every item is accepted, so that one disabled while the page was open reaches the service,
        which names it; the boxes offered are the items in use plus the draft's own disabled ones,
        marked, so that the user sees what to untick."""
        field = self.fields["items"]
        field.queryset = CheckItem.objects.order_by("code")
        current = [int(pk) for pk in self.initial.get("items") or []]
        shown = field.queryset.filter(Q(disabled_on__isnull=True) | Q(pk__in=current))
        field.widget.choices = [
            (item.pk, f"{item.name}（{item.disabled_on:%Y-%m-%d} 已停用，请取消）" if item.disabled_on else item.name)
            for item in shown
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data

    def ratios(self) -> dict[str, str]:
        data = self.cleaned_data
        ratios = {s: data[f"ratio_{s}"].strip() for s in STRATA}
        if (data.get("ratio_unrated") or "").strip():
            ratios[UNRATED] = data["ratio_unrated"].strip()
        return ratios

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"].strip(), "object_pool": data["object_pool"], "inspector_pool": data["inspector_pool"],
            "ratios": self.ratios(), "team_size": data["team_size"], "max_objects_per_inspector": data["max_objects_per_inspector"],
            "start": data["start"], "end": data["end"], "items": list(data["items"]), "departments": list(data["departments"]),
        }

    @staticmethod
    def initial_for(task) -> dict:
        ratios = task.ratios or {}
        return {
            "plan": task.plan_id, "name": task.name, "object_pool": task.object_pool_id, "inspector_pool": task.inspector_pool_id,
            **{f"ratio_{s}": ratios.get(s, "") for s in STRATA}, "ratio_unrated": ratios.get(UNRATED, ""),
            "team_size": task.team_size, "max_objects_per_inspector": task.max_objects_per_inspector, "start": task.start,
            "end": task.end, "items": list(task.items.values_list("pk", flat=True)),
            "departments": list(task.departments.values_list("pk", flat=True)), "version": task.version,
        }


class VersionForm(DomainErrorMixin, forms.Form):
    version = version_field()


class DrawForm(DomainErrorMixin, forms.Form):
    witness_name = forms.CharField(label="监督人员", max_length=100, required=False, help_text="在场监督抽取的人员姓名")
    witness = forms.CharField(
        label="见证文字", max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "由监督人员当场录入任意一段文字，例如当日日期、在场人员和一句话"}),
        help_text="见证文字与锁定时生成的密钥一起决定抽取结果，抽取前任何人都无法预知",
    )
    version = version_field()  # blank name or text reach the service, which refuses them with its own message


class PublishForm(DomainErrorMixin, forms.Form):
    on = date_field("公示日期")
    version = version_field()


class VoidForm(DomainErrorMixin, forms.Form):
    reason = forms.CharField(
        label="作废理由", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="作废后任务仍保留在列表中，并显示作废理由",
    )
    version = version_field()


class ResultForm(DomainErrorMixin, forms.Form):
    result = choice_field("抽查结果", PublicResult.choices, required=False, blank="按检查结果")
    on = date_field("结果日期", required=False, help_text="手工选择结果时填写，不填为今天；按检查结果时为检查日期")

    def clean(self):
        data = super().clean()
        if not data.get("result"):
            data["result"] = None
            data["on"] = None
        return data
