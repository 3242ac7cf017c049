"""Reading a ledger file (.xlsx or .csv in UTF-8, UTF-8 with BOM or GBK) into header + rows.

Whatever the file holds, the caller gets a Table or a FileRejected with a Chinese message,
never a traceback: a renamed PDF, an old .xls, an empty file and a binary blob are all
told apart from a real spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jianguan.core.errors import DomainError
from jianguan.core.exporting import csv_unescape

from .limits import Limits, check_xlsx

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_COLUMNS = 16_384  # Excel's own: no ledger is wider, and a wider file is no spreadsheet
CSV_CHUNK = 1 << 20


class FileRejected(DomainError):
    """The file as a whole cannot be imported (unreadable, empty, missing columns...)."""

    def __init__(self, message: str, code: str = "import_file_invalid", extra: dict | None = None):
        super().__init__(code, message, extra)


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as Excel shows it, cells)
    total: int | None  # number of data rows when known cheaply
    kind: str  # "xlsx" or "csv"
    encoding: str | None = None


def clean_header(value) -> str:
    if value is None:
        return ""
    return "".join(str(value).split()).replace("\u3000", "").rstrip("*＊")


def _cell(value):
    """An xlsx cell as the engine wants it: text, or a date for a real date cell."""
    if value is None or isinstance(value, str | dt.date):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sniff(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileRejected(f"无法读取文件：{exc.strerror or exc}", "import_file_unreadable") from None
    suffix = path.suffix.lower()
    if not head:
        raise FileRejected("文件为空（0 字节），没有任何内容", "import_file_empty")
    if head.startswith(_ZIP_MAGIC):  # an .xlsx, whatever its name says
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise FileRejected(
            "这是旧版 Excel（.xls）或其他 Office 文件，无法直接导入；请在 Excel 中另存为 .xlsx 或 .csv 后重试",
            "import_file_format",
        )
    if suffix in XLSX_SUFFIXES:
        raise FileRejected(
            "文件不是有效的 Excel（.xlsx）文件，可能是其他格式的文件改了扩展名；"
            "请在 Excel 中打开并另存为 .xlsx 或 .csv 后重试",
            "import_file_format",
        )
    if suffix in CSV_SUFFIXES or suffix == "":
        return "csv"
    raise FileRejected(f"不支持的文件类型“{suffix}”，只能导入 .xlsx 或 .csv 文件", "import_file_format")


def _too_wide(width: int, where: str) -> FileRejected:
    return FileRejected(
        f"{where}有 {width} 列，超过 Excel 的上限 {MAX_COLUMNS} 列；请检查文件是否为本系统的台账", "import_file_format"
    )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _checked(rows: Iterator[tuple[int, list]], headers: list[str], limits: Limits) -> Iterator[tuple[int, list]]:
    """The rows, each held to the column and cell-length limits while it streams past."""
    longest = limits.cell_chars
    for number, cells in rows:
        if len(cells) > MAX_COLUMNS:
            raise _too_wide(len(cells), f"第 {number} 行")
        if max(map(_length, cells), default=0) > longest:
            index = next(i for i, c in enumerate(cells) if _length(c) > longest)
            header = headers[index] if index < len(headers) and headers[index] else ""
            named = f"“{header}”" if header else ""
            raise FileRejected(
                f"第 {number} 行第 {_column_letter(index)} 列{named}的内容有 {len(cells[index])} 个字符，"
                f"超过单元格上限 {longest} 个字符（Excel 的上限），整个文件未导入；请删减后重新上传",
                "import_cell_too_long",
                {"row": number, "column": _column_letter(index), "header": header, "limit": longest},
            )
        yield number, cells


def _length(value) -> int:
    return len(value) if isinstance(value, str) else 0


def _xlsx_table(path: Path, stack: list, limits: Limits) -> Table:
    import openpyxl

    check_xlsx(path, limits)  # before openpyxl inflates anything
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors...
        raise FileRejected(
            "文件不是有效的 Excel（.xlsx）文件，可能已损坏或是其他格式的文件改了扩展名；"
            "请在 Excel 中打开并另存为 .xlsx 或 .csv 后重试",
            "import_file_format",
        ) from None
    stack.append(workbook.close)
    if not workbook.worksheets:
        raise FileRejected("Excel 文件中没有工作表", "import_file_empty")
    sheet = workbook.worksheets[0]
    total = (sheet.max_row - 1) if sheet.max_row else None
    # The sheet's own dimension is only a claim: a forged A1:XFD… would pad every row to 16,384 cells.
    sheet.reset_dimensions()
    try:
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRejected("Excel 文件内容损坏，无法读取", "import_file_format") from None
    if header_row is not None and len(header_row) > MAX_COLUMNS:
        raise _too_wide(len(header_row), "表头")
    headers = [clean_header(v) for v in header_row or ()]

    def data() -> Iterator[tuple[int, list]]:
        for number, row in enumerate(rows, start=2):
            yield number, [_cell(v) for v in row]

    return Table(headers=headers, rows=_checked(data(), headers, limits), total=total, kind="xlsx")


def _csv_encoding(path: Path) -> tuple[str, int]:
    """The file's encoding (UTF-8 with or without BOM, else GB18030) and its number of lines, found
    in one streaming pass: the file is never held whole."""
    with path.open("rb") as fh:
        if b"\x00" in fh.read(4096):
            raise FileRejected("文件不是文本格式的 CSV（含有二进制内容），请检查文件", "import_file_format")
        for encoding in ("utf-8-sig", "gb18030"):
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            lines = 0
            try:
                while chunk := fh.read(CSV_CHUNK):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding, lines
    raise FileRejected("CSV 文件的编码无法识别，应为 UTF-8 或 GBK（GB18030）", "import_file_encoding")


def _csv_table(path: Path, stack: list, limits: Limits) -> Table:
    encoding, lines = _csv_encoding(path)
    stream = path.open("r", encoding=encoding, newline="")
    stack.append(stream.close)
    first_line = stream.readline()
    stream.seek(0)
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(stream, delimiter=delimiter)

    def records() -> Iterator[list]:
        number = 0
        try:
            for number, record in enumerate(reader, start=1):  # noqa: B007 - read after the loop on error
                if len(record) > MAX_COLUMNS:
                    raise _too_wide(len(record), "表头" if number == 1 else f"第 {number} 行")
                # An exported text that a spreadsheet would run went out behind an apostrophe.
                yield [csv_unescape(c) if c[:1] == "'" else c for c in record]
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRejected(
                    f"第 {number + 1} 行有单元格的内容超过单元格上限 {limits.cell_chars} 个字符（Excel 的上限），"
                    "整个文件未导入；请检查是否缺少引号的配对后重新上传",
                    "import_cell_too_long",
                    {"row": number + 1, "limit": limits.cell_chars},
                ) from None
            raise FileRejected(f"CSV 文件第 {number + 1} 行格式错误：{exc}", "import_file_format") from None

    body = records()
    first = next(body, None)
    headers = [clean_header(v) for v in first] if first else []
    return Table(
        headers=headers,
        rows=_checked(enumerate(body, start=2), headers, limits),
        total=max(lines - 1, 0),
        kind="csv",
        encoding="utf-8" if encoding == "utf-8-sig" else "gbk",
    )


@contextmanager
def open_table(path: str | Path, limits: Limits | None = None):
    """Yield the file's Table; raise FileRejected when the file is not a readable ledger or is past
    the limits (those in force today unless given)."""
    path = Path(path)
    limits = limits or Limits.in_force()
    closers: list = []
    try:
        kind = _sniff(path)
        table = _xlsx_table(path, closers, limits) if kind == "xlsx" else _csv_table(path, closers, limits)
        if not any(table.headers):
            raise FileRejected("文件为空：第 1 行应为表头", "import_file_empty")
        yield table
    finally:
        for close in closers:
            close()
