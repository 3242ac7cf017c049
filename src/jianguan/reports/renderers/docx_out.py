"""A Word file in the GB/T 9704-2012 公文 layout: A4, 版心 margins 37/35/28/26 mm, 二号小标宋 title,
三号黑体/楷体 headings, 三号仿宋 body with a two-character indent on a 28.95 pt line pitch, and a
"— 1 —" page number. Figures are plain text; the end line names the parameters and the hash that
identify the figures (see docs/reports-output.md)."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ..engine import area_label, cn_date
from . import docx_style as gw
from .blocks import blocks


def render(report, **options) -> bytes:
    document = Document()
    _page_setup(document)
    _defaults(document)
    for block in blocks(report.text):
        _add_block(document, block.kind, block.text)
    _add_end_note(document, report)
    _page_number_footer(document)
    props = document.core_properties
    props.title = report.title
    props.subject = report.template.title
    props.keywords = report.sha256
    props.language = "zh-CN"
    props.author = props.last_modified_by = "jianguan"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = gw.PAGE_WIDTH, gw.PAGE_HEIGHT
        section.top_margin, section.bottom_margin = gw.MARGIN_TOP, gw.MARGIN_BOTTOM
        section.left_margin, section.right_margin = gw.MARGIN_LEFT, gw.MARGIN_RIGHT
        section.header_distance = gw.MARGIN_TOP // 2
        section.footer_distance = gw.FOOTER_DISTANCE
        section.gutter = 0


def _defaults(document) -> None:
    """仿宋_GB2312 三号 for the document defaults and the Normal style, theme fonts removed."""
    doc_defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = doc_defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}") if doc_defaults is not None else None
    if fonts is not None:
        for attr in gw.FONT_THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), gw.BODY_FONT)
        lang = fonts.getparent().find(qn("w:lang"))
        if lang is not None:
            gw.set_language(lang)
    for name in ("Normal", "Footer"):
        style = document.styles[name]
        style.font.name = gw.BODY_FONT
        style.font.size = Pt(16)
        gw.set_fonts(style.element, gw.BODY_FONT)
        gw.set_style_language(style.element)


def text_width(text: str) -> float:
    """Width in full-width characters; ASCII (proportional digits and letters) counts 0.6."""
    return sum(0.6 if ord(ch) < 128 else 1 for ch in text)


# 版心 156 mm holds 20 full-width characters of 二号 (22 pt).
TITLE_CHARS_PER_LINE = 20
# 发文机关 ends with one of these; a long title breaks after it (机关名称 / 事由和文种), per GB/T 9704 7.3.3.
ISSUER_ENDINGS = ("局", "委员会", "政府", "厅", "委", "办公室")


def title_lines(text: str) -> list[str]:
    """Split a title too long for one line where the issuing body ends, if that keeps both lines within
    the width; otherwise leave the wrapping to the word processor."""
    if text_width(text) <= TITLE_CHARS_PER_LINE:
        return [text]
    best = None
    for ending in ISSUER_ENDINGS:
        at = text.find(ending)
        while at != -1:
            cut = at + len(ending)
            head, tail = text[:cut], text[cut:]
            if tail and max(text_width(head), text_width(tail)) <= TITLE_CHARS_PER_LINE:
                balance = abs(text_width(head) - text_width(tail))
                if best is None or balance < best[0]:
                    best = (balance, [head, tail])
            at = text.find(ending, at + 1)
    return best[1] if best else [text]


def _add_block(document, kind: str, text: str) -> None:
    style = gw.STYLES[kind]
    if kind == "title":
        text = "\n".join(title_lines(text))
    paragraph = document.add_paragraph()
    gw.style_paragraph(paragraph, style)
    gw.style_run(paragraph.add_run(text), style.font, style.size)


def _add_end_note(document, report) -> None:
    params = report.params
    period = params.period
    lines = [
        f"统计期间：{period.label}（{cn_date(period.start)}至{cn_date(period.end)}）",
        f"截至：{cn_date(params.as_of)}；范围：{params.scope.label}（{area_label(params)}）",
        *([f"专项行动：{report.campaign.name}（{report.campaign.code}）"] if report.campaign else []),
        f"模板：{report.template.title}（{report.template.key}）",
        # 64 hex digits do not fit after the label at 小四: the hash gets a line of its own.
        f"SHA-256：\n{report.sha256}",
    ]
    spacer = document.add_paragraph()
    gw.style_paragraph(spacer, gw.STYLES["paragraph"])
    gw.style_run(spacer.add_run(""), gw.BODY_FONT, Pt(16))
    for line in lines:
        paragraph = document.add_paragraph()
        gw.style_paragraph(paragraph, gw.STYLES["note"])
        gw.style_run(paragraph.add_run(line), gw.BODY_FONT, Pt(12))


def _page_number_footer(document) -> None:
    """公文页码：四号宋体，“— 1 —”，居中。"""
    size = Pt(14)
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = None
        gw.style_run(paragraph.add_run("— "), gw.PAGE_NUMBER_FONT, size)
        gw.add_field(paragraph, "PAGE", "1", gw.PAGE_NUMBER_FONT, size)
        gw.style_run(paragraph.add_run(" —"), gw.PAGE_NUMBER_FONT, size)
