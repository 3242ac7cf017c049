"""What a rejected import hands back to people: `FILE.errors.xlsx` and a printable summary."""

from __future__ import annotations

from pathlib import Path

from jianguan.core.exporting import new_workbook, xlsx_cell, xlsx_row

from .engine import ImportResult
from .readers import MAX_COLUMNS, FileRejected, open_table

REASON_HEADER = "错误原因"


def errors_path(path: str | Path) -> Path:
    """`data.xlsx` -> `data.errors.xlsx` next to it."""
    path = Path(path)
    return path.with_name(f"{path.stem}.errors.xlsx")


def _reasons_by_row(result: ImportResult) -> dict[int, str]:
    grouped: dict[int, list[str]] = {}
    for error in result.errors:
        text = f"{error.column}：{error.reason}" if error.column else error.reason
        grouped.setdefault(error.row, []).append(text)
    return {row: "；".join(texts) for row, texts in grouped.items()}


def write_error_report(source: str | Path, result: ImportResult, dest: str | Path) -> Path:
    """The original rows plus a 错误原因 column (bad rows highlighted). For a file rejected as a
    whole, the header (when readable) and one row carrying the reason."""
    from openpyxl.styles import Font, PatternFill

    dest = Path(dest)
    workbook = new_workbook()
    sheet = workbook.create_sheet("导入错误")
    sheet.freeze_panes = "A2"
    fill = PatternFill("solid", fgColor="FFC7CE")
    bold = Font(bold=True)

    def reason_cell(text: str):
        return xlsx_cell(sheet, text, fill=fill)

    def header_row(headers: list) -> list:
        return [xlsx_cell(sheet, value, font=bold) for value in [*headers, REASON_HEADER]]

    def append(values: list) -> None:
        # The original cells go through the core writer: a formula typed into a ledger stays text.
        sheet.append(xlsx_row(sheet, values))

    try:
        with open_table(source) as table:
            headers = list(table.headers)[:MAX_COLUMNS]
            if result.file_error:
                append(header_row(headers))
                append([None] * len(headers) + [reason_cell(result.file_error)])
            else:
                reasons = _reasons_by_row(result)
                append(header_row(headers))
                width = len(headers)
                for number, cells in table.rows:
                    row = list(cells[:width]) + [None] * (width - len(cells))
                    reason = reasons.get(number)
                    append(row + ([reason_cell(reason)] if reason else [None]))
    except FileRejected:
        append(header_row([]))
        append([reason_cell(result.file_error or "文件无法读取")])
    workbook.save(dest)
    return dest


def summary_lines(result: ImportResult, limit: int = 50) -> list[str]:
    """Chinese lines for a terminal or a log: the counts, then the first `limit` errors."""
    mode = "试导入（未写入）" if result.dry_run else "导入"
    if result.file_error:
        return [f"{mode}被拒绝：{result.file_name}", f"整个文件无法导入：{result.file_error}"]
    counts = f"共 {result.rows} 行：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}，错误 {result.error_rows} 行"
    if result.accepted:
        return [f"{mode}{'校验通过' if result.dry_run else '完成'}：{result.file_name}", counts]
    lines = [
        f"{mode}被拒绝：{result.file_name} 有 {result.error_rows} 行存在错误（共 {len(result.errors)} 处），整个文件未写入任何数据",
        counts,
        "行号\t列\t错误原因",
    ]
    lines += [f"{e.row}\t{e.column or '-'}\t{e.reason}" for e in result.errors[:limit]]
    if len(result.errors) > limit:
        lines.append(f"……另有 {len(result.errors) - limit} 处错误未列出，详见错误报告")
    return lines
