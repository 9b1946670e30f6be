"""Reads of Open311. It shows only the matters that came in through Open311: the
other doors' matters were never given to be public, whatever the filters say."""
from django.db.models import Exists, OuterRef, Prefetch, Subquery

from governance.choices import OPEN_STATUSES, EventType
from governance.models import Case, CaseEvent, Category
from intake.models import Intake
from intake.open311.forms import MAX_RESULTS
from intake.open311.services import DETAILS_KEY
from intake.selectors import public_timeline


def services():
    return Category.objects.filter(is_active=True).order_by("sort_order", "code")


def service_get(code) -> Category | None:
    return services().filter(code=code).first()


def open311_requests():
    """Open311 matters with what their public view needs: category, holder and
    place joined, the latest public timeline note annotated (the citizen's status
    page rule, in a subquery), and the note with the client's coordinates prefetched."""
    submitted = Intake.objects.filter(case=OuterRef("pk"), api_key__isnull=False)
    latest_note = public_timeline(case=OuterRef("pk")).exclude(citizen_note="").reverse().values("citizen_note")[:1]
    details = CaseEvent.objects.filter(type=EventType.NOTE, is_public=False, data__has_key=DETAILS_KEY)
    return (
        Case.objects.filter(Exists(submitted))
        .annotate(status_notes=Subquery(latest_note), submitted_by_key=Subquery(submitted.values("api_key_id")[:1]))
        .select_related("category", "holder", "region")
        .prefetch_related(Prefetch("events", queryset=details.order_by("at", "id"), to_attr="open311_notes"))
    )


def request_get(number) -> Case | None:
    return open311_requests().filter(number=number).first()


def request_list(*, service_request_id=(), service_code=(), status=(), start_date=None, end_date=None):
    """The filters of RequestQueryForm; IDs override the rest. Newest first, at most 1000."""
    cases = open311_requests()
    if service_request_id:
        cases = cases.filter(number__in=service_request_id)
    else:
        cases = cases.filter(created_at__gte=start_date, created_at__lte=end_date)
        if service_code:
            cases = cases.filter(category__code__in=service_code)
        if status == {"open"}:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif status == {"closed"}:
            cases = cases.exclude(status__in=OPEN_STATUSES)
    return cases.order_by("-created_at", "-id")[:MAX_RESULTS]


def token_get(token) -> Intake | None:
    return Intake.objects.filter(token=token, api_key__isnull=False).select_related("case").first()
