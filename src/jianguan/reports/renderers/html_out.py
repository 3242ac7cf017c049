"""A standalone HTML file whose numbers link to their drill-down lists on the server."""

from django.template.loader import render_to_string
from markupsafe import Markup

from .blocks import blocks

TAGS = {"title": "h1", "heading": "h2", "subheading": "h3", "paragraph": "p"}


def html_blocks(report) -> list[tuple[str, Markup]]:
    # report.html is rendered with autoescape on: every line is already safe HTML.
    return [(TAGS[b.kind], Markup(b.text)) for b in blocks(report.html or "")]


def render(report, **options) -> bytes:
    html = render_to_string("reports/report_standalone.html", {"report": report, "blocks": html_blocks(report)})
    return html.encode("utf-8")
