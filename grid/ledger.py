"""The monthly reward ledger (一事一奖) per grid worker, and its Excel copy."""
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from grid.models import Reward
from grid.selectors import scope_root

REFUSAL = gettext_lazy("Your role does not see rewards.")
BAD_MONTH = gettext_lazy("Give the month as YYYY-MM, e.g. 2026-05.")


def parse_month(value) -> date | None:
    """'2026-05' -> date(2026, 5, 1); None for anything else."""
    try:
        year, month = str(value or "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@dataclass
class WorkerLine:
    worker: object
    rewards: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rewards)

    @property
    def total(self) -> Decimal:
        return sum((reward.amount for reward in self.rewards), Decimal("0.00"))


def reward_ledger(*, user, month: date) -> list[WorkerLine]:
    """The month's rewards, one line per worker (by name). Centers and leaders see
    the workers of their places; a grid worker sees their own line."""
    rewards = Reward.objects.filter(month=month).select_related(
        "worker__organisation", "event__case", "event__event_type", "rate").order_by("worker__username", "awarded_at")
    if not user.is_superuser:
        root = scope_root(user) if user.has_perm("grid.add_reward") else None
        rewards = rewards.filter(worker__organisation__region__path__startswith=root.path) if root is not None \
            else rewards.filter(worker=user)
    lines = {}
    for reward in rewards:
        lines.setdefault(reward.worker_id, WorkerLine(reward.worker)).rewards.append(reward)
    return list(lines.values())


def ledger_total(lines) -> Decimal:
    return sum((line.total for line in lines), Decimal("0.00"))


def ledger_workbook(lines, month: date) -> bytes:
    """Two sheets: every reward with a subtotal per worker, and the totals per worker."""
    book = Workbook()
    detail = book.active
    detail.title = _("Rewards %(month)s") % {"month": f"{month:%Y-%m}"}
    bold = Font(bold=True)
    detail.append([_("Grid worker"), _("Organisation"), _("Matter number"), _("Event type"), _("Rate"),
                   _("Amount (yuan)"), _("Given on"), _("Why")])
    for cell in detail[1]:
        cell.font = bold
    for line in lines:
        for reward in line.rewards:
            detail.append([line.worker.display_name, line.worker.organisation.name if line.worker.organisation else "",
                           reward.event.case.number, reward.event.event_type.name, reward.rate.name,
                           reward.amount, timezone.localtime(reward.awarded_at).date(), reward.note])
        detail.append([_("Subtotal: %(worker)s") % {"worker": line.worker.display_name}, "", "", "", "",
                       line.total, "", ""])
        detail.cell(row=detail.max_row, column=1).font = bold
    detail.append([_("Total"), "", "", "", "", ledger_total(lines), "", ""])
    detail.cell(row=detail.max_row, column=1).font = bold
    for column, width in zip("ABCDEFGH", (12, 24, 14, 16, 14, 12, 12, 24)):
        detail.column_dimensions[column].width = width
    for row in detail.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].number_format = "0.00"
    summary = book.create_sheet(_("Per worker"))
    summary.append([_("Grid worker"), _("Organisation"), _("Rewards"), _("Amount (yuan)")])
    for cell in summary[1]:
        cell.font = bold
    for line in lines:
        summary.append([line.worker.display_name, line.worker.organisation.name if line.worker.organisation else "",
                        line.count, line.total])
    summary.append([_("Total"), "", sum(line.count for line in lines), ledger_total(lines)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
