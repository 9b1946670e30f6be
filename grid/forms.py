"""The grid pages' forms. Checks that matter on every path (the admission list,
the worker's own grids, photos) live in the services; the forms only read input."""
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Region
from governance.web import style_fields
from grid.models import EventType
from grid.selectors import report_places


class ReportForm(forms.Form):
    """上报: the type (admitted types as large tiles), the place among the worker's
    own grids, what was found; the location comes from the browser."""

    event_type = forms.CharField(label=_("Event type"), error_messages={"required": _("Choose the event type.")})
    place = forms.CharField(label=_("Where"), error_messages={"required": _("Choose the grid where it is.")})
    description = forms.CharField(label=_("What did you find?"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 4, "placeholder": _("e.g. an electric bike charging in the stairwell of building 3")}),
        error_messages={"required": _("Describe what you found.")})
    address = forms.CharField(label=_("Exact spot (optional)"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"placeholder": _("e.g. east side of building 3")}))
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.types = list(EventType.objects.filter(is_admitted=True).select_related("category"))
        self.places = report_places(worker=user)
        style_fields(self.fields)
        self.fields["description"].widget.attrs["class"] += " form-control-lg"
        self.fields["address"].widget.attrs["class"] += " form-control-lg"

    def clean_event_type(self):
        """Any type by its id; whether it is on the admission list is the service's
        check (the same message on the page and in the API)."""
        value = self.cleaned_data["event_type"]
        found = EventType.objects.filter(pk=value).select_related("category").first() if value.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Choose the event type."))
        return found

    def clean_place(self):
        value = self.cleaned_data["place"]
        found = Region.objects.filter(pk=value).first() if value.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Choose the grid where it is."))
        return found

    def place_options(self):
        chosen = str(self["place"].value() or "")
        if not chosen and len(self.places) >= 1:
            chosen = str(self.places[0].pk)
        grids = {place.path: place for place in self.places if place.level == "grid"}
        return [{"region": place, "selected": str(place.pk) == chosen,
                 "grid": grids.get(place.path[: -place.steplen]) if place.level == "micro_grid" else None}
                for place in self.places]

    def type_options(self):
        chosen = str(self["event_type"].value() or "")
        return [{"type": t, "checked": str(t.pk) == chosen} for t in self.types]


class PatrolEndForm(forms.Form):
    route = forms.CharField(label=_("Route"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("What was found"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


def parse_day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None
