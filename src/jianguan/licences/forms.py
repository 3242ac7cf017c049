"""The licence form and the 注销/吊销 form: input checks only (a date is a date, the holder is on the register);
the rules live in services.licence_save and licence_end, whose messages land next to the field they name."""

from django import forms

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError

from .choices import ENDED_BY_DECISION, LicenceStatus
from .models import LicenceKind, Sector

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
# Field names the services use in DomainError.extra, mapped to this form's fields.
FIELD_ALIASES = {"business": "uscc", "status": "status", "status_date": "status_date"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DomainErrorsMixin:
    def add_domain_error(self, exc: DomainError) -> None:
        """A service's Chinese message next to the field it concerns, or on top of the form."""
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


class LicenceForm(DomainErrorsMixin, forms.Form):
    number = forms.CharField(label="许可证编号", max_length=60, help_text="字母不区分大小写，保存时转为大写",
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}))
    kind = forms.ChoiceField(label="许可种类")
    uscc = forms.CharField(label="持证主体统一社会信用代码", max_length=30, help_text="须为已登记的市场主体（含其他组织）",
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}))
    sector = forms.ChoiceField(label="主体业态", required=False)
    items = forms.CharField(label="经营项目", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    issued_on = forms.DateField(label="发证日期", input_formats=DATE_INPUT_FORMATS, widget=DateInput())
    valid_until = forms.DateField(label="有效期至", required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
                                  help_text="备案、登记无有效期的留空")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, current: tuple[str | None, str | None] = (None, None), **kwargs):
        super().__init__(*args, **kwargs)
        kind_code, sector_code = current
        # A licence keeps a kind or 业态 disabled since it was entered; new ones choose among those in use.
        kinds = LicenceKind.objects.filter(disabled_on__isnull=True) | LicenceKind.objects.filter(code=kind_code or "")
        sectors = Sector.objects.filter(disabled_on__isnull=True) | Sector.objects.filter(code=sector_code or "")
        self.fields["kind"].choices = [("", "请选择许可种类"), *kinds.order_by("order", "code").values_list("code", "name")]
        self.fields["sector"].choices = [("", "（未填）"), *sectors.order_by("order", "code").values_list("code", "name")]
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_uscc(self):
        raw = self.cleaned_data["uscc"].strip().upper()
        try:
            code = normalize_uscc(raw)
        except UsccError as exc:
            raise forms.ValidationError(f"“{raw}”：{exc}") from None
        business = Business.objects.select_related("subdistrict").filter(uscc=code).first()
        if business is None:
            raise forms.ValidationError(f"统一社会信用代码 {code} 不在市场主体台账中，请先登记该主体")
        self.business = business
        return code

    def clean(self):
        data = super().clean()
        issued, until = data.get("issued_on"), data.get("valid_until")
        if issued and until and until < issued:
            self.add_error("valid_until", "有效期至不能早于发证日期")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "kind": LicenceKind.objects.get(code=data["kind"]),
            "business": self.business,
            "sector": Sector.objects.get(code=data["sector"]) if data.get("sector") else None,
            "items": data.get("items", ""),
            "issued_on": data["issued_on"],
            "valid_until": data.get("valid_until"),
        }


class EndForm(DomainErrorsMixin, forms.Form):
    status = forms.ChoiceField(label="处理", choices=[(s, LicenceStatus(s).label) for s in ENDED_BY_DECISION])
    status_date = forms.DateField(label="注销（吊销）日期", input_formats=DATE_INPUT_FORMATS, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)
