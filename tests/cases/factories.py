"""Case officers with a valid 执法证, leads and cases for the cases tests.

Two ways to make a record:
- through the real services (`open_lead`, `filed_case`): numbers, clocks, steps and documents exactly as
  the pages make them — for workflow tests;
- plain factories (`LeadFactory`, `CaseFactory`): any state in one line, the decision clock computed
  from the filing day — for lists, indicators and exports, where the path to the state does not matter.
"""

import datetime as dt
import itertools
from decimal import Decimal

import factory

from jianguan.cases.choices import CaseStatus, LeadSource, LeadStatus, Procedure, RespondentKind
from jianguan.cases.deadlines import decision_due, lead_decision_due
from jianguan.cases.models import Case, CaseCategory, Lead
from jianguan.cases.services import case_file, lead_open
from jianguan.org.choices import Role

from ..factories import BusinessFactory, UserFactory

_cert = itertools.count(1)


def officer(org_unit, *, valid_until=dt.date(2030, 12, 31), role=Role.STATION, **kw):
    """A case officer (承办人员) with a 执法证 valid until `valid_until` (None: no certificate at all)."""
    n = next(_cert)
    return UserFactory(
        username=kw.pop("username", f"officer{n}"), role=role, org_unit=org_unit,
        full_name=kw.pop("full_name", f"办案员{n}"), cert_no=kw.pop("cert_no", f"3701029{n:05d}" if valid_until else None),
        cert_valid_until=valid_until, **kw,
    )


def officers(org_unit, size=2, **kw):
    return [officer(org_unit, **kw) for _ in range(size)]


def category(code="food") -> CaseCategory:
    """A 案件类别 seeded by the cases migrations (食品 by default)."""
    return CaseCategory.objects.get(code=code)


def open_lead(org=None, *, actor=None, source=LeadSource.INSPECTION, received_on=dt.date(2026, 9, 1), business=None, **kw) -> Lead:
    """A pending lead through `lead_open` (its decision clock as the inbox shows it)."""
    if business is None and not kw.get("respondent_name"):
        business = BusinessFactory(subdistrict=org.subs["dongguan"]) if org is not None else BusinessFactory()
    return lead_open(actor=actor, source=source, received_on=received_on, business=business,
                     summary=kw.pop("summary", "现场检查发现销售过期食品"), **kw)


def filed_case(org, *, actor=None, filed_on=dt.date(2026, 9, 1), team=None, business=None, lead=None,
               code="food", cause="销售超过保质期的食品", approved_by="王局长", **kw) -> Case:
    """A case filed through `case_file` (number, clock, 立案 step and 立案审批表), by default from a new
    lead on a business in 东关街道 (东关所), with two officers of 东关所 holding valid certificates."""
    team = team if team is not None else officers(org.east)
    actor = actor or team[0]
    if lead is None and business is None and not kw.get("respondent_name"):
        lead = open_lead(org, actor=actor, received_on=kw.pop("received_on", filed_on))
    if lead is not None:
        kw.update(lead_pk=lead.pk, lead_version=lead.version)
    else:
        kw.setdefault("business", business)
    return case_file(actor=actor, filed_on=filed_on, category=category(code), cause=cause, officers=team,
                     approved_by=approved_by, violated_articles=kw.pop("violated_articles", "《中华人民共和国食品安全法》第三十四条第十项"),
                     penalising_articles=kw.pop("penalising_articles", "《中华人民共和国食品安全法》第一百二十四条第一款"),
                     **kw)


class LeadFactory(factory.django.DjangoModelFactory):
    """A lead in any state (no service, no audit): `LeadFactory(status=LeadStatus.NOT_FILED, not_filed_reason=...)`."""

    class Meta:
        model = Lead

    business = factory.SubFactory(BusinessFactory)
    respondent_kind = RespondentKind.ORGANISATION
    respondent_name = factory.LazyAttribute(lambda o: o.business.name if o.business else "张某")
    respondent_uscc = factory.LazyAttribute(lambda o: o.business.uscc if o.business else "")
    subdistrict = factory.LazyAttribute(lambda o: o.business.subdistrict if o.business else None)
    source = LeadSource.INSPECTION
    received_on = dt.date(2026, 9, 1)
    summary = "现场检查发现销售过期食品"
    status = LeadStatus.PENDING
    decision_due = factory.LazyAttribute(lambda o: lead_decision_due(o.received_on).date)
    decision_due_provisional = factory.LazyAttribute(lambda o: lead_decision_due(o.received_on).provisional)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case in any state (no service, no steps, no documents): set the fields of the state you need,
    e.g. `CaseFactory(status=CaseStatus.DECIDED, decided_on=..., penalty_kinds=["fine"], fine_amount=...)`.
    `CaseFactory(officers=[a, b])` links officers."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    business = factory.SubFactory(BusinessFactory)
    respondent_kind = RespondentKind.ORGANISATION
    respondent_name = factory.LazyAttribute(lambda o: o.business.name if o.business else "张某")
    respondent_uscc = factory.LazyAttribute(lambda o: o.business.uscc if o.business else "")
    subdistrict = factory.LazyAttribute(lambda o: o.business.subdistrict if o.business else None)
    # Not the format of the `case` sequence, so that a factory case never takes a number a service would issue.
    number = factory.Sequence(lambda n: f"测试立〔2026〕{n + 1}号")
    source = LeadSource.INSPECTION
    filed_on = dt.date(2026, 9, 1)
    category = factory.LazyFunction(category)
    cause = "销售超过保质期的食品"
    procedure = Procedure.GENERAL
    status = CaseStatus.FILED
    decision_due = factory.LazyAttribute(
        lambda o: decision_due(o.filed_on, suspended=o.suspended_days, extended=o.extended).date)
    suspended_days = 0
    extended = False
    fine_amount = Decimal("0")

    @factory.post_generation
    def officers(self, create, extracted, **kwargs):
        if create and extracted:
            self.officers.set(extracted)
            self.officer_cert_nos = "、".join(u.cert_no or "" for u in extracted)
            self.save(update_fields=["officer_cert_nos"])


def reviewed_case(org, *, filed_on=dt.date(2026, 9, 2), reviewer="李法制", **kw) -> Case:
    """A case filed, investigated and through the legal review (passed) by the services, ready for the
    notice or a 不予行政处罚 decision: investigation the next day, review submitted 5 days and passed 6
    days after filing."""
    from jianguan.cases.services import case_review, case_transition

    case = filed_case(org, filed_on=filed_on, **kw)
    actor = case.officers.order_by("pk").first()
    for to, days in ((CaseStatus.INVESTIGATING, 1), (CaseStatus.REVIEW, 5)):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=filed_on + dt.timedelta(days=days))
    return case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=filed_on + dt.timedelta(days=6),
                       reviewer=reviewer, opinion="事实清楚，证据确凿，适用依据正确，程序合法。")
