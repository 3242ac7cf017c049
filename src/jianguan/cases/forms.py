"""执法办案 page forms: input shapes only. The rules (≥ 2 officers with a valid 执法证, the reasons, the
deadlines, who may write where) are the services'; their DomainError lands next to the field it names,
so each form names its fields as the service does (filed_on, officers, reason, transfer_body…)."""

from django import forms
from django.db.models import Case as Cases
from django.db.models import IntegerField, Value, When
from django.utils import timezone

from jianguan.campaigns.choices import CampaignStatus
from jianguan.campaigns.models import Campaign
from jianguan.campaigns.selectors import campaign_list
from jianguan.core.errors import DomainError
from jianguan.equipment.forms import DATE_INPUT_FORMATS, DateInput, DomainErrorMixin
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import (
    EvidenceKind,
    LeadSource,
    Measure,
    NoPenaltyReason,
    PenaltyKind,
    RespondentKind,
    SeriousCategory,
    SuspensionReason,
    TransferTarget,
)
from .models import CaseCategory, Evidence
from .publication_rules import ATTESTED_CONDITIONS

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
    """Every form of a lead or a case: the version the page was drawn from (optimistic lock), the business
    dates last (today unless given); `actor` and `record` for the choices that depend on who fills it in
    and on what. A service's message about "on" (the date of the status move) lands on the form's date."""

    version = version_field()

    def __init__(self, *args, actor: User | None = None, record=None, **kwargs):
        self.actor, self.record = actor, record
        super().__init__(*args, **kwargs)
        dates = [n for n, f in self.fields.items() if isinstance(f, forms.DateField)]
        self.order_fields([n for n in self.fields if n not in dates and n != "version"] + dates + ["version"])
        if not self.is_bound:
            for name in dates:
                if self.fields[name].required:
                    self.initial.setdefault(name, timezone.localdate())

    def add_domain_error(self, exc: DomainError) -> None:
        field = (exc.extra or {}).get("field")
        dates = [n for n, f in self.fields.items() if isinstance(f, forms.DateField)]
        if field and field not in self.fields and field == "on" and dates:
            exc = DomainError(exc.code, exc.message, {**exc.extra, "field": dates[0]})
        super().add_domain_error(exc)


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
    campaigns = forms.ModelMultipleChoiceField(
        label="专项行动", queryset=Campaign.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="本案属于的专项行动（可多选）", error_messages={"invalid_choice": "所选专项行动无效", "invalid_pk_value": "所选专项行动无效"},
    )
    approved_by = text_field("立案审批人", max_length=50, required=True, help_text="批准立案的负责人")
    opinion = text_area("审批意见", rows=2)
    filed_on = date_field("立案日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officer_choices(self.actor)
        self.fields["campaigns"].queryset = campaign_list(actor=self.actor, filters={"status": CampaignStatus.ACTIVE})
        if not self.fields["campaigns"].queryset.exists():
            self.fields.pop("campaigns")
        elif not self.is_bound and getattr(self.record, "campaign_id", None):
            self.initial.setdefault("campaigns", [self.record.campaign_id])


class NotFileForm(CaseForm):
    """不予立案审批表."""

    reason = choice_field("不予立案理由", NoPenaltyReason.choices, widget=forms.RadioSelect, blank="")
    note = text_area("核查意见", rows=3)
    approved_by = text_field("审批人", max_length=50, required=True, help_text="批准不予立案的负责人，写入不予立案审批表")
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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        scope = subdistricts_in_scope(actor=self.actor) if self.actor else Subdistrict.objects.all()
        self.fields["subdistrict"].queryset = scope.select_related("station").order_by("station__code", "code")
        self.fields["category"].empty_label = "待定"


# ---------------------------------------------------------------- the steps of a case
# Each form names its fields as its service does, so that the service's message lands next to the field.


def penalty_field(label: str = "处罚种类", *, kinds=None) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=kinds or PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选处罚种类无效"}, help_text="可多选",
    )


def amount_field(label: str) -> forms.CharField:
    """Amounts as typed (the service reads them, in 元, and says what is wrong next to the field)."""
    return text_field(label, max_length=30, help_text="单位：元")


class TransitionForm(CaseForm):
    opinion = text_area("意见", rows=2)
    on = date_field("日期")


class EvidenceForm(CaseForm):
    kind = choice_field("证据种类", EvidenceKind.choices)
    description = text_area("证据名称及内容", required=True, rows=2, max_length=500)
    measure = choice_field("强制措施", [(v, label) for v, label in Measure.choices if v], required=False, blank="无")
    approved_by = text_field("措施审批人", max_length=50, help_text="采取先行登记保存或查封扣押的，须经负责人批准")
    collected_on = date_field("取证日期")


class EvidenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, evidence):
        return f"{evidence.get_measure_display()}：{evidence.description[:40]}（处理期限 {evidence.measure_due}）"


class MeasureForm(CaseForm):
    """A step on one of the case's measures (查封扣押 延期, 措施处理)."""

    evidence_pk = EvidenceChoiceField(label="证据及措施", queryset=Evidence.objects.none(), empty_label="请选择",
                                      error_messages={"required": "请选择证据及措施", "invalid_choice": "所选证据无效"})

    def measures(self, qs):
        return qs

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Evidence.objects.none()
        if self.record is not None:
            qs = self.measures(Evidence.objects.filter(case=self.record, measure_ended_on__isnull=True).exclude(measure=""))
        self.fields["evidence_pk"].queryset = qs

    def clean_evidence_pk(self):
        return self.cleaned_data["evidence_pk"].pk


class MeasureExtendForm(MeasureForm):
    approved_by = text_field("延期批准人", max_length=50, required=True)
    opinion = text_area("意见", rows=2)
    approved_on = date_field("批准日期", help_text="查封、扣押期限届满前批准，只能延长一次")

    def measures(self, qs):
        return qs.filter(measure=Measure.SEIZURE, measure_extended=False)


class MeasureEndForm(MeasureForm):
    outcome = text_field("处理结果", max_length=200, required=True, help_text="如：解除、予以没收、移送")
    ended_on = date_field("处理日期")


class SuspendForm(CaseForm):
    reason = choice_field("中止事由", SuspensionReason.choices)
    note = text_field("说明", max_length=300)
    start = date_field("中止日期")


class ResumeForm(CaseForm):
    note = text_field("说明", max_length=300)
    end = date_field("恢复日期")


class CaseExtendForm(CaseForm):
    approved_by = text_field("延期批准人", max_length=50, required=True)
    opinion = text_area("延期理由", rows=2)
    approved_on = date_field("批准日期", help_text="须在办案期限届满前批准，只能延长一次（30日）")


class CollectiveForm(CaseForm):
    days = forms.IntegerField(label="再延长天数", error_messages={"required": "请填写再延长天数", "invalid": "请填写整数天数"})
    decision = text_area("集体讨论决定", required=True, rows=3)
    approved_by = text_field("主持人", max_length=50)
    decided_on = date_field("讨论日期")


class ReviewForm(CaseForm):
    passed = choice_field("审核结论", [("1", "通过"), ("0", "不通过，退回补充调查")], widget=forms.RadioSelect, blank="")
    reviewer = text_field("审核人", max_length=50, required=True)
    opinion = text_area("审核意见", required=True, rows=3)
    reviewed_on = date_field("审核日期")


class PenaltyForm(CaseForm):
    """行政处罚告知 and 作出处罚决定: the penalties and their amounts."""

    penalty_kinds = penalty_field()
    fine_amount = amount_field("罚款金额")
    confiscated_income = amount_field("没收违法所得金额")
    confiscated_value = amount_field("没收物品货值")
    approved_by = text_field("审批人", max_length=50, required=True)
    opinion = text_area("意见", rows=2)


class NotifyForm(PenaltyForm):
    notified_on = date_field("告知日期")


class DecideForm(PenaltyForm):
    decided_on = date_field("决定日期")
    # SAMR Order 44: a decision flagged here is proposed for the 严重违法失信名单 (credit supervision decides).
    serious_category = choice_field("严重违法失信行为", SeriousCategory.choices[1:], required=False, blank="否（不属于严重违法失信行为）",
                                    help_text="属于《市场监督管理严重违法失信名单管理办法》规定情形的，选择其领域；信用监管科据此提出列入严重违法失信名单")


class NoPenaltyForm(CaseForm):
    reason = choice_field("不予行政处罚理由", NoPenaltyReason.choices, widget=forms.RadioSelect, blank="")
    approved_by = text_field("审批人", max_length=50, required=True)
    opinion = text_area("意见", rows=2)
    decided_on = date_field("决定日期")


class StatementForm(CaseForm):
    statement = text_area("陈述申辩内容", required=True, rows=3)
    stated_on = date_field("陈述申辩日期")


class HearingRequestForm(CaseForm):
    suspend_clock = forms.BooleanField(label="听证期间中止办案期限", required=False, help_text="勾选后自申请之日起至听证结束不计入办案期限")
    note = text_area("说明", rows=2)
    requested_on = date_field("申请日期")


class HearingScheduleForm(CaseForm):
    place = text_field("听证地点")
    host = text_field("听证主持人", max_length=50)
    notified_on = date_field("通知日期")
    hearing_on = date_field("听证日期", help_text="通知须在举行听证7个工作日前送达")


class HearingHoldForm(CaseForm):
    host = text_field("听证主持人", max_length=50, required=True)
    report = text_area("听证报告", required=True, rows=3)
    held_on = date_field("听证日期")


class ServeForm(CaseForm):
    method = text_field("送达方式", help_text="如：直接送达、邮寄送达")
    served_on = date_field("送达日期")


class PaymentForm(CaseForm):
    amount = amount_field("缴纳金额")
    paid_on = date_field("缴款日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = True
        self.fields["amount"].error_messages["required"] = "请填写缴纳金额"


class RemindForm(CaseForm):
    note = text_area("说明", rows=2)
    reminded_on = date_field("催告日期")


class CourtForm(CaseForm):
    court = text_field("人民法院", required=True, help_text="如：测试区人民法院")
    applied_on = date_field("申请日期")


class ExecutedForm(CaseForm):
    opinion = text_area("执行情况", required=True, rows=2)
    executed_on = date_field("执行完毕日期")


class CloseForm(CaseForm):
    approved_by = text_field("结案审批人", max_length=50, required=True)
    opinion = text_area("审批意见", rows=2)
    closed_on = date_field("结案日期")


class CaseTransferForm(CaseForm):
    target = choice_field("移送对象", TransferTarget.choices, widget=forms.RadioSelect, blank="")
    body = text_field("接收机关", required=True, help_text="如：XX市公安局XX分局")
    approved_by = text_field("移送审批人", max_length=50, required=True)
    opinion = text_area("移送理由", rows=2)
    on = date_field("移送日期")


class RecordForm(CaseForm):
    recorded_on = date_field("备案日期")


class SimpleForm(CaseForm):
    """简易程序: a warning or a small fine decided on the spot, the respondent named as in 登记线索."""

    respondent_uscc = text_field("当事人统一社会信用代码", max_length=40, help_text="登记在册的主体自动带出名称和所属街道")
    respondent_name = text_field("当事人名称或姓名", max_length=200)
    respondent_kind = choice_field("当事人类型", RespondentKind.choices, required=False, blank="按填写内容判断")
    respondent_id_no = text_field("身份证件号码（自然人）", max_length=30)
    subdistrict = SubdistrictField(
        label="所属街道", required=False, queryset=Subdistrict.objects.none(), empty_label="按登记主体的街道",
        error_messages={"invalid_choice": "所选街道无效"},
    )
    source = choice_field("案件来源", LeadSource.choices)
    category = CategoryField(label="案件类别")
    cause = text_field("案由", max_length=300, required=True)
    violated_articles = text_area("违反的条款", rows=2)
    penalising_articles = text_area("处罚依据", rows=2)
    penalty_kinds = penalty_field(kinds=[(k, v) for k, v in PenaltyKind.choices if k in (PenaltyKind.WARNING, PenaltyKind.FINE)])
    fine_amount = amount_field("罚款金额")
    officers = OfficerField(
        label="执法人员", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="不少于2名，执法证在当日有效",
        error_messages={"invalid_choice": "所选执法人员无效", "invalid_pk_value": "所选执法人员无效"},
    )
    opinion = text_area("说明", rows=2)
    decided_on = date_field("决定日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        scope = subdistricts_in_scope(actor=self.actor) if self.actor else Subdistrict.objects.all()
        self.fields["subdistrict"].queryset = scope.select_related("station").order_by("station__code", "code")
        self.fields["officers"].queryset = officer_choices(self.actor)
        self.initial.setdefault("source", LeadSource.INSPECTION)


class PublishForm(CaseForm):
    on = date_field("公示日期", help_text="须在作出决定之日起20个工作日内公示")


class WithdrawForm(CaseForm):
    revoked_on = date_field("决定撤销（变更、确认违法或无效）日期")
    on = date_field("撤下日期", help_text="须在决定撤销之日起3个工作日内撤下")
    reason = text_area("撤下理由", required=True, rows=2)
    approved_by = text_field("审批人", max_length=50, required=True)


class EndEarlyForm(CaseForm):
    on = date_field("停止公示日期")
    reason = text_area("停止公示理由（信用修复申请）", required=True, rows=2)
    approved_by = text_field("审批人", max_length=50, required=True)
    attested = forms.MultipleChoiceField(
        label="经核实", choices=list(ATTESTED_CONDITIONS.items()), required=False, widget=forms.CheckboxSelectMultiple,
    )
