"""The mediators' monthly report: mediations concluded, settled, the success rate,
and the subsidy owed (以案定补): the month's base, plus the per-case amount for
each settled mediation above the mediator's monthly quota, at the rate in force
on the month's first day. Exported to Excel with Chinese headers."""
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from mediation.choices import Outcome
from mediation.models import MediatorProfile, SubsidyRate
from mediation.permissions import REPORT

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Rate:
    base: Decimal
    per_case: Decimal


@dataclass
class Row:
    profile: MediatorProfile
    handled: int
    settled: int
    rate: Rate

    @property
    def success_rate(self):
        """Settled / concluded, or None with nothing concluded."""
        return None if not self.handled else Decimal(self.settled) / Decimal(self.handled)

    @property
    def above_quota(self) -> int:
        return max(0, self.settled - self.profile.monthly_quota)

    @property
    def case_amount(self) -> Decimal:
        return (self.rate.per_case * self.above_quota).quantize(ZERO)

    @property
    def subsidy(self) -> Decimal:
        return (self.rate.base + self.case_amount).quantize(ZERO)


def subsidy(*, settled, quota, base, per_case) -> Decimal:
    """The month's subsidy: ``base`` plus ``per_case`` for each settled mediation above ``quota``."""
    return (Decimal(base) + Decimal(per_case) * max(0, settled - quota)).quantize(ZERO)


def rate_for(month: date) -> Rate:
    rate = SubsidyRate.objects.filter(valid_from__lte=month.replace(day=1)).order_by("-valid_from").first()
    return Rate(rate.base_amount, rate.per_case_amount) if rate else Rate(ZERO, ZERO)


def month_bounds(month: date):
    first = month.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return datetime.combine(first, time(), tz), datetime.combine(following, time(), tz)


def parse_month(text) -> date:
    """"2026-11" -> 2026-11-01; anything else: this month."""
    try:
        return datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def profiles_for(user):
    """Whose rows ``user`` sees: every mediator of their county for a leader, else their own."""
    profiles = MediatorProfile.objects.select_related("user", "body")
    if user.is_superuser:
        return profiles
    if user.has_perm(REPORT.permission) and user.organisation_id:
        return profiles.filter(body__region__path__startswith=user.organisation.region.county_path)
    return profiles.filter(user=user)


def monthly_report(*, user, month: date) -> list[Row]:
    """One row per active mediator ``user`` sees (and anyone who concluded a mediation
    that month), counting the mediations they led whose outcome was recorded in it."""
    start, end = month_bounds(month)
    in_month = Q(user__led_mediations__outcome_at__gte=start, user__led_mediations__outcome_at__lt=end)
    profiles = profiles_for(user).annotate(
        handled=Count("user__led_mediations", filter=in_month),
        settled=Count("user__led_mediations", filter=in_month & Q(user__led_mediations__outcome=Outcome.SUCCESS)),
    ).filter(Q(is_active=True) | Q(handled__gt=0)).order_by("body__region__path", "body__name", "user__username")
    rate = rate_for(month)
    return [Row(profile, profile.handled, profile.settled, rate) for profile in profiles]


# The finance office's columns: Chinese whatever the interface language.
HEADERS = ["调解员", "账号", "调解组织", "月度定额", "办结件数", "调解成功件数", "调解成功率", "基础补贴（元）",
           "超出定额件数", "以案定补（元）", "补贴合计（元）"]


def export_xlsx(rows, month: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y-%m}"
    sheet.append([f"调解员月度工作量及补贴（{month:%Y年%m月}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([str(row.profile.user), row.profile.user.username, row.profile.body.name,
                      row.profile.monthly_quota, row.handled, row.settled,
                      float(row.success_rate) if row.success_rate is not None else None,
                      float(row.rate.base), row.above_quota, float(row.case_amount), float(row.subsidy)])
        sheet.cell(row=sheet.max_row, column=7).number_format = "0.0%"
        for column in (8, 10, 11):
            sheet.cell(row=sheet.max_row, column=column).number_format = "#,##0.00"
    if rows:
        last = sheet.max_row
        sheet.append(["合计", "", "", "", f"=SUM(E3:E{last})", f"=SUM(F3:F{last})", "", f"=SUM(H3:H{last})",
                      f"=SUM(I3:I{last})", f"=SUM(J3:J{last})", f"=SUM(K3:K{last})"])
    for letter, width in zip("ABCDEFGHIJK", (10, 14, 24, 9, 9, 12, 11, 13, 12, 13, 13)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
