"""Writing the Excel files that the import tests upload."""

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
