"""A monthly run that starts from the last one (re-checking only what changed since) must leave exactly what a run
reading everything leaves: the same scores, the same classes on the register, whatever staff did in between."""

import datetime as dt
import random

import pytest

from jianguan.businesses.models import Business
from jianguan.businesses.rules import with_check_digit
from jianguan.businesses.services import business_create, business_update
from jianguan.credit.models import AnnualReport, RiskOverride, RiskRun, RiskScore
from jianguan.credit.services import risk, risk_delta
from jianguan.credit.services.annual import annual_report_file, annual_reports_import
from jianguan.credit.services.risk import risk_override_set, risk_score_all
from jianguan.credit.services.risk_store import missed_year, signature

from ..cases.factories import CaseFactory
from ..factories import BusinessFactory
from .factories import AnnualReportFactory

pytestmark = pytest.mark.django_db
FIRST, NEXT = dt.date(2026, 8, 1), dt.date(2026, 9, 1)  # both score report year 2025


def _register(org, n: int, rng: random.Random) -> list[Business]:
    out = []
    for i in range(n):
        b = BusinessFactory(subdistrict=org.subs["dongguan"], established_on=dt.date(2015 + i % 11, 1 + i % 12, 1),
                            entity_type=rng.choice(["enterprise", "individual", "cooperative"]))
        if rng.random() < 0.6:
            AnnualReportFactory(business=b, year=2025, filed_on=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(200)))
        if rng.random() < 0.15:
            CaseFactory(business=b, status="decided", filed_on=dt.date(2026, 5, 1), decided_on=dt.date(2026, 6, 1))
        out.append(b)
    return out


def _full_state(on: dt.date) -> tuple[dict, dict]:
    """What a run reading everything computes on `on`: {business: signature} of those with points, and the
    effective class of every existing business."""
    w = risk.weights_on(on)
    counts = risk.factor_counts(w)
    sigs = {pk: signature(risk.explain(c, w)[2]) for pk, c in counts.items()}
    overrides = dict(RiskOverride.objects.filter(ended_on__isnull=True).values_list("business_id", "risk_class"))
    classes = {pk: overrides.get(pk) or (risk.explain(counts[pk], w)[1] if pk in counts else "A")
               for pk in Business.objects.filter(risk.existing_on(on)).values_list("pk", flat=True)}
    return sigs, classes


def _stored_state(on: dt.date) -> tuple[dict, dict]:
    live = set(Business.objects.filter(risk.existing_on(on)).values_list("pk", flat=True))
    sigs = {b: s for b, s in RiskScore.objects.values_list("business_id", "signature") if s and b in live}
    return sigs, dict(Business.objects.filter(pk__in=live).values_list("pk", "credit_risk_class"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_run_from_the_last_one_equals_a_run_reading_everything(org, seed, monkeypatch):
    rng = random.Random(seed)
    businesses = _register(org, 60, rng)
    risk_score_all(on=FIRST)
    assert _stored_state(FIRST) == _full_state(FIRST)

    # A month of work: filings entered on the pages and by import (one moved past the run's day), a late
    # registration of a business that existed last year, an establishment date corrected, a class typed by
    # hand, a business ended, an override, a new penalty.
    non_filers = [b for b in businesses if not AnnualReport.objects.filter(business=b, year=2025).exists()]
    filers = [b for b in businesses if b not in non_filers]
    for b in non_filers[1:5]:
        annual_report_file(actor=None, business=b, year=2025, filed_on=NEXT - dt.timedelta(days=rng.randrange(1, 20)))
    moved = AnnualReport.objects.get(business=filers[0], year=2025)
    moved.filed_on = NEXT + dt.timedelta(days=3)
    annual_reports_import(actor=None, creates=[dict(business_id=non_filers[-1].pk, year=2025, filed_on=dt.date(2026, 8, 20))],
                          updates=[(moved, ["filed_on"])])
    late = business_create(actor=org.users.admin, uscc=with_check_digit("91370102MA0LATE01"), name="补录企业",
                           entity_type="enterprise", subdistrict=org.subs["dongguan"], established_on=dt.date(2024, 5, 1))
    corrected = filers[1]
    business_update(actor=org.users.admin, pk=corrected.pk, version=Business.objects.get(pk=corrected.pk).version,
                    established_on=dt.date(2026, 2, 1))  # set up after 2025: no longer due, and new
    typed = non_filers[0]
    business_update(actor=org.users.admin, pk=typed.pk, version=Business.objects.get(pk=typed.pk).version, credit_risk_class="A")
    ended = filers[2]
    business_update(actor=org.users.admin, pk=ended.pk, version=Business.objects.get(pk=ended.pk).version,
                    reg_status="deregistered", status_date=dt.date(2026, 8, 15))
    risk_override_set(actor=org.users.admin, business_pk=filers[3].pk, risk_class="C", reason="约谈后调整", on=dt.date(2026, 8, 10),
                      today=dt.date(2026, 8, 10))
    CaseFactory(business=filers[4], status="decided", filed_on=dt.date(2026, 7, 1), decided_on=dt.date(2026, 8, 20))

    calls = []
    original = risk_delta.non_filers_since

    def spy(*args, **kw):
        calls.append(args)
        return original(*args, **kw)

    monkeypatch.setattr(risk, "non_filers_since", spy)
    risk_score_all(on=NEXT)
    assert calls, "the run did not start from the last one"
    stored, expected = _stored_state(NEXT), _full_state(NEXT)
    assert stored == expected
    assert expected[1][late.pk] != "A" and expected[1][typed.pk] != "A"  # the cases the run had to catch
    assert missed_year(stored[0][late.pk]) == 2025 and corrected.pk not in {b for b, s in stored[0].items() if missed_year(s)}


def test_a_new_report_year_an_earlier_day_or_no_start_time_reads_everything(org, monkeypatch):
    _register(org, 10, random.Random(4))
    risk_score_all(on=FIRST)
    called = []
    monkeypatch.setattr(risk, "non_filers_since", lambda *a, **k: called.append(a) or set())
    risk_score_all(on=dt.date(2026, 7, 15))  # before the last run's day
    risk_score_all(on=dt.date(2027, 7, 15))  # the 2026 window has closed: a new report year
    RiskRun.objects.update(started_at=None)
    risk_score_all(on=dt.date(2027, 8, 1))
    assert called == []
    assert _stored_state(dt.date(2027, 8, 1)) == _full_state(dt.date(2027, 8, 1))
