"""The work summary's 执法办案 section, and each lead counted once in the whole summary: a lead from a
report (举报立案) and a lead from an inspection are each one lead of one source, wherever the summary
counts leads (the old summary counted the complaints' leads again as 移交立案线索 of the inspections)."""

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from jianguan.cases.choices import (
    CaseStatus,
    LeadSource,
    LeadStatus,
    NoPenaltyReason,
    Procedure,
    TransferTarget,
)
from jianguan.cases.models import Lead
from jianguan.complaints.choices import Channel, FilingDecision, Kind
from jianguan.complaints.models import Complaint
from jianguan.complaints.services.handling import report_decide
from jianguan.complaints.services.intake import complaint_receive
from jianguan.core.indicators import compute, drilldown
from jianguan.core.periods import Params
from jianguan.inspections.choices import Escalation
from jianguan.inspections.services.findings import case_lead_open, finding_escalate
from jianguan.reports import renderers
from jianguan.reports.engine import build_report

from ..factories import BusinessFactory
from ..inspections.factories import inspection_with_finding
from .factories import CaseFactory, LeadFactory, category

pytestmark = pytest.mark.django_db
D = dt.date
Q3 = "2026Q3"
FIGURE = re.compile(r'<a class="figure" href="[^"]+" data-key="([^"]+)"[^>]*>([^<]*)</a>')


def _report_filed(org, shop, day: dt.date, content: str) -> Complaint:
    """A report (举报) registered and decided 立案 through the complaint services: it opens a lead."""
    report = complaint_receive(
        actor=org.users.dept, kind=Kind.REPORT, channel=Channel.HOTLINE,
        received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        respondent_name=shop.name, respondent_uscc=shop.uscc, respondent_address="东关大街1号", content=content,
        complainant_name="李四", complainant_phone="13812341234",
    )
    return report_decide(actor=org.users.dept, pk=report.pk, version=None, decision=FilingDecision.FILED,
                         note="现场查见问题商品", on=day + dt.timedelta(days=5))


@pytest.fixture
def leads(org):
    """Two reports filed (two complaint leads) and two inspection leads (a finding escalated, and an
    inspection with result 立案线索) in the third quarter of 2026, in 东关所's subdistricts."""
    shop = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])
    _report_filed(org, shop, D(2026, 7, 10), "该超市销售过期牛奶。")
    _report_filed(org, shop, D(2026, 8, 3), "该超市销售无中文标签的进口食品。")
    _, finding, inspectors = inspection_with_finding(org, date=D(2026, 8, 1), deadline=D(2026, 8, 10))
    finding_escalate(actor=inspectors[0], pk=finding.pk, version=None, escalation=Escalation.CASE_LEAD, on=D(2026, 8, 20),
                     reason="逾期未整改，涉嫌违法")
    other, _, inspectors = inspection_with_finding(org, date=D(2026, 9, 2), deadline=D(2026, 9, 20))
    case_lead_open(actor=inspectors[0], inspection=other, description="无证经营", on=D(2026, 9, 2))
    made = list(Lead.objects.order_by("pk"))
    assert sorted(x.source for x in made) == [LeadSource.COMPLAINT] * 2 + [LeadSource.INSPECTION] * 2
    return made


def _lead_figures(report) -> dict[str, set[int]]:
    """Every linked figure of the summary's page whose records are leads, and 举报立案 (the reports that
    opened leads): the leads each counts, by figure key."""
    found = {}
    for key, _text in FIGURE.findall(report.html):
        key = html.unescape(key)
        name, _, part = key.partition("[")
        records = list(drilldown(name, report.params, part=part.rstrip("]") or None))
        if key == "reports.filed":  # the reports decided 立案: each opened one lead
            found[key] = {r.case_lead_id for r in records}
        elif leads := {r.pk for r in records if isinstance(r, Lead)}:
            found[key] = leads
    return found


def test_each_lead_counts_once_in_the_work_summary(org, leads):
    params = Params.build(period=Q3)
    report = build_report("work_summary", params, link=lambda key, part: f"/reports/drill/{key}/?part={part or ''}")
    complaint_leads = {x.pk for x in leads if x.source == LeadSource.COMPLAINT}
    inspection_leads = {x.pk for x in leads if x.source == LeadSource.INSPECTION}

    # JSON: the leads of the period by source; the inspections' and the complaints' own figures are
    # those same parts, not further counts.
    values = json.loads(renderers.render(report, "json"))["indicators"]
    assert values["leads.received"] == 4
    assert values["leads.received[投诉举报]"] == values["reports.filed"] == 2
    assert values["leads.received[监督检查]"] == 2
    assert "case_leads.opened" not in values  # the inspections' pass over the leads is not read twice
    # …and the inspections' own figure, kept for templates that quote it, is that same part
    assert compute(["case_leads.opened"], params)["case_leads.opened"] == 2

    # Every figure of the page that counts leads: a lead counts in the total and in exactly one part by
    # source; the complaints' 举报立案 lists the reports whose leads are the 投诉举报 part.
    figures = _lead_figures(report)
    parts = {k: v for k, v in figures.items() if k.startswith("leads.received[")}
    for lead in leads:
        assert [k for k, v in parts.items() if lead.pk in v] == [f"leads.received[{lead.get_source_display()}]"], lead
        assert lead.pk in figures["leads.received"]
    assert figures["reports.filed"] == figures["leads.received[投诉举报]"] == complaint_leads
    assert figures["leads.received[监督检查]"] == inspection_leads
    counting_leads = {k for k in figures if not k.startswith("leads.received")}
    assert counting_leads == {"reports.filed"}, counting_leads

    # Markdown: the inspections say 2 leads (not 4), the complaints 2, and section 六 adds up to 4 once.
    text = renderers.render(report, "md").decode()
    inspections, complaints, cases = (text.split(h, 1)[1].split("\n## ", 1)[0] for h in ("## 三、", "## 五、", "## 六、"))
    assert re.findall(r"移交立案线索(\d+)条", text) == ["2"] and "移交立案线索2条" in inspections
    assert re.findall(r"举报立案(\d+)件", text) == ["2"] and "举报立案2件" in complaints
    assert "共受理案件线索4条（投诉举报2条、监督检查2条）" in cases
    sources = "|".join(LeadSource.labels)
    assert sum(int(n) for n in re.findall(rf"(?:{sources})(\d+)条", cases)) == len(leads)


def test_the_enforcement_section_reads_like_the_seeds(org):
    """Money in 万元 with two decimals; parts only when non-zero; 不予处罚 and 移送公安 when there are any."""
    east, west = BusinessFactory(subdistrict=org.subs["dongguan"]), BusinessFactory(subdistrict=org.subs["xiguan"])
    on = D(2026, 8, 10)
    CaseFactory(business=east, filed_on=D(2026, 7, 1), category=category("food"), status=CaseStatus.DECIDED, decided_on=on,
                fine_amount=Decimal("50000.00"), confiscated_income=Decimal("3456.78"), confiscated_value=Decimal("1200"))
    CaseFactory(business=west, filed_on=D(2026, 7, 2), category=category("advertising"), status=CaseStatus.CLOSED,
                decided_on=on, closed_on=D(2026, 9, 1), fine_amount=Decimal("100000"), hearing_on=D(2026, 8, 1))
    CaseFactory(business=east, filed_on=on, category=category("food"), procedure=Procedure.SIMPLE,
                status=CaseStatus.DECIDED, decided_on=on, fine_amount=Decimal("200"))
    CaseFactory(business=west, filed_on=D(2026, 7, 3), category=category("price"), status=CaseStatus.DECIDED, decided_on=on,
                exempt=True, exempt_reason=NoPenaltyReason.FIRST_MINOR)
    CaseFactory(business=west, filed_on=D(2026, 7, 3), category=category("price"), status=CaseStatus.DECIDED, decided_on=on,
                exempt=True, exempt_reason=NoPenaltyReason.MINOR_CORRECTED)
    CaseFactory(business=east, filed_on=D(2026, 7, 4), category=category("food"), status=CaseStatus.TRANSFERRED,
                transferred_on=D(2026, 8, 2), transfer_target=TransferTarget.POLICE)
    LeadFactory(business=west, received_on=D(2026, 7, 5), status=LeadStatus.TRANSFERRED, decided_on=D(2026, 7, 9),
                transfer_target=TransferTarget.POLICE, transfer_body="历下区公安分局")
    LeadFactory(business=west, source=LeadSource.ASSIGNED, received_on=D(2026, 7, 6))
    CaseFactory(business=east, filed_on=D(2026, 4, 1))  # open, 90 days ran out on 2026-06-30

    text = build_report("work_summary", Params.build(period=Q3)).text.split("## 六、执法办案", 1)[1].split("\n## ", 1)[0]
    assert "全区共受理案件线索2条（监督检查1条、上级交办1条）；期内核查后决定立案的线索0条，移送有关机关1条。" in text
    assert "立案查处各类案件6件，其中食品3件、价格2件、广告1件；" in text  # in the reference table's order
    assert "作出行政处罚决定和不予行政处罚决定5件（其中适用简易程序当场处罚1件），结案1件，罚没款15.37万元，没收物品货值0.12万元；举行听证1件。" in text
    # the reasons' own commas: the parts are set apart by semicolons
    assert "依法不予行政处罚2件（违法行为轻微并及时改正，没有造成危害后果1件；初次违法且危害后果轻微并及时改正1件）" in text
    assert "移送公安机关2件（含线索核查后移送和立案后移送）" in text and "其他行政机关" not in text
    assert "在办案件1件，其中超过办案期限尚未作出决定的1件" in text
    assert "药品" not in text and "不予立案" not in text  # zero parts and figures stay out

    station = build_report("work_summary", Params.build(period=Q3, scope="station:S1")).text.split("## 六、", 1)[1]
    assert "罚没款5.37万元" in station and "东关市场监管所辖区共受理案件线索0条。" in station
    assert "依法不予行政处罚" not in station and "听证" not in station
    empty = build_report("work_summary", Params.build(period="2025Q1")).text.split("## 六、", 1)[1]
    assert "罚没款0.00万元" in empty and "按时公示率" not in empty


def test_money_in_the_page_links_to_its_records_with_the_full_amount(org):
    b = BusinessFactory(subdistrict=org.subs["dongguan"])
    CaseFactory(business=b, filed_on=D(2026, 7, 1), status=CaseStatus.DECIDED, decided_on=D(2026, 7, 20),
                fine_amount=Decimal("12345.67"), confiscated_income=Decimal("0.01"))
    report = build_report("work_summary", Params.build(period=Q3), link=lambda key, part: f"/d/{key}")
    anchor = re.search(r'<a class="figure" href="/d/cases.penalty_amount"[^>]*>([^<]*)</a>', report.html)
    assert anchor[1] == "1.23" and 'data-scale="10000"' in anchor[0] and "12345.68元" in anchor[0]
    assert report.values["cases.penalty_amount"] == Decimal("12345.68")


def test_transfers_of_leads_and_cases_in_one_list_page_workbook_and_export(org, client):
    """移送 sums two tables: its page, the report's workbook and the list's export show every lead and
    case transferred, with the total equal to the figure, and a person's name masked."""
    from io import BytesIO

    from openpyxl import load_workbook

    b = BusinessFactory(name="西关五金店", subdistrict=org.subs["xiguan"])
    LeadFactory(business=None, respondent_name="王小明", respondent_kind="person", subdistrict=org.subs["xiguan"],
                received_on=D(2026, 7, 5), status=LeadStatus.TRANSFERRED, decided_on=D(2026, 7, 9),
                transfer_target=TransferTarget.POLICE, transfer_body="历下区公安分局")
    CaseFactory(business=b, filed_on=D(2026, 7, 4), status=CaseStatus.TRANSFERRED, transferred_on=D(2026, 8, 2),
                transfer_target=TransferTarget.AGENCY, transfer_body="历下区应急管理局")
    client.force_login(org.users.dept)
    page = client.get("/reports/drill/cases.transferred/", {"period": Q3}).content.decode()
    assert 'data-total="2"' in page and "王**" in page and "王小明" not in page and "西关五金店" in page
    assert "2026年7月9日" in page and "2026年8月2日" in page and "历下区应急管理局" in page  # each 移送日期
    police = client.get("/reports/drill/cases.transferred/", {"period": Q3, "part": "公安机关"}).content.decode()
    assert 'data-total="1"' in police and "西关五金店" not in police
    export = load_workbook(BytesIO(client.get("/reports/drill/cases.transferred/export/", {"period": Q3}).content))
    rows = list(export.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3 and {r[2] for r in rows[1:]} == {"王**", "西关五金店"}
    report = build_report("work_summary", Params.build(period=Q3))
    book = load_workbook(BytesIO(renderers.render(report, "xlsx", drilldowns=True)))
    sheet = next(s for s in book.worksheets if s.title.startswith("移送公安机关"))
    assert sheet.max_row == 3
