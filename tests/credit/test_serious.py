"""The serious violation list: candidates from a 3-year abnormal listing and from a penalty flagged serious,
proposed once, decided with a numbered decision (the escalated abnormal entry leaves its list), expired the
day after its period by the command."""

import datetime as dt

import pytest
from django.core.management import call_command

from jianguan.cases.choices import CaseStatus
from jianguan.core.errors import DomainError
from jianguan.credit.choices import EntryStatus, RemovalReason, SeriousSource
from jianguan.credit.models import AbnormalEntry, SeriousEntry
from jianguan.credit.services.serious import (
    serious_candidates,
    serious_decide,
    serious_decline,
    serious_propose,
)

from ..cases.factories import CaseFactory
from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import entry

pytestmark = pytest.mark.django_db
D = dt.date


def test_escalation_and_serious_penalties_are_proposed_once_then_decided_and_expire(capsys):
    org = make_org()
    sub = org.subs["dongguan"]
    old, young = BusinessFactory(subdistrict=sub), BusinessFactory(subdistrict=sub)
    long_listed = entry(old, report_year=2022, listed_on=D(2023, 7, 10))
    entry(young, report_year=2022, listed_on=D(2023, 7, 11))  # 3 years reached one day later
    flagged = CaseFactory(business=BusinessFactory(subdistrict=sub, entity_type="individual"), status=CaseStatus.DECIDED, filed_on=D(2026, 3, 1),
                          decided_on=D(2026, 5, 1), penalty_kinds=["fine"], serious_category="food_drug")
    CaseFactory(business=young, status=CaseStatus.DECIDED, filed_on=D(2026, 3, 1), decided_on=D(2026, 5, 1), penalty_kinds=["fine"])  # not flagged
    found = serious_candidates(D(2026, 7, 10))
    assert [e.pk for e in found["abnormal"]] == [long_listed.pk] and [c.pk for c in found["cases"]] == [flagged.pk]
    assert serious_propose(actor=None, on=D(2026, 7, 10), dry_run=True) and SeriousEntry.objects.count() == 0
    proposed = serious_propose(actor=org.users.dept, on=D(2026, 7, 10))
    assert {(e.source, e.category) for e in proposed} == {(SeriousSource.ABNORMAL, "registration"), (SeriousSource.PENALTY, "food_drug")}
    assert serious_propose(actor=None, on=D(2026, 7, 10)) == []  # never twice
    by_source = {e.source: e for e in proposed}
    with pytest.raises(DomainError, match="请填写不予列入理由"):
        serious_decline(actor=org.users.dept, ids=[by_source[SeriousSource.PENALTY].pk], reason="")
    serious_decline(actor=org.users.dept, ids=[by_source[SeriousSource.PENALTY].pk], reason="复核认为不属于情节严重")
    decision = serious_decide(actor=org.users.dept, ids=[by_source[SeriousSource.ABNORMAL].pk], decided_on=D(2026, 7, 20),
                              approved_by="王局长")
    assert decision.number == "市监严失列〔2026〕1号"
    listed = SeriousEntry.objects.get(pk=by_source[SeriousSource.ABNORMAL].pk)
    assert (listed.status, listed.listed_on, listed.list_until) == (EntryStatus.LISTED, D(2026, 7, 20), D(2029, 7, 20))
    escalated = AbnormalEntry.objects.get(pk=long_listed.pk)
    assert (escalated.status, escalated.removal_reason, escalated.removed_on) == (EntryStatus.REMOVED, RemovalReason.ESCALATED,
                                                                                 D(2026, 7, 20))
    assert serious_propose(actor=None, on=D(2026, 8, 1)) != []  # the young entry reached 3 years meanwhile
    call_command("credit", "expire", "--on", "2029-07-20")
    assert SeriousEntry.objects.get(pk=listed.pk).status == EntryStatus.LISTED  # shown through its last day
    call_command("credit", "expire", "--on", "2029-07-21")
    gone = SeriousEntry.objects.get(pk=listed.pk)
    assert (gone.status, gone.removal_reason, gone.removed_on) == (EntryStatus.REMOVED, RemovalReason.EXPIRED, D(2029, 7, 21))
    assert "期满移出 1 户" in capsys.readouterr().out


def test_a_station_cannot_propose_or_decide():
    org = make_org()
    with pytest.raises(DomainError):
        serious_propose(actor=org.users.east, on=D(2026, 7, 10))
