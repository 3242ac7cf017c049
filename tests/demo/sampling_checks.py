"""The demo's year of food sampling and quick tests (checked from test_demo_inspections, so that the demo is
built once): population rules, the plan, samples and their clocks, the stories of the unqualified ones,
leads counted once, quick tests, the campaign, the public notice and the work summary's section."""

import datetime as dt
import re
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from jianguan.campaigns.models import Campaign
from jianguan.cases.choices import LeadSource, LeadStatus
from jianguan.cases.models import Lead
from jianguan.core.masking import mask_name
from jianguan.core.models import Rule
from jianguan.core.rules import rule_value
from jianguan.demo.equipment import DEMO_DATE
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit
from jianguan.sampling.choices import (
    Conclusion,
    DisposalStatus,
    QuickTestMode,
    QuickTestResult,
    RetestOutcome,
    SamplingType,
)
from jianguan.sampling.models import QuickTest, Sample, SamplingPlan
from jianguan.sampling.rules import overdue, pass_rate, per_thousand

YEAR_START = dt.date(DEMO_DATE.year, 1, 1)
JUDGED_TYPES = (SamplingType.SUPERVISION, SamplingType.EVALUATION)


def _population_rules_for_the_bureau_and_each_station(demo):
    assert "食品抽检" in demo and "快检" in demo
    stations = OrgUnit.objects.filter(kind=OrgKind.STATION)
    per_station = [int(rule_value(f"region.population.{s.code}", DEMO_DATE)) for s in stations]
    assert all(n > 1000 for n in per_station)
    bureau = int(rule_value("region.population", DEMO_DATE))
    assert bureau == sum(per_station)
    # Two versions for the bureau: the figure in force in 2025 is its own, a little smaller.
    assert int(rule_value("region.population", dt.date(DEMO_DATE.year - 1, 12, 31))) < bureau
    assert set(Rule.objects.filter(key__startswith="region.population").values_list("unit", flat=True)) == {"count"}
    return bureau


def _the_food_departments_plan_with_its_targets():
    plan = SamplingPlan.objects.get(year=DEMO_DATE.year, department__name="食品安全监督管理科")
    by_format = plan.targets.filter(business_format__isnull=False).aggregate(n=Sum("batches"))["n"]
    assert by_format == plan.batches and plan.per_thousand_target == 4
    assert plan.targets.filter(food_category__name="食用农产品").exists()
    # By the demo date most of the year's batches are taken.
    taken = Sample.objects.filter(sampled_on__year=plan.year).count()
    assert 0.8 * plan.batches <= taken <= 1.1 * plan.batches, (taken, plan.batches)
    return plan


def _a_year_of_samples_a_few_percent_unqualified():
    samples = Sample.objects.all()
    assert 200 <= samples.count() < 1000  # hundreds
    assert not samples.filter(sampled_on__gt=DEMO_DATE).exists()
    for date_field in ("sent_on", "report_on", "served_on", "retest_requested_on", "retest_report_on", "disposed_on"):
        assert not samples.filter(**{f"{date_field}__gt": DEMO_DATE}).exists(), date_field
    assert set(samples.values_list("sampling_type", flat=True)) == set(SamplingType.values)
    judged = samples.filter(sampling_type__in=JUDGED_TYPES, conclusion__in=(Conclusion.QUALIFIED, Conclusion.UNQUALIFIED))
    unqualified = judged.filter(conclusion=Conclusion.UNQUALIFIED).count()
    assert 0.01 <= unqualified / judged.count() <= 0.06, (unqualified, judged.count())
    # 风险监测 finds 问题样品 and is never 不合格; the others never 问题样品.
    assert samples.filter(sampling_type=SamplingType.RISK, conclusion=Conclusion.PROBLEM).exists()
    assert not samples.filter(sampling_type=SamplingType.RISK, conclusion=Conclusion.UNQUALIFIED).exists()
    assert not samples.filter(sampling_type__in=JUDGED_TYPES, conclusion=Conclusion.PROBLEM).exists()
    # The latest wait for their report; every result within its 20 working days, every dispatch within 5.
    pending = samples.filter(conclusion=Conclusion.PENDING)
    assert pending.exists() and not pending.filter(sampled_on__lt=DEMO_DATE - dt.timedelta(days=45)).exists()
    assert not samples.filter(report_on__gt=F("report_due")).exists()
    assert not samples.filter(sent_on__gt=F("send_due")).exists()
    # Numbers follow the calendar.
    dates = [d for _, d in sorted(samples.values_list("number", "sampled_on"))]
    assert dates == sorted(dates)
    # Every unqualified result carries its items with measured and standard values and units.
    for sample in samples.filter(conclusion__in=(Conclusion.UNQUALIFIED, Conclusion.PROBLEM)).prefetch_related("items"):
        items = list(sample.items.all())
        assert items and all(i.measured and i.standard and i.unit for i in items), sample


def _unqualified_results_served_retested_and_disposed():
    unqualified = Sample.objects.filter(conclusion=Conclusion.UNQUALIFIED)
    assert not unqualified.filter(served_on__isnull=True).exists()
    assert not unqualified.filter(served_on__gt=F("service_due")).exists()
    # Re-tested: asked within 7 working days of service; one upheld, exactly one overturned (then 合格).
    retested = Sample.objects.filter(retest_requested_on__isnull=False)
    assert retested.count() >= 2 and not retested.filter(retest_requested_on__gt=F("retest_due")).exists()
    overturned = Sample.objects.get(retest_outcome=RetestOutcome.OVERTURNED)
    assert overturned.conclusion == Conclusion.QUALIFIED and overturned.disposal_status == DisposalStatus.NONE
    assert overturned.lead_id is None
    assert unqualified.filter(retest_outcome=RetestOutcome.UPHELD, disposal_status=DisposalStatus.DISPOSED).exists()
    # Disposed within the 90 days, with the cause and a lead or the reason for none.
    disposed = unqualified.filter(disposal_status=DisposalStatus.DISPOSED)
    assert disposed.count() >= 4 and not disposed.filter(disposed_on__gt=F("disposal_due")).exists()
    assert not disposed.filter(cause="").exists()
    assert not disposed.filter(lead__isnull=True, no_case_reason="").exists()
    assert disposed.filter(lead__isnull=True).exclude(no_case_reason="").exists()
    # One disposal past its deadline on the demo date, one still within it.
    late = [s for s in unqualified if overdue(due=s.disposal_due, done_on=s.disposed_on, as_of=DEMO_DATE)]
    assert len(late) == 1 and late[0].disposal_status == DisposalStatus.DISPOSING and late[0].removed_qty
    assert unqualified.filter(disposal_status=DisposalStatus.DISPOSING, disposal_due__gte=DEMO_DATE).exists()
    return unqualified


def _leads_from_samples_counted_once(unqualified):
    with_lead = Sample.objects.filter(lead__isnull=False)
    assert with_lead.count() > unqualified.count() / 2  # most unqualified results become a lead
    refs = {f"sampling.sample:{pk}" for pk in with_lead.values_list("pk", flat=True)}
    leads = Lead.objects.filter(source_ref__startswith="sampling.sample:")
    assert leads.count() == len(refs) and set(leads.values_list("source_ref", flat=True)) == refs
    assert set(leads.values_list("source", flat=True)) == {LeadSource.SAMPLING}
    for sample in with_lead.select_related("lead"):
        assert sample.lead.source_ref == f"sampling.sample:{sample.pk}" and sample.lead.business_id == sample.business_id
    # Transferred to the producer's regulator in their time, the latest waiting within their clock (the cases
    # demo's two leads past their deadline stay the only ones); none names a person as an organisation.
    assert leads.filter(status=LeadStatus.TRANSFERRED).exists()
    assert not leads.filter(status=LeadStatus.PENDING, decision_due__lt=DEMO_DATE).exists()
    assert not leads.filter(decided_on__gt=F("decision_due")).exists()
    assert not with_lead.filter(business__isnull=True, business_uscc="").exists()


def _quick_tests_at_markets_and_by_mobile_teams():
    tests = QuickTest.objects.all()
    assert tests.count() >= 200 and not tests.filter(tested_on__gt=DEMO_DATE).exists()
    assert tests.filter(mode=QuickTestMode.STATION).values("place").distinct().count() == OrgUnit.objects.filter(
        kind=OrgKind.STATION).count()
    assert tests.filter(mode=QuickTestMode.MOBILE, business__isnull=False).exists()
    positive = tests.filter(result=QuickTestResult.POSITIVE)
    assert 3 <= positive.count() <= 0.05 * tests.count()
    followed = positive.get(sample__isnull=False)
    sample = followed.sample
    assert sample.business_id == followed.business_id and sample.sampled_on == followed.tested_on
    assert sample.sample_name == followed.product and sample.conclusion == Conclusion.UNQUALIFIED


def _samples_and_quick_tests_in_the_food_campaign():
    campaign = Campaign.objects.get(code="2026-BRGJ")
    samples, tests = Sample.objects.filter(campaign=campaign), QuickTest.objects.filter(campaign=campaign)
    assert samples.count() >= 20 and tests.count() >= 20
    assert not samples.exclude(sampled_on__range=(campaign.start, campaign.end)).exists()
    assert not tests.exclude(tested_on__range=(campaign.start, campaign.end)).exists()
    assert not Sample.objects.filter(campaign__isnull=False).exclude(campaign=campaign).exists()


def _the_public_notice_shows_what_is_published_and_masks_stalls(client):
    cache.clear()  # the public pages are rate limited per client
    today = timezone.localdate()
    published = Sample.objects.filter(sampling_type__in=JUDGED_TYPES, conclusion__in=(Conclusion.QUALIFIED, Conclusion.UNQUALIFIED),
                                      report_on__lte=today)
    feed = client.get("/public/sampling/feed.json", {"page_size": 100}).json()
    assert feed["count"] == published.count()
    shown = {r["number"] for r in feed["results"]}
    assert not Sample.objects.filter(number__in=shown).exclude(pk__in=published).exists()
    stall = published.filter(business__isnull=True, business_uscc="").order_by("-report_on").first()
    if stall is not None:  # the stall's month, in its category: its seller is shown by surname only
        page = client.get("/public/sampling/", {"year": stall.report_on.year, "month": stall.report_on.month,
                                                 "category": stall.food_category.code}).content.decode()
        assert stall.number in page and mask_name(stall.business_name) in page and stall.business_name not in page


def _the_work_summary_has_its_sampling_section(population):
    out = StringIO()
    call_command("report", "work_summary", "--as-of", DEMO_DATE.isoformat(), "--format", "md", "--no-snapshot", stdout=out)
    section = out.getvalue().split("## 七、食品安全抽检", 1)[1].split("\n## ", 1)[0]
    year = Sample.objects.filter(sampled_on__range=(YEAR_START, DEMO_DATE))
    assert f"共完成食品抽检监测{year.count()}批次" in section
    assert f"达{per_thousand(year.count(), population)}批次/千人" in section
    judged = year.filter(sampling_type__in=JUDGED_TYPES)
    rate = pass_rate(judged.filter(conclusion=Conclusion.QUALIFIED).count(), judged.filter(conclusion=Conclusion.UNQUALIFIED).count())
    assert f"合格率{rate}%" in section and "风险监测样品不作合格判定" in section
    assert "超过处置期限尚未完成核查处置的1批次" in section
    assert re.search(r"不合格食品核查处置率\d+(\.\d+)?%", section)


def check_sampling_demo(client, demo: str) -> None:
    population = _population_rules_for_the_bureau_and_each_station(demo)
    _the_food_departments_plan_with_its_targets()
    _a_year_of_samples_a_few_percent_unqualified()
    unqualified = _unqualified_results_served_retested_and_disposed()
    _leads_from_samples_counted_once(unqualified)
    _quick_tests_at_markets_and_by_mobile_teams()
    _samples_and_quick_tests_in_the_food_campaign()
    _the_public_notice_shows_what_is_published_and_masks_stalls(client)
    _the_work_summary_has_its_sampling_section(population)
