"""What every sampling service shares: who may write where, the clocks, the business of a record."""

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.cases.services.common import check_version, not_before, require_text  # noqa: F401  (shared helpers)
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.deadlines import register_provisional, unregister_provisional
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.services import save_valid as save  # noqa: F401
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from ..deadlines import RuleTable, sample_clocks
from ..models import Sample
from ..rules import disposal_status, needs_disposal

APP = "sampling"


def check_writer(actor: User | None, subdistrict: Subdistrict | None) -> None:
    """Station staff record in their jurisdiction; the food department (食品科) bureau-wide; leadership reads."""
    if actor is None:
        return  # the command line, imports and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能录入或修改抽检、快检记录")
    if actor.role == Role.STATION:
        if subdistrict is None:
            raise PermissionDenied("该被抽样单位不属于任何街道，由食品等业务科室录入")
        if not subdistricts_in_scope(actor=actor).filter(pk=subdistrict.pk).exists():
            raise PermissionDenied(f"“{subdistrict.name}”不在您的辖区范围内")


def clean_uscc(value: str, field: str, label: str = "统一社会信用代码") -> str:
    value = (value or "").strip().upper()
    if not value:
        return ""
    try:
        return normalize_uscc(value)
    except UsccError as exc:
        raise DomainError("invalid_uscc", f"{label}“{value}”校验不通过：{exc}", {"field": field}) from None


def business_fields(*, business: Business | None, name: str = "", uscc: str = "", subdistrict: Subdistrict | None = None,
                    prefix: str = "business") -> dict:
    """The sampled (or tested) business: a registered code gives the registry's record, its name and its
    subdistrict; anyone else is kept by name, with the subdistrict given."""
    uscc = clean_uscc(uscc, f"{prefix}_uscc") if business is None else business.uscc
    if business is None and uscc:
        business = Business.objects.filter(uscc=uscc).select_related("subdistrict").first()
    if business is not None:
        return {"business": business, f"{prefix}_name": business.name, f"{prefix}_uscc": business.uscc,
                "subdistrict": subdistrict or business.subdistrict}
    return {"business": None, f"{prefix}_name": require_text(name, f"{prefix}_name", "被抽样单位名称"),
            f"{prefix}_uscc": uscc, "subdistrict": subdistrict}


def check_campaign(campaign, day, what: str) -> None:
    """A record counts toward a campaign only when it falls within the campaign's dates."""
    if campaign is not None and not (campaign.start <= day <= campaign.end):
        raise DomainError("campaign_period", f"{what} {day} 不在专项行动“{campaign.name}”的期间（{campaign.start} 至 {campaign.end}）内",
                          {"field": "campaign"})


def set_clocks(sample: Sample, *, calendar: WorkingCalendar | None = None, rules: RuleTable | None = None) -> None:
    """Compute every clock of the sample from its dates and the rules in force, and its disposal status;
    clocks in a year whose calendar is not known are registered as provisional (暂定). The sample must
    have its pk (the register names it)."""
    calendar = calendar or WorkingCalendar()
    dates = {"sampled_on": sample.sampled_on, "sent_on": sample.sent_on, "report_on": sample.report_on,
             "served_on": sample.served_on}
    clocks = sample_clocks(dates, unqualified=needs_disposal(sample.conclusion), calendar=calendar, rules=rules)
    provisional = [c for c in clocks.values() if c is not None and c.due.provisional]
    ref = f"sample:{sample.pk}"
    if sample.dues_provisional or provisional:
        unregister_provisional(app_label=APP, object_ref=ref)
    for field, c in clocks.items():
        setattr(sample, field, c.due.date if c else None)
    for c in provisional:
        register_provisional(app_label=APP, object_ref=ref, field_name=c.field, start=c.start, due=c.due.date,
                             **({"working_days": c.days} if c.kind == "working" else {"calendar_days": c.days}))
    sample.dues_provisional = bool(provisional)
    sample.disposal_status = disposal_status(sample.conclusion, sample.disposed_on)


CLOCK_FIELDS = ["send_due", "report_due", "service_due", "retest_due", "objection_due", "disposal_due", "dues_provisional",
                "disposal_status"]

