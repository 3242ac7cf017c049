"""The GB/T 9704-2012 公文 layout as numbers, and the python-docx helpers that apply it: A4, 版心 margins
37/35/28/26 mm, 二号小标宋 title, 三号黑体/楷体 headings, 三号仿宋 body with a two-character indent on a
28.95 pt line pitch, and a "— 1 —" page number. Shared by every Word file the system writes (reports,
numbered documents), so it lives in core.

python-docx sets only the Latin fonts (w:ascii, w:hAnsi) through `font.name`; Chinese text is drawn
with w:eastAsia, which has no API. `set_fonts()` sets all of them, and drops the theme attributes
(w:eastAsiaTheme …) that would otherwise win over an explicit name.
"""

from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

# Page: A4, 版心 156 mm × 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# The page number sits about 7 mm below the text area.
FOOTER_DISTANCE = Mm(24)

# Fonts (字号: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt).
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"

# 每面22行: a fixed line pitch of 28.95 pt fills the 225 mm text area with 22 lines.
LINE_PITCH = Pt(28.95)
TITLE_LINE_PITCH = Pt(35)
LATIN_LANGUAGE, EAST_ASIAN_LANGUAGE = "en-US", "zh-CN"
FONT_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@dataclass(frozen=True)
class BlockStyle:
    font: str
    size: Pt
    align: int | None = None  # WD_ALIGN_PARAGRAPH
    first_line_indent: Pt | None = None
    line_spacing: Pt = LINE_PITCH
    space_after: Pt = Pt(0)


STYLES = {
    "title": BlockStyle(TITLE_FONT, Pt(22), WD_ALIGN_PARAGRAPH.CENTER, None, TITLE_LINE_PITCH, LINE_PITCH),
    # 一级标题 "一、…" and 二级标题 "（一）…" are indented by two characters like the body.
    "heading": BlockStyle(HEADING_FONT, Pt(16), WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
    "subheading": BlockStyle(SUBHEADING_FONT, Pt(16), WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
    "paragraph": BlockStyle(BODY_FONT, Pt(16), WD_ALIGN_PARAGRAPH.JUSTIFY, Pt(32)),
    "note": BlockStyle(BODY_FONT, Pt(12), WD_ALIGN_PARAGRAPH.LEFT, None, Pt(20)),
}


def set_fonts(rpr_owner, name: str) -> None:
    """Name `name` for Latin, east-Asian and complex script text on a run, a style or the defaults."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in FONT_THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def set_language(lang) -> None:
    """Chinese for east-Asian text; Latin text (digits among it) stays en-US, or LibreOffice breaks
    numbers such as 5576 across lines with the Chinese break iterator."""
    lang.set(qn("w:val"), LATIN_LANGUAGE)
    lang.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def set_style_language(rpr_owner) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    set_language(lang)


def style_run(run, name: str, size: Pt, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    set_fonts(run._element, name)


def style_paragraph(paragraph, style: BlockStyle) -> None:
    fmt = paragraph.paragraph_format
    if style.align is not None:
        fmt.alignment = style.align
    fmt.first_line_indent = style.first_line_indent
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = style.line_spacing
    fmt.space_before = Pt(0)
    fmt.space_after = style.space_after
    fmt.widow_control = True


def add_field(paragraph, instruction: str, placeholder: str, font: str, size: Pt) -> None:
    """A complex field (w:fldChar begin / w:instrText / separate / result / end), e.g. PAGE."""

    def run_with(child):
        run = paragraph.add_run()
        style_run(run, font, size)
        run._element.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = paragraph.add_run(placeholder)
    style_run(result, font, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def page_setup(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = MARGIN_TOP // 2
        section.footer_distance = FOOTER_DISTANCE
        section.gutter = 0


def set_defaults(document) -> None:
    """仿宋_GB2312 三号 for the document defaults and the Normal style, theme fonts removed."""
    doc_defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = doc_defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}") if doc_defaults is not None else None
    if fonts is not None:
        for attr in FONT_THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), BODY_FONT)
        lang = fonts.getparent().find(qn("w:lang"))
        if lang is not None:
            set_language(lang)
    for name in ("Normal", "Footer"):
        style = document.styles[name]
        style.font.name = BODY_FONT
        style.font.size = Pt(16)
        set_fonts(style.element, BODY_FONT)
        set_style_language(style.element)


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


def page_number_footer(document) -> None:
    """公文页码：四号宋体，“— 1 —”，居中。"""
    size = Pt(14)
    for section in document.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = None
        style_run(paragraph.add_run("— "), PAGE_NUMBER_FONT, size)
        add_field(paragraph, "PAGE", "1", PAGE_NUMBER_FONT, size)
        style_run(paragraph.add_run(" —"), PAGE_NUMBER_FONT, size)
