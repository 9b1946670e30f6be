"""The petition desk's forms and the steps' forms. Field checks are the shared
validators (ID numbers, phones) and the services' (dates, the law's limits), so
the page and the API say the same thing."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.choices import PLACE_LEVELS, Role
from governance.models import Category, Organisation, Region, User
from governance.web import style_fields
from intake.validators import clean_phone, clean_resident_id
from petitions.choices import PETITION_CHANNELS, Service


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:  # marked for the eye and for screen readers
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
                self.fields[name].widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}_error"


class RegistrationForm(Styled, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=[(c.value, c.label) for c in PETITION_CHANNELS])
    received_on = date_field(_("Received on"), help_text=_("The periods count from receipt, not registration."))
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=120,
                                   widget=forms.TextInput(attrs={"placeholder": _("e.g. the county government")}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True),
                                      empty_label=_("— choose —"))
    region = forms.ModelChoiceField(label=_("Place"), queryset=Region.objects.filter(level__in=PLACE_LEVELS),
                                    error_messages={"required": _("Choose the place (village or grid)."),
                                                    "invalid_choice": _("Choose a place from the list.")})
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    narrative = forms.CharField(label=_("What the petition is about, and what is asked"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    group_size = forms.IntegerField(label=_("Number of petitioners"), min_value=1, initial=1,
                                    help_text=_("Several people together choose at most 5 representatives."))

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:
            self.fields["region"].queryset = Region.objects.filter(level__in=PLACE_LEVELS,
                                                                   path__startswith=county.path)
        self.fields["received_on"].initial = timezone.localdate()


class PersonForm(Styled, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), max_length=24, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    representative = forms.BooleanField(label=_("Representative"), required=False)

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip()
        return clean_resident_id(value) if value else ""

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return clean_phone(value) if value else ""


PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=1, validate_min=True, max_num=50)


def people_of(formset) -> tuple[list[dict], list[dict]]:
    """(petitioners, representatives) from the filled rows."""
    petitioners, representatives = [], []
    for row in formset.cleaned_data:
        if not row or not row.get("name"):
            continue
        person = {key: row.get(key, "") for key in ("name", "id_number", "phone", "address")}
        (representatives if row.get("representative") else petitioners).append(person)
    return petitioners, representatives


# -- the steps --------------------------------------------------------------------------

class ServedForm(Styled, forms.Form):
    decided_on = date_field(_("Decided on"))
    served_on = date_field(_("Served on"), help_text=_("The petitioner's windows count from this date."))
    service = forms.ChoiceField(label=_("Served"), choices=Service.choices, initial=Service.IN_PERSON)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("decided_on", "served_on"):
            self.fields[name].initial = timezone.localdate()


class ForwardForm(Styled, forms.Form):
    to = forms.ModelChoiceField(label=_("Forward to"), queryset=Organisation.objects.none(),
                                empty_label=_("— choose —"))
    forwarded_on = date_field(_("Forwarded on"))
    note = forms.CharField(label=_("Instruction"), max_length=500, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarded_on"].initial = timezone.localdate()
        if case is not None:
            self.fields["to"].queryset = (Organisation.objects.filter(
                is_active=True, region__path__startswith=case.region.county_path)
                .exclude(pk=case.holder_id).exclude(kind="center", region__depth__gt=2)
                .order_by("region__depth", "kind", "name"))


class SendBackForm(Styled, forms.Form):
    sent_on = date_field(_("Sent back on"))
    reason = forms.CharField(label=_("Why it is not ours to handle"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()


class NotAcceptForm(ServedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    proper_channel = forms.CharField(label=_("Where to turn instead"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(ServedForm):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, initial=30)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    approver = forms.ModelChoiceField(label=_("Approved by"), queryset=User.objects.none(),
                                      empty_label=_("— choose —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.LEADER, Role.ADMIN]).order_by("last_name", "first_name")


class OpinionForm(ServedForm):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class RequestForm(Styled, forms.Form):
    requested_on = date_field(_("Received on"), help_text=_("The day the request reached us."))
    organ = forms.CharField(label=_("Deciding organ"), max_length=120, required=False,
                            help_text=_("Empty: your organisation."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()


class PauseForm(Styled, forms.Form):
    on = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ServeForm(Styled, forms.Form):
    served_on = date_field(_("Served on"))
    service = forms.ChoiceField(label=_("Served"), choices=Service.choices)


class OpenForm(Styled, forms.Form):
    received_on = date_field(_("Received on"))
    addressed_to = forms.CharField(label=_("Addressed to"), max_length=120)
    group_size = forms.IntegerField(label=_("Number of petitioners"), min_value=1, initial=1)


class OwnershipForm(Styled, forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none(), empty_label=_("— choose —"))
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 3}))
    target_on = date_field(_("To be settled by"), required=False)
    milestone = forms.CharField(label=_("First milestone"), max_length=200, required=False)
    milestone_on = date_field(_("Milestone date"), required=False)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = User.objects.filter(is_active=True, role=Role.LEADER)
        if county is not None:
            leaders = leaders.filter(organisation__region__path__startswith=county)
        self.fields["leader"].queryset = leaders.order_by("last_name", "first_name")


class BookForm(Styled, forms.Form):
    name = forms.CharField(label=_("Petitioner"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    topic = forms.CharField(label=_("About"), max_length=200, required=False)
    case = forms.IntegerField(label=_("Matter id"), required=False, widget=forms.HiddenInput)


class RecordForm(Styled, forms.Form):
    attendees = forms.CharField(label=_("Who came"), max_length=300)
    demands = forms.CharField(label=_("What they asked"), widget=forms.Textarea(attrs={"rows": 3}))
    instructions = forms.CharField(label=_("Leader's instructions"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
