"""投诉举报 page forms: input shapes only. The rules (required texts, lengths, phone numbers, dates,
transitions, who may act) are the services'; their DomainError is shown next to the field it names."""

from django import forms

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError
from jianguan.equipment.forms import DomainErrorMixin
from jianguan.inspections.forms import choice_field, date_field, text_area, version_field
from jianguan.org.models import Subdistrict

from .choices import Category, FilingDecision, Kind, MediationOutcome, OdrOutcome, RefusalReason, Status


def text_field(label: str, *, max_length: int = 200, required: bool = False, **kw) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, error_messages={
        "required": f"请填写{label}", "max_length": f"{label}不能超过 {max_length} 个字",
    }, **kw)


def note_field(label: str = "说明", *, required: bool = False, rows: int = 2, **kw) -> forms.CharField:
    return text_area(label, required=required, rows=rows, **kw)


class ServiceErrorMixin(DomainErrorMixin):
    """Some services name their free text "note" whatever the page calls it (答复内容, 延期理由)."""

    field_aliases: dict[str, str] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        field = (exc.extra or {}).get("field")
        if field in self.field_aliases:
            exc = DomainError(exc.code, exc.message, {**exc.extra, "field": self.field_aliases[field]})
        super().add_domain_error(exc)


# ---------------------------------------------------------------- intake (12315 热线登记)


def subdistrict_choices() -> list[tuple[str, str]]:
    return [("", "不确定（进入待分派）")] + [
        (s.name, f"{s.name}（{s.station.name}）")
        for s in Subdistrict.objects.select_related("station").order_by("station__code", "code")
    ]


class IntakeForm(ServiceErrorMixin, forms.Form):
    """Every rule of intake (who must be named, phone format, lengths, USCC check digit) is the service's,
    so these fields accept anything and the service's message lands next to the field it names."""

    kind = choice_field("类型", Kind.choices, blank="", widget=forms.RadioSelect)
    received_at = forms.DateTimeField(
        label="来电时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "请填写来电时间", "invalid": "时间无法识别，请写成 2026-11-25 09:30"},
    )
    respondent_name = text_field("被投诉举报对象名称", max_length=300)
    respondent_uscc = text_field("统一社会信用代码", max_length=40, help_text="填写后自动匹配登记主体及其所属街道")
    respondent_address = text_field("对象地址（经营场所）", max_length=400)
    subdistrict_text = forms.ChoiceField(label="所属街道", required=False, choices=(), help_text="未匹配到登记主体时据此确定承办监管所")
    content = text_area("诉求内容", required=False, rows=6, max_length=20000)
    amount = text_field("涉及金额（元）", max_length=40)
    complainant_name = text_field("投诉举报人姓名", max_length=100)
    complainant_phone = text_field("联系电话", max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict_text"].choices = subdistrict_choices()


# ---------------------------------------------------------------- the steps on the detail page


class StepForm(ServiceErrorMixin, forms.Form):
    """Every step carries the version the page was drawn from (optimistic lock) and its business date."""

    on_label = "日期"
    version = version_field()
    on = date_field("日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = self.on_label
        # The date goes last, after what the step is about.
        self.order_fields([name for name in self.fields if name not in ("on", "version")] + ["on", "version"])


class TakeForm(StepForm):
    on_label = "承办日期"


class OdrStartForm(StepForm):
    on_label = "转ODR日期"


class OdrEndForm(StepForm):
    on_label = "和解结束日期"
    outcome = choice_field("和解结果", OdrOutcome.choices)
    note = note_field()


class AcceptForm(StepForm):
    on_label = "受理日期"
    note = note_field()


class RefuseForm(StepForm):
    on_label = "决定日期"
    reason = choice_field("不予受理理由", RefusalReason.choices)
    note = note_field("说明", help_text="选择“其他依法不予受理的情形”时必填")


class PauseForm(StepForm):
    on_label = "暂停日期"
    note = note_field("检测鉴定事项", required=True, help_text="检测、检验、鉴定期间不计入调解期限")


class ResumeForm(StepForm):
    on_label = "恢复日期"
    note = note_field()


class MediationEndForm(StepForm):
    on_label = "调解终结日期"
    outcome = choice_field("调解结果", MediationOutcome.choices)
    recovered_amount = text_field("挽回经济损失（元）", max_length=40, help_text="仅调解成功时填写")
    note = note_field()


class ExtendForm(StepForm):
    on_label = "批准日期"
    field_aliases = {"note": "reason"}
    approved_by = text_field("批准人", max_length=50, required=True)
    reason = note_field("延期理由", required=True)


class DecideForm(StepForm):
    on_label = "决定日期"
    decision = choice_field("立案决定", FilingDecision.choices, blank="", widget=forms.RadioSelect)
    note = note_field("核查情况", required=True, rows=3)


class NotifyForm(StepForm):
    on_label = "告知日期"
    note = note_field("告知方式及情况")


class AnswerForm(StepForm):
    on_label = "答复日期"
    field_aliases = {"note": "answer"}
    answer = note_field("答复内容", required=True, rows=4)


class TransferForm(StepForm):
    on_label = "移送日期"
    to = text_field("移送机关", required=True)
    reason = note_field("移送理由", required=True)


class ReturnForm(StepForm):
    on_label = "退回日期"
    reason = note_field("退回理由", required=True, help_text="说明为何不属本所承办，以便分派人员改派")


class SubdistrictField(forms.ModelChoiceField):
    def label_from_instance(self, sub):
        return f"{sub.name}（{sub.station.name}）"


class AssignForm(StepForm):
    on_label = "分派日期"
    subdistrict = SubdistrictField(
        label="所属街道", required=False, empty_label="按关联主体的街道", queryset=Subdistrict.objects.none(),
        error_messages={"invalid_choice": "所选街道无效"}, help_text="街道决定承办监管所",
    )
    business_uscc = text_field("关联登记主体（统一社会信用代码）", max_length=40, help_text="可选：关联后按主体所在街道分派")
    reason = note_field("改派理由", help_text="已有承办监管所时必填")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = Subdistrict.objects.select_related("station").order_by("station__code", "code")

    def clean_business_uscc(self) -> Business | None:
        raw = self.cleaned_data.get("business_uscc", "").strip()
        if not raw:
            return None
        try:
            code = normalize_uscc(raw)
        except UsccError as exc:
            raise forms.ValidationError(str(exc)) from None
        business = Business.objects.select_related("subdistrict__station").filter(uscc=code).first()
        if business is None:
            raise forms.ValidationError(f"未找到统一社会信用代码为 {code} 的登记市场主体")
        return business


class CategorizeForm(ServiceErrorMixin, forms.Form):
    version = version_field()
    category = choice_field("所属领域", Category.choices)
    reason = text_field("调整理由", max_length=200)


class PersonalInfoForm(forms.Form):
    purpose = text_field("查看用途", max_length=100, required=True)


# ---------------------------------------------------------------- lists


OPEN_STATUS_CHOICES = [(s.value, s.label) for s in Status if s not in (Status.CLOSED, Status.TRANSFERRED)]


class RecordFilterForm(forms.Form):
    """全部记录: every field optional; a bad date is reported and ignored."""

    number = text_field("登记编号", max_length=40)
    respondent = text_field("被投诉举报对象", max_length=200, help_text="名称片段或统一社会信用代码")
    received_from = date_field("登记日期自", required=False)
    received_to = date_field("至", required=False)
    kind = choice_field("类型", Kind.choices, required=False, blank="全部")
    category = choice_field("所属领域", Category.choices, required=False, blank="全部")
    status = choice_field("处理状态", Status.choices, required=False, blank="全部")


# ---------------------------------------------------------------- ODR register


class OdrAddForm(ServiceErrorMixin, forms.Form):
    uscc = text_field("统一社会信用代码", max_length=40, required=True)
    joined_on = date_field("入驻日期")
    contact = text_field("纠纷处理联系人", max_length=100)
    note = text_field("备注", max_length=300)


class OdrLeaveForm(ServiceErrorMixin, forms.Form):
    left_on = date_field("退出日期")
    note = text_field("退出说明", max_length=200)
