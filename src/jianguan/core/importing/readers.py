"""Reading a ledger file (.xlsx or .csv in UTF-8, UTF-8 with BOM or GBK) into header + rows.

Whatever the file holds, the caller gets a Table or a FileRejected with a Chinese message,
never a traceback: a renamed PDF, an old .xls, an empty file and a binary blob are all
told apart from a real spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jianguan.core.errors import DomainError

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


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


def _xlsx_table(path: Path, stack: list) -> Table:
    import openpyxl

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
    try:
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRejected("Excel 文件内容损坏，无法读取", "import_file_format") from None
    headers = [clean_header(v) for v in header_row or ()]
    total = (sheet.max_row - 1) if sheet.max_row else None

    def data() -> Iterator[tuple[int, list]]:
        for number, row in enumerate(rows, start=2):
            yield number, [_cell(v) for v in row]

    return Table(headers=headers, rows=data(), total=total, kind="xlsx")


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (with or without BOM), else GBK."""
    if b"\x00" in raw[:4096]:
        raise FileRejected("文件不是文本格式的 CSV（含有二进制内容），请检查文件", "import_file_format")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else "gbk")
        except UnicodeDecodeError:
            continue
    raise FileRejected("CSV 文件的编码无法识别，应为 UTF-8 或 GBK（GB18030）", "import_file_encoding")


def _csv_table(path: Path) -> Table:
    text, encoding = decode_csv(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileRejected(f"CSV 文件格式错误：{exc}", "import_file_format") from None
    headers = [clean_header(v) for v in records[0]] if records else []
    body = records[1:]

    return Table(
        headers=headers, rows=enumerate(body, start=2), total=len(body), kind="csv", encoding=encoding
    )


@contextmanager
def open_table(path: str | Path):
    """Yield the file's Table; raise FileRejected when the file is not a readable ledger."""
    path = Path(path)
    closers: list = []
    try:
        kind = _sniff(path)
        table = _xlsx_table(path, closers) if kind == "xlsx" else _csv_table(path)
        if not any(table.headers):
            raise FileRejected("文件为空：第 1 行应为表头", "import_file_empty")
        yield table
    finally:
        for close in closers:
            close()
