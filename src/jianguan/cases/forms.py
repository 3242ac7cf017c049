"""执法办案 page forms: input shapes only. The rules (≥ 2 officers with a valid 执法证, the reasons, the
deadlines, who may write where) are the services'; their DomainError lands next to the field it names,
so each form names its fields as the service does (filed_on, officers, reason, transfer_body…)."""

from django import forms
from django.db.models import Case as Cases
from django.db.models import IntegerField, Value, When

from jianguan.equipment.forms import DATE_INPUT_FORMATS, DateInput, DomainErrorMixin
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import LeadSource, NoPenaltyReason, RespondentKind, TransferTarget
from .models import CaseCategory

DATE_ERRORS = {"required": "请填写日期", "invalid": "日期无法识别，请写成 2026-11-25"}
VERSION_ERRORS = {"required": "页面已过期，请刷新后重试", "invalid": "页面已过期，请刷新后重试"}
# Leads from complaints and inspections are opened by those records' own pages, so that each counts once.
MANUAL_SOURCES = [(v, label) for v, label in LeadSource.choices if v not in (LeadSource.COMPLAINT, LeadSource.INSPECTION)]


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
                           help_text=help_text, error_messages=DATE_ERRORS)


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, error_messages=VERSION_ERRORS)


def choice_field(label: str, choices, *, required: bool = True, blank: str = "请选择", widget=None, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, choices=([("", blank)] if blank else []) + list(choices), widget=widget,
        help_text=help_text, error_messages={"required": f"请选择{label}", "invalid_choice": f"{label}无效，请重新选择"},
    )


def text_field(label: str, *, max_length: int = 200, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text, error_messages={
        "required": f"请填写{label}", "max_length": f"{label}不能超过 {max_length} 个字",
    })


def text_area(label: str, *, required: bool = False, rows: int = 3, max_length: int = 4000, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"请填写{label}", "max_length": f"{label}不能超过 {max_length} 个字"},
    )


def money_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=16, decimal_places=2, help_text=help_text,
        error_messages={"required": f"请填写{label}", "invalid": f"{label}须为数字（元），如 5000 或 1234.50",
                        "min_value": f"{label}不能为负数", "max_digits": f"{label}过大", "max_decimal_places": f"{label}最多两位小数",
                        "max_whole_digits": f"{label}过大"},
    )


class OfficerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        unit = f"{user.org_unit.name}，" if user.org_unit_id else ""
        until = f"，有效期至 {user.cert_valid_until:%Y-%m-%d}" if user.cert_valid_until else ""
        return f"{user}（{unit}执法证 {user.cert_no}{until}）"


def officer_choices(actor: User | None):
    """Holders of a 执法证, the actor's own unit first (the service checks validity on the filing day)."""
    own = getattr(actor, "org_unit_id", None) or 0
    return (
        User.objects.filter(is_active=True, cert_no__isnull=False).exclude(cert_no="").select_related("org_unit")
        .annotate(own=Cases(When(org_unit_id=own, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("own", "org_unit__code", "full_name", "username")
    )


class CategoryField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=CaseCategory.objects.filter(disabled_on__isnull=True), empty_label="请选择",
            error_messages={"required": "请选择案件类别", "invalid_choice": "案件类别无效，请重新选择"}, **kwargs,
        )


class CaseForm(DomainErrorMixin, forms.Form):
    """Every form of a lead or a case: the version the page was drawn from (optimistic lock) and the
    business date last; `actor` for the choices that depend on who fills it in."""

    version = version_field()
    LAST = ("on", "filed_on", "version")

    def __init__(self, *args, actor: User | None = None, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        self.order_fields([n for n in self.fields if n not in self.LAST] + [n for n in self.LAST if n in self.fields])


# ---------------------------------------------------------------- the lead's decision


class FileForm(CaseForm):
    """立案审批表."""

    category = CategoryField(label="案件类别")
    cause = text_field("案由", max_length=300, required=True, help_text="如：销售过期食品案")
    violated_articles = text_area("违反的条款", rows=2, help_text="如：《中华人民共和国食品安全法》第三十四条第（十）项")
    penalising_articles = text_area("处罚依据", rows=2, help_text="如：《中华人民共和国食品安全法》第一百二十四条第一款")
    goods_value = money_field("货值（元）")
    officers = OfficerField(
        label="承办人员", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="不少于2名，执法证在立案日期有效",
        error_messages={"invalid_choice": "所选承办人员无效", "invalid_pk_value": "所选承办人员无效"},
    )
    approved_by = text_field("立案审批人", max_length=50, required=True, help_text="批准立案的负责人")
    opinion = text_area("审批意见", rows=2)
    filed_on = date_field("立案日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officer_choices(self.actor)


class NotFileForm(CaseForm):
    """不予立案审批表."""

    reason = choice_field("不予立案理由", NoPenaltyReason.choices, widget=forms.RadioSelect, blank="")
    note = text_area("核查意见", rows=3)
    on = date_field("决定日期")


class TransferForm(CaseForm):
    transfer_target = choice_field("移送对象", TransferTarget.choices, widget=forms.RadioSelect, blank="")
    transfer_body = text_field("接收机关", required=True, help_text="如：XX市公安局XX分局")
    note = text_area("移送理由", rows=2)
    on = date_field("移送日期")


class ExtendForm(CaseForm):
    approved_by = text_field("延期批准人", max_length=50, required=True)
    on = date_field("批准日期", help_text="须在立案决定期限届满前批准，只能延长一次")


class PauseForm(CaseForm):
    working_days = forms.IntegerField(
        label="不计入的工作日", help_text="检测、检验、检疫、鉴定的工作日不计入立案决定期限",
        error_messages={"required": "请填写不计入的工作日", "invalid": "请填写整数工作日"},
    )


# ---------------------------------------------------------------- registering a lead by hand


class SubdistrictField(forms.ModelChoiceField):
    def label_from_instance(self, sub):
        return f"{sub.name}（{sub.station.name}）"


class LeadForm(CaseForm):
    """登记线索: what other agencies transfer, what a superior assigns, what staff find otherwise."""

    source = choice_field("线索来源", MANUAL_SOURCES)
    source_label = text_field("来源说明", help_text="如移送函文号、交办单号")
    respondent_uscc = text_field("当事人统一社会信用代码", max_length=40, help_text="登记在册的主体自动带出名称和所属街道")
    respondent_name = text_field("当事人名称或姓名", max_length=200)
    respondent_kind = choice_field("当事人类型", RespondentKind.choices, required=False, blank="按填写内容判断")
    respondent_id_no = text_field("身份证件号码（自然人）", max_length=30)
    subdistrict = SubdistrictField(
        label="所属街道", required=False, queryset=Subdistrict.objects.none(), empty_label="按登记主体的街道",
        error_messages={"invalid_choice": "所选街道无效"},
    )
    category = CategoryField(label="案件类别", required=False)
    summary = text_area("线索内容", required=True, rows=4)
    received_on = date_field("受理日期")
    LAST = ("received_on", "version")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        scope = subdistricts_in_scope(actor=self.actor) if self.actor else Subdistrict.objects.all()
        self.fields["subdistrict"].queryset = scope.select_related("station").order_by("station__code", "code")
        self.fields["category"].empty_label = "待定"
