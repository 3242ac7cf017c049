"""The pieces every numbered document is made of, in the GB/T 9704 layout: a template calls these and
never touches python-docx's fonts itself, so that every run carries its east-Asian font."""

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt

from . import gbt9704 as gw

BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(14)  # 四号 in the 送达回证's table, so that labels fit their column


def cn_date(day: dt.date | str | None) -> str:
    """2026年9月25日 (no leading zeros, as documents write dates); blank for a missing date."""
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


class Builder:
    """One Word document, built top to bottom."""

    def __init__(self):
        self.document = Document()
        gw.page_setup(self.document)
        gw.set_defaults(self.document)

    def _paragraph(self, text: str, style: gw.BlockStyle, *, align=None, indent=None, size=None, font=None):
        paragraph = self.document.add_paragraph()
        gw.style_paragraph(paragraph, style)
        if align is not None:
            paragraph.paragraph_format.alignment = align
        if indent is not None:
            paragraph.paragraph_format.first_line_indent = indent
        gw.style_run(paragraph.add_run(text), font or style.font, size or style.size)
        return paragraph

    def title(self, text: str):
        """二号方正小标宋, centred; long titles break after the issuing body."""
        return self._paragraph("\n".join(gw.title_lines(text)), gw.STYLES["title"])

    def number(self, text: str):
        """The document number (文号) under the title, 三号仿宋, right-aligned."""
        return self._paragraph(text, gw.STYLES["paragraph"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0))

    def addressee(self, text: str):
        """主送: flush left, ending in a full-width colon."""
        return self._paragraph(text, gw.STYLES["paragraph"], indent=Pt(0))

    def paragraph(self, text: str):
        """Body text: 三号仿宋, two-character first-line indent."""
        return self._paragraph(text, gw.STYLES["paragraph"])

    def heading(self, text: str):
        return self._paragraph(text, gw.STYLES["heading"])

    def line(self, text: str, *, right: bool = False):
        """A line without indent (signatures, fields to fill in), optionally right-aligned."""
        align = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
        return self._paragraph(text, gw.STYLES["paragraph"], align=align, indent=Pt(0))

    def note(self, text: str):
        return self._paragraph(text, gw.STYLES["note"])

    def blank(self):
        return self._paragraph("", gw.STYLES["paragraph"])

    def page_break(self):
        paragraph = self.document.add_paragraph()
        gw.style_paragraph(paragraph, gw.STYLES["paragraph"])
        run = paragraph.add_run()
        gw.style_run(run, gw.BODY_FONT, BODY_SIZE)
        run.add_break(WD_BREAK.PAGE)
        return paragraph

    def form_table(self, rows: list[tuple[str, str]], *, label_width_mm: int = 48):
        """A two-column table of label and value (the 送达回证), grid lines, 四号仿宋."""
        table = self.document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = (Mm(label_width_mm), Mm(156 - label_width_mm))
        style = gw.BlockStyle(gw.BODY_FONT, TABLE_SIZE, WD_ALIGN_PARAGRAPH.LEFT, None, Pt(24))
        for label, value in rows:
            cells = table.add_row().cells
            for cell, text, width in zip(cells, (label, value), widths, strict=True):
                cell.width = width
                paragraph = cell.paragraphs[0]
                gw.style_paragraph(paragraph, style)
                paragraph.paragraph_format.space_before = Pt(8)
                paragraph.paragraph_format.space_after = Pt(8)
                gw.style_run(paragraph.add_run(text), gw.BODY_FONT, TABLE_SIZE)
        return table

    def to_bytes(self, *, title: str, subject: str = "", keywords: str = "") -> bytes:
        gw.page_number_footer(self.document)
        props = self.document.core_properties
        props.title = title
        props.subject = subject
        props.keywords = keywords
        props.language = "zh-CN"
        props.author = props.last_modified_by = "jianguan"
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()
