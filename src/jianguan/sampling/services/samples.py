"""Samples (抽样单): recorded when sampled, sent to the institution, their result entered; each write
recomputes the sample's clocks (deadlines.py) and its disposal status."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import Subdistrict, User

from ..choices import Conclusion, SamplingType
from ..models import BusinessFormat, FoodCategory, QuickTest, Sample, UnqualifiedItem
from ..rules import conclusions_allowed
from .common import (
    CLOCK_FIELDS,
    business_fields,
    check_campaign,
    check_version,
    check_writer,
    clean_uscc,
    not_before,
    require_text,
    save,
    set_clocks,
)


@dataclass(frozen=True)
class Item:
    """不合格项目 as entered: a name, and when known the measured and standard values with their unit."""

    name: str
    measured: str = ""
    standard: str = ""
    unit: str = ""


def _check_reference(value, model, field: str, label: str):
    if value is None:
        raise DomainError(f"{field}_required", f"请选择{label}", {"field": field})
    if value.disabled_on is not None:
        raise DomainError(f"{field}_disabled", f"{label}“{value.name}”已于 {value.disabled_on} 停用", {"field": field})
    return value


@transaction.atomic
def sample_record(*, actor: User | None, number: str, sampled_on: dt.date, sample_name: str,
                  business_format: BusinessFormat, food_category: FoodCategory,
                  sampling_type: str = SamplingType.SUPERVISION, business: Business | None = None, business_name: str = "",
                  business_uscc: str = "", subdistrict: Subdistrict | None = None, specification: str = "", batch: str = "",
                  producer_name: str = "", producer_uscc: str = "", institution: str = "", sent_on: dt.date | None = None,
                  campaign: Campaign | None = None, quick_test: QuickTest | None = None, imported: bool = False,
                  calendar: WorkingCalendar | None = None, ip: str | None = None) -> Sample:
    """Record a sample when it is taken (抽样单): its number is unique for ever."""
    number = require_text(number, "number", "抽样单编号")
    if Sample.objects.filter(number=number).exists():
        raise DomainError("duplicate_number", f"抽样单编号“{number}”已登记", {"field": "number"})
    if sampling_type not in SamplingType.values:
        raise DomainError("invalid_sampling_type", f"抽检类型“{sampling_type}”不存在", {"field": "sampling_type"})
    fields = business_fields(business=business, name=business_name, uscc=business_uscc, subdistrict=subdistrict)
    check_writer(actor, fields["subdistrict"])
    check_campaign(campaign, sampled_on, "抽样日期")
    if sent_on is not None:
        not_before(sent_on, sampled_on, "sent_on", "送检日期", "抽样日期")
    sample = Sample(
        number=number, sampled_on=sampled_on, sampling_type=sampling_type, sample_name=require_text(sample_name, "sample_name", "样品名称"),
        business_format=_check_reference(business_format, BusinessFormat, "business_format", "业态"),
        food_category=_check_reference(food_category, FoodCategory, "food_category", "食品大类"),
        specification=specification.strip(), batch=batch.strip(), producer_name=producer_name.strip(),
        producer_uscc=clean_uscc(producer_uscc, "producer_uscc", "标称生产者统一社会信用代码"), institution=institution.strip(),
        sent_on=sent_on, campaign=campaign, imported=imported, created_by=actor, **fields,
    )
    with acting(actor, ip):
        save(sample)
        set_clocks(sample, calendar=calendar)
        sample.save(update_fields=CLOCK_FIELDS)
        if quick_test is not None:
            if quick_test.sample_id is not None:
                raise DomainError("quicktest_has_sample", "该快检阳性结果已登记跟进抽样", {"field": "quick_test"})
            quick_test.sample = sample
            quick_test.save(update_fields=["sample"])
    return sample


def locked(pk: int, version: int | None, actor: User | None) -> Sample:
    sample = Sample.objects.select_for_update(of=("self",)).select_related("subdistrict").get(pk=pk)
    check_writer(actor, sample.subdistrict)
    check_version(sample, version)
    return sample


def bump(sample: Sample) -> None:
    sample.version += 1
    save(sample)  # full_clean, then every field: the clocks may have moved with the dates


@transaction.atomic
def sample_send(*, actor: User | None, sample: Sample, sent_on: dt.date, institution: str = "", version: int | None = None,
                ip: str | None = None) -> Sample:
    """送检: the day the institution received the sample starts its 20-working-day report clock."""
    sample = locked(sample.pk, version, actor)
    not_before(sent_on, sample.sampled_on, "sent_on", "送检日期", "抽样日期")
    sample.sent_on = sent_on
    if institution.strip():
        sample.institution = institution.strip()
    with acting(actor, ip):
        set_clocks(sample)
        bump(sample)
    return sample


@transaction.atomic
def sample_result(*, actor: User | None, sample: Sample, report_on: dt.date, conclusion: str, items: list[Item] = (),
                  institution: str = "", version: int | None = None, calendar: WorkingCalendar | None = None,
                  ip: str | None = None) -> Sample:
    """The institution's report: its date and conclusion, and for 不合格 (or a 问题样品) the items with
    measured and standard values. Starts the service and disposal clocks of an unqualified result."""
    sample = locked(sample.pk, version, actor)
    if conclusion not in conclusions_allowed(sample.sampling_type) or conclusion == Conclusion.PENDING:
        allowed = "、".join(Conclusion(c).label for c in conclusions_allowed(sample.sampling_type) if c != Conclusion.PENDING)
        raise DomainError("invalid_conclusion", f"{sample.get_sampling_type_display()}的检验结论只能是{allowed}", {"field": "conclusion"})
    not_before(report_on, sample.sent_on or sample.sampled_on, "report_on", "报告日期", "送检日期" if sample.sent_on else "抽样日期")
    if sample.lead_id and conclusion != sample.conclusion:
        raise DomainError("result_has_lead", "该样品已移交案件线索，检验结论不能再改", {"field": "conclusion"})
    items = [Item(require_text(i.name, "items", "不合格项目名称"), i.measured.strip(), i.standard.strip(), i.unit.strip()) for i in items]
    if conclusion in (Conclusion.UNQUALIFIED, Conclusion.PROBLEM) and not items:
        raise DomainError("items_required", f"检验结论为{Conclusion(conclusion).label}，请至少填写一个不合格项目", {"field": "items"})
    if conclusion == Conclusion.QUALIFIED and items:
        raise DomainError("items_on_qualified", "检验结论为合格的样品不应有不合格项目", {"field": "items"})
    sample.report_on, sample.conclusion = report_on, conclusion
    if institution.strip():
        sample.institution = institution.strip()
    with acting(actor, ip):
        sample.items.all().delete()
        for n, i in enumerate(items, 1):  # one by one: each item leaves its audit row
            UnqualifiedItem.objects.create(sample=sample, name=i.name, measured=i.measured, standard=i.standard, unit=i.unit, order=n)
        set_clocks(sample, calendar=calendar)
        bump(sample)
    return sample
