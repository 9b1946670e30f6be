"""The citizen's forms. What they type is checked by the validators every door
shares, so the online form says the same thing in Chinese as the window."""
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from governance.choices import CITIZEN_PLACE_LEVELS
from governance.web import style_fields
from governance.models import Category, Region
from intake.selectors import place_choices
from intake.validators import clean_phone, clean_resident_id

# Citizens know their village (community) and maybe their grid; towns would route
# past the village center, and micro-grids are too fine to recognise.
PLACE_OPTIONS = 50
NARRATIVE_MAX = 2000
# The version of the personal-information notice the form shows (templates/intake/public/_notice.html);
# each submission records the version agreed to. Change it whenever the notice's wording changes.
PRIVACY_NOTICE_VERSION = "2026-1"


def place_options(*, q="", selected_id=None) -> list[tuple[int, str]]:
    """(id, "镇 村 网格") for the place select: villages and grids matching ``q``, and
    the chosen place first, so a choice survives a form error."""
    selected = Region.objects.filter(pk=selected_id, level__in=CITIZEN_PLACE_LEVELS).first() if selected_id else None
    return [(place.pk, label) for place, label in place_choices(q=q, levels=CITIZEN_PLACE_LEVELS, limit=PLACE_OPTIONS,
                                                                chosen=selected)]


def _selected_place_id(form):
    try:
        return int(form["place"].value())
    except (TypeError, ValueError):
        return None


class SubmitForm(forms.Form):
    """A dispute registered online (网上反映), dispatched at once by the routing rules."""

    name = forms.CharField(label=_("Your name"), max_length=100,
                           error_messages={"required": _("Please give your name.")})
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20,
        help_text=_("The center calls or texts you on this number; its last four digits let you follow the matter."),
        error_messages={"required": _("Please give your mobile number.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(label=_("ID number (optional)"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
        error_messages={"required": _("Please choose a category."),
                        "invalid_choice": _("Please choose a category from the list.")},
    )
    # As the citizen types, htmx asks for the matching places and swaps them into the select.
    place_q = forms.CharField(
        label=_("Find your village or grid"), required=False, max_length=40,
        widget=forms.TextInput(attrs={
            "type": "search", "autocomplete": "off", "placeholder": _("Name of the village, community or grid"),
            "hx-get": reverse_lazy("public-places"), "hx-trigger": "input changed delay:300ms, search",
            "hx-target": "#id_place", "hx-swap": "innerHTML", "hx-include": "#id_place",
            "aria-controls": "id_place",
        }),
    )
    place = forms.ModelChoiceField(
        label=_("Village (community) or grid"), queryset=Region.objects.filter(level__in=CITIZEN_PLACE_LEVELS),
        error_messages={"required": _("Please choose your village (community) or grid."),
                        "invalid_choice": _("Please choose a place from the list.")},
    )
    address = forms.CharField(label=_("Address (optional)"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    narrative = forms.CharField(
        label=_("What happened?"), max_length=NARRATIVE_MAX,
        help_text=_("Who is involved, what happened and when, and what you are asking for."),
        error_messages={"required": _("Please describe what happened.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    consent = forms.BooleanField(
        label=_("I have read the personal-information notice above and agree that the center processes my "
                "details to handle this matter."),
        error_messages={"required": _("Please read the personal-information notice and tick the box to agree: "
                                      "without your details the center cannot handle the matter.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The select lists a few places (a county has thousands); the search box narrows it.
        self.fields["place"].widget.choices = [("", _("Choose a place"))] + place_options(
            q=self["place_q"].value() or "", selected_id=_selected_place_id(self))
        style_fields(self.fields)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"], mobile_only=True)

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return clean_resident_id(value) if value else ""


class StatusForm(forms.Form):
    """The matter number (on the receipt and the confirmation page) and the last four
    digits of the applicant's phone. The view never shows field errors: every failed
    lookup gets one answer, so the page does not tell which half was wrong."""

    number = forms.CharField(label=_("Matter number"), max_length=20,
                             help_text=_("On your receipt or the confirmation page, like 2026-000123."),
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone_last4 = forms.CharField(
        label=_("Last four digits of your mobile phone"), min_length=4, max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)
