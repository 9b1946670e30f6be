"""The case list's filters, shared by the page and the API."""
from datetime import datetime, time, timedelta

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field

from governance.choices import (
    ADMINISTRATIVE_LEVELS, OPEN_STATUSES, CaseKind, CaseStatus, Channel, EventType, RegionLevel, Tier,
)
from governance.web import style_fields
from governance.cases.models import Case, CaseEvent, Category
from governance.cases.querysets import is_han_pair
from governance.dashboards.models import EarlyWarning
from governance.places.models import Region


ALL = _("All")
SEARCH_TOO_SHORT = _("Please type two Chinese characters or at least three characters to search.")
YES_NO = [("true", _("Yes")), ("false", _("No"))]


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class YesNoFilter(django_filters.ChoiceFilter):
    """``true`` or ``false`` (a string in the query, whatever type the model's field of
    the same name has: the schema says what the filter takes)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        super().__init__(*args, **kwargs)


def validate_search_term(value):
    text = value.strip()
    if text and len(text) < 3 and not is_han_pair(text):
        raise ValidationError(SEARCH_TOO_SHORT, code="min_length")


class CaseFilter(django_filters.FilterSet):
    # Three characters, or two Chinese ones (the bigram index): anything shorter would read
    # every matter, since no index holds pieces that small.
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100,
                                  validators=[validate_search_term])
    status = django_filters.ChoiceFilter(label=_("Status"), empty_label=ALL, choices=CaseStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), empty_label=ALL, choices=CaseKind.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), empty_label=ALL, choices=Channel.choices)
    tier = django_filters.ChoiceFilter(label=_("Tier"), empty_label=ALL, choices=Tier.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), empty_label=ALL, queryset=Category.objects.filter(is_active=True), to_field_name="code"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Place"), empty_label=ALL, queryset=Region.objects.all(), to_field_name="code", method="filter_region"
    )
    # A choice, not a BooleanFilter, so a value like "perhaps" is an error rather than ignored.
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), empty_label=ALL, choices=[("true", _("Yes")), ("false", _("No"))], method="filter_overdue"
    )
    # The dashboards' drill-down: each figure links to exactly the matters it counts.
    registered_from = django_filters.DateFilter(label=_("Registered from"), method="filter_registered_from")
    registered_to = django_filters.DateFilter(label=_("Registered until"), method="filter_registered_to")
    resolved = YesNoFilter(label=_("Resolved"), method="filter_resolved")
    resolved_on_time = YesNoFilter(label=_("Resolved within the limit"), method="filter_resolved_on_time")
    resolved_tier = django_filters.MultipleChoiceFilter(label=_("Tier at resolution"), choices=Tier.choices)
    settled_first_visit = YesNoFilter(
        label=pgettext_lazy("dashboard", "Settled at the first visit"), method="filter_settled_first_visit")
    escalated_from = django_filters.ChoiceFilter(label=_("Escalated from"), method="filter_escalated_from",
                                                 choices=[(Tier.VILLAGE, Tier.VILLAGE.label),
                                                          (Tier.TOWN, Tier.TOWN.label)])
    overdue_marked = YesNoFilter(label=_("Went overdue at the county"), method="filter_overdue_marked")
    repeat = YesNoFilter(label=_("Repeat visits"), method="filter_repeat")
    open = YesNoFilter(label=_("Open"), method="filter_open")
    warning = django_filters.NumberFilter(label=_("Early warning"), method="filter_warning")

    DRILL_FIELDS = ("registered_from", "registered_to", "resolved", "resolved_on_time", "resolved_tier",
                    "settled_first_visit", "escalated_from", "overdue_marked", "repeat", "open", "warning")

    class Meta:
        model = Case
        fields = ["q", "status", "kind", "channel", "tier", "category", "region", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields)
        self.form.fields["region"].widget.choices = self._place_choices()

    def _place_choices(self):
        """The page's place select lists county, towns and villages ("镇 村", two queries),
        not every grid and micro-grid of the county; any code still filters (the API)."""
        places = list(Region.objects.filter(level__in=ADMINISTRATIVE_LEVELS).order_by("path").values_list(
            "path", "code", "name", "level"))
        towns = {path: name for path, _code, name, level in places if level == RegionLevel.TOWN}
        step = Region.steplen
        choices = [("", ALL)] + [
            (code, f"{towns.get(path[: 2 * step], '')} {name}".strip() if level == RegionLevel.VILLAGE else name)
            for path, code, name, level in places
        ]
        chosen = self.data.get("region") if self.data else None
        if chosen and not any(code == chosen for code, _label in choices):
            region = Region.objects.filter(code=chosen).first()
            if region is not None:
                choices.append((region.code, region.name))
        return choices

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_region(self, queryset, name, value):
        """A place includes everything below it: a town's filter shows its villages' matters."""
        return queryset.filter(region__path__startswith=value.path)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value == "true" else queryset.not_overdue()

    # -- the drill-down's filters ---------------------------------------------------
    def filter_registered_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=local_midnight(value))

    def filter_registered_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=local_midnight(value + timedelta(days=1)))

    def filter_resolved(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=value != "true")

    def filter_resolved_on_time(self, queryset, name, value):
        return queryset.filter(resolved_on_time=value == "true")

    def filter_settled_first_visit(self, queryset, name, value):
        return queryset.filter(settled_at_first_visit=value == "true")

    def filter_escalated_from(self, queryset, name, value: str):
        escalated = CaseEvent.objects.filter(case=OuterRef("pk"), type=EventType.ESCALATED, from_tier=value)
        return queryset.filter(Exists(escalated))

    def filter_overdue_marked(self, queryset, name, value):
        return queryset.filter(overdue_at__isnull=value != "true")

    def filter_repeat(self, queryset, name, value):
        return queryset.filter(visit_count__gt=1) if value == "true" else queryset.filter(visit_count__lte=1)

    def filter_open(self, queryset, name, value):
        return queryset.open() if value == "true" else queryset.exclude(status__in=OPEN_STATUSES)


    def filter_warning(self, queryset, name, value):
        return queryset.filter(pk__in=EarlyWarning.cases.through.objects.filter(earlywarning_id=value)
                               .values("case_id"))


def local_midnight(day):
    """The start of local (Asia/Shanghai) ``day``."""
    return timezone.make_aware(datetime.combine(day, time()))
