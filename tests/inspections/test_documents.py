"""Printable 责令整改通知书 and 特种设备安全监察指令书: issued through the service, kept with the record,
downloaded from the finding and inspection pages (scoped like them), opened with python-docx."""

import datetime as dt
import io

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn
from docx.shared import Pt

from jianguan.core import documents
from jianguan.core.models import IssuedDocument
from jianguan.inspections.choices import DocumentKind
from jianguan.inspections.services.findings import document_issue
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_create

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from .factories import team

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def issued(org):
    shop = BusinessFactory(
        subdistrict=org.subs["dongguan"], name="东关物业有限公司", uscc="91370102MA3C4XYZ1K", address="东关大街8号",
    )
    lift = EquipmentFactory(operator=shop, subdistrict=org.subs["dongguan"], reg_code="31103701990000000077")
    inspectors = team(org.east)
    inspection = inspection_create(
        actor=inspectors[0], kind="routine", business=shop, date=dt.date(2026, 9, 24), inspectors=inspectors,
        equipment=[lift], status="in_progress",
    )
    inspection = inspection_complete(
        actor=inspectors[0], pk=inspection.pk, version=inspection.version, result="ordered",
        findings=[
            NewFinding(description="电梯安全管理员未取得资格证书", deadline=dt.date(2026, 10, 15),
                       legal_basis="《中华人民共和国特种设备安全法》第十四条", equipment=lift),
            NewFinding(description="电梯维护保养记录缺失", deadline=dt.date(2026, 10, 20),
                       legal_basis="《特种设备安全监察条例》第三十一条", equipment=lift),
        ],
    )
    findings = list(inspection.findings.order_by("pk"))
    document = document_issue(
        actor=inspectors[0], inspection=inspection, kind=DocumentKind.RECTIFICATION_NOTICE, findings=findings,
        issued_on=dt.date(2026, 9, 25),
    )
    return document, inspection, findings, inspectors


def east_asian(run):
    rpr = run._element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def all_paragraphs(doc):
    out = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


def download(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return Docx(io.BytesIO(b"".join(resp.streaming_content)))


def text_of(doc) -> str:
    return "\n".join(p.text for p in all_paragraphs(doc))


def test_issuing_stores_the_file_with_the_record(issued):
    document, *_ = issued
    document.refresh_from_db()
    stored = document.rendered
    assert isinstance(stored, IssuedDocument)
    assert stored.kind == "rectification_notice" and stored.number == document.number
    assert stored.file.name.startswith("documents/rectification_notice/2026/") and stored.file.name.endswith(".docx")
    assert len(stored.sha256) == 64
    assert stored.owner_ref == f"inspections.document:{document.pk}"


def test_download_from_the_finding_page_opens_as_a_gongwen(client, issued):
    document, inspection, findings, inspectors = issued
    client.force_login(inspectors[0])
    page = client.get(f"/inspections/findings/{findings[0].pk}/").content.decode()
    url = f"/inspections/documents/{document.pk}/download/"
    assert url in page
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == DOCX
    assert "attachment" in resp["Content-Disposition"]
    doc = Docx(io.BytesIO(b"".join(resp.streaming_content)))
    text = text_of(doc)
    assert "责令整改通知书" in text
    assert document.number in text
    assert "东关物业有限公司" in text and "91370102MA3C4XYZ1K" in text and "东关大街8号" in text
    assert "电梯安全管理员未取得资格证书" in text and "《中华人民共和国特种设备安全法》第十四条" in text
    assert "电梯维护保养记录缺失" in text and "《特种设备安全监察条例》第三十一条" in text
    assert "2026年10月20日" in text  # the deadline (the latest of the findings')
    assert "执法人员" in text and inspectors[0].full_name in text and inspectors[0].cert_no in text
    assert "执法证号" in text and "市场监督管理局（印章）" in text and "2026年9月25日" in text
    assert "送达回证" in text and "受送达人" in text and "送达方式" in text
    # the 送达回证 starts a page of its own
    assert any(br.get(qn("w:type")) == "page" for br in doc.element.body.iter(qn("w:br")))


def test_fonts_and_page_as_the_report_docx(client, issued):
    document, *_ = issued
    doc = Docx(io.BytesIO(documents.stored_bytes(document.rendered)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    issuer, title = [p for p in doc.paragraphs if p.text.strip()][:2]
    assert issuer.text == "测试区市场监督管理局" and title.text == "责令整改通知书"
    for paragraph in (issuer, title):
        assert {east_asian(r) for r in paragraph.runs} == {"方正小标宋简体"}
        assert {r.font.size for r in paragraph.runs} == {Pt(22)}
    body = next(p for p in doc.paragraphs if "经检查" in p.text)
    assert {east_asian(r) for r in body.runs} == {"仿宋_GB2312"} and {r.font.size for r in body.runs} == {Pt(16)}
    runs = [r for p in all_paragraphs(doc) for r in p.runs if r.text.strip()]
    assert runs and [r.text for r in runs if not east_asian(r)] == []


def test_supervision_order_names_the_equipment(client, issued, org):
    _, inspection, findings, inspectors = issued
    order = document_issue(
        actor=inspectors[0], inspection=inspection, kind=DocumentKind.SUPERVISION_ORDER, findings=findings[:1],
        issued_on=dt.date(2026, 9, 26),
    )
    client.force_login(inspectors[0])
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert f"/inspections/documents/{order.pk}/download/" in page
    doc = download(client, f"/inspections/documents/{order.pk}/download/")
    text = text_of(doc)
    assert "特种设备安全监察指令书" in text and order.number in text
    assert "31103701990000000077" in text and "2026年10月15日" in text and "送达回证" in text


def test_another_station_gets_404(client, issued, org):
    document, *_ = issued
    client.force_login(org.users.west)
    assert client.get(f"/inspections/documents/{document.pk}/download/").status_code == 404
    client.force_login(org.users.leader)
    assert client.get(f"/inspections/documents/{document.pk}/download/").status_code == 200


def test_the_stored_file_is_served_even_if_the_party_changes_later(client, issued):
    document, inspection, _, inspectors = issued
    inspection.business.__class__.objects.filter(pk=inspection.business_id).update(name="改名后的公司")
    client.force_login(inspectors[0])
    text = text_of(download(client, f"/inspections/documents/{document.pk}/download/"))
    assert "东关物业有限公司" in text and "改名后的公司" not in text


def test_a_document_issued_before_files_were_kept_gets_one_on_download(client, issued):
    document, _, _, inspectors = issued
    old = document.rendered
    type(document).objects.filter(pk=document.pk).update(rendered=None)
    client.force_login(inspectors[0])
    text = text_of(download(client, f"/inspections/documents/{document.pk}/download/"))
    assert document.number in text and "送达回证" in text
    document.refresh_from_db()
    assert document.rendered is not None and document.rendered.pk != old.pk


def test_an_altered_file_is_refused(client, issued):
    document, _, _, inspectors = issued
    stored = document.rendered
    with stored.file.open("wb") as handle:
        handle.write(b"not the issued file")
    client.force_login(inspectors[0])
    resp = client.get(f"/inspections/documents/{document.pk}/download/", follow=True)
    assert "与签发时的摘要不符" in resp.content.decode()


def test_engine_renders_registered_kinds_only():
    assert {"rectification_notice", "supervision_order"} <= set(documents.registered())
    with pytest.raises(documents.UnknownKind):
        documents.render("no_such_kind", {})
