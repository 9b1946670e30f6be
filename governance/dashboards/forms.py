"""The place and period a dashboard is asked for (page and API alike)."""
from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.web import style_fields

LONGEST = timedelta(days=3 * 366)  # a county keeps years of matters; three at a time on one page


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=pgettext_lazy("dashboard", "From"), required=False)
    date_to = forms.DateField(label=pgettext_lazy("dashboard", "To"), required=False)
    region = forms.CharField(label=_("Place"), required=False, max_length=20)

    def __init__(self, data=None, *args, **kwargs):
        # The API and the page both say from/to; a form field cannot be named "from".
        if data is not None:
            data = {"date_from": data.get("from", ""), "date_to": data.get("to", ""),
                    "region": data.get("region", "")}
        super().__init__(data, *args, **kwargs)
        style_fields(self.fields)
        self.fields["date_from"].widget.input_type = "date"
        self.fields["date_to"].widget.input_type = "date"

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The period ends before it begins."))
        if first and last and last - first > LONGEST:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        return cleaned

    def scope_arguments(self) -> dict:
        return {"region_code": self.cleaned_data["region"] or None, "date_from": self.cleaned_data["date_from"],
                "date_to": self.cleaned_data["date_to"]}
