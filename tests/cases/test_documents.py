"""The case documents as issued by the workflow services — 立案审批表, 不予立案审批表, 行政处罚告知书,
行政处罚听证告知书, 行政处罚决定书, 不予行政处罚决定书, 结案审批表 — kept with the case (the lead) and
linked from the step that issued them, numbered per kind and year, opened with python-docx."""

import datetime as dt
import io

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn

from jianguan.cases.choices import LeadDecision, NoPenaltyReason, StepKind
from jianguan.cases.services import (
    case_close,
    case_decide,
    case_decide_no_penalty,
    case_hearing_hold,
    case_hearing_request,
    case_hearing_schedule,
    case_notify,
    case_payment,
    case_serve,
    lead_decide,
)
from jianguan.core import documents
from jianguan.core.models import IssuedDocument

from ..factories import BusinessFactory
from .factories import filed_case, open_lead, reviewed_case

pytestmark = pytest.mark.django_db
D = dt.date


def docx_text(issued: IssuedDocument) -> str:
    doc = Docx(io.BytesIO(documents.stored_bytes(issued)))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def body_fonts(issued: IssuedDocument) -> set[str]:
    doc = Docx(io.BytesIO(documents.stored_bytes(issued)))
    return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for run in p.runs if run.text.strip()}


def of_step(case, kind) -> IssuedDocument:
    return case.steps.exclude(document=None).get(kind=kind).document


@pytest.fixture
def shop(org):
    return BusinessFactory(subdistrict=org.subs["dongguan"], name="东关副食品商店有限公司", uscc="91370102MA3C4XYZ1K",
                           address="东关大街18号", legal_rep="刘某")


def test_filing_issues_the_filing_approval_form_numbered_per_year(org, shop):
    case = filed_case(org, business=shop, filed_on=D(2026, 9, 2), approved_by="王局长", opinion="同意立案，由东关所办理。")
    issued = of_step(case, StepKind.FILED)
    assert (issued.kind, issued.number, issued.owner_ref) == ("case_filing_approval", "市监立审〔2026〕1号", f"cases.case:{case.pk}")
    text = docx_text(issued)
    for expected in ("测试区市场监督管理局", "立案审批表", "市监立审〔2026〕1号", case.number, "东关副食品商店有限公司", "91370102MA3C4XYZ1K",
                     "销售超过保质期的食品", "《中华人民共和国食品安全法》第三十四条第十项", "同意立案，由东关所办理。", "王局长", "2026年9月2日"):
        assert expected in text, expected
    for officer in case.officers.all():
        assert officer.cert_no in text
    other = filed_case(org, filed_on=D(2026, 9, 3))
    assert of_step(other, StepKind.FILED).number == "市监立审〔2026〕2号"
    next_year = filed_case(org, filed_on=D(2027, 1, 4))
    assert of_step(next_year, StepKind.FILED).number == "市监立审〔2027〕1号"


def test_not_filing_a_lead_issues_the_not_filing_approval_form(org):
    lead = open_lead(org, received_on=D(2026, 9, 1), summary="群众反映某超市销售过期面包")
    lead = lead_decide(actor=org.users.east, pk=lead.pk, version=lead.version, decision=LeadDecision.NOT_FILE, on=D(2026, 9, 8),
                       reason=NoPenaltyReason.MINOR_CORRECTED, note="经核查，过期面包2袋已当场下架销毁。")
    issued = IssuedDocument.objects.get(owner_ref=f"cases.lead:{lead.pk}")
    assert (issued.kind, issued.number) == ("lead_not_filing_approval", "市监不立〔2026〕1号")
    text = docx_text(issued)
    for expected in ("不予立案审批表", lead.respondent_name, "群众反映某超市销售过期面包", "违法行为轻微并及时改正，没有造成危害后果",
                     "经核查，过期面包2袋已当场下架销毁。", "2026年9月1日"):
        assert expected in text, expected
    transferred = open_lead(org, received_on=D(2026, 9, 1))
    lead_decide(actor=org.users.east, pk=transferred.pk, version=transferred.version, decision=LeadDecision.TRANSFER,
                on=D(2026, 9, 8), transfer_target="police", transfer_body="历下区公安分局")
    assert not IssuedDocument.objects.filter(owner_ref=f"cases.lead:{transferred.pk}").exists()


def test_a_small_fine_is_notified_by_the_penalty_notice_a_large_one_by_the_hearing_notice(org, shop):
    small = reviewed_case(org, business=shop)
    actor = small.officers.order_by("pk").first()
    small = case_notify(actor=actor, pk=small.pk, version=small.version, notified_on=D(2026, 9, 10),
                        penalty_kinds=["warning", "fine"], fine_amount="5000", approved_by="王局长")
    issued = of_step(small, StepKind.NOTICE)
    assert (issued.kind, issued.number) == ("penalty_notice", "市监罚告〔2026〕1号")
    text = docx_text(issued)
    for expected in ("行政处罚告知书", "东关副食品商店有限公司：", "一、警告；", "二、罚款人民币5000.00元。",
                     "5个工作日内（2026年9月17日前）", "陈述、申辩"):
        assert expected in text, expected
    assert "要求听证的权利" not in text

    large = reviewed_case(org)
    large = case_notify(actor=actor, pk=large.pk, version=large.version, notified_on=D(2026, 9, 10), penalty_kinds=["fine"],
                        fine_amount="100000", approved_by="王局长")
    issued = of_step(large, StepKind.NOTICE)
    assert (issued.kind, issued.number) == ("hearing_notice", "市监听告〔2026〕1号")
    text = docx_text(issued)
    assert "行政处罚听证告知书" in text and "要求听证的权利" in text and "罚款人民币100000.00元" in text


def test_the_penalty_decision_and_the_closing_approval(org, shop):
    case = reviewed_case(org, business=shop)
    actor = case.officers.order_by("pk").first()
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 9, 10),
                       penalty_kinds=["fine", "confiscate_income"], fine_amount="150000", confiscated_income="8000",
                       approved_by="王局长")
    case = case_hearing_request(actor=actor, pk=case.pk, version=case.version, requested_on=D(2026, 9, 11))
    case = case_hearing_schedule(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 9, 14),
                                 hearing_on=D(2026, 9, 24))
    case = case_hearing_hold(actor=actor, pk=case.pk, version=case.version, held_on=D(2026, 9, 24), host="赵主持",
                             report="当事人对事实无异议。")
    case = case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 29),
                       penalty_kinds=["fine", "confiscate_income"], fine_amount="120000", confiscated_income="8000",
                       approved_by="王局长")
    issued = of_step(case, StepKind.DECISION)
    assert (issued.kind, issued.number) == ("penalty_decision", case.decision_number) == ("penalty_decision", "市监处罚〔2026〕1号")
    text = docx_text(issued)
    for expected in ("行政处罚决定书", "市监处罚〔2026〕1号", "当事人：东关副食品商店有限公司", "统一社会信用代码：91370102MA3C4XYZ1K",
                     "法定代表人（负责人）：刘某", "本局于2026年9月2日对你单位销售超过保质期的食品一案立案调查",
                     "本局于2026年9月24日依法举行了听证", "一、罚款人民币120000.00元；", "二、没收违法所得人民币8000.00元。",
                     "收到本决定书之日起15日内", "每日按罚款数额的3%加处罚款", "申请行政复议", "测试区市场监督管理局（印章）", "2026年9月29日", "送达回证"):
        assert expected in text, expected
    assert body_fonts(issued) >= {"仿宋_GB2312"}

    case = case_serve(actor=actor, pk=case.pk, version=case.version, served_on=D(2026, 9, 30))
    case = case_payment(actor=actor, pk=case.pk, version=case.version, paid_on=D(2026, 10, 15), amount="128000")
    case = case_close(actor=actor, pk=case.pk, version=case.version, closed_on=D(2026, 10, 20), approved_by="王局长")
    issued = of_step(case, StepKind.CLOSING)
    assert (issued.kind, issued.number) == ("case_closing_approval", "市监结〔2026〕1号")
    text = docx_text(issued)
    for expected in ("结案审批表", case.number, "市监处罚〔2026〕1号", "罚款120000.00元、没收违法所得8000.00元",
                     "2026-10-15 缴清 128000.00 元", "2026年10月15日", "同意结案。", "王局长"):
        assert expected in text, expected
    # Every document of the case is kept with it.
    kinds = set(IssuedDocument.objects.filter(owner_ref=f"cases.case:{case.pk}").values_list("kind", flat=True))
    assert kinds == {"case_filing_approval", "hearing_notice", "penalty_decision", "case_closing_approval"}


def test_the_no_penalty_decision_for_a_person_names_the_reason_and_its_article(org):
    case = reviewed_case(org, lead=None, respondent_name="张某某", respondent_kind="person", respondent_id_no="370102199001011234",
                         subdistrict=org.subs["dongguan"])
    actor = case.officers.order_by("pk").first()
    case = case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 9),
                                  reason=NoPenaltyReason.FIRST_MINOR, approved_by="王局长")
    issued = of_step(case, StepKind.DECISION)
    assert (issued.kind, issued.number) == ("no_penalty_decision", "市监不罚〔2026〕1号")
    text = docx_text(issued)
    for expected in ("不予行政处罚决定书", "当事人：张某某", "身份证件号码：370102199001011234", "鉴于你初次违法且危害后果轻微并及时改正",
                     "《中华人民共和国行政处罚法》第三十三条第一款", "本局决定对你不予行政处罚", "本局已对你进行了教育"):
        assert expected in text, expected
    assert "你单位" not in text
