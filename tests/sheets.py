"""Writing the Excel files that the import tests upload."""

import io

import openpyxl


def write_xlsx(path, rows, headers):
    """An .xlsx at path: one header row, then the rows as given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def xlsx_bytes(rows, headers) -> bytes:
    """The same workbook, in memory."""
    out = io.BytesIO()
    write_xlsx(out, rows, headers)
    return out.getvalue()


def xlsx_upload(rows, headers, name="台账.xlsx") -> io.BytesIO:
    """The same workbook as a named file, for the test client to post."""
    buffer = io.BytesIO(xlsx_bytes(rows, headers))
    buffer.name = name
    return buffer
