"""Excel for people's data: cells that cannot run, and a workbook in one call."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

# A text cell starting with one of these is a formula to Excel (and to openpyxl,
# which writes "=..." as one): a narrative "=HYPERLINK(...)" would run when opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a cell that Excel shows as typed, never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook_bytes(title, headers, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
