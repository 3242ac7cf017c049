"""Special-equipment page forms: input checks only; the rules live in services."""

import datetime as dt

from django import forms
from django.utils import timezone

from jianguan.core.errors import DomainError

from .choices import STATUS_TRANSITIONS, EquipmentStatus, ExamConclusion

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATE_ERRORS = {"required": "请填写日期", "invalid": "日期无法识别，请写成 2026-11-25"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DateInput(), help_text=help_text,
        error_messages=DATE_ERRORS,
    )


class DomainErrorMixin:
    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's Chinese message next to the field it concerns, or on top of the form."""
        extra = exc.extra or {}
        field = extra.get("field")
        if field in self.fields:
            self.add_error(field, exc.message)
            return
        per_field = extra.get("fields")
        if isinstance(per_field, dict) and per_field:
            for name, msgs in per_field.items():
                for msg in msgs if isinstance(msgs, list | tuple) else [msgs]:
                    self.add_error(name if name in self.fields else None, str(msg))
            return
        self.add_error(None, exc.message)


class ExaminationForm(DomainErrorMixin, forms.Form):
    date = _date_field("检验日期")
    conclusion = forms.ChoiceField(
        label="检验结论", choices=[("", "请选择")] + list(ExamConclusion.choices),
        error_messages={"required": "请选择检验结论", "invalid_choice": "检验结论无效，请重新选择"},
    )
    next_due = _date_field("下次检验日期", required=False, help_text="以检验报告所载为准；不合格可不填")
    institution = forms.CharField(label="检验机构", max_length=200, required=False)
    report_no = forms.CharField(label="报告编号", max_length=60, required=False)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("检验日期不能晚于今天")
        if day < dt.date(1980, 1, 1):
            raise forms.ValidationError("检验日期过早，请核对")
        return day

    def clean(self):
        data = super().clean()
        day, next_due, conclusion = data.get("date"), data.get("next_due"), data.get("conclusion")
        if day and next_due and next_due <= day:
            self.add_error("next_due", "下次检验日期必须晚于检验日期")
        if conclusion and conclusion != ExamConclusion.FAILED and not next_due and "next_due" not in self.errors:
            self.add_error("next_due", "检验结论为合格时请填写报告所载的下次检验日期")
        return data


class TransitionForm(DomainErrorMixin, forms.Form):
    status = forms.ChoiceField(
        label="变更为", error_messages={"required": "请选择新的设备状态", "invalid_choice": "该状态变更不允许"}
    )
    on = _date_field("状态日期")
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "页面已过期，请刷新后重试"})

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(EquipmentStatus(current), set())
        self.fields["status"].choices = [("", "请选择")] + [(v, label) for v, label in EquipmentStatus.choices if v in allowed]
        self.final = not allowed

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("状态日期不能晚于今天")
        return day


class TaskCompleteForm(DomainErrorMixin, forms.Form):
    note = forms.CharField(
        label="办理情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写办理情况"},
    )
