"""Samples and quick tests for the sampling tests.

- through the real services (`sampled`, `unqualified`): clocks, items and leads exactly as the pages make
  them — for workflow tests;
- `SampleFactory`: any state in one line, its clocks computed by `set_clocks` — for lists, indicators and
  exports, where the path to the state does not matter.
"""

import datetime as dt
import itertools

import factory

from jianguan.core.models import Rule
from jianguan.sampling.choices import Conclusion, QuickTestResult, SamplingType
from jianguan.sampling.models import BusinessFormat, FoodCategory, QuickTest, Sample
from jianguan.sampling.services import Item, sample_record, sample_result
from jianguan.sampling.services.common import set_clocks

from ..factories import BusinessFactory

_number = itertools.count(1)


def fmt(name="超市") -> BusinessFormat:
    """A 业态 seeded by the sampling migrations."""
    return BusinessFormat.objects.get(name=name)


def category(name="蔬菜制品") -> FoodCategory:
    """A 食品大类 seeded by the sampling migrations."""
    return FoodCategory.objects.get(name=name)


def population_rule(key="region.population", value=120000, since=dt.date(2020, 1, 1)) -> Rule:
    """A population rule (批次/千人): `region.population` for the bureau, `region.population.<code>` for a
    station or a subdistrict."""
    return Rule.objects.create(key=key, label="常住人口", value=str(value), unit="count", valid_from=since,
                               source_document="第七次全国人口普查公报")


def next_number() -> str:
    return f"DC26370102{next(_number):06d}"


def sampled(org=None, *, actor=None, sampled_on=dt.date(2026, 9, 1), business=None, format_name="超市",
            category_name="蔬菜制品", **kw) -> Sample:
    """A sample through `sample_record`, by default at a business of 东关街道 (东关所)."""
    if business is None and not kw.get("business_name"):
        business = BusinessFactory(subdistrict=org.subs["dongguan"]) if org is not None else BusinessFactory()
    return sample_record(actor=actor, number=kw.pop("number", next_number()), sampled_on=sampled_on, business=business,
                         sample_name=kw.pop("sample_name", "腌制蔬菜"), business_format=fmt(format_name),
                         food_category=category(category_name), **kw)


def unqualified(org=None, *, actor=None, report_on=dt.date(2026, 9, 20), items=("苯甲酸及其钠盐",), **kw) -> Sample:
    """An unqualified sample through the services: sampled, sent, reported with its items."""
    sample = sampled(org, actor=actor, sent_on=kw.pop("sent_on", None), **kw)
    return sample_result(actor=actor, sample=sample, report_on=report_on, conclusion=Conclusion.UNQUALIFIED,
                         items=[Item(name, "1.2", "0.5", "g/kg") for name in items])


class SampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sample
        skip_postgeneration_save = True

    number = factory.LazyFunction(next_number)
    sampled_on = dt.date(2026, 9, 1)
    sampling_type = SamplingType.SUPERVISION
    business = factory.SubFactory(BusinessFactory)
    business_name = factory.LazyAttribute(lambda o: o.business.name if o.business else "某摊位")
    business_uscc = factory.LazyAttribute(lambda o: o.business.uscc if o.business else "")
    subdistrict = factory.LazyAttribute(lambda o: o.business.subdistrict if o.business else None)
    business_format = factory.LazyFunction(fmt)
    food_category = factory.LazyFunction(category)
    sample_name = "腌制蔬菜"
    conclusion = Conclusion.QUALIFIED
    report_on = factory.LazyAttribute(lambda o: None if o.conclusion == Conclusion.PENDING else o.sampled_on + dt.timedelta(days=20))

    @factory.post_generation
    def clocks(obj, create, extracted, **kwargs):
        if create:
            set_clocks(obj)
            obj.save()


class QuickTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuickTest

    tested_on = dt.date(2026, 9, 1)
    place = "东关农贸市场快检室"
    business = None
    subdistrict = None
    product = "小白菜"
    item = "农药残留"
    result = QuickTestResult.NEGATIVE
