"""Quick tests (快检) and the proposal of a sample after a positive one; annual plans with their targets."""

import datetime as dt

import pytest

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.org.choices import OrgKind
from jianguan.sampling.choices import QuickTestResult
from jianguan.sampling.services import Target, plan_save, quicktest_record, sample_proposal, sample_record

from ..factories import BusinessFactory, OrgUnitFactory
from .factories import category, fmt, next_number

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_positive_quick_test_proposes_a_sample_linked_back(org):
    stall = BusinessFactory(subdistrict=org.subs["dongguan"])
    test = quicktest_record(actor=org.users.east, tested_on=D(2026, 9, 3), place="东关农贸市场", business_uscc=stall.uscc.lower(),
                            product="韭菜", item="农药残留", result=QuickTestResult.POSITIVE)
    assert test.business == stall and test.subdistrict == org.subs["dongguan"]
    proposal = sample_proposal(test)
    assert (proposal["business"], proposal["sample_name"], proposal["sampled_on"]) == (stall, "韭菜", D(2026, 9, 3))
    sample = sample_record(actor=org.users.east, number=next_number(), business_format=fmt("农贸市场"),
                           food_category=category("食用农产品"), **{k: v for k, v in proposal.items() if k != "business_uscc"})
    test.refresh_from_db()
    assert test.sample == sample
    with pytest.raises(DomainError, match="已登记跟进抽样"):
        sample_proposal(test)


def test_a_negative_quick_test_proposes_nothing(org):
    test = quicktest_record(actor=None, tested_on=D(2026, 9, 3), place="流动快检车", product="猪肉", item="瘦肉精",
                            result=QuickTestResult.NEGATIVE, subdistrict=org.subs["xiguan"])
    with pytest.raises(DomainError, match="阳性"):
        sample_proposal(test)


def test_quick_test_input_is_checked(org):
    with pytest.raises(DomainError, match="阴性或阳性"):
        quicktest_record(actor=None, tested_on=D(2026, 9, 3), place="市场", product="韭菜", item="农药残留", result="不确定")
    with pytest.raises(DomainError, match="检测地点"):
        quicktest_record(actor=None, tested_on=D(2026, 9, 3), place=" ", product="韭菜", item="农药残留", result="negative")
    with pytest.raises(DomainError, match="校验不通过"):
        quicktest_record(actor=None, tested_on=D(2026, 9, 3), place="市场", business_uscc="123", product="韭菜", item="x",
                         result="negative")
    with pytest.raises(PermissionDenied):
        quicktest_record(actor=org.users.west, tested_on=D(2026, 9, 3), place="市场", product="韭菜", item="农药残留",
                         result="negative", subdistrict=org.subs["dongguan"])


def test_a_plan_per_department_and_year_with_targets(org):
    food = OrgUnitFactory(kind=OrgKind.DEPARTMENT, code="D2", name="食品安全科", parent=org.bureau)
    plan = plan_save(actor=org.users.dept, year=2026, department=food, title="食品安全监督抽检计划", batches=2400,
                     targets=[Target(600, food_category=category("食用农产品")), Target(300, business_format=fmt("餐饮"))])
    assert plan.targets.count() == 2
    with pytest.raises(DomainError, match="已制定"):
        plan_save(actor=org.users.dept, year=2026, department=food, title="重复", batches=1)
    plan = plan_save(actor=org.users.dept, year=2026, department=food, title="食品安全监督抽检计划（调整）", batches=2500,
                     targets=[Target(700, food_category=category("食用农产品"))], plan=plan, version=plan.version)
    assert (plan.batches, plan.targets.get().batches, plan.version) == (2500, 700, 2)
    with pytest.raises(DomainError, match="重复"):
        plan_save(actor=None, year=2027, department=food, title="t", batches=1,
                  targets=[Target(1, business_format=fmt("餐饮")), Target(2, business_format=fmt("餐饮"))])
    with pytest.raises(PermissionDenied):
        plan_save(actor=org.users.east, year=2027, department=food, title="t", batches=1)
    with pytest.raises(DomainError, match="不是业务科室"):
        plan_save(actor=None, year=2027, department=org.east, title="t", batches=1)


def test_samples_and_quick_tests_count_toward_a_campaign_within_its_dates(org):
    from jianguan.campaigns.models import Campaign
    from jianguan.campaigns.services import campaign_update

    from .factories import sampled

    festival = Campaign.objects.create(code="JR2026", name="中秋国庆节日市场食品安全专项", start=D(2026, 9, 10), end=D(2026, 10, 10),
                                       lead_department=org.dept)
    with pytest.raises(DomainError, match="不在专项行动") as err:
        sampled(org, sampled_on=D(2026, 9, 1), campaign=festival)
    assert err.value.extra["field"] == "campaign"
    sample = sampled(org, sampled_on=D(2026, 9, 20), campaign=festival)
    quicktest_record(actor=None, tested_on=D(2026, 10, 1), place="东关农贸市场", product="月饼", item="非法添加",
                     result=QuickTestResult.NEGATIVE, campaign=festival)
    with pytest.raises(DomainError, match="快检记录"):  # the quick test of 10-01 would fall outside
        campaign_update(actor=None, pk=festival.pk, version=festival.version, end=D(2026, 9, 30))
    with pytest.raises(DomainError, match="抽样记录"):
        campaign_update(actor=None, pk=festival.pk, version=festival.version, start=D(2026, 9, 25))
    assert sample.campaign == festival


def test_a_valid_code_issued_by_another_authority_is_taken_as_the_ledger_takes_it(org):
    """GB 32100: position 1 may be a letter (Y: other registration authorities); the services check codes with
    the register's rule, as the ledgers do, so a school canteen run by such a body is not refused."""
    from ..factories import with_check_digit

    code = with_check_digit("Y2370102MA3C8XY10")
    test = quicktest_record(actor=None, tested_on=D(2026, 9, 3), place="某学校食堂", business_uscc=code.lower(), product="米饭",
                            item="非法添加", result="negative", subdistrict=org.subs["dongguan"])
    assert test.business_uscc == code
