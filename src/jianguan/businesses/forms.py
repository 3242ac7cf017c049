"""Business create/edit form: input checks only; the rules live in services.business_create/update."""

from django import forms

from jianguan.core.errors import DomainError
from jianguan.org.models import User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import UNCLASSIFIED_LABEL, CreditRiskClass, EntityType, RegStatus

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]

# Field names the API and services use in DomainError.extra, mapped to this form's fields.
FIELD_ALIASES = {"subdistrict_code": "subdistrict"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SubdistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.station.name}）"


class BusinessForm(forms.Form):
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=30,
        help_text="18位，字母不区分大小写，保存时转为大写",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
    name = forms.CharField(label="名称", max_length=200)
    entity_type = forms.ChoiceField(label="主体类型", choices=EntityType.choices)
    legal_rep = forms.CharField(label="法定代表人（经营者）", max_length=100, required=False)
    address = forms.CharField(label="住所", max_length=300, required=False)
    subdistrict = SubdistrictChoiceField(label="所属街道", queryset=None, empty_label="请选择街道（乡镇）")
    industry_code = forms.CharField(label="行业代码", max_length=10, required=False, help_text="GB/T 4754，如 F5211")
    established_on = forms.DateField(label="成立日期", input_formats=DATE_INPUT_FORMATS, widget=DateInput())
    reg_status = forms.ChoiceField(label="登记状态", choices=RegStatus.choices, initial=RegStatus.ACTIVE)
    status_date = forms.DateField(
        label="状态日期",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text="迁出、注销、吊销的日期；存续可不填",
    )
    credit_risk_class = forms.ChoiceField(
        label="信用风险分类",
        choices=[("", UNCLASSIFIED_LABEL), *CreditRiskClass.choices],
        required=False,
        help_text="双随机抽查按分类确定抽查比例",
    )
    credit_risk_class_on = forms.DateField(
        label="分类日期",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text="作出该分类的日期；未分类时不填",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["subdistrict"].queryset = subdistricts_in_scope(actor=actor).order_by("station__code", "code")
        if editing:
            del self.fields["uscc"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]

    def clean(self):
        data = super().clean()
        status = data.get("reg_status")
        if status and status != RegStatus.ACTIVE and not data.get("status_date") and "status_date" not in self.errors:
            self.add_error("status_date", "登记状态不是存续时必须填写状态日期")
        if not data.get("credit_risk_class") and data.get("credit_risk_class_on"):
            self.add_error("credit_risk_class_on", "未分类时不能填写分类日期")
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        return {k: v for k, v in data.items() if k in self.fields}

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's Chinese message next to the field it concerns, or on top of the form."""
        extra = exc.extra or {}
        field = FIELD_ALIASES.get(extra.get("field"), extra.get("field"))
        if field in self.fields:
            self.add_error(field, exc.message)
            return
        per_field = extra.get("fields")
        if isinstance(per_field, dict) and per_field:
            for name, msgs in per_field.items():
                name = FIELD_ALIASES.get(name, name)
                for msg in msgs if isinstance(msgs, list | tuple) else [msgs]:
                    self.add_error(name if name in self.fields else None, str(msg))
            return
        self.add_error(None, exc.message)
