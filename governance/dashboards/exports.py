"""Dashboards and lists to Excel (openpyxl): Chinese headers, and the figures'
definitions on a sheet of their own, so a figure sent upward carries its meaning."""
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

BOLD = Font(bold=True)


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 80)
    return sheet


def dashboard_workbook(scope, result, charts) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    as_of = result["as_of"]
    _sheet(workbook, _("Measures"), [_("Measure"), _("Numerator"), _("Denominator"), _("Value")], [
        [figure["label"], figure["numerator"], figure["denominator"],
         figure["value"] if figure["value"] is not None else ""]
        for figure in result["figures"]
    ])
    _sheet(workbook, _("Definitions"), [_("Measure"), _("Definition")],
           [[figure["label"], figure["definition"]] for figure in result["figures"]] + [
               [_("Place"), scope.region.full_name()],
               [_("Period"), f"{scope.date_from:%Y-%m-%d} — {scope.date_to:%Y-%m-%d}"],
               [_("Counted"), _("Matters registered in the period, as of %(time)s.") % {
                   "time": timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M") if as_of else "—"}],
           ])
    _sheet(workbook, _("By category"), [_("Category"), _("Registered"), _("Resolved")],
           [[item["label"], item["registered"], item["resolved"]] for item in charts["categories"]])
    _sheet(workbook, _("By channel"), [_("Channel"), _("Registered"), _("Resolved")],
           [[item["label"], item["registered"], item["resolved"]] for item in charts["channels"]])
    _sheet(workbook, _("By place"), [_("Place"), _("Registered"), _("Resolved"), _("Resolution rate"),
                                     _("On-time rate"), _("Overdue")],
           [[item["label"], item["registered"], item["resolved"], item["resolution_rate"], item["on_time_rate"],
             item["overdue"]] for item in charts["places"]])
    _sheet(workbook, _("By day"), [_("Day"), _("Registered"), _("Resolved")],
           [[item["day"], item["registered"], item["resolved"]] for item in charts["trend"]])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
