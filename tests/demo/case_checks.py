"""The demo's year of enforcement (checked from test_demo_inspections, so that the demo is built once)."""

import datetime as dt
import re
from collections import Counter
from io import StringIO

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from jianguan.campaigns.models import Campaign
from jianguan.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    LeadSource,
    LeadStatus,
    NoPenaltyReason,
    Procedure,
    PublicationStatus,
    StepKind,
    SuspensionReason,
    TransferTarget,
)
from jianguan.cases.models import Case, CaseStep, Lead, Suspension
from jianguan.cases.publication_rules import shown_q
from jianguan.core.documents.models import IssuedDocument
from jianguan.core.masking import mask_name
from jianguan.demo.equipment import DEMO_DATE


def _leads_of_every_source_are_decided_in_their_time(demo, client):
    assert "执法办案：线索" in demo
    assert set(Lead.objects.values_list("source", flat=True)) == set(LeadSource.values)
    assert not Lead.objects.filter(received_on__gt=DEMO_DATE).exists()
    # The complaints' and the inspections' leads are decided here: filed, not filed, transferred.
    for source in (LeadSource.COMPLAINT, LeadSource.INSPECTION):
        states = set(Lead.objects.filter(source=source).values_list("status", flat=True))
        assert {LeadStatus.FILED, LeadStatus.NOT_FILED} <= states, source
    assert Lead.objects.filter(status=LeadStatus.NOT_FILED, not_filed_reason=NoPenaltyReason.FIRST_MINOR).exists()
    assert Lead.objects.filter(status=LeadStatus.TRANSFERRED, transfer_target=TransferTarget.POLICE).exists()
    assert Lead.objects.filter(extended=True, status__in=(LeadStatus.NOT_FILED, LeadStatus.FILED)).exists()
    assert Lead.objects.filter(paused_working_days__gt=0).exists()
    # On the demo date some wait within their clock, two are past it.
    pending = Lead.objects.filter(status=LeadStatus.PENDING)
    assert pending.filter(decision_due__gte=DEMO_DATE).exists()
    assert pending.filter(decision_due__lt=DEMO_DATE).count() == 2
    # Each filed lead has its case; each not-filed one its 不予立案审批表.
    assert Lead.objects.filter(status=LeadStatus.FILED, case__isnull=True).count() == 0
    not_filed = Lead.objects.filter(status=LeadStatus.NOT_FILED).values_list("pk", flat=True)
    owners = set(IssuedDocument.objects.filter(kind="lead_not_filing_approval").values_list("owner_ref", flat=True))
    assert len(owners) == len(not_filed)


def _cases_in_every_state_with_the_listed_scenarios(demo, client):
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert not Case.objects.filter(filed_on__gt=DEMO_DATE).exists()
    assert not CaseStep.objects.filter(on__gt=DEMO_DATE).exists()
    # 首违不罚 and the other 不予行政处罚.
    assert Case.objects.filter(exempt=True, exempt_reason=NoPenaltyReason.FIRST_MINOR).exists()
    # A hearing, with the clock suspended meanwhile.
    heard = Case.objects.filter(hearing_on__isnull=False).first()
    assert heard and heard.suspensions.filter(reason=SuspensionReason.HEARING, end=heard.hearing_on).exists()
    assert heard.fine_amount < heard.proposed_fine  # the hearing was heard
    # A suspension for testing that moved the deadline by its days.
    tested = Suspension.objects.filter(reason=SuspensionReason.TESTING, end__isnull=False).select_related("case").first()
    assert tested and tested.case.suspended_days == tested.days > 0
    # The +30 extension (a decision after 90 days) and a collective one.
    assert Case.objects.filter(extended=True, decided_on__gt=F("filed_on") + dt.timedelta(days=90)).exists()
    assert Case.objects.filter(collective_extension_days__gt=0).exclude(collective_decision="").exists()
    # A 简易程序 fine, reported for the record.
    assert Case.objects.filter(procedure=Procedure.SIMPLE, fine_amount__gt=0, recorded_on__isnull=False).exists()
    # A transfer to the police.
    assert Case.objects.filter(status=CaseStatus.TRANSFERRED, transfer_target=TransferTarget.POLICE).exists()
    # A late payment with its surcharge, a court application after a reminder.
    assert Case.objects.filter(surcharge__gt=0, status=CaseStatus.CLOSED).exists()
    assert Case.objects.filter(status=CaseStatus.EXECUTING, court_applied_on__isnull=False).exists()
    # Open cases near and past their deadline on the demo date (a suspended clock is not overdue).
    suspended = Suspension.objects.filter(end__isnull=True).values("case")
    running = Case.objects.filter(status__in=OPEN_STATUSES).exclude(pk__in=suspended)
    assert running.filter(decision_due__lt=DEMO_DATE).exists()
    assert running.filter(decision_due__range=(DEMO_DATE, DEMO_DATE + dt.timedelta(days=10))).exists()
    assert Case.objects.filter(pk__in=suspended, status__in=OPEN_STATUSES).exists()
    # Linked to the campaigns, each case in its campaign's time.
    for code in ("2026-BRGJ", "2026-ZQSH"):
        campaign = Campaign.objects.get(code=code)
        linked = Case.objects.filter(campaigns=campaign)
        assert linked.exists() and not linked.exclude(filed_on__range=(campaign.start, campaign.end)).exists(), code
    assert Case.objects.filter(campaigns__isnull=False).count() >= 4


def _every_case_went_through_the_services(demo, client):
    # Each case has its timeline from the filing (or the on-the-spot decision) and its documents.
    first_steps = Counter(
        CaseStep.objects.filter(kind__in=(StepKind.FILED, StepKind.DECISION), old_status="").values_list("kind", flat=True))
    assert first_steps[StepKind.FILED] == Case.objects.filter(procedure=Procedure.GENERAL).count()
    for case in Case.objects.filter(status=CaseStatus.CLOSED, procedure=Procedure.GENERAL):
        kinds = set(IssuedDocument.objects.filter(owner_ref=f"cases.case:{case.pk}").values_list("kind", flat=True))
        decision = "no_penalty_decision" if case.exempt else "penalty_decision"
        assert {"case_filing_approval", decision, "case_closing_approval"} <= kinds, case
    # Audited: a creation entry for every case.
    created = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Case), action=LogEntry.Action.CREATE)
    assert created.count() == Case.objects.count()


def _penalties_published_on_time_one_late_one_withdrawn_some_expired(demo, client):
    published = Case.objects.filter(published_on__isnull=False)
    assert published.filter(published_on__lte=F("publish_due")).count() >= 10
    assert published.filter(published_on__gt=F("publish_due")).count() == 1
    withdrawn = published.get(publication_status=PublicationStatus.WITHDRAWN)
    assert withdrawn.publication_end_reason and withdrawn.publication_ended_on > withdrawn.published_on
    assert published.filter(publication_status=PublicationStatus.EXPIRED, publish_until__lt=DEMO_DATE).exists()
    assert not published.filter(publication_status=PublicationStatus.SHOWN, publish_until__lt=DEMO_DATE).exists()
    # Only decisions Order 45 publishes: never 不予处罚, a warning alone or the simple procedure.
    assert not published.filter(exempt=True).exists()
    assert not published.filter(procedure=Procedure.SIMPLE).exists()
    assert not published.filter(penalty_kinds=["warning"]).exists()
    assert Case.objects.filter(penalty_kinds=["warning"], status=CaseStatus.CLOSED).exists()


def _the_public_page_shows_the_demo_penalties_masked(demo, client):
    cache.clear()  # the public pages are rate limited per client
    today = timezone.localdate()
    shown = Case.objects.filter(shown_q(today))
    assert shown.exists()
    feed = client.get("/public/penalties/feed.json", {"page_size": 100}).json()
    assert {r["decision_number"] for r in feed["results"]} == set(shown.values_list("decision_number", flat=True))
    person = Case.objects.filter(respondent_kind="person", published_on__isnull=False, procedure=Procedure.GENERAL).first()
    assert person is not None
    page = client.get("/public/penalties/", {"q": person.decision_number}).content.decode()
    if shown.filter(pk=person.pk).exists():
        assert mask_name(person.respondent_name) in page
    assert person.respondent_name not in page and person.respondent_id_no not in page


def _the_work_summary_of_the_demo_year_has_its_enforcement_section(demo, client):
    out = StringIO()
    call_command("report", "work_summary", "--as-of", DEMO_DATE.isoformat(), "--format", "md", "--no-snapshot", stdout=out)
    section = out.getvalue().split("## 六、执法办案", 1)[1].split("\n## ", 1)[0]
    filed = Case.objects.filter(filed_on__range=(dt.date(2026, 1, 1), DEMO_DATE)).count()
    assert f"立案查处各类案件{filed}件" in section
    assert re.search(r"罚没款\d+\.\d\d万元", section)
    assert "举行听证1件" in section and "初次违法且危害后果轻微并及时改正" in section and "移送公安机关" in section
    assert re.search(r"超过办案期限尚未作出决定的\d+件", section)
    assert re.search(r"按时公示率\d+(\.\d+)?%", section)


def check_case_demo(client, demo: str) -> None:
    _leads_of_every_source_are_decided_in_their_time(demo, client)
    _cases_in_every_state_with_the_listed_scenarios(demo, client)
    _every_case_went_through_the_services(demo, client)
    _penalties_published_on_time_one_late_one_withdrawn_some_expired(demo, client)
    _the_public_page_shows_the_demo_penalties_masked(demo, client)
    _the_work_summary_of_the_demo_year_has_its_enforcement_section(demo, client)
