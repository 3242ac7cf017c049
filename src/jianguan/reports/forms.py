"""Report forms: the parameters of a report (template, period or as-of date, scope) and the template editor."""

import datetime as dt

from django import forms

from jianguan.core.errors import DomainError
from jianguan.core.periods import Params, Period

from . import selectors
from .engine import build_params

FORMAT_CHOICES = [("html", "HTML"), ("docx", "Word（DOCX）"), ("xlsx", "Excel（XLSX）"), ("md", "Markdown"), ("json", "JSON")]
FIELD_OF_ERROR = {
    "invalid_period": "period", "missing_period": "period", "invalid_as_of": "as_of",
    "missing_campaign": "campaign", "unknown_campaign": "campaign", "invalid_report_year": "report_year",
}


def period_suggestions(today: dt.date, months: int = 12) -> list[tuple[str, str]]:
    """Recent halves, quarters and months (the current one first), for the period helper select."""
    out: list[tuple[str, str]] = []
    for year in (today.year, today.year - 1):
        for half in (2, 1):
            start = dt.date(year, 1 if half == 1 else 7, 1)
            if start <= today:
                out.append((f"{year}H{half}", Period.parse(f"{year}H{half}").label))
    for back in range(6):
        index = today.year * 12 + (today.month - 1) // 3 * 3 - back * 3
        year, month = divmod(index, 12)
        code = f"{year}Q{month // 3 + 1}"
        out.append((code, Period.parse(code).label))
    for back in range(months):
        index = today.year * 12 + today.month - 1 - back
        year, month = divmod(index, 12)
        code = f"{year}-{month + 1:02d}"
        out.append((code, Period.parse(code).label))
    out.extend((str(y), f"{y}年") for y in (today.year, today.year - 1))
    return out


class ParamsMixin:
    """Turns period / as_of / scope / campaign into Params, with each problem in Chinese on its field."""

    def clean_params(self, actor, *, allow_bureau: bool = False) -> Params | None:
        data = self.cleaned_data
        period, as_of = data.get("period") or None, data.get("as_of")
        scope = data.get("scope") or selectors.default_scope(actor=actor)
        campaign = (data.get("campaign") or "").strip()
        if not period and not as_of and not campaign:
            self.add_error("period", "请填写统计期间（如 2026H1）或截至日期")
            return None
        try:
            params = build_params(as_of=as_of, period=period, scope=scope, campaign=campaign,
                                  report_year=data.get("report_year") or None)
            selectors.check_scope(actor=actor, scope=params.scope, allow_bureau=allow_bureau)
        except DomainError as exc:
            field = FIELD_OF_ERROR.get(exc.code, "scope" if exc.code in ("invalid_scope", "permission_denied") else None)
            self.add_error(field, exc.message)
            return None
        return params


class ReportForm(ParamsMixin, forms.Form):
    template = forms.ChoiceField(label="报表模板")
    period = forms.CharField(label="统计期间", required=False, max_length=40,
                             help_text="如 2026H1、2026Q3、2026-08、2026 或 2026-01-01..2026-06-30")
    as_of = forms.DateField(label="截至日期", required=False, help_text="只填截至日期时，统计期间为当年1月1日至该日",
                            error_messages={"invalid": "截至日期无法识别，请写成 2026-06-30"})
    scope = forms.CharField(label="范围", required=False)
    campaign = forms.CharField(label="专项行动", required=False, max_length=40,
                               help_text="专项行动报表须选择；只选专项行动时，统计期间为行动起止日期，截至今天")
    report_year = forms.CharField(label="年报年度", required=False, max_length=4,
                                  help_text="年报率等年度报告指标的年度，缺省为截至日期的上一年")

    def __init__(self, *args, actor, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.campaign_choices = selectors.campaign_choices()
        self.fields["template"].choices = [(t.key, t.title) for t in templates]
        self.fields["template"].error_messages["invalid_choice"] = "报表模板“%(value)s”不存在"
        self.fields["template"].error_messages["required"] = "请选择报表模板"
        self.scope_groups = selectors.scope_choices(actor=actor)
        self.params: Params | None = None
        self.problems: list = []  # a TemplateInvalid's problems, with their lines

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.params = self.clean_params(self.actor)
        return data


class PreviewForm(ParamsMixin, forms.Form):
    body = forms.CharField(required=False, strip=False)
    period = forms.CharField(required=False, max_length=40)
    as_of = forms.DateField(required=False, error_messages={"invalid": "截至日期无法识别，请写成 2026-06-30"})
    scope = forms.CharField(required=False)
    campaign = forms.CharField(required=False, max_length=40)
    report_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.params: Params | None = None

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.params = self.clean_params(self.actor, allow_bureau=True)
        return data


class TemplateEditForm(forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    body = forms.CharField(label="模板正文", strip=False, widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}))
    version = forms.IntegerField(widget=forms.HiddenInput)
