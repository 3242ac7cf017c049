"""The list figures count exactly the entries a person would count from the entries' dates, per 主体类型,
and drill down to those entries; a station's scope counts its own jurisdiction."""

import datetime as dt

import pytest

from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.credit.choices import EntryStatus, RemovalReason, RepairStatus, RepairTarget, SeriousSource
from jianguan.credit.models import RepairApplication, SeriousEntry

from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import entry

pytestmark = pytest.mark.django_db
D = dt.date
KEYS = ["credit.abnormal_listed", "credit.abnormal_removed", "credit.abnormal_current", "credit.serious_listed", "credit.repairs"]


def test_list_figures_per_type_and_scope():
    org = make_org()
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    firm, coop, shop = (BusinessFactory(subdistrict=east, entity_type=t) for t in ("enterprise", "cooperative", "individual"))
    far = BusinessFactory(subdistrict=west)
    entry(firm, listed_on=D(2026, 7, 10))                              # listed in the period, current
    entry(coop, listed_on=D(2026, 7, 10), removed_on=D(2026, 8, 1))     # listed and removed in the period
    entry(shop, listed_on=D(2026, 7, 12), removed_on=D(2026, 9, 15), removal_reason=RemovalReason.FILED)  # removed after
    entry(far, listed_on=D(2025, 7, 10), report_year=2024)              # listed before the period, current
    entry(far, proposed_on=D(2026, 7, 1))                                # only proposed: nowhere
    serious = SeriousEntry.objects.create(business=far, source=SeriousSource.PENALTY, category="food_drug",
                                          case=None, abnormal_entry=entry(firm, report_year=2023, listed_on=D(2023, 7, 1),
                                                                          removed_on=D(2026, 7, 20),
                                                                          removal_reason=RemovalReason.ESCALATED),
                                          status=EntryStatus.LISTED, proposed_on=D(2026, 7, 15), listed_on=D(2026, 7, 20),
                                          list_until=D(2029, 7, 20))
    RepairApplication.objects.create(business=coop, target=RepairTarget.ABNORMAL, abnormal_entry=coop.abnormal_entries.get(),
                                     applied_on=D(2026, 7, 25), statement="已补报", status=RepairStatus.GRANTED, decided_on=D(2026, 8, 1))
    RepairApplication.objects.create(business=far, target=RepairTarget.SERIOUS, serious_entry=serious, applied_on=D(2026, 8, 25),
                                     statement="申请", status=RepairStatus.PENDING)
    params = Params.build(period="2026Q3", as_of=D(2026, 8, 31))
    values = compute(KEYS, params)
    assert values["credit.abnormal_listed"] == 3
    assert values["credit.abnormal_listed[企业]"] == 1 and values["credit.abnormal_listed[个体工商户]"] == 1
    assert values["credit.abnormal_removed"] == 3  # coop (cured), shop (filed), firm's 2023 entry (escalated)
    assert values["credit.abnormal_current"] == 3  # firm, shop (removed only in September), far's 2024 entry
    assert values["credit.serious_listed"] == 1
    assert values["credit.repairs"] == 1 and values["credit.repairs[移出经营异常名录]"] == 1
    for key in KEYS:
        assert drilldown(key, params).count() == values[key]
    station = compute(KEYS, Params.build(period="2026Q3", as_of=D(2026, 8, 31), scope="station:S2"))
    assert (station["credit.abnormal_listed"], station["credit.abnormal_current"], station["credit.serious_listed"]) == (0, 1, 1)
    # a station user sees its own jurisdiction whatever the scope asked
    assert compute(["credit.abnormal_current"], params, actor=org.users.east)["credit.abnormal_current"] == 2
