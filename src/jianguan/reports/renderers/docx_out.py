"""A Word file in the GB/T 9704-2012 公文 layout: A4, 版心 margins 37/35/28/26 mm, 二号小标宋 title,
三号黑体/楷体 headings, 三号仿宋 body with a two-character indent on a 28.95 pt line pitch, and a
"— 1 —" page number. Figures are plain text; the end line names the parameters and the hash that
identify the figures (see docs/reports-output.md)."""

import io

from docx import Document
from docx.shared import Pt

from ..engine import area_label, cn_date
from . import docx_style as gw
from .blocks import blocks
from .docx_style import title_lines  # noqa: F401  (tests and callers import it from here)


def render(report, **options) -> bytes:
    document = Document()
    gw.page_setup(document)
    gw.set_defaults(document)
    for block in blocks(report.text):
        _add_block(document, block.kind, block.text)
    _add_end_note(document, report)
    gw.page_number_footer(document)
    props = document.core_properties
    props.title = report.title
    props.subject = report.template.title
    props.keywords = report.sha256
    props.language = "zh-CN"
    props.author = props.last_modified_by = "jianguan"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_block(document, kind: str, text: str) -> None:
    style = gw.STYLES[kind]
    if kind == "title":
        text = "\n".join(gw.title_lines(text))
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
