"""Consequences wherever the business appears: 经营异常 (listed or marked now) and 严重违法失信 (listed now) beside
its name on the register's list and page, a case, an inspection, a finding and a sample — never for a proposal,
a declined proposal, a removed entry or an expired serious listing — read in one query per page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianguan.cases.choices import SeriousCategory
from jianguan.core.flags import Flag, business_flags, flag_labels, flag_sources, register_business_flags
from jianguan.credit.choices import AbnormalReason, EntryStatus, SeriousSource
from jianguan.credit.models import SeriousEntry

from ..cases.factories import CaseFactory
from ..factories import BusinessFactory
from ..inspections.factories import inspection_with_finding
from ..sampling.factories import SampleFactory
from .factories import entry

pytestmark = pytest.mark.django_db
ABNORMAL = 'data-flag="经营异常"'
SERIOUS = 'data-flag="严重违法失信"'


def today() -> dt.date:
    return timezone.localdate()


def ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def serious(business, *, listed_on=None, list_until=None, status=EntryStatus.LISTED):
    source = entry(business, reason=AbnormalReason.UNREACHABLE, report_year=None, proposed_on=ago(1200), listed_on=ago(1190),
                   removed_on=ago(10))
    return SeriousEntry.objects.create(
        business=business, source=SeriousSource.ABNORMAL, category=SeriousCategory.REGISTRATION, abnormal_entry=source,
        status=status, proposed_on=ago(20), listed_on=listed_on, list_until=list_until)


@pytest.fixture
def world(org):
    sub = org.subs["dongguan"]
    listed = BusinessFactory(name="甲异常商贸有限公司", subdistrict=sub)
    entry(listed, listed_on=ago(30), proposed_on=ago(40))
    marked = BusinessFactory(name="乙标记小吃店", entity_type="individual", subdistrict=sub)
    entry(marked, listed_on=ago(5), proposed_on=ago(9))
    both = BusinessFactory(name="丙失信商贸有限公司", subdistrict=sub)
    entry(both, listed_on=ago(100), proposed_on=ago(110))
    serious(both, listed_on=ago(10), list_until=today() + dt.timedelta(days=900))
    plain = BusinessFactory(name="丁正常商贸有限公司", subdistrict=sub)
    entry(plain, proposed_on=ago(3))  # a proposal: not yet a consequence
    entry(plain, reason=AbnormalReason.UNREACHABLE, report_year=None, proposed_on=ago(300), listed_on=ago(290), removed_on=ago(2))
    serious(plain, listed_on=ago(1100), list_until=ago(1))  # expired, the job not run yet
    serious(plain, status=EntryStatus.PROPOSED)
    return dict(listed=listed, marked=marked, both=both, plain=plain)


def test_flags_of_businesses_in_one_call(world):
    w = world
    ids = [b.pk for b in w.values()] + [None]
    flags = business_flags(ids)
    assert [f.label for f in flags[w["listed"].pk]] == ["经营异常"]
    assert flags[w["marked"].pk][0].title == "标记为经营异常状态"
    assert [f.label for f in flags[w["both"].pk]] == ["经营异常", "严重违法失信"]
    assert w["plain"].pk not in flags
    # As of a date: before the mark there was none.
    assert w["marked"].pk not in business_flags([w["marked"].pk], on=ago(6))
    assert flag_labels([w["both"].pk]) == {w["both"].pk: ["经营异常", "严重违法失信"]}
    assert business_flags([]) == {}


def test_business_list_and_page_show_the_flags_in_one_query(client, org, world):
    client.force_login(org.users.dept)
    page = client.get("/businesses/", {"q": "商贸"}).content.decode()
    rows = {name: page[page.index(name):].split("</td>", 1)[0] for name in ("甲异常", "丙失信", "丁正常")}
    assert ABNORMAL in rows["甲异常"] and SERIOUS not in rows["甲异常"]
    assert ABNORMAL in rows["丙失信"] and SERIOUS in rows["丙失信"]
    assert "data-flag" not in rows["丁正常"]
    with CaptureQueriesContext(connection) as few:
        client.get("/businesses/", {"q": "商贸"})
    for n in range(5):
        entry(BusinessFactory(name=f"戊商贸{n}", subdistrict=org.subs["dongguan"]), listed_on=ago(3), proposed_on=ago(8))
    with CaptureQueriesContext(connection) as more:
        page = client.get("/businesses/", {"q": "商贸"}).content.decode()
    assert len(more) == len(few) and page.count(ABNORMAL) == 7
    detail = client.get(f"/businesses/{world['both'].pk}/").content.decode()
    head = detail[detail.index("<h1>"): detail.index("</h1>")]
    assert ABNORMAL in head and SERIOUS in head
    assert "data-flag" not in client.get(f"/businesses/{world['plain'].pk}/").content.decode().split("</h1>")[0]


def test_case_inspection_finding_and_sample_pages_show_the_flags(client, org, world):
    both, plain = world["both"], world["plain"]
    client.force_login(org.users.dept)
    case = CaseFactory(business=both)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    card = page[page.index('id="respondent"'):].split("</section>", 1)[0]
    assert ABNORMAL in card and SERIOUS in card
    client.force_login(org.users.east)
    _, finding, _ = inspection_with_finding(org, business=both, date=ago(20), deadline=ago(5))
    page = client.get(f"/inspections/{finding.inspection_id}/").content.decode()
    assert SERIOUS in page.split('id="business-link"', 1)[1].split("</dd>", 1)[0]
    page = client.get(f"/inspections/findings/{finding.pk}/").content.decode()
    assert ABNORMAL in page.split('id="business-link"', 1)[1].split("</dd>", 1)[0]
    sample = SampleFactory(business=both, sampled_on=ago(30))
    page = client.get(f"/sampling/{sample.pk}/").content.decode()
    assert ABNORMAL in page.split('id="sample-business"', 1)[1].split("</dd>", 1)[0]
    clean = SampleFactory(business=plain, sampled_on=ago(30))
    page = client.get(f"/sampling/{clean.pk}/").content.decode()
    assert "data-flag" not in page.split('id="sample-business"', 1)[1].split("</dd>", 1)[0]


def test_another_module_adds_a_flag_through_the_registry(client, org, world):
    @register_business_flags("probe.flags", order=5)
    def probe(ids, on):
        return {pk: [Flag("吊销未清算", "warning")] for pk in ids if pk == world["plain"].pk}

    try:
        assert [f.label for f in business_flags([world["plain"].pk])[world["plain"].pk]] == ["吊销未清算"]
        client.force_login(org.users.dept)
        assert 'data-flag="吊销未清算"' in client.get(f"/businesses/{world['plain'].pk}/").content.decode()
    finally:
        flag_sources.unregister("probe.flags")


def test_the_lists_of_cases_leads_inspections_and_samples_show_the_flags(client, org, world):
    """Wherever the business appears: the list rows too, flagged for the listed business and not for the other."""
    both, plain = world["both"], world["plain"]
    client.force_login(org.users.dept)
    cases = [CaseFactory(business=b) for b in (both, plain)]
    page = client.get("/cases/").content.decode()
    row = lambda prefix, pk: page.split(f'id="{prefix}-{pk}"', 1)[1].split("</tr>", 1)[0]  # noqa: E731
    assert ABNORMAL in row("case", cases[0].pk) and "data-flag" not in row("case", cases[1].pk)
    samples = [SampleFactory(business=b, sampled_on=ago(30)) for b in (both, plain)]
    page = client.get("/sampling/").content.decode()
    assert ABNORMAL in row("sample", samples[0].pk) and "data-flag" not in row("sample", samples[1].pk)
    client.force_login(org.users.east)
    inspection_with_finding(org, business=both, date=ago(20), deadline=ago(5))
    page = client.get("/inspections/").content.decode()
    assert SERIOUS in page and both.name in page
