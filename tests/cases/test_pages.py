"""The 执法办案 staff pages through the Django test client: the lead inbox (pending first by the nearest
filing deadline, overdue in red, filters), the lead's page with its decision forms (each one's happy
path, and refusals shown in Chinese next to the field), the case list (open first by the nearest
decision deadline, filters, search), the case's page (timeline, evidence, suspensions, documents,
decision); station scoping, a person's name and ID number masked, leadership read-only."""

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from jianguan.cases.choices import (
    CaseStatus,
    EvidenceKind,
    LeadSource,
    LeadStatus,
    Measure,
    NoPenaltyReason,
    Procedure,
    RespondentKind,
    StepKind,
    SuspensionReason,
    TransferTarget,
)
from jianguan.cases.models import Case, CaseStep, Evidence, Lead, Suspension
from jianguan.core.documents.models import IssuedDocument

from ..factories import BusinessFactory
from .factories import CaseFactory, LeadFactory, category, filed_case, officers, open_lead, reviewed_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 9, 21)  # a Monday
ID_NO = "370102199001011234"


@pytest.fixture(autouse=True)
def now(monkeypatch):
    moment = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


def html(response) -> str:
    return response.content.decode()


def ids(response, prefix: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'<tr id="{prefix}-(\d+)"', html(response))]


def row(response, prefix: str, pk: int) -> str:
    return re.search(rf'<tr id="{prefix}-{pk}"[^>]*>.*?</tr>', html(response), re.S).group(0)


def field_errors(response, auto_id: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="errors-{auto_id}">(.*?)</ul>', html(response), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


@pytest.fixture
def shops(org):
    return {
        "east": BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"]),
        "west": BusinessFactory(name="西关副食店", subdistrict=org.subs["xiguan"]),
    }


@pytest.fixture
def east_team(org):
    return officers(org.east)


# ---------------------------------------------------------------- the lead inbox


@pytest.fixture
def inbox(org, shops):
    return {
        "overdue": LeadFactory(business=shops["east"], received_on=dt.date(2026, 8, 3)),
        "soon": LeadFactory(business=shops["east"], received_on=dt.date(2026, 9, 1), source=LeadSource.COMPLAINT),
        "later": LeadFactory(business=shops["east"], received_on=dt.date(2026, 9, 15), source=LeadSource.TRANSFER),
        "filed": LeadFactory(business=shops["east"], received_on=dt.date(2026, 7, 1), status=LeadStatus.FILED,
                             decided_on=dt.date(2026, 7, 10)),
        "west": LeadFactory(business=shops["west"], received_on=dt.date(2026, 9, 10)),
    }


def test_inbox_lists_pending_first_by_nearest_deadline_with_red_overdue(client, org, inbox):
    client.force_login(org.users.dept)
    resp = client.get("/cases/leads/")
    assert resp.status_code == 200
    order = ids(resp, "lead")
    pending = sorted((inbox[k] for k in ("overdue", "soon", "later", "west")), key=lambda lead: lead.decision_due)
    assert order == [lead.pk for lead in pending] + [inbox["filed"].pk]
    assert 'class="overdue"' in row(resp, "lead", inbox["overdue"].pk) and "已逾期" in row(resp, "lead", inbox["overdue"].pk)
    assert 'class="soon"' in row(resp, "lead", inbox["soon"].pk) and "clock-soon" in row(resp, "lead", inbox["soon"].pk)
    assert "剩余" in row(resp, "lead", inbox["later"].pk) and "overdue" not in row(resp, "lead", inbox["later"].pk)
    assert re.search(r'id="pending-count">4<', html(resp)) and re.search(r'id="overdue-count">1<', html(resp))


def test_inbox_filters_by_source_status_and_due(client, org, inbox):
    client.force_login(org.users.dept)
    assert ids(client.get("/cases/leads/", {"source": "complaint"}), "lead") == [inbox["soon"].pk]
    assert ids(client.get("/cases/leads/", {"status": "filed"}), "lead") == [inbox["filed"].pk]
    assert ids(client.get("/cases/leads/", {"due": "overdue"}), "lead") == [inbox["overdue"].pk]
    assert ids(client.get("/cases/leads/", {"due": "soon"}), "lead") == [inbox["soon"].pk]
    # A value that means nothing is ignored, not an error.
    assert len(ids(client.get("/cases/leads/", {"source": "nonsense", "status": "²"}), "lead")) == 5


def test_station_sees_only_its_jurisdiction(client, org, inbox):
    client.force_login(org.users.east)
    listed = ids(client.get("/cases/leads/"), "lead")
    assert inbox["west"].pk not in listed and inbox["overdue"].pk in listed
    assert client.get(f"/cases/leads/{inbox['west'].pk}/").status_code == 404
    client.force_login(org.users.west)
    assert ids(client.get("/cases/leads/"), "lead") == [inbox["west"].pk]


def test_lead_page_links_to_its_source_record(client, org, shops):
    from_complaint = LeadFactory(business=shops["east"], source=LeadSource.COMPLAINT, source_ref="complaints.complaint:42",
                                 source_label="举报 JB2026001")
    unknown = LeadFactory(business=shops["east"], source=LeadSource.OTHER, source_ref="sampling.result:7", source_label="抽检")
    client.force_login(org.users.east)
    page = html(client.get(f"/cases/leads/{from_complaint.pk}/"))
    assert 'href="/complaints/42/" id="source-link">举报 JB2026001<' in page
    page = html(client.get(f"/cases/leads/{unknown.pk}/"))
    assert 'id="source-link"' not in page and "抽检" in page


# ---------------------------------------------------------------- the lead's decision forms


def post_step(client, lead: Lead, step: str, **data):
    lead.refresh_from_db()
    return client.post(reverse("cases:lead_act", args=[lead.pk, step]), {"version": lead.version, **data})


def test_filing_from_the_lead_page_opens_the_case(client, org, shops, east_team):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    client.force_login(east_team[0])
    page = html(client.get(f"/cases/leads/{lead.pk}/"))
    for step in ("file", "not-file", "transfer", "extend", "pause"):
        assert f'id="form-{step}"' in page
    resp = post_step(client, lead, "file", category=category("food").pk, cause="销售过期食品案", officers=[u.pk for u in east_team],
                     approved_by="王局长", filed_on=TODAY.isoformat(), goods_value="1200.50")
    case = Case.objects.get(lead=lead)
    assert resp.status_code == 302 and resp.url == f"/cases/{case.pk}/"
    assert case.cause == "销售过期食品案" and set(case.officers.all()) == set(east_team) and str(case.goods_value) == "1200.50"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.FILED
    page = html(client.get(resp.url))
    assert case.number in page and "立案" in page and "王局长" in page
    # The lead now names its case, and offers no decision any more.
    page = html(client.get(f"/cases/leads/{lead.pk}/"))
    assert f'id="lead-case">{case.number}<' in page and 'id="form-file"' not in page


def test_filing_refusals_are_shown_next_to_their_fields(client, org, shops, east_team):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    client.force_login(east_team[0])
    # One officer only: the service's rule (≥ 2 with a valid 执法证), next to the officers.
    resp = post_step(client, lead, "file", category=category("food").pk, cause="销售过期食品案", officers=[east_team[0].pk],
                     approved_by="王局长", filed_on=TODAY.isoformat())
    assert resp.status_code == 400
    assert "不少于2名" in field_errors(resp, "file_officers") and 'id="step-file" open' in html(resp)
    assert 'value="销售过期食品案"' in html(resp)  # what was typed is kept
    # An expired certificate on the filing day.
    expired = officers(org.east, size=1, valid_until=dt.date(2026, 1, 31))[0]
    resp = post_step(client, lead, "file", category=category("food").pk, cause="销售过期食品案",
                     officers=[east_team[0].pk, expired.pk], approved_by="王局长", filed_on=TODAY.isoformat())
    assert resp.status_code == 400 and "已过有效期" in field_errors(resp, "file_officers")
    # Filed before the lead was received; the form's own checks (no category, no approver).
    resp = post_step(client, lead, "file", category=category("food").pk, cause="销售过期食品案",
                     officers=[u.pk for u in east_team], approved_by="王局长", filed_on="2026-09-01")
    assert resp.status_code == 400 and "早于线索受理日期" in field_errors(resp, "file_filed_on")
    resp = post_step(client, lead, "file", cause="案由", officers=[u.pk for u in east_team], filed_on=TODAY.isoformat())
    assert "请选择案件类别" in field_errors(resp, "file_category") and "请填写立案审批人" in field_errors(resp, "file_approved_by")
    assert not Case.objects.exists()


def test_not_filing_needs_an_enumerated_reason(client, org, shops, east_team):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    client.force_login(east_team[0])
    resp = post_step(client, lead, "not-file", on=TODAY.isoformat(), note="核查属实但已改正")
    assert resp.status_code == 400 and "请选择不予立案理由" in field_errors(resp, "not-file_reason")
    page = html(resp)
    for _value, label in NoPenaltyReason.choices:
        assert label in page
    resp = post_step(client, lead, "not-file", on="2026-09-14", reason=NoPenaltyReason.FIRST_MINOR, approved_by="王局长")
    assert resp.status_code == 400 and "早于受理日期" in field_errors(resp, "not-file_on")
    resp = post_step(client, lead, "not-file", on=TODAY.isoformat(), reason=NoPenaltyReason.FIRST_MINOR, note="首次违法，已改正")
    assert resp.status_code == 400 and "审批人" in field_errors(resp, "not-file_approved_by")
    resp = post_step(client, lead, "not-file", on=TODAY.isoformat(), reason=NoPenaltyReason.FIRST_MINOR, note="首次违法，已改正",
                     approved_by="王局长")
    assert resp.status_code == 302
    lead.refresh_from_db()
    approval = IssuedDocument.objects.get(owner_ref=f"cases.lead:{lead.pk}")
    assert approval.context["approved_by"] == "王局长"
    assert (lead.status, lead.not_filed_reason, lead.decision_note) == (LeadStatus.NOT_FILED, NoPenaltyReason.FIRST_MINOR, "首次违法，已改正")
    page = html(client.get(f"/cases/leads/{lead.pk}/"))
    assert "初次违法且危害后果轻微并及时改正" in page and 'id="form-not-file"' not in page


def test_transfer_names_the_receiving_body(client, org, shops, east_team):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    client.force_login(east_team[0])
    resp = post_step(client, lead, "transfer", on=TODAY.isoformat(), transfer_target=TransferTarget.POLICE)
    assert resp.status_code == 400 and "请填写接收机关" in field_errors(resp, "transfer_transfer_body")
    resp = post_step(client, lead, "transfer", on=TODAY.isoformat(), transfer_target=TransferTarget.POLICE,
                     transfer_body="测试区公安分局")
    assert resp.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.transfer_target, lead.transfer_body) == (LeadStatus.TRANSFERRED, "police", "测试区公安分局")
    assert 'id="transfer">公安机关：测试区公安分局<' in html(client.get(f"/cases/leads/{lead.pk}/"))


def test_extension_once_and_paused_days(client, org, shops, east_team):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    due = lead.decision_due
    client.force_login(east_team[0])
    resp = post_step(client, lead, "pause", working_days="0")
    assert resp.status_code == 400 and "1～365" in field_errors(resp, "pause_working_days")
    assert post_step(client, lead, "pause", working_days="3").status_code == 302
    lead.refresh_from_db()
    assert lead.paused_working_days == 3 and lead.decision_due > due
    late = (lead.decision_due + dt.timedelta(days=1)).isoformat()
    resp = post_step(client, lead, "extend", approved_by="王局长", on=late)
    assert resp.status_code == 400 and "届满前" in field_errors(resp, "extend_on")
    assert post_step(client, lead, "extend", approved_by="王局长", on=TODAY.isoformat()).status_code == 302
    lead.refresh_from_db()
    assert lead.extended and lead.extension_approved_by == "王局长"
    page = html(client.get(f"/cases/leads/{lead.pk}/"))
    assert 'id="form-extend"' not in page and "经王局长" in page


def test_a_stale_form_says_so_and_keeps_the_input(client, org, shops, east_team):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    client.force_login(east_team[0])
    resp = client.post(reverse("cases:lead_act", args=[lead.pk, "transfer"]), {
        "version": lead.version - 1 if lead.version > 1 else lead.version + 5, "on": TODAY.isoformat(),
        "transfer_target": "agency", "transfer_body": "测试区卫生健康局",
    })
    assert resp.status_code == 409 and 'id="stale"' in html(resp) and 'value="测试区卫生健康局"' in html(resp)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.PENDING


def test_leadership_reads_but_gets_no_forms(client, org, shops):
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    client.force_login(org.users.leader)
    page = html(client.get(f"/cases/leads/{lead.pk}/"))
    assert 'id="steps"' not in page and 'id="read-only"' in page
    assert 'id="lead-new-link"' not in html(client.get("/cases/leads/"))
    resp = post_step(client, lead, "not-file", on=TODAY.isoformat(), reason=NoPenaltyReason.NO_VIOLATION, approved_by="王局长")
    assert resp.status_code == 403 and "只读" in html(resp)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.PENDING
    assert client.get("/cases/leads/new/").status_code == 403


def test_another_stations_lead_cannot_be_decided(client, org, shops):
    lead = LeadFactory(business=shops["west"])
    client.force_login(org.users.east)
    resp = client.post(reverse("cases:lead_act", args=[lead.pk, "not-file"]),
                       {"version": lead.version, "on": TODAY.isoformat(), "reason": "no_violation"})
    assert resp.status_code == 404
    assert client.post(reverse("cases:lead_act", args=[lead.pk, "nonsense"]), {}).status_code == 404


def test_registering_a_transferred_lead_by_hand(client, org, shops):
    client.force_login(org.users.east)
    page = html(client.get("/cases/leads/new/"))
    assert "投诉举报" not in re.search(r'<select name="source".*?</select>', page, re.S).group(0)
    resp = client.post("/cases/leads/new/", {"source": "transfer", "source_label": "测卫移〔2026〕3号", "respondent_uscc": "",
                                             "respondent_name": "", "summary": "", "received_on": TODAY.isoformat()})
    assert resp.status_code == 400 and "请填写线索内容" in html(resp)
    resp = client.post("/cases/leads/new/", {
        "source": "transfer", "source_label": "测卫移〔2026〕3号", "respondent_uscc": shops["east"].uscc,
        "summary": "卫健部门移送：疑似无证行医兼售药品", "received_on": TODAY.isoformat(),
    })
    lead = Lead.objects.get(source=LeadSource.TRANSFER)
    assert resp.status_code == 302 and resp.url == f"/cases/leads/{lead.pk}/"
    assert lead.business == shops["east"] and lead.subdistrict == org.subs["dongguan"] and lead.created_by == org.users.east
    # Outside the station's jurisdiction: the service's refusal, nothing saved.
    resp = client.post("/cases/leads/new/", {"source": "other", "respondent_uscc": shops["west"].uscc, "summary": "线索",
                                             "received_on": TODAY.isoformat()})
    assert resp.status_code == 403 and "不在您的辖区范围内" in html(resp)
    assert Lead.objects.count() == 1


# ---------------------------------------------------------------- the case list


@pytest.fixture
def docket(org, shops, east_team):
    food, price = category("food"), category("price")
    return {
        "overdue": CaseFactory(business=shops["east"], filed_on=dt.date(2026, 6, 1), category=food, officers=east_team),
        "soon": CaseFactory(business=shops["east"], filed_on=dt.date(2026, 6, 23), category=price),
        "later": CaseFactory(business=shops["east"], filed_on=dt.date(2026, 9, 1), category=food, procedure=Procedure.GENERAL),
        "decided": CaseFactory(business=shops["east"], filed_on=dt.date(2026, 7, 1), status=CaseStatus.DECIDED,
                               decided_on=dt.date(2026, 8, 1), penalty_kinds=["fine"], fine_amount=5000),
        "old": CaseFactory(business=shops["east"], filed_on=dt.date(2025, 3, 1), status=CaseStatus.CLOSED,
                           decided_on=dt.date(2025, 5, 1), closed_on=dt.date(2025, 6, 1), number="测试立〔2025〕9号"),
        "west": CaseFactory(business=shops["west"], filed_on=dt.date(2026, 8, 1)),
    }


def test_case_list_open_first_by_nearest_deadline_overdue_red(client, org, docket):
    client.force_login(org.users.dept)
    resp = client.get("/cases/")
    assert resp.status_code == 200
    order = ids(resp, "case")
    open_ones = sorted((docket[k] for k in ("overdue", "soon", "later", "west")), key=lambda c: c.decision_due)
    assert order[:4] == [c.pk for c in open_ones] and order[4:] == [docket["decided"].pk, docket["old"].pk]
    assert 'class="overdue"' in row(resp, "case", docket["overdue"].pk)
    assert docket["soon"].decision_due == TODAY and "今天到期" in row(resp, "case", docket["soon"].pk)
    assert "按期" in row(resp, "case", docket["decided"].pk)
    assert re.search(r'id="open-count">4<', html(resp)) and re.search(r'id="overdue-count">1<', html(resp))


def test_case_list_filters_and_search(client, org, docket, east_team):
    client.force_login(org.users.dept)
    get = lambda **q: ids(client.get("/cases/", q), "case")  # noqa: E731
    assert get(status="decided") == [docket["decided"].pk]
    assert get(category="price") == [docket["soon"].pk]
    assert set(get(year="2025")) == {docket["old"].pk}
    assert set(get(station=org.west.code)) == {docket["west"].pk}
    assert get(procedure="simple") == []
    assert get(q=docket["later"].number) == [docket["later"].pk]
    assert set(get(q=org.subs and docket["west"].respondent_uscc.lower())) == {docket["west"].pk}
    assert set(get(q="西关副食")) == {docket["west"].pk}
    assert get(due="overdue") == [docket["overdue"].pk] and get(due="soon") == [docket["soon"].pk]
    resp = client.get("/cases/", {"year": "notayear", "status": "nonsense"})
    assert resp.status_code == 200 and "年度“notayear”无效" in html(resp) and len(ids(resp, "case")) == 6
    client.force_login(east_team[0])
    assert ids(client.get("/cases/", {"mine": "1"}), "case") == [docket["overdue"].pk]


def test_station_sees_only_its_cases(client, org, docket):
    client.force_login(org.users.east)
    resp = client.get("/cases/")
    assert docket["west"].pk not in ids(resp, "case") and len(ids(resp, "case")) == 5
    assert 'name="station"' not in html(resp)  # a station has no other station to filter by
    assert client.get(f"/cases/{docket['west'].pk}/").status_code == 404
    client.force_login(org.users.west)
    assert ids(client.get("/cases/"), "case") == [docket["west"].pk]


# ---------------------------------------------------------------- the case page


def _document(case: Case, content: bytes = b"PK docx bytes") -> IssuedDocument:
    doc = IssuedDocument(kind="case_filing_approval", number="测立审〔2026〕1号", title="立案审批表",
                         owner_ref=f"cases.case:{case.pk}", sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    doc.file.save(f"case-{case.pk}.docx", ContentFile(content), save=False)
    doc.save()
    return doc


def test_case_page_shows_timeline_evidence_suspensions_documents_and_decision(client, org, docket, east_team):
    case = docket["overdue"]
    CaseStep.objects.create(case=case, kind=StepKind.FILED, on=case.filed_on, actor=east_team[0], approved_by="王局长",
                            opinion="同意立案", new_status=CaseStatus.FILED)
    Evidence.objects.create(case=case, kind=EvidenceKind.PHYSICAL, description="过期牛奶12盒", collected_on=dt.date(2026, 6, 2),
                            measure=Measure.PRESERVATION, measure_due=dt.date(2026, 6, 11))
    Suspension.objects.create(case=case, reason=SuspensionReason.TESTING, start=dt.date(2026, 6, 5), end=dt.date(2026, 6, 20),
                              note="送检")
    doc = _document(case)
    client.force_login(org.users.dept)
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "同意立案" in page and "审批人 王局长" in page
    assert "过期牛奶12盒" in page and "先行登记保存" in page and 'class="overdue"' in page  # the 7-day follow-up missed
    assert "检测检验" in page and "计 15 日" in page
    assert f'href="/cases/documents/{doc.pk}/download/">立案审批表 测立审〔2026〕1号<' in page
    download = client.get(f"/cases/documents/{doc.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK docx bytes"
    assert "attachment" in download["Content-Disposition"]
    decided = html(client.get(f"/cases/{docket['decided'].pk}/"))
    assert 'id="decision-summary">罚款<' in decided and 'id="penalty-amount"><strong>5000.00 元' in decided


def test_documents_of_another_station_cannot_be_downloaded(client, org, docket):
    doc = _document(docket["west"])
    client.force_login(org.users.east)
    assert client.get(f"/cases/documents/{doc.pk}/download/").status_code == 404
    client.force_login(org.users.west)
    assert client.get(f"/cases/documents/{doc.pk}/download/").status_code == 200


def test_an_altered_document_is_refused_with_a_message(client, org, docket):
    doc = _document(docket["later"])
    IssuedDocument.objects.filter(pk=doc.pk).update(sha256="0" * 64)
    client.force_login(org.users.dept)
    resp = client.get(f"/cases/documents/{doc.pk}/download/", follow=True)
    assert "摘要不符" in html(resp)


def test_an_open_suspension_stops_the_clock(client, org, docket):
    Suspension.objects.create(case=docket["later"], reason=SuspensionReason.APPRAISAL, start=dt.date(2026, 9, 10))
    client.force_login(org.users.dept)
    assert "案件中止，期限暂停计算" in row(client.get("/cases/"), "case", docket["later"].pk)
    assert "中止中" in html(client.get(f"/cases/{docket['later'].pk}/"))


# ---------------------------------------------------------------- personal data


@pytest.fixture
def person_case(org, east_team):
    return CaseFactory(business=None, respondent_kind=RespondentKind.PERSON, respondent_name="张三丰", respondent_id_no=ID_NO,
                       subdistrict=org.subs["dongguan"], officers=east_team)


def test_a_person_is_masked_except_for_the_officers_and_the_permitted(client, org, person_case, east_team):
    lead = LeadFactory(business=None, respondent_kind=RespondentKind.PERSON, respondent_name="李四", respondent_id_no=ID_NO,
                       subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)  # same station, not an officer of the case
    page = html(client.get(f"/cases/{person_case.pk}/"))
    assert "张三丰" not in page and ID_NO not in page
    assert 'id="respondent-name">张**' in page and 'id="respondent-id">3701**********1234<' in page and 'id="masked-note"' in page
    listed = row(client.get("/cases/"), "case", person_case.pk)
    assert "张三丰" not in listed and "张**" in listed
    lead_page = html(client.get(f"/cases/leads/{lead.pk}/"))
    assert "李四" not in lead_page and ID_NO not in lead_page and "李*" in lead_page
    assert "李四" not in html(client.get("/cases/leads/"))

    client.force_login(east_team[1])  # an officer of the case
    page = html(client.get(f"/cases/{person_case.pk}/"))
    assert "张三丰" in page and ID_NO in page and 'id="masked-note"' not in page
    assert "张三丰" in row(client.get("/cases/"), "case", person_case.pk)

    org.users.dept.user_permissions.add(Permission.objects.get(codename="view_personal_info", content_type__app_label="cases"))
    client.force_login(org.users.dept)
    assert ID_NO in html(client.get(f"/cases/{person_case.pk}/")) and "李四" in html(client.get(f"/cases/leads/{lead.pk}/"))


# ---------------------------------------------------------------- every page, every role


@pytest.mark.parametrize("role", ["leader", "dept", "east", "admin"])
def test_every_page_renders_for_every_role(client, org, docket, inbox, role):
    client.force_login(getattr(org.users, role))
    for url in ("/cases/", "/cases/leads/", f"/cases/{docket['overdue'].pk}/", f"/cases/leads/{inbox['overdue'].pk}/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "执法办案" in html(resp)  # the menu names the section
    page = html(client.get(f"/cases/leads/{inbox['overdue'].pk}/"))
    assert ('id="form-file"' in page) == (role != "leader")


# ---------------------------------------------------------------- the case's steps, from the page


def step(client, case: Case, name: str, **data):
    case.refresh_from_db()
    return client.post(reverse("cases:act", args=[case.pk, name]), {"version": case.version, **data})


def offered(client, case: Case) -> set[str]:
    return set(re.findall(r'id="form-([\w-]+)"', html(client.get(f"/cases/{case.pk}/"))))


def test_a_case_walked_from_filing_to_closing_on_its_page(client, org, shops):
    team = officers(org.east)
    case = filed_case(org, team=team, business=shops["east"], filed_on=dt.date(2026, 8, 3))
    client.force_login(team[0])
    assert {"investigate", "evidence", "suspend", "extend", "transfer"} <= offered(client, case)
    assert "decide" not in offered(client, case) and "serve" not in offered(client, case)

    # 调查取证: a measure needs its approver (the service's message, next to the field).
    resp = step(client, case, "evidence", kind=EvidenceKind.PHYSICAL, description="过期牛奶12盒", measure=Measure.PRESERVATION,
                collected_on="2026-08-04")
    assert resp.status_code == 400 and "审批人" in field_errors(resp, "evidence_approved_by")
    resp = step(client, case, "evidence", kind=EvidenceKind.PHYSICAL, description="过期牛奶12盒", measure=Measure.PRESERVATION,
                approved_by="王局长", collected_on="2026-08-04")
    assert resp.status_code == 302 and resp.url == f"/cases/{case.pk}/#evidence"
    evidence = Evidence.objects.get(case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and evidence.measure_due is not None
    assert step(client, case, "measure-end", evidence_pk=evidence.pk, outcome="解除先行登记保存",
                ended_on="2026-08-05").status_code == 302

    # 中止 and 恢复: the deadline moves by the days suspended; no decision while suspended.
    due = case.decision_due
    assert step(client, case, "suspend", reason=SuspensionReason.TESTING, note="送检", start="2026-08-06").status_code == 302
    assert "resume" in offered(client, case) and "suspend" not in offered(client, case)
    resp = step(client, case, "resume", end="2026-08-01")
    assert resp.status_code == 400 and "早于中止日期" in field_errors(resp, "resume_end")
    assert step(client, case, "resume", end="2026-08-10").status_code == 302
    case.refresh_from_db()
    assert case.suspended_days == 4 and case.decision_due > due

    # 延长 once; then only a collective decision.
    assert step(client, case, "extend", approved_by="王局长", approved_on="2026-08-11").status_code == 302
    assert "extend" not in offered(client, case) and "collective" in offered(client, case)

    # 法制审核 and 告知.
    assert step(client, case, "submit-review", on="2026-08-12").status_code == 302
    resp = step(client, case, "review", reviewer="李法制", opinion="事实清楚", reviewed_on="2026-08-13")
    assert resp.status_code == 400 and "请选择审核结论" in field_errors(resp, "review_passed")
    assert step(client, case, "review", passed="1", reviewer="李法制", opinion="事实清楚",
                reviewed_on="2026-08-13").status_code == 302
    resp = step(client, case, "notify", fine_amount="5000", approved_by="王局长", notified_on="2026-08-14")
    assert resp.status_code == 400 and field_errors(resp, "notify_penalty_kinds")
    assert step(client, case, "notify", penalty_kinds=["warning", "fine"], fine_amount="5000", approved_by="王局长",
                notified_on="2026-08-14").status_code == 302
    assert step(client, case, "statement", statement="当事人称系首次，请求从轻", stated_on="2026-08-17").status_code == 302

    # 决定: not heavier than notified; the form starts from the notice.
    page = html(client.get(f"/cases/{case.pk}/"))
    assert re.search(r'id="decide_fine_amount"[^>]*value="5000\.00"|value="5000\.00"[^>]*id="decide_fine_amount"', page)
    resp = step(client, case, "decide", penalty_kinds=["warning", "fine"], fine_amount="6000", approved_by="王局长",
                decided_on="2026-08-24")
    assert resp.status_code == 400 and "重于告知" in field_errors(resp, "decide_penalty_kinds")
    assert step(client, case, "decide", penalty_kinds=["warning", "fine"], fine_amount="5000", approved_by="王局长",
                decided_on="2026-08-24").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision_number
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'id="decision-summary">警告、罚款<' in page and case.decision_number in page
    assert "行政处罚决定书" in re.search(r'<section class="card" id="documents">.*?</section>', page, re.S).group(0)

    # 公示 (a fine above the light limit: shown 3 years), refused before the decision's date.
    assert "publish" in offered(client, case)
    resp = step(client, case, "publish", on="2026-08-20")
    assert resp.status_code == 400 and "早于" in resp.content.decode()
    assert step(client, case, "publish", on="2026-08-26").status_code == 302
    case.refresh_from_db()
    assert case.published_on == dt.date(2026, 8, 26) and case.publish_until == dt.date(2029, 8, 26)
    assert "publish" not in offered(client, case) and {"withdraw", "end-early"} <= offered(client, case)

    # 送达, 缴款, 结案.
    assert step(client, case, "serve", method="直接送达", served_on="2026-08-25").status_code == 302
    resp = step(client, case, "payment", amount="9000", paid_on="2026-09-01")
    assert resp.status_code == 400 and "超过应缴金额" in field_errors(resp, "payment_amount")
    assert step(client, case, "payment", amount="5000", paid_on="2026-09-01").status_code == 302
    assert "close" in offered(client, case)
    assert step(client, case, "close", approved_by="王局长", closed_on="2026-09-02").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == dt.date(2026, 9, 2)
    page = html(client.get(f"/cases/{case.pk}/"))
    assert offered(client, case) == {"withdraw", "end-early"} and 'id="payment">2026-09-01 缴纳 5000.00 元' in page
    kinds = list(CaseStep.objects.filter(case=case).values_list("kind", flat=True))
    for kind in ("filed", "investigation", "suspension", "resumption", "extension", "review", "notice", "statement",
                 "decision", "publication", "service", "payment", "closing"):
        assert kind in kinds, kind


def test_a_hearing_suspends_the_clock_until_it_is_held(client, org, shops):
    case = reviewed_case(org, business=shops["east"], filed_on=dt.date(2026, 8, 3))
    actor = case.officers.order_by("pk").first()
    client.force_login(actor)
    assert step(client, case, "notify", penalty_kinds=["fine"], fine_amount="200000", approved_by="王局长",
                notified_on="2026-08-10").status_code == 302
    assert "hearing-request" in offered(client, case)
    assert step(client, case, "hearing-request", suspend_clock="on", requested_on="2026-08-12").status_code == 302
    assert "中止中" in html(client.get(f"/cases/{case.pk}/"))
    resp = step(client, case, "hearing-schedule", notified_on="2026-08-13", hearing_on="2026-08-14", place="听证室")
    assert resp.status_code == 400 and "7个工作日前" in field_errors(resp, "hearing-schedule_hearing_on")
    assert step(client, case, "hearing-schedule", notified_on="2026-08-13", hearing_on="2026-08-25", place="听证室",
                host="赵主持").status_code == 302
    assert step(client, case, "hearing-hold", host="赵主持", report="当事人对事实无异议", held_on="2026-08-25").status_code == 302
    case.refresh_from_db()
    assert case.hearing_on == dt.date(2026, 8, 25) and case.suspended_days == 13
    assert "decide" in offered(client, case)


def test_not_penalised_after_the_review(client, org, shops):
    case = reviewed_case(org, business=shops["east"], filed_on=dt.date(2026, 8, 3))
    client.force_login(case.officers.order_by("pk").first())
    resp = step(client, case, "no-penalty", approved_by="王局长", decided_on="2026-08-20")
    assert resp.status_code == 400 and "请选择不予行政处罚理由" in field_errors(resp, "no-penalty_reason")
    assert step(client, case, "no-penalty", reason=NoPenaltyReason.FIRST_MINOR, approved_by="王局长",
                decided_on="2026-08-20").status_code == 302
    case.refresh_from_db()
    assert case.exempt and case.exempt_reason == NoPenaltyReason.FIRST_MINOR
    assert "不予行政处罚（初次违法且危害后果轻微并及时改正）" in html(client.get(f"/cases/{case.pk}/"))


def test_case_transfer_to_the_police(client, org, shops):
    team = officers(org.east)
    case = filed_case(org, team=team, business=shops["east"], filed_on=dt.date(2026, 9, 1))
    client.force_login(team[0])
    resp = step(client, case, "transfer", target=TransferTarget.POLICE, approved_by="王局长", on="2026-09-10")
    assert resp.status_code == 400 and "请填写接收机关" in field_errors(resp, "transfer_body")
    assert step(client, case, "transfer", target=TransferTarget.POLICE, body="测试区公安分局", approved_by="王局长",
                on="2026-09-10").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED and case.transfer_body == "测试区公安分局"
    assert "公安机关：测试区公安分局" in html(client.get(f"/cases/{case.pk}/"))


def test_case_steps_are_read_only_for_leadership_and_scoped(client, org, shops):
    team = officers(org.east)
    case = filed_case(org, team=team, business=shops["east"], filed_on=dt.date(2026, 9, 1))
    client.force_login(org.users.leader)
    page = html(client.get(f"/cases/{case.pk}/"))
    assert 'id="steps"' not in page and 'id="read-only"' in page
    resp = step(client, case, "investigate", on="2026-09-02")
    assert resp.status_code == 403 and "只读" in html(resp)
    client.force_login(org.users.west)
    assert step(client, case, "investigate", on="2026-09-02").status_code == 404
    client.force_login(org.users.east)
    assert step(client, case, "nonsense", on="2026-09-02").status_code == 404
    assert step(client, case, "investigate", on="2026-09-02").status_code == 302
    resp = step(client, case, "investigate", on="2026-09-02")  # no longer allowed: said, not a 500
    assert resp.status_code == 400 and "不能变为" in html(resp)


def test_simple_procedure_on_the_spot(client, org, shops):
    team = officers(org.east)
    client.force_login(team[0])
    data = {"respondent_uscc": shops["east"].uscc, "source": "inspection", "category": category("food").pk,
            "cause": "未按规定公示食品经营许可证", "penalty_kinds": ["fine"], "officers": [u.pk for u in team],
            "decided_on": TODAY.isoformat()}
    resp = client.post("/cases/simple/", {**data, "fine_amount": "5000"})
    assert resp.status_code == 400 and "不能超过" in field_errors(resp, "id_fine_amount")
    resp = client.post("/cases/simple/", {**data, "fine_amount": "500"})
    case = Case.objects.get(procedure=Procedure.SIMPLE)
    assert resp.status_code == 302 and resp.url == f"/cases/{case.pk}/"
    assert case.business == shops["east"] and case.status == CaseStatus.DECIDED and str(case.fine_amount) == "500.00"
    assert {"record", "serve"} <= offered(client, case)
    assert step(client, case, "record", recorded_on=TODAY.isoformat()).status_code == 302
    client.force_login(org.users.leader)
    assert client.get("/cases/simple/").status_code == 403


def test_paging_runs_from_the_open_cases_into_the_others(org, shops):
    from jianguan.cases import selectors

    open_ones = [CaseFactory(business=shops["east"], filed_on=dt.date(2026, 9, d)) for d in (3, 1, 2)]
    closed = [CaseFactory(business=shops["east"], filed_on=dt.date(2026, 5, d), status=CaseStatus.CLOSED,
                          decided_on=dt.date(2026, 6, 1), closed_on=dt.date(2026, 7, 1)) for d in (1, 3, 2)]
    expected = sorted(open_ones, key=lambda c: c.decision_due) + sorted(closed, key=lambda c: c.filed_on, reverse=True)
    qs = selectors.case_list(actor=org.users.east)
    pages = [selectors.case_page(qs, n, 2) for n in (1, 2, 3, 4)]
    assert [[c.pk for c in rows] for rows, _ in pages] == [[c.pk for c in expected[i:i + 2]] for i in (0, 2, 4, 6)]
    assert [more for _, more in pages] == [True, True, False, False]


def test_filing_links_the_case_to_a_campaign_the_lead_named(client, org, shops, east_team):
    from jianguan.campaigns.models import Campaign

    iron = Campaign.objects.create(code="TQ2026", name="铁拳行动", start=dt.date(2026, 3, 1), end=dt.date(2026, 12, 31),
                                   lead_department=org.dept)
    lead = open_lead(org, business=shops["east"], received_on=dt.date(2026, 9, 15))
    Lead.objects.filter(pk=lead.pk).update(campaign=iron)
    client.force_login(east_team[0])
    page = html(client.get(f"/cases/leads/{lead.pk}/"))
    assert re.search(rf'<input type="checkbox" name="campaigns" value="{iron.pk}"[^>]*checked', page)
    resp = post_step(client, lead, "file", category=category("food").pk, cause="销售假冒商品案", officers=[u.pk for u in east_team],
                     approved_by="王局长", filed_on=TODAY.isoformat(), campaigns=[iron.pk])
    case = Case.objects.get(lead=lead)
    assert resp.status_code == 302 and list(case.campaigns.all()) == [iron]
    assert "铁拳行动" in html(client.get(f"/cases/{case.pk}/"))


def test_the_case_ledger_is_exported_from_the_list_as_the_user_sees_it(client, org, docket, person_case):
    import io

    from openpyxl import load_workbook

    client.force_login(org.users.east)
    page = html(client.get("/cases/"))
    assert 'id="export-link"' in page and 'href="/imports/cases/"' in page
    resp = client.get("/cases/export/")
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    numbers = {r[0] for r in rows[1:]}
    assert docket["later"].number in numbers and docket["west"].number not in numbers  # the station's own
    assert "张三丰" not in str(rows) and "张**" in str(rows)  # not an officer of that case
    csv = client.get("/cases/export/", {"format": "csv"})
    assert csv["Content-Disposition"].endswith('.csv"') or ".csv" in csv["Content-Disposition"]
    client.force_login(org.users.leader)
    assert 'href="/imports/cases/"' not in html(client.get("/cases/")) and client.get("/cases/export/").status_code == 200
