"""The window's one-page registration form. Field checks are the shared validators,
so the form, the API, the public form and Open311 all say the same thing."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.choices import PLACE_LEVELS, CaseKind, Channel, PartyRole
from governance.web import style_fields
from governance.models import Category, Region
from intake.services import ATTACHMENT_MAX_COUNT, check_attachment
from intake.validators import clean_phone, clean_resident_id, resident_id_warning

PARTY_PREFIXES = {"applicant": PartyRole.APPLICANT, "respondent": PartyRole.RESPONDENT}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > ATTACHMENT_MAX_COUNT:
            raise ValidationError(_("At most 10 files."))
        errors = []
        for upload in files:
            try:
                check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, initial=CaseKind.DISPUTE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.WALK_IN)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True),
                                      empty_label=_("— choose —"))
    region = forms.ModelChoiceField(label=_("Place"), queryset=Region.objects.filter(level__in=PLACE_LEVELS),
                                    error_messages={"required": _("Choose the place (village or grid)."),
                                                    "invalid_choice": _("Choose a place from the list.")})
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    narrative = forms.CharField(label=_("What happened, and what the visitor asks for"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 5}))
    applicant_name = forms.CharField(label=_("Name"), max_length=100)
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=24, required=False,
                                          widget=forms.TextInput(attrs={"autocomplete": "off"}))
    applicant_phone = forms.CharField(label=_("Phone"), max_length=24,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    applicant_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    respondent_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    respondent_id_number = forms.CharField(label=_("ID number"), max_length=24, required=False)
    respondent_phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    respondent_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    attachments = AttachmentsField(label=_("Photos and PDFs"), required=False,
                                   help_text=_("JPEG, PNG or PDF, up to 10 MB each, at most 10 files."))

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:  # a clerk registers places of their own county only
            self.fields["region"].queryset = Region.objects.filter(level__in=PLACE_LEVELS,
                                                                   path__startswith=county.path)
        style_fields(self.fields)
        self.fields["applicant_name"].widget.attrs["autofocus"] = True  # the clerk starts typing at once

    def full_clean(self):
        super().full_clean()
        in_error = [name for name in self.fields if name in self.errors]
        if in_error:  # the cursor goes to the first field to correct
            self.fields["applicant_name"].widget.attrs.pop("autofocus", None)
            self.fields[in_error[0]].widget.attrs["autofocus"] = True
        for name in self.errors:  # mark the fields in error for the eye and for screen readers
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"

    def _clean_id(self, prefix):
        value = self.cleaned_data.get(f"{prefix}_id_number", "").strip()
        return clean_resident_id(value) if value else ""

    def _clean_phone(self, prefix):
        value = self.cleaned_data.get(f"{prefix}_phone", "").strip()
        return clean_phone(value) if value else ""

    def clean_applicant_id_number(self):
        return self._clean_id("applicant")

    def clean_respondent_id_number(self):
        return self._clean_id("respondent")

    def clean_applicant_phone(self):
        return self._clean_phone("applicant")

    def clean_respondent_phone(self):
        return self._clean_phone("respondent")

    def clean(self):
        cleaned = super().clean()
        has_respondent_details = any(cleaned.get(f"respondent_{f}") for f in ("id_number", "phone", "address"))
        if has_respondent_details and not cleaned.get("respondent_name"):
            self.add_error("respondent_name", _("Give the respondent's name, or leave their details empty."))
        return cleaned

    def id_number_warnings(self) -> list[str]:
        """Notes for the clerk about the ID numbers given (unknown place codes), worked
        out before saving: nothing that runs after the registration may fail it."""
        numbers = (self.cleaned_data.get(f"{prefix}_id_number") for prefix in PARTY_PREFIXES)
        return [warning for warning in map(resident_id_warning, filter(None, numbers)) if warning]

    def parties(self) -> list[dict]:
        """The validated parties as dicts for the service (the respondent only if named)."""
        rows = []
        for prefix, role in PARTY_PREFIXES.items():
            name = self.cleaned_data.get(f"{prefix}_name", "").strip()
            if name:
                rows.append({"role": role, "name": name,
                             **{f: self.cleaned_data.get(f"{prefix}_{f}", "") for f in ("id_number", "phone",
                                                                                       "address")}})
        return rows
