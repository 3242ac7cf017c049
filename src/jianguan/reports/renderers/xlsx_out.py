"""An Excel workbook: the figures (指标), the text (正文), the parameters (报表信息) and, on request,
one sheet per indicator listing exactly the records it counts.

The workbook is written in openpyxl's write-only mode and the records are read with `.iterator()`,
so a drill-down of hundreds of thousands of rows streams through a temporary file instead of
building the sheet in memory. See docs/reports-output.md.
"""

import datetime as dt
import io
import itertools
import re
from decimal import Decimal

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jianguan.core.exporting import new_workbook, xlsx_cell, xlsx_row, xlsx_text
from jianguan.core.indicators import Column, column_value, drilldown, get_indicator

from ..engine import area_label, cn_date, json_number
from .blocks import blocks

INDICATOR_SHEET = "指标"
TEXT_SHEET = "正文"
INFO_SHEET = "报表信息"
INDICATOR_HEADERS = ("指标标识", "名称", "分项", "数值", "单位", "口径", "参数")
INDICATOR_WIDTHS = (34, 16, 14, 12, 6, 60, 44)
RATE_FORMAT = "0.00"
MAX_ROWS = 1_048_576  # per sheet, header included
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WIDTH_SAMPLE = 200  # rows looked at to size a drill-down's columns
FALLBACK_COLUMNS = (Column("记录", "__str__"),)

BOLD = Font(bold=True)
HEADING_STYLES = {"title": Font(bold=True, size=16), "heading": Font(bold=True, size=13), "subheading": Font(bold=True)}


def render(report, drilldowns: bool = False, actor=None, **options) -> bytes:
    workbook = new_workbook()
    titles: set[str] = set()
    _indicator_sheet(workbook, report, titles)
    _text_sheet(workbook, report, titles)
    _info_sheet(workbook, report, titles)
    if drilldowns:
        for key in report.keys:
            _drilldown_sheets(workbook, report, key, actor, titles)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the figures ------------------------------------------------------------------------------


def parameter_text(indicator, params) -> str:
    scope = f"范围：{params.scope.label}（{area_label(params)}）"
    if "campaign" in indicator.requires:
        return f"专项行动：{params.campaign}；截至{cn_date(params.as_of)}；{scope}"
    if indicator.uses == "as_of":
        return f"截至{cn_date(params.as_of)}；{scope}"
    period = params.period
    return f"统计期间：{period.label}（{cn_date(period.start)}至{cn_date(period.end)}）；{scope}"


def indicator_rows(report) -> list[tuple]:
    """(key, label, part, value, unit, definition, parameters) for every value in the report: each
    quoted indicator's total, then its parts in the dimension's order."""
    rows, seen = [], set()
    for key in report.keys:
        indicator = get_indicator(key)
        wanted = [(key, "")]
        if indicator.dimension:
            wanted += [(f"{key}[{label}]", label) for _, label in indicator.dimension.pairs()]
        for full_key, part in wanted:
            if full_key in report.values and full_key not in seen:
                seen.add(full_key)
                rows.append((full_key, indicator.label, part, json_number(report.values[full_key]), indicator.unit,
                             indicator.definition, parameter_text(indicator, report.params)))
    for full_key in sorted(set(report.values) - seen):  # nothing should be left; never drop a value
        base, _, part = full_key.partition("[")
        indicator = get_indicator(base)
        rows.append((full_key, indicator.label, part.rstrip("]"), json_number(report.values[full_key]),
                     indicator.unit, indicator.definition, parameter_text(indicator, report.params)))
    return rows


def _indicator_sheet(workbook, report, titles) -> None:
    sheet = _new_sheet(workbook, INDICATOR_SHEET, titles)
    _set_widths(sheet, INDICATOR_WIDTHS)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, INDICATOR_HEADERS))
    for key, label, part, value, unit, definition, parameters in indicator_rows(report):
        number = WriteOnlyCell(sheet, value=value)
        if isinstance(value, float):
            number.number_format = RATE_FORMAT
        wrapped = xlsx_cell(sheet, definition, alignment=Alignment(wrap_text=True, vertical="top"))
        sheet.append(xlsx_row(sheet, [key, label, part, number, unit, wrapped, parameters]))


def _text_sheet(workbook, report, titles) -> None:
    sheet = _new_sheet(workbook, TEXT_SHEET, titles)
    _set_widths(sheet, (120,))
    for block in blocks(report.text):
        cell = xlsx_cell(sheet, block.text, alignment=Alignment(wrap_text=True, vertical="top"))
        if block.kind in HEADING_STYLES:
            cell.font = HEADING_STYLES[block.kind]
        sheet.append([cell])


def _info_sheet(workbook, report, titles) -> None:
    params = report.params
    sheet = _new_sheet(workbook, INFO_SHEET, titles)
    _set_widths(sheet, (14, 70))
    rows = [
        ("报表", report.title),
        ("模板", f"{report.template.title}（{report.template.key}）"),
        ("统计期间", f"{params.period.label}（{cn_date(params.period.start)}至{cn_date(params.period.end)}）"),
        ("截至", cn_date(params.as_of)),
        ("范围", f"{params.scope.label}（{area_label(params)}）"),
        *((("专项行动", f"{report.campaign.name}（{report.campaign.code}）"),) if report.campaign else ()),
        ("参数", "；".join(f"{k}={v}" for k, v in params.as_dict().items())),
        ("SHA-256", report.sha256),
    ]
    for label, value in rows:
        sheet.append(xlsx_row(sheet, [xlsx_cell(sheet, label, font=BOLD), value]))


# --- the records behind each figure ------------------------------------------------------------


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unused sheet title of at most 31 characters."""
    base = SHEET_TITLE_FORBIDDEN.sub("_", text).strip("'").strip() or "明细"
    title = base[:SHEET_TITLE_MAX]
    for n in itertools.count(2):
        if title.casefold() not in {t.casefold() for t in taken}:
            break
        suffix = f"({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title)
    return title


def _drilldown_sheets(workbook, report, key: str, actor, titles) -> None:
    indicator = get_indicator(key)
    columns = indicator.columns
    if indicator.is_rate:  # a rate lists its numerator's records
        columns = get_indicator(indicator.numerator).columns
    columns = columns or FALLBACK_COLUMNS
    qs = drilldown(key, report.params, actor=actor)
    if not qs.ordered:
        qs = qs.order_by("pk")
    records = _records(qs, columns)
    sample = list(itertools.islice(records, WIDTH_SAMPLE))
    rows = itertools.chain(sample, records)
    headers = [c.header for c in columns]
    widths = _widths(headers, sample)
    while True:
        # Excel holds 1,048,576 rows a sheet: a larger list continues on "名称(2)", "名称(3)" …
        sheet = _new_sheet(workbook, indicator.label, titles)
        _set_widths(sheet, widths)
        sheet.freeze_panes = "A2"
        sheet.append(_header(sheet, headers))
        written = 0
        for row in rows:
            sheet.append(_row(sheet, row))
            written += 1
            if written == MAX_ROWS - 1:
                break
        else:
            return
        following = next(rows, None)
        if following is None:
            return
        rows = itertools.chain([following], rows)


CHUNK = 2000
DISPLAY = re.compile(r"^get_(\w+)_display$")


def _records(qs, columns):
    """Rows of cell values. Columns that are plain field paths (and get_FOO_display) are read as
    values, without building model instances; anything else goes through column_value()."""
    plan = _value_plan(qs.model, columns)
    if plan is None:
        for record in qs.iterator(chunk_size=CHUNK):
            yield tuple(_cell_value(column_value(record, c.path)) for c in columns)
        return
    lookups = [lookup for lookup, _ in plan]
    displays = [choices for _, choices in plan]
    for values in qs.values_list(*lookups).iterator(chunk_size=CHUNK):
        yield tuple(
            _cell_value(value if choices is None or value is None else choices.get(value, value))
            for value, choices in zip(values, displays, strict=True)
        )


def _value_plan(model, columns) -> list[tuple[str, dict | None]] | None:
    plan = []
    for column in columns:
        parts = column.path.split(".")
        choices = None
        if m := DISPLAY.match(parts[-1]):
            parts[-1] = m[1]
        current, lookup = model, []
        for index, name in enumerate(parts):
            try:
                field = current._meta.get_field(name)
            except Exception:  # not a field: a property or method
                return None
            lookup.append(name)
            last = index == len(parts) - 1
            if field.is_relation:
                if last or field.many_to_many or field.one_to_many:
                    return None  # a related object is printed with str(): leave it to column_value
                current = field.related_model
            elif not last:
                return None
            elif m:
                if not field.choices:
                    return None
                choices = {k: str(v) for k, v in field.flatchoices}
        plan.append(("__".join(lookup), choices))
    return plan


def _cell_value(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, int | float | Decimal | dt.date | dt.time):
        return value
    return xlsx_text(str(value))


def _row(sheet, values: tuple) -> tuple | list:
    # Plain values stream fastest; the core writer turns only texts a spreadsheet would run into text cells.
    return xlsx_row(sheet, values)


# --- helpers -----------------------------------------------------------------------------------


def _new_sheet(workbook, title: str, titles: set[str]):
    return workbook.create_sheet(sheet_title(title, titles))


def _header(sheet, headers) -> list:
    cells = []
    for text in headers:
        cells.append(xlsx_cell(sheet, text, font=BOLD))
    return cells


def _set_widths(sheet, widths) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _display_width(value) -> float:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _widths(headers, sample) -> list[float]:
    widths = []
    for index, header in enumerate(headers):
        longest = max([_display_width(header)] + [_display_width(row[index]) for row in sample])
        widths.append(min(max(longest + 2, 8), 60))
    return widths

