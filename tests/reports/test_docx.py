"""The DOCX output, opened as a document: GB/T 9704 page, fonts on every run, page-number field, same figures as the JSON."""

import datetime as dt
import io
import json

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from jianguan.core.periods import Params
from jianguan.reports import renderers
from jianguan.reports.engine import build_report
from jianguan.reports.renderers.docx_out import title_lines

from ..factories import BusinessFactory


@pytest.fixture
def report(org):
    subs = org.subs
    for _ in range(3):
        BusinessFactory(subdistrict=subs["dongguan"], established_on=dt.date(2019, 5, 1))
    BusinessFactory(subdistrict=subs["xiguan"], entity_type="individual", established_on=dt.date(2026, 2, 1))
    BusinessFactory(subdistrict=subs["jiefang"], entity_type="cooperative", established_on=dt.date(2026, 3, 15))
    BusinessFactory(subdistrict=subs["jinan"], reg_status="deregistered", status_date=dt.date(2026, 4, 1))
    BusinessFactory(subdistrict=subs["jinan"], reg_status="revoked", status_date=dt.date(2026, 5, 1))
    return build_report("work_summary", Params.build(period="2026H1"))


@pytest.fixture
def document(report):
    return Document(io.BytesIO(renderers.render(report, "docx", drilldowns=True, actor=None, unknown="ignored")))


def east_asian(run) -> str | None:
    rpr = run._element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def body_paragraphs(document):
    return [p for p in document.paragraphs if p.text.strip()]


def test_a4_page_with_gongwen_margins(document):
    section = document.sections[0]
    # Word stores twips: compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]


def test_title_is_xiaobiaosong_22pt_centred(document, report):
    title = body_paragraphs(document)[0]
    assert title.text.replace("\n", "") == report.title
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        assert east_asian(run) == "方正小标宋简体"
        assert run.font.name == "方正小标宋简体"
        assert run.font.size == Pt(22)


def test_headings_and_body(document, report):
    paragraphs = body_paragraphs(document)
    heading = next(p for p in paragraphs if p.text.startswith("一、"))
    assert {east_asian(r) for r in heading.runs} == {"黑体"}
    assert {r.font.size for r in heading.runs} == {Pt(16)}
    body = next(p for p in paragraphs if p.text.startswith("截至"))
    assert {east_asian(r) for r in body.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in body.runs} == {Pt(16)}
    fmt = body.paragraph_format
    assert fmt.first_line_indent == Pt(32)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= fmt.line_spacing <= Pt(29)


def test_subheading_is_kaiti(report):
    report.text = "# 标题\n## 一、总体情况\n### （一）市场主体\n正文。\n"
    document = Document(io.BytesIO(renderers.render(report, "docx")))
    sub = next(p for p in document.paragraphs if p.text.startswith("（一）"))
    assert {east_asian(r) for r in sub.runs} == {"楷体_GB2312"}
    assert {r.font.size for r in sub.runs} == {Pt(16)}


def test_every_run_has_an_east_asian_font(document):
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for s in document.sections for p in s.footer.paragraphs for r in p.runs]
    assert runs
    missing = [r.text for r in runs if not east_asian(r)]
    assert missing == []
    # Theme fonts would override the names: the defaults and Normal carry 仿宋 without them.
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(
        f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.get(qn("w:eastAsiaTheme")) is None


def test_footer_has_a_centred_page_field_in_gongwen_style(document):
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in "".join(t.text or "" for t in footer._element.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    paragraph = footer.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
    assert {r.font.size for r in paragraph.runs} == {Pt(14)}
    assert {east_asian(r) for r in paragraph.runs} == {"宋体"}


def test_same_figures_as_the_json(document, report):
    text = "\n".join(p.text for p in document.paragraphs)
    data = json.loads(renderers.render(report, "json"))
    assert data["indicators"]["businesses.active"] == 5
    for key in ("businesses.active", "businesses.new", "businesses.deregistered", "businesses.revoked"):
        assert f"{data['indicators'][key]}户" in text, key
    paragraphs = [p.text.replace("\n", "") for p in document.paragraphs]
    for line in data["text"].splitlines():
        if line.strip():
            assert line.lstrip("#").strip() in paragraphs  # the JSON's text, paragraph by paragraph
    assert data["sha256"] in text
    assert "2026年上半年" in text and "全局" in text
    assert "<a " not in text and "http" not in text  # numbers are plain text


def test_end_note_is_fangsong_small(document):
    note = next(p for p in document.paragraphs if p.text.startswith("统计期间："))
    assert {east_asian(r) for r in note.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in note.runs} == {Pt(12)}


@pytest.mark.parametrize(
    "title, lines",
    [
        ("工作总结", ["工作总结"]),
        ("示范区市场监督管理局2026年上半年工作总结", ["示范区市场监督管理局", "2026年上半年工作总结"]),
        ("没有发文机关而且很长很长很长很长很长很长很长的一个标题", ["没有发文机关而且很长很长很长很长很长很长很长的一个标题"]),
    ],
)
def test_long_titles_break_after_the_issuing_body(title, lines):
    assert title_lines(title) == lines
