"""Enforcement figures: every value equals the same records counted directly in Python (by period,
as-of date, station and part); every drill-down lists exactly the records counted; the period's first
and last days count, the days around them do not."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from jianguan.cases.choices import (
    CaseStatus,
    LeadSource,
    LeadStatus,
    NoPenaltyReason,
    Procedure,
    RespondentKind,
    SuspensionReason,
    TransferTarget,
)
from jianguan.cases.models import Case, CaseCategory, Lead, Suspension
from jianguan.core.indicators import (
    ChainedRecords,
    all_indicators,
    compute,
    dimension_key,
    drilldown,
    get_indicator,
)
from jianguan.core.periods import Params

from ..factories import BusinessFactory
from .factories import CaseFactory, LeadFactory

pytestmark = pytest.mark.django_db
D = dt.date
PREFIXES = ("leads.", "cases.")
KEYS = sorted(i.key for i in all_indicators() if i.key.startswith(PREFIXES))
COUNTS = [k for k in KEYS if not get_indicator(k).is_rate]
# Days around the third quarter of 2026: its edges, and the days just outside.
EDGES = [D(2026, 6, 30), D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 1)]
OPEN = (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEW, CaseStatus.NOTIFIED)


def _day(rng, start=EDGES[0] - dt.timedelta(days=121), span=290):
    """Mostly spread over March–December 2026, often on one of the quarter's edges."""
    return rng.choice(EDGES) if rng.random() < 0.3 else start + dt.timedelta(days=rng.randrange(span))


def _money(rng) -> Decimal:
    return Decimal(rng.randrange(0, 5_000_000)) / 100


@pytest.fixture
def world(org):
    """About 90 leads and 120 cases in every state, in both stations and without a subdistrict."""
    rng = random.Random(13)
    subs = [*org.subs.values(), None]
    businesses = {s: BusinessFactory(subdistrict=s) for s in subs if s is not None}
    categories = list(CaseCategory.objects.all())

    def respondent(sub):
        if sub is None:  # a person (or a party) outside the district: no station
            return {"business": None, "respondent_kind": RespondentKind.PERSON, "respondent_name": "张三丰",
                    "respondent_id_no": "370102199001011234", "subdistrict": None}
        return {"business": businesses[sub], "subdistrict": sub}

    for _ in range(90):
        received = _day(rng)
        fields = {"source": rng.choice(LeadSource.values), "received_on": received, **respondent(rng.choice(subs))}
        state = rng.choice(["pending", "filed", "not_filed", "transferred"])
        decided = received + dt.timedelta(days=rng.choice([0, 3, 20, 60]))
        if rng.random() < 0.3:
            decided = max(received, rng.choice(EDGES))
        if state == "filed":
            fields.update(status=LeadStatus.FILED, decided_on=decided)
        elif state == "not_filed":
            fields.update(status=LeadStatus.NOT_FILED, decided_on=decided, not_filed_reason=rng.choice(NoPenaltyReason.values))
        elif state == "transferred":
            fields.update(status=LeadStatus.TRANSFERRED, decided_on=decided, transfer_target=rng.choice(TransferTarget.values),
                          transfer_body="历下区公安分局")
        LeadFactory(**fields)

    for _ in range(120):
        filed = _day(rng, start=D(2026, 2, 1), span=300)
        fields = {"filed_on": filed, "category": rng.choice(categories), **respondent(rng.choice(subs))}
        state = rng.choice(["open", "open", "decided", "closed", "exempt", "simple", "transferred"])
        later = filed + dt.timedelta(days=rng.choice([0, 10, 45, 100]))
        if rng.random() < 0.3:
            later = max(filed, rng.choice(EDGES))
        if state == "open":
            fields["status"] = rng.choice(OPEN)
        elif state == "transferred":
            fields.update(status=CaseStatus.TRANSFERRED, transferred_on=later, transfer_target=rng.choice(TransferTarget.values),
                          transfer_body="历下区公安分局")
        else:
            fields.update(status=CaseStatus.DECIDED, decided_on=later, decision_number=f"济历市监处罚〔2026〕{rng.randrange(10**6)}号")
            if state == "exempt":
                fields.update(exempt=True, exempt_reason=rng.choice(NoPenaltyReason.values))
            else:
                fields.update(fine_amount=_money(rng), confiscated_income=_money(rng) if rng.random() < 0.4 else Decimal(0),
                              confiscated_value=_money(rng) if rng.random() < 0.3 else Decimal(0),
                              penalty_kinds=["fine"], publish_due=later + dt.timedelta(days=rng.choice([0, 28, 40])))
                if rng.random() < 0.2:
                    fields["publish_due"] = rng.choice(EDGES)
                if rng.random() < 0.7:
                    fields["published_on"] = fields["publish_due"] + dt.timedelta(days=rng.choice([-5, -1, 0, 0, 1, 9]))
            if state == "simple":
                fields.update(procedure=Procedure.SIMPLE, decided_on=filed)
            if state != "simple" and rng.random() < 0.25:
                fields["hearing_on"] = rng.choice([*EDGES, filed + dt.timedelta(days=5)])
            if state == "closed":
                fields.update(status=CaseStatus.CLOSED, closed_on=later + dt.timedelta(days=rng.choice([0, 12, 30])))
        case = CaseFactory(**fields)
        if state == "open" and rng.random() < 0.4:
            start = rng.choice([D(2026, 6, 1), D(2026, 9, 20), D(2026, 9, 30), D(2026, 10, 1)])
            end = rng.choice([None, start + dt.timedelta(days=10)])
            Suspension.objects.create(case=case, reason=SuspensionReason.TESTING, start=max(start, filed), end=end)
    return org


# ---------------------------------------------------------------- the same figures in Python


def _in(day, p: Params) -> bool:
    return day is not None and p.period.start <= day <= p.period.end


def _by_or_before(day, as_of) -> bool:
    return day is not None and day <= as_of


def _in_scope(record, p: Params) -> bool:
    sub = record.subdistrict
    if p.scope.kind == "station":
        return sub is not None and sub.station.code == p.scope.code
    if p.scope.kind == "subdistrict":
        return sub is not None and sub.code == p.scope.code
    return True


def expected(p: Params) -> dict[str, list]:
    """Each counted figure's records (a figure's value is their count, or their sum for money), and
    each part's: picked from every lead and case with the definitions written out again."""
    leads = [x for x in Lead.objects.select_related("subdistrict__station") if _in_scope(x, p)]
    cases = [x for x in Case.objects.select_related("subdistrict__station", "category").prefetch_related("suspensions")
             if _in_scope(x, p)]
    as_of = p.as_of

    def is_open(c):
        return (c.filed_on <= as_of and not _by_or_before(c.decided_on, as_of) and not _by_or_before(c.closed_on, as_of)
                and not _by_or_before(c.transferred_on, as_of))

    def suspended(c):
        return any(s.start <= as_of and (s.end is None or s.end > as_of) for s in c.suspensions.all())

    decided = [c for c in cases if _in(c.decided_on, p)]
    publication = [c for c in cases if _in(c.publish_due, p)]
    lead_transfers = [x for x in leads if x.status == LeadStatus.TRANSFERRED and _in(x.decided_on, p)]
    case_transfers = [c for c in cases if c.status == CaseStatus.TRANSFERRED and _in(c.transferred_on, p)]
    out = {
        "leads.received": ([x for x in leads if _in(x.received_on, p)], lambda x: x.get_source_display()),
        "leads.filed": ([x for x in leads if x.status == LeadStatus.FILED and _in(x.decided_on, p)], None),
        "leads.not_filed": ([x for x in leads if x.status == LeadStatus.NOT_FILED and _in(x.decided_on, p)],
                            lambda x: x.get_not_filed_reason_display()),
        "leads.transferred": (lead_transfers, lambda x: x.get_transfer_target_display()),
        "cases.filed": ([c for c in cases if _in(c.filed_on, p)], lambda c: c.category.name),
        "cases.decided": (decided, None),
        "cases.simple": ([c for c in decided if c.procedure == Procedure.SIMPLE], None),
        "cases.exempt": ([c for c in decided if c.exempt], lambda c: c.get_exempt_reason_display()),
        "cases.penalty_amount": (decided, None),
        "cases.confiscated_value": (decided, None),
        "cases.hearings": ([c for c in cases if _in(c.hearing_on, p)], None),
        "cases.closed": ([c for c in cases if _in(c.closed_on, p)], None),
        "cases.transferred_filed": (case_transfers, lambda c: c.get_transfer_target_display()),
        "cases.transferred": (lead_transfers + case_transfers, lambda r: r.get_transfer_target_display()),
        "cases.open": ([c for c in cases if is_open(c)], None),
        "cases.overdue": ([c for c in cases if is_open(c) and c.decision_due < as_of and not suspended(c)], None),
        "cases.publications_due": (publication, None),
        "cases.published_on_time": ([c for c in publication if c.published_on and c.published_on <= c.publish_due], None),
    }
    values = {}
    for key, (records, part_of) in out.items():
        values[key] = _measure(key, records)
        if part_of:
            for _, label in get_indicator(key).dimension.pairs():
                values[dimension_key(key, label)] = _measure(key, [r for r in records if part_of(r) == label])
    return {"values": values, "records": {k: v[0] for k, v in out.items()}}


def _measure(key, records):
    if key.endswith("penalty_amount"):
        return sum((r.fine_amount + r.confiscated_income for r in records), Decimal(0))
    if key.endswith("confiscated_value"):
        return sum((r.confiscated_value for r in records), Decimal(0))
    return len(records)


def _rate(numerator, denominator):
    return None if not denominator else (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01"))


PARAMS = [
    {"period": "2026Q3"},
    {"period": "2026Q3", "scope": "station:S1"},
    {"period": "2026Q3", "scope": "station:S2"},
    {"period": "2026Q3", "scope": "subdistrict:370102003"},
    {"period": "2026-09", "as_of": "2026-09-15"},
    {"period": "2026-07-01..2026-07-01", "as_of": "2026-10-01"},
    {"period": "2026"},
]


@pytest.mark.parametrize("given", PARAMS)
def test_every_figure_equals_its_records_counted_directly(world, given):
    p = Params.build(**given)
    want = expected(p)["values"]
    values = compute(KEYS, p)
    assert {k: values[k] for k in want} == want
    assert values["cases.published_on_time_rate"] == _rate(want["cases.published_on_time"], want["cases.publications_due"])
    assert set(COUNTS) == set(k for k in want if "[" not in k)


def test_the_world_is_not_vacuous(world):
    """Every figure and most parts are non-zero in the quarter, so the comparisons above can fail."""
    values = compute(KEYS, Params.build(period="2026Q3"))
    assert all(values[k] for k in KEYS), {k: values[k] for k in KEYS if not values[k]}
    assert sum(1 for k, v in values.items() if "[" in k and v) >= 20
    assert values["cases.open"] > values["cases.overdue"] > 0
    assert Case.objects.filter(subdistrict__isnull=True).exists() and Lead.objects.filter(subdistrict__isnull=True).exists()


def test_each_lead_counts_once_by_source_and_transfers_add_up(world):
    p = Params.build(period="2026Q3")
    values = compute(KEYS, p)
    assert values["leads.received"] == sum(values[f"leads.received[{label}]"] for _, label in LeadSource.choices)
    for target in TransferTarget.labels:
        assert values[f"cases.transferred[{target}]"] == (
            values[f"leads.transferred[{target}]"] + values[f"cases.transferred_filed[{target}]"])
    assert values["cases.transferred"] == values["leads.transferred"] + values["cases.transferred_filed"]


def test_stations_split_the_bureau_and_records_without_a_subdistrict_count_bureau_wide(world, org):
    p = Params.build(period="2026Q3")
    bureau = compute(COUNTS, p)
    east = compute(COUNTS, Params.build(period="2026Q3", scope="station:S1"))
    west = compute(COUNTS, Params.build(period="2026Q3", scope="station:S2"))
    no_sub = expected(p)["records"]
    for key in COUNTS:
        outside = _measure(key, [r for r in no_sub[key] if r.subdistrict_id is None])
        assert east[key] + west[key] + outside == bureau[key], key
    assert any(_measure(k, [r for r in no_sub[k] if r.subdistrict_id is None]) for k in COUNTS)
    # a station user asking for the bureau gets their station
    assert compute(COUNTS, p, actor=org.users.east) == east


def _identity(record):
    return (record._meta.model_name, record.pk)


@pytest.mark.parametrize("given", PARAMS[:5])
def test_every_drilldown_lists_exactly_the_records_counted(world, given):
    p = Params.build(**given)
    want = expected(p)["records"]
    values = compute(COUNTS, p)
    for key in COUNTS:
        indicator = get_indicator(key)
        listed = list(drilldown(key, p))
        assert sorted(map(_identity, listed)) == sorted(map(_identity, want[key])), key
        assert len(set(map(_identity, listed))) == len(listed), f"{key}: a record listed twice"
        assert _measure(key, listed) == values[key], key
        for _, label in indicator.dimension.pairs() if indicator.dimension else ():
            assert _measure(key, list(drilldown(key, p, part=label))) == values[dimension_key(key, label)], (key, label)


def test_a_station_users_drilldowns(world, org):
    p = Params.build(period="2026Q3")
    values = compute(COUNTS, p, actor=org.users.west)
    for key in COUNTS:
        listed = list(drilldown(key, p, actor=org.users.west))
        assert all(r.subdistrict and r.subdistrict.station_id == org.west.pk for r in listed), key
        assert _measure(key, listed) == values[key], key


def test_a_sum_drills_into_its_sum(world):
    p = Params.build(period="2026Q3")
    values = compute(["cases.penalty_amount", "cases.confiscated_value"], p)
    assert drilldown("cases.penalty_amount", p).aggregate(total=Sum("penalty"))["total"] == values["cases.penalty_amount"]
    assert values["cases.penalty_amount"] == sum(
        (c.fine_amount + c.confiscated_income for c in Case.objects.filter(decided_on__range=(D(2026, 7, 1), D(2026, 9, 30)))),
        Decimal(0))


def test_transfers_drill_into_leads_then_cases_read_like_a_list(world):
    p = Params.build(period="2026Q3")
    records = drilldown("cases.transferred", p)
    assert isinstance(records, ChainedRecords)
    everything = list(records)
    leads = [r for r in everything if isinstance(r, Lead)]
    assert leads and everything[: len(leads)] == leads  # the leads first, then the cases
    assert records.count() == len(everything) == compute(["cases.transferred"], p)["cases.transferred"]
    # pages of any size give the same records in the same order
    for size in (1, 3, len(leads), 7):
        paged = [r for start in range(0, len(everything), size) for r in records[start : start + size]]
        assert paged == everything, size
    assert records[len(leads)] == everything[len(leads)] and records[-1] == everything[-1]
    assert list(records.iterator(chunk_size=2)) == everything
    police = drilldown("cases.transferred", p, part="公安机关")
    assert police.count() == compute(["cases.transferred"], p)["cases.transferred[公安机关]"]
    assert {r.transfer_target for r in police} == {TransferTarget.POLICE}


def test_the_period_edges(org):
    """A record on the quarter's first or last day counts; one on the day before or after does not."""
    b = BusinessFactory(subdistrict=org.subs["dongguan"])
    food = CaseCategory.objects.get(code="food")
    for day in EDGES:
        LeadFactory(business=b, received_on=day, status=LeadStatus.NOT_FILED, decided_on=day,
                    not_filed_reason=NoPenaltyReason.FIRST_MINOR)
        CaseFactory(business=b, filed_on=day, category=food, status=CaseStatus.CLOSED, decided_on=day, closed_on=day,
                    fine_amount=Decimal("1000.50"), confiscated_income=Decimal("99.50"), hearing_on=day,
                    publish_due=day, published_on=day)
    values = compute(KEYS, Params.build(period="2026Q3"))
    assert values["leads.received"] == values["leads.not_filed"] == values["leads.not_filed[初次违法且危害后果轻微并及时改正]"] == 2
    assert values["cases.filed"] == values["cases.filed[食品]"] == values["cases.decided"] == values["cases.closed"] == 2
    assert values["cases.hearings"] == values["cases.publications_due"] == values["cases.published_on_time"] == 2
    assert values["cases.penalty_amount"] == Decimal("2200.00") and values["cases.published_on_time_rate"] == Decimal("100.00")
    listed = {c.filed_on for c in drilldown("cases.filed", Params.build(period="2026Q3"))}
    assert listed == {D(2026, 7, 1), D(2026, 9, 30)}


def test_open_and_overdue_on_the_as_of_date(org):
    """Open: filed by the date, not decided, closed or transferred by it. Overdue: the deadline before
    the date, and not suspended on it."""
    b = BusinessFactory(subdistrict=org.subs["xiguan"])
    due = CaseFactory(business=b, filed_on=D(2026, 6, 1))  # decision due 2026-08-31 (a Monday)
    assert due.decision_due == D(2026, 8, 31)
    decided = CaseFactory(business=b, filed_on=D(2026, 6, 1), status=CaseStatus.DECIDED, decided_on=D(2026, 9, 10))
    moved = CaseFactory(business=b, filed_on=D(2026, 6, 1), status=CaseStatus.TRANSFERRED, transferred_on=D(2026, 9, 10),
                        transfer_target=TransferTarget.POLICE)
    CaseFactory(business=b, filed_on=D(2026, 9, 11))
    # suspended 8-20..9-10 for an appraisal: 21 days added, its deadline moves to 9-20
    held = CaseFactory(business=b, filed_on=D(2026, 6, 1), suspended_days=21)
    Suspension.objects.create(case=held, reason=SuspensionReason.APPRAISAL, start=D(2026, 8, 20), end=D(2026, 9, 10))
    assert held.decision_due == D(2026, 9, 20)

    def on(day):
        values = compute(["cases.open", "cases.overdue"], Params.build(as_of=day))
        return values["cases.open"], values["cases.overdue"]

    assert on(D(2026, 8, 31)) == (4, 0)  # the last day is not late
    assert on(D(2026, 9, 1)) == (4, 3)  # `held` is suspended: its clock stands still
    assert {c.pk for c in drilldown("cases.overdue", Params.build(as_of=D(2026, 9, 1)))} == {due.pk, decided.pk, moved.pk}
    assert on(D(2026, 9, 10)) == (2, 1)  # decided and transferred that day; `held` runs again, due 9-20
    assert on(D(2026, 9, 11)) == (3, 1)  # filed that day
    assert on(D(2026, 9, 20)) == (3, 1) and on(D(2026, 9, 21)) == (3, 2)
    assert [c.pk for c in drilldown("cases.overdue", Params.build(as_of=D(2026, 9, 11)))] == [due.pk]


def test_drill_columns_read_and_mask_a_persons_name(world):
    p = Params.build(period="2026Q3")
    from jianguan.core.indicators import column_value

    for key in COUNTS:
        indicator = get_indicator(key)
        for record in list(drilldown(key, p))[:5]:
            row = [column_value(record, c.path) for c in indicator.columns]
            assert row[0] != "" or key == "cases.transferred", key
            assert "张三丰" not in row, key
    person = next(c for c in drilldown("cases.filed", p) if c.respondent_kind == RespondentKind.PERSON)
    assert person.respondent == "张**"


def test_one_query_per_table(world, django_assert_max_num_queries):
    from jianguan.cases import indicators

    indicators.clear_category_cache()
    with django_assert_max_num_queries(3):  # the categories (cached after), the leads, the cases
        compute(KEYS, Params.build(period="2026Q3"))
    station = Params.build(period="2026Q3", scope="station:S1")
    with django_assert_max_num_queries(2):
        compute(KEYS, station)


def test_a_campaigns_cases_and_penalties(world, org):
    """铁拳: every case linked to the campaign and filed by the as-of date, whatever the period; its 罚没款
    from those decided by then. A case linked to two campaigns counts in each."""
    from jianguan.campaigns.services import campaign_create

    tiequan = campaign_create(actor=org.users.dept, code="TQ2026", name="民生领域案件查办“铁拳”行动", start=D(2026, 3, 1),
                              end=D(2026, 12, 31), lead_department=org.dept)
    other = campaign_create(actor=org.users.dept, code="SP2026", name="食品安全专项整治", start=D(2026, 3, 1),
                            end=D(2026, 12, 31), lead_department=org.dept)
    cases = list(Case.objects.order_by("pk"))
    for case in cases[::3]:
        case.campaigns.add(tiequan)
    for case in cases[::6]:
        case.campaigns.add(other)
    keys = ["campaign.cases_filed", "campaign.penalty_amount"]
    for as_of, scope in [(D(2026, 9, 30), None), (D(2026, 7, 1), None), (D(2026, 9, 30), "station:S2")]:
        p = Params.build(period="2025", as_of=as_of, scope=scope, campaign="TQ2026")
        linked = [c for c in cases[::3] if c.filed_on <= as_of and _in_scope(c, p)]
        decided = [c for c in linked if _by_or_before(c.decided_on, as_of)]
        values = compute(keys, p)
        assert values["campaign.cases_filed"] == len(linked) > 0
        assert values["campaign.penalty_amount"] == _measure("cases.penalty_amount", decided)
        for category, name in CaseCategory.objects.values_list("pk", "name"):
            assert values[f"campaign.cases_filed[{name}]"] == sum(1 for c in linked if c.category_id == category)
        assert sorted(c.pk for c in drilldown("campaign.cases_filed", p)) == sorted(c.pk for c in linked)
        assert (drilldown("campaign.penalty_amount", p).aggregate(t=Sum("penalty"))["t"] or 0) == values["campaign.penalty_amount"]
    both = compute(keys, Params.build(as_of=D(2026, 12, 31), campaign="SP2026"))["campaign.cases_filed"]
    assert both == len(cases[::6])
    # The campaign's own report says what it filed and the money, as its figures say.
    out = StringIO()
    call_command("report", "campaign_report", "--campaign", "TQ2026", "--as-of", "2026-09-30", "--format", "md",
                 "--no-snapshot", stdout=out)
    p = Params.build(period="2025", as_of=D(2026, 9, 30), campaign="TQ2026")
    values = compute(keys, p)
    money = (Decimal(values["campaign.penalty_amount"]) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert f"立案查处案件{values['campaign.cases_filed']}件" in out.getvalue() and f"罚没款{money}万元" in out.getvalue()
