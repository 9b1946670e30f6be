"""What Open311 clients send, checked with the validators every door shares, and
turned into the spec's 400 errors (one description per problem, in Chinese)."""
import re
from datetime import timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.choices import LOCAL_PLACE_LEVELS, CaseKind
from governance.models import Region
from intake.open311.errors import Open311Error
from intake.validators import clean_phone, clean_resident_id

# Service definition attributes: sent as attribute[code]=value.
ATTRIBUTES = ("region", "id_number", "kind")
# The spec's window for GET requests, and its cap on results.
MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000


def _parameter(name):
    return f"attribute[{name}]" if name in ATTRIBUTES else name


def form_error(form) -> Open311Error:
    """Every problem of ``form`` as one 400 with a description each: the field's
    label and the spec's parameter name, so both the citizen and the client's
    developer know what to fix."""
    descriptions = []
    for name, errors in form.errors.as_data().items():
        for error in errors:
            for message in error.messages:
                if name == NON_FIELD_ERRORS:
                    descriptions.append(message)
                else:
                    descriptions.append(_("%(label)s (%(parameter)s): %(message)s") % {
                        "label": form.fields[name].label, "parameter": _parameter(name), "message": message})
    return Open311Error(400, *descriptions)


def full_name(first, last):
    """Chinese names run family name first with no space; others "first last"."""
    if any("\u2e80" <= ch for ch in first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


class ServiceRequestForm(forms.Form):
    """POST requests, once api_key and service_code are known to be good.

    As GeoReport v2 says: the personal fields (first_name, last_name, email, phone)
    and the description are optional, so a hotline can forward an anonymous report;
    a location is required: lat and long, address_string or address_id. Our
    address_id is a place code (what GET requests answers with), so it also stands
    for the region attribute when a generic client sends only that.
    """

    region = forms.CharField(label=gettext_lazy("place"), max_length=20, required=False)
    id_number = forms.CharField(label=gettext_lazy("ID number"), required=False)
    kind = forms.CharField(label=gettext_lazy("kind"), required=False)
    description = forms.CharField(label=gettext_lazy("description"), max_length=4000, required=False)
    first_name = forms.CharField(label=gettext_lazy("given name"), max_length=40, required=False)
    last_name = forms.CharField(label=gettext_lazy("family name"), max_length=40, required=False)
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=30, required=False)
    email = forms.EmailField(label=gettext_lazy("email"), required=False)
    address_string = forms.CharField(label=gettext_lazy("address"), max_length=200, required=False)
    address_id = forms.CharField(label=gettext_lazy("place code"), max_length=20, required=False)
    lat = forms.DecimalField(label=gettext_lazy("latitude"), min_value=-90, max_value=90, required=False)
    long = forms.DecimalField(label=gettext_lazy("longitude"), min_value=-180, max_value=180, required=False)
    media_url = forms.URLField(label=gettext_lazy("media link"), max_length=500, required=False,
                               assume_scheme="https")

    @classmethod
    def from_post(cls, post):
        """Only the fields the service definition names: a plain ``region=`` is not an attribute."""
        data = {name: post.get(name, "") for name in cls.base_fields if name not in ATTRIBUTES}
        data.update({name: post.get(f"attribute[{name}]", "") for name in ATTRIBUTES})
        return cls(data)

    def clean_region(self):
        code = self.cleaned_data["region"] or self.data.get("address_id", "").strip()
        if not code:
            raise ValidationError(_("Please give the code of the village (community), town or grid "
                                    "where the dispute is."))
        region = Region.objects.filter(code=code, level__in=LOCAL_PLACE_LEVELS).first()
        if region is None:
            raise ValidationError(_("No village (community), town or grid has the code “%(code)s”.") % {"code": code})
        return region

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return clean_resident_id(value) if value else ""

    def clean_kind(self):
        value = self.cleaned_data["kind"]
        if value and value != CaseKind.DISPUTE:
            raise ValidationError(_("Only disputes can be submitted here (kind “dispute”)."))
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        return clean_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        data["name"] = full_name(data.get("first_name", ""), data.get("last_name", ""))
        if (data.get("lat") is None) != (data.get("long") is None) and not {"lat", "long"} & set(self.errors):
            raise ValidationError(_("Give both lat and long, or neither."))
        located = data.get("lat") is not None or data.get("address_string") or data.get("address_id")
        if not located and not {"lat", "long", "address_string", "address_id"} & set(self.errors):
            raise ValidationError(_("Please give a location: lat and long, an address (address_string) "
                                    "or a place code (address_id)."))
        return data

    def submission(self) -> dict:
        """The keyword arguments of ``open311_submit``."""
        data = self.cleaned_data
        return {
            "region": data["region"], "description": data["description"], "name": data["name"],
            "phone": data["phone"], "id_number": data["id_number"], "address": data["address_string"],
            "email": data["email"], "media_url": data["media_url"],
            "lat": float(data["lat"]) if data["lat"] is not None else None,
            "long": float(data["long"]) if data["long"] is not None else None,
        }


def parse_w3c(value):
    """A W3C date-time (2026-01-01T00:00:00Z, …+08:00) or date; no offset means China time."""
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    value = re.sub(r" (\d\d:?\d\d)$", r"+\1", value.strip())
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(_("“%(value)s” is not a W3C date-time such as 2026-01-01T00:00:00+08:00.")
                              % {"value": value})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _comma_list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


class RequestQueryForm(forms.Form):
    """GET requests: the spec's filters, and its window of at most 90 days."""

    service_request_id = forms.CharField(label=gettext_lazy("service request IDs"), required=False)
    service_code = forms.CharField(label=gettext_lazy("service codes"), required=False)
    status = forms.CharField(label=gettext_lazy("status"), required=False)
    start_date = forms.CharField(label=gettext_lazy("start date"), required=False)
    end_date = forms.CharField(label=gettext_lazy("end date"), required=False)

    @classmethod
    def from_query(cls, query):
        """Service request IDs override every other filter, as the spec says."""
        if query.get("service_request_id", "").strip():
            return cls({"service_request_id": query["service_request_id"]})
        return cls(query)

    def clean_service_request_id(self):
        return _comma_list(self.cleaned_data["service_request_id"])[:MAX_RESULTS]

    def clean_service_code(self):
        return _comma_list(self.cleaned_data["service_code"])

    def clean_status(self):
        statuses = set(_comma_list(self.cleaned_data["status"]))
        if not statuses <= {"open", "closed"}:
            raise ValidationError(_("Use open, closed or both, separated by a comma."))
        return statuses

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        return parse_w3c(value) if value else None

    def clean_end_date(self):
        value = self.cleaned_data["end_date"]
        return parse_w3c(value) if value else None

    def clean(self):
        data = super().clean()
        if self.errors or data["service_request_id"]:
            return data
        start, end = data["start_date"], data["end_date"]
        if start and end:
            if start > end:
                raise ValidationError(_("start_date is after end_date."))
            if end - start > MAX_SPAN:
                raise ValidationError(_("start_date and end_date may be at most 90 days apart."))
        elif start:
            end = start + MAX_SPAN
        elif end:
            start = end - MAX_SPAN
        else:
            end = timezone.now()
            start = end - MAX_SPAN
        data["start_date"], data["end_date"] = start, end
        return data
