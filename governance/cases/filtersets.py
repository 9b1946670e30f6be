"""The case list's filters, shared by the page and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from governance.choices import ADMINISTRATIVE_LEVELS, CaseKind, CaseStatus, Channel, RegionLevel, Tier
from governance.web import style_fields
from governance.cases.models import Case, Category
from governance.places.models import Region


ALL = _("All")


class CaseFilter(django_filters.FilterSet):
    # Two characters at least: a single one would read every matter (no index has pieces that small).
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", min_length=2, max_length=100,
                                  error_messages={"min_length": _("Please type at least two characters to search.")})
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
