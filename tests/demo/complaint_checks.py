"""Checks of the demo's 12315 year, for the test that already builds the whole demo (small scale), so
that the suite builds it once: call check_complaint_demo(client, output) with the command's output."""

import html
import re
from collections import Counter

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils import timezone

from jianguan.complaints.choices import (
    Category,
    Channel,
    FilingDecision,
    Kind,
    MediationOutcome,
    OdrOutcome,
    Status,
)
from jianguan.complaints.models import Complaint, Event, OdrEnterprise
from jianguan.complaints.privacy import PERMISSION
from jianguan.complaints.selectors import queue
from jianguan.core.audit import check_chain
from jianguan.demo.complaints import CONSUMER_RIGHTS, HOLIDAYS
from jianguan.demo.equipment import DEMO_DATE
from jianguan.org.models import User

FIGURE = re.compile(r'<a class="figure" href="([^"]+)" data-key="((?:complaints|reports)\.[^"]+)"[^>]*>([^<]*)</a>')
TOTAL = re.compile(r'data-total="([\d.]+)"')


def check_complaint_demo(client, output: str = "") -> None:
    items = Complaint.objects.all()
    kinds = Counter(items.values_list("kind", flat=True))
    assert sum(kinds.values()) >= 800 and kinds[Kind.COMPLAINT] > kinds[Kind.INQUIRY] > kinds[Kind.REPORT] > 0, kinds
    assert not items.filter(received_on__gt=DEMO_DATE).exists() and not Event.objects.filter(on__gt=DEMO_DATE).exists()
    assert set(items.values_list("channel", flat=True)) == set(Channel.values)
    assert len(set(items.values_list("category", flat=True))) >= len(Category.values) - 1

    # Every item has its timeline from registration on, in business hours of its own dates, and audit rows.
    assert not items.annotate(n=Count("events", filter=Q(events__action="登记"))).exclude(n=1).exists()
    sample = list(Event.objects.order_by("pk")[:500])
    assert all(timezone.localtime(e.at).date() == e.on for e in sample)
    audited = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Complaint))
    assert audited.values("object_id").distinct().count() == items.count()
    assert check_chain().ok

    # Every state of the year's end: closed, moved, open at the stations, some past their deadline, a few in triage.
    states = Counter(items.values_list("status", flat=True))
    assert {Status.CLOSED, Status.TRANSFERRED, Status.TRIAGE, Status.RECEIVED, Status.ACCEPTED, Status.VERIFYING} <= set(states), states
    assert 0 < states[Status.TRIAGE] < 10
    admin = User.objects.get(username="admin")
    assert queue(admin, today=DEMO_DATE, overdue_only=True).count() >= 3
    assert items.filter(closed_on_time=False).exists() and items.filter(closed_on_time=True).count() > items.count() // 2
    assert Event.objects.filter(action="改派").exists() and Event.objects.filter(action="退回分派").exists()
    assert items.filter(status=Status.TRANSFERRED, subdistrict__isnull=True).exists()  # from triage, to another district

    # Complaints: ODR settlements, mediations with the amounts recovered, a pause for testing, a duplicate refused.
    assert OdrEnterprise.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=DEMO_DATE)).count() >= 3
    assert items.filter(odr_outcome=OdrOutcome.SETTLED).exists() and items.filter(odr_outcome=OdrOutcome.FAILED).exists()
    assert items.filter(mediation_outcome=MediationOutcome.SUCCESS, recovered_amount__gt=0).count() > 50
    assert not items.filter(recovered_amount__gt=F("amount")).exists()
    assert items.filter(paused_working_days__gt=0).exists()
    duplicate = items.get(duplicate_of__isnull=False)
    assert duplicate.status == Status.CLOSED and duplicate.refusal_reason

    # Reports: filed ones opened case leads; one extension, approved by name.
    filed = items.filter(filing_decision=FilingDecision.FILED)
    assert filed.exists() and not filed.filter(case_lead__isnull=True).exists()
    assert items.filter(extended=True).exclude(extension_approved_by="").exists()

    # Around the National Day holidays: more items, and clocks that run over the holidays.
    holiday = items.filter(received_on__range=HOLIDAYS)
    assert holiday.count() > 30
    assert holiday.filter(kind=Kind.COMPLAINT, accept_due__gt=HOLIDAYS[1]).exists()

    # The 消费者权益保护科 login may see personal details; the login help says so.
    assert User.objects.get(username=CONSUMER_RIGHTS).has_perm(PERMISSION)
    if output:
        assert "投诉举报：登记" in output and f"{CONSUMER_RIGHTS} 可查看投诉举报人的姓名和电话" in output

    # The work summary's section quotes the year, and every figure's list holds as many records (or as many yuan).
    client.force_login(User.objects.get(username=CONSUMER_RIGHTS))
    page = client.get("/reports/", {"template": "work_summary", "period": "2026"}).content.decode()
    assert "五、消费维权与投诉举报" in page
    figures = FIGURE.findall(page)
    assert len(figures) > 20
    for href, key, text in figures:
        drill = client.get(html.unescape(href))
        assert drill.status_code == 200, key
        if "rate" not in key and "share" not in key:
            assert float(TOTAL.search(drill.content.decode())[1]) == float(text), (key, text)
