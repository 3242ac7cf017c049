"""What an import file may cost the server: its size, the uncompressed size of an .xlsx and the
length of one cell, as versioned rules (seeded by core/migrations/0005_upload_limits.py).

An .xlsx is a zip of XML parts. openpyxl reads the shared strings whole and builds each cell's
text whole, so a 158 KB file holding one 150 MB cell costs seconds and gigabytes before the first
row arrives. `check_xlsx` therefore streams every part once, before openpyxl opens the file:
the declared sizes and the bytes actually inflated are held to the limit, and any run of text
too long to be one cell of the allowed length is refused with the cell it is in. Cells between
the allowed length and that bound are caught exactly, with their header, while rows stream
(readers.py).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
CHUNK = 1 << 20
# The longest a character can be in the XML of a cell: a numeric reference such as &#1114111;.
BYTES_PER_CHAR = 10

RULES = {
    "upload_bytes": "imports.upload_max_mb",
    "uncompressed_bytes": "imports.xlsx_uncompressed_max_mb",
    "cell_chars": "imports.cell_max_chars",
    "keep_hours": "imports.unconfirmed_keep_hours",
}


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    cell_chars: int
    keep_hours: int

    @classmethod
    def in_force(cls, on=None) -> Limits:
        """The limits in force on `on` (today, for a file arriving now)."""
        from django.utils import timezone

        from jianguan.core.rules import rule_value

        on = on or timezone.localdate()
        values = {name: int(rule_value(key, on)) for name, key in RULES.items()}
        values["upload_bytes"] *= MB
        values["uncompressed_bytes"] *= MB
        return cls(**values)


def size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB // 10 else f"{max(size, 1) / 1024:.0f} KB"


def _rejected(message: str, code: str, extra: dict | None = None):
    from .readers import FileRejected

    return FileRejected(message, code, extra)


def too_large(size: int, limits: Limits):
    return _rejected(
        f"文件大小为 {size_text(size)}，超过上传上限 {size_text(limits.upload_bytes)}；请拆分为几个较小的文件后分别导入",
        "import_file_too_large",
        {"size": size, "limit": limits.upload_bytes},
    )


# ---------------------------------------------------------------- cell references

_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')


def cell_name(column: str, row: int) -> str:
    return f"第 {row} 行第 {column} 列（单元格 {column}{row}）"


def _last_ref(data: bytes) -> tuple[str, int] | None:
    """The reference of the last cell opened in data (`<c r="B5" …>`)."""
    start = data.rfind(b"<c ")
    if start < 0:
        return None
    match = _REF.search(data, start)
    return (match[1].decode(), int(match[2])) if match else None


def _cell_using_string(archive: zipfile.ZipFile, sheets: list[str], index: int) -> tuple[str, int] | None:
    """The first cell of a worksheet showing shared string number `index` (only on refusal)."""
    value = re.compile(rb"<c\b([^>]*)>\s*<v>%d</v>" % index)
    for name in sheets:
        tail = b""
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                data = tail + chunk
                for match in value.finditer(data):
                    attributes = match[1]
                    ref = _REF.search(attributes)
                    if ref and b't="s"' in attributes:
                        return ref[1].decode(), int(ref[2])
                tail = data[-4096:]
    return None


# ---------------------------------------------------------------- the streaming check


class _LongRun:
    """Finds a run of more than `limit` bytes without a '<' in XML fed chunk by chunk: the text of
    one cell (or one attribute) that long. Windows of limit/2 bytes are probed with bytes.find,
    so the check costs a few C calls per megabyte."""

    def __init__(self, limit: int):
        self.limit = limit
        self.step = max(limit // 2, 1)
        self.run = 0  # bytes since the last '<', carried over from earlier chunks
        self.context = b""  # the bytes up to that '<' (where the cell's reference is)

    def feed(self, chunk: bytes) -> int | None:
        """The offset in chunk where a too-long run starts (negative: in an earlier chunk), else None."""
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
            return len(chunk) - self.run if self.run > self.limit else None
        if self.run + first > self.limit:
            return -self.run
        last = chunk.rfind(b"<")
        for probe in range(first, last, self.step):
            # A run longer than two steps contains a whole probe window with no '<' in it.
            if chunk.find(b"<", probe + 1, probe + 1 + self.step) < 0:
                start = chunk.rfind(b"<", 0, probe + 1) + 1
                if chunk.find(b"<", probe + 1) - start > self.limit:
                    return start
        self.context = chunk[max(0, last - 4096) : last + 1]
        self.run = len(chunk) - last - 1
        return last + 1 if self.run > self.limit else None


def _worksheets(archive: zipfile.ZipFile) -> list[str]:
    names = [i.filename for i in archive.infolist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename)]
    return sorted(names, key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[-1])[0]))


def check_xlsx(path: str | Path, limits: Limits) -> None:
    """Raise FileRejected when the .xlsx inflates past the limit or holds a cell far past the
    allowed length. Reads each part once, a megabyte at a time; nothing is kept."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: the reader says so in its own words
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        declared = sum(i.file_size for i in infos)
        if declared > limits.uncompressed_bytes:
            raise _rejected(
                f"Excel 文件解压后为 {size_text(declared)}，超过上限 {size_text(limits.uncompressed_bytes)}；"
                "请拆分为几个较小的文件后分别导入",
                "import_file_too_large",
                {"uncompressed": declared, "limit": limits.uncompressed_bytes},
            )
        sheets = _worksheets(archive)
        inflated = 0
        for info in infos:
            scanner = _LongRun(limits.cell_chars * BYTES_PER_CHAR) if info.filename.endswith(".xml") else None
            strings = info.filename == "xl/sharedStrings.xml"
            seen_strings, got = 0, 0
            try:
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        got += len(chunk)
                        inflated += len(chunk)
                        if got > info.file_size or inflated > limits.uncompressed_bytes:
                            raise _rejected(
                                "Excel 文件解压后的实际大小与文件声明的不符或超过上限，可能是恶意构造的压缩文件，已拒绝导入",
                                "import_file_too_large",
                            )
                        at = scanner.feed(chunk) if scanner else None
                        if at is not None:
                            before = chunk[max(0, at - 4096) : at] if at >= 0 else scanner.context
                            if strings and at > 0:
                                seen_strings += chunk.count(b"<si>", 0, at) + chunk.count(b"<si ", 0, at)
                            raise _long_cell(archive, sheets, info.filename, before, seen_strings, strings, limits)
                        if strings:
                            seen_strings += chunk.count(b"<si>") + chunk.count(b"<si ")
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, NotImplementedError, ValueError):
                # A bad CRC (more bytes than declared are cut off, then caught here), encryption,
                # an unknown compression: not a workbook this system can read.
                raise _rejected(
                    "Excel 文件内容损坏或已加密，无法读取；请在 Excel 中打开并另存为 .xlsx 后重试", "import_file_format"
                ) from None


def _long_cell(archive, sheets, part: str, before: bytes, seen_strings: int, strings: bool, limits: Limits):
    where = None
    if strings:  # the run is shared string number seen_strings - 1: find the cell showing it
        where = _cell_using_string(archive, sheets, max(seen_strings - 1, 0))
    elif part in sheets:
        where = _last_ref(before)
    place = cell_name(*where) if where else "有一个单元格"
    if part in sheets and sheets.index(part) > 0:
        place += f"（第 {sheets.index(part) + 1} 个工作表）"
    return _rejected(
        f"{place}的内容远超单元格上限 {limits.cell_chars} 个字符，已拒绝导入；请检查并删减该单元格后重新上传",
        "import_cell_too_long",
        {"cell": f"{where[0]}{where[1]}" if where else None, "limit": limits.cell_chars},
    )
