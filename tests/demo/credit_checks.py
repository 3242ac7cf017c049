"""The demo's credit supervision (checked from test_demo_inspections, so that the demo is built once): two
report years filed at about 90 % by the end of the window, the yearly proposals decided (listed, marked,
one declined), marks restored by filing and listings removed on application, the serious list and its
waiting candidate, the risk classes computed twice, the public look-up and the work summary's section."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command

from jianguan.businesses.models import Business
from jianguan.credit.choices import EntryKind, EntryStatus, RemovalReason, RepairStatus, SeriousSource
from jianguan.credit.models import (
    AbnormalEntry,
    Decision,
    RepairApplication,
    RiskOverride,
    RiskScore,
    SeriousEntry,
)
from jianguan.credit.services.serious import abnormal_candidates
from jianguan.demo.equipment import DEMO_DATE

TYPES = ("企业", "个体工商户", "农民专业合作社")


def _figures(*keys: str, **params) -> dict[str, Decimal]:
    out = StringIO()
    args = [f"--{k.replace('_', '-')}={v}" for k, v in params.items()]
    call_command("figures", *keys, *args, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    return {row["key"]: Decimal(str(row["value"])) if row["value"] is not None else None for row in data["figures"]}


def _filing_rates_near_ninety_percent_at_the_end_of_each_window():
    for year in (2024, 2025):
        values = _figures("credit.annual_report_rate", "credit.annual_reports_due", as_of=f"{year + 1}-06-30", report_year=year)
        assert values["credit.annual_reports_due"] > 4000
        for label in TYPES:
            assert Decimal("85") <= values[f"credit.annual_report_rate[{label}]"] <= Decimal("95"), (year, label, values)
        # late filings after the window raise the rate as of the demo date
        later = _figures("credit.annual_report_rate", as_of=DEMO_DATE.isoformat(), report_year=year)
        assert later["credit.annual_report_rate"] > values["credit.annual_report_rate"]


def _proposals_decided_marks_restored_listings_removed():
    listed = AbnormalEntry.objects.exclude(listed_on=None)
    assert listed.filter(kind=EntryKind.LIST).exists() and listed.filter(kind=EntryKind.MARK).exists()
    # individual businesses are only ever marked, the others only listed
    assert not AbnormalEntry.objects.filter(kind=EntryKind.LIST, business__entity_type="individual").exists()
    assert not AbnormalEntry.objects.filter(kind=EntryKind.MARK).exclude(business__entity_type="individual").exists()
    assert AbnormalEntry.objects.filter(status=EntryStatus.DECLINED).count() == 2
    assert not AbnormalEntry.objects.filter(status=EntryStatus.PROPOSED).exists()
    # every yearly decision within its 10 working days, with a numbered document
    assert not listed.filter(listed_on__gt=dt.date(2026, 12, 31)).exists()
    assert all(d.number and d.document_id for d in Decision.objects.all())
    restored = AbnormalEntry.objects.filter(removal_reason=RemovalReason.FILED)
    assert restored.exists() and not restored.exclude(kind=EntryKind.MARK).exists()
    assert AbnormalEntry.objects.filter(removal_reason=RemovalReason.CURED, kind=EntryKind.LIST).exists()
    statuses = set(RepairApplication.objects.values_list("status", flat=True))
    assert statuses == {RepairStatus.GRANTED, RepairStatus.REFUSED, RepairStatus.PENDING} or statuses == {
        RepairStatus.GRANTED, RepairStatus.REFUSED}


def _the_serious_list_and_its_waiting_candidate():
    serious = SeriousEntry.objects.get()
    assert serious.status == EntryStatus.LISTED and serious.source == SeriousSource.ABNORMAL
    assert serious.abnormal_entry.removal_reason == RemovalReason.ESCALATED
    assert serious.list_until > DEMO_DATE
    assert abnormal_candidates(DEMO_DATE).count() == 1


def _risk_classes_computed_on_two_dates():
    assert not Business.objects.filter(reg_status="active", credit_risk_class="").exists()
    classes = {c: Business.objects.filter(reg_status="active", credit_risk_class=c).count() for c in "ABCD"}
    assert classes["A"] > sum(classes[c] for c in "BCD") and all(classes.values()), classes
    assert RiskScore.objects.exists() and RiskOverride.objects.filter(ended_on=None).count() == 1
    before = _figures("credit.risk_class", as_of="2026-10-15")
    now = _figures("credit.risk_class", as_of=DEMO_DATE.isoformat())
    assert before["credit.risk_class"] > 0 and now["credit.risk_class"] > 0
    assert _figures("credit.risk_class", as_of="2026-09-30")["credit.risk_class"] == 0  # nothing scored before the module


def _the_public_look_up_shows_a_listed_business(client):
    cache.clear()
    entry = AbnormalEntry.objects.filter(status=EntryStatus.LISTED, kind=EntryKind.LIST).select_related("business").first()
    page = client.get("/public/credit/", {"q": entry.business.uscc}).content.decode()
    assert entry.business.name in page and "经营异常" in page
    assert not any(label in page for label in ("低风险", "一般风险", "较高风险", "高风险"))  # the class is internal


def _the_work_summary_has_its_credit_section():
    out = StringIO()
    call_command("report", "work_summary", "--period", "2026", "--format", "md", "--no-snapshot", stdout=out)
    section = out.getvalue().split("## 八、信用监管", 1)[1]
    rate = _figures("credit.annual_report_rate", period="2026")["credit.annual_report_rate"]
    assert f"年报率{rate:.2f}%" in section
    assert re.search(r"\d+户个体工商户标记为经营异常状态", section) and "载入经营异常名录" in section


def check_credit_demo(client, demo: str) -> None:
    assert "信用监管" in demo and "年度报告" in demo
    _filing_rates_near_ninety_percent_at_the_end_of_each_window()
    _proposals_decided_marks_restored_listings_removed()
    _the_serious_list_and_its_waiting_candidate()
    _risk_classes_computed_on_two_dates()
    _the_public_look_up_shows_a_listed_business(client)
    _the_work_summary_has_its_credit_section()
