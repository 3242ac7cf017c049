"""The demo's licences beyond the shops' (demo/licences.py), checked after a full `jianguan demo` (hooked into the
full-demo test, so that the demo is built once) and after build_org + build_businesses + build_licences
(test_demo_licences): schools, kindergartens, hospitals and care homes are 其他组织 on the register with a canteen
licence of the matching 业态, kept out of the 市场主体 figures; drug, device, cosmetic and food production licences
are held by businesses whose line fits; a few licences end within 90 days of the demo date, a few were 注销."""

import datetime as dt
from collections import Counter

from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.demo.equipment import DEMO_DATE
from jianguan.demo.sampling import SCHOOLS as SAMPLED_SCHOOLS
from jianguan.licences.models import Licence
from jianguan.licences.rules import valid_q
from jianguan.org.models import User

CANTEEN_SECTORS = {"school_canteen", "kindergarten_canteen", "unit_canteen", "care_canteen"}


def _other_orgs_are_typed_and_hold_their_canteen_licence():
    orgs = Business.objects.filter(entity_type="other_org")
    names = list(orgs.values_list("name", flat=True))
    assert len(names) >= 20
    for word in ("小学", "中学", "幼儿园", "医院", "颐养院|敬老院|老年公寓"):
        assert any(any(w in n for w in word.split("|")) for n in names), word
    assert set(SAMPLED_SCHOOLS) <= set(names)  # the schools the sampling demo samples are on the register
    assert all(uscc[0] != "9" for uscc in orgs.values_list("uscc", flat=True))
    assert set(orgs.values_list("key_unit", flat=True)) <= {"school", "hospital", "crowded"}
    canteens = Licence.objects.filter(business__entity_type="other_org", kind__code="food_business")
    assert canteens.values("business").distinct().count() == orgs.count()
    by_sector = Counter(canteens.values_list("sector__code", flat=True))
    assert set(by_sector) == CANTEEN_SECTORS, by_sector
    school = canteens.filter(sector__code="school_canteen").select_related("business").first()
    assert "学" in school.business.name
    assert not canteens.filter(sector__code="kindergarten_canteen").exclude(business__name__contains="幼儿园").exists()
    assert not canteens.filter(sector__code="care_canteen").exclude(
        Q(business__name__contains="颐养院") | Q(business__name__contains="敬老院") | Q(business__name__contains="老年公寓")
    ).exists()


def _other_orgs_are_out_of_the_market_entity_figures():
    params = Params.build(as_of=DEMO_DATE.isoformat())
    active = compute(["businesses.active"], params)["businesses.active"]
    market = Business.objects.filter(established_on__lte=DEMO_DATE).filter(
        Q(reg_status="active") | Q(status_date__gt=DEMO_DATE)).exclude(entity_type="other_org")
    assert active == market.count()
    assert not drilldown("businesses.active", params).filter(entity_type="other_org").exists()
    due = Params.build(as_of="2026-06-30", report_year="2025")
    assert not drilldown("credit.annual_reports_due", due).filter(entity_type="other_org").exists()


def _drug_device_cosmetic_and_production_licences_fit_their_holders():
    held = {kind: set(Licence.objects.filter(kind__code=kind).values_list("business__name", flat=True))
            for kind in ("drug_wholesale", "drug_chain", "medical_device", "device_class2_filing", "cosmetic_production",
                         "food_production")}
    for kind, word in (("drug_wholesale", "医药"), ("drug_chain", "医药"), ("medical_device", "医药"),
                       ("device_class2_filing", "药店"), ("cosmetic_production", "化工"), ("food_production", "食品")):
        assert held[kind], kind
        assert all(word in name for name in held[kind]), (kind, held[kind])
    assert not Licence.objects.filter(kind__code="device_class2_filing", valid_until__isnull=False).exists()  # 备案: no term
    assert Licence.objects.filter(kind__code="drug_retail").exists()  # the district's own drug shops keep theirs


def _a_few_expire_within_ninety_days_and_a_few_were_cancelled():
    ours = Licence.objects.filter(
        Q(business__entity_type="other_org") | Q(kind__code__in=["drug_wholesale", "drug_chain", "medical_device",
                                                                 "device_class2_filing", "cosmetic_production",
                                                                 "food_production"]))
    soon = ours.filter(valid_q(DEMO_DATE), valid_until__gt=DEMO_DATE, valid_until__lte=DEMO_DATE + dt.timedelta(days=90))
    assert 1 <= soon.count() <= max(3, ours.count() // 10)
    cancelled = ours.filter(status="cancelled")
    assert 1 <= cancelled.count() <= max(3, ours.count() // 10)
    assert not cancelled.filter(Q(status_date__isnull=True) | Q(status_date__gt=DEMO_DATE)).exists()
    assert not ours.filter(issued_on__gt=DEMO_DATE).exists()
    assert ours.filter(valid_q(DEMO_DATE)).count() > 0.8 * ours.count()


def _a_school_on_the_register_pages(client):
    school = Business.objects.filter(entity_type="other_org", name__contains="小学").order_by("uscc").first()
    licence = school.licences.first()
    client.force_login(User.objects.get(username="admin"))
    try:
        listed = client.get("/businesses/", {"entity_type": "other_org", "q": school.name}).content.decode()
        assert school.name in listed and "其他组织" in listed
        page = client.get(f"/businesses/{school.pk}/").content.decode()
        assert school.name in page and "其他组织" in page and licence.number in page
    finally:
        client.logout()


def check_licences_demo(client, demo: str) -> None:
    assert "其他组织" in demo and "90日内到期" in demo
    _other_orgs_are_typed_and_hold_their_canteen_licence()
    _other_orgs_are_out_of_the_market_entity_figures()
    _drug_device_cosmetic_and_production_licences_fit_their_holders()
    _a_few_expire_within_ninety_days_and_a_few_were_cancelled()
    _a_school_on_the_register_pages(client)
