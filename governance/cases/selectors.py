"""Reads of the matter record, always through the scope rule."""
from governance.cases.filtersets import CaseFilter
from governance.cases.models import Case, CaseEvent
from governance.cases.querysets import VIEW


def case_queryset(*, user):
    """Matters ``user`` may see, with what lists and details show joined in."""
    return Case.objects.restrict(user, VIEW).select_related("category", "region", "holder")


def case_list(*, user, filters=None):
    """The filtered list as a FilterSet (``.qs`` for rows, ``.form`` for the page, ``.errors``)."""
    return CaseFilter(filters or {}, queryset=case_queryset(user=user))


def case_get(*, user, case_id):
    """One matter ``user`` may see, or Case.DoesNotExist (also when out of scope)."""
    return case_queryset(user=user).prefetch_related("parties", "clocks").get(pk=case_id)


def case_timeline(*, case):
    return CaseEvent.objects.filter(case=case).select_related("actor", "from_holder", "to_holder")
