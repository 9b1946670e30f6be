"""The mediation pages' forms: they check the input's shape and keep what was
typed; the services decide what is allowed."""
from datetime import datetime

from django import forms
from django.db.models import Case, IntegerField, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.choices import OrganisationKind, Role
from governance.models import Organisation, Party, User
from governance.web import style_fields
from mediation.choices import (
    JOINT_ROLES,
    MEDIATION_BODY_KINDS,
    ConfirmationDecision,
    FollowUpMethod,
    Performance,
    ReferralOutcome,
    Route,
    Satisfaction,
    TeamRole,
)
from mediation.models import Room
from mediation.services.opening import JOINT_PLACE_RULES

DATE = forms.DateInput(attrs={"type": "date"})


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        org = user.organisation.short_name or user.organisation.name if user.organisation_id else ""
        return f"{user}（{org}）" if org else str(user)


class StaffMultipleChoice(StaffChoice, forms.ModelMultipleChoiceField):
    pass


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


def county_staff(case):
    return User.objects.filter(is_active=True, organisation__region__path__startswith=case.region.county_path) \
        .select_related("organisation").order_by("organisation__name", "last_name", "first_name")


class OpenForm(Styled, forms.Form):
    lead = StaffChoice(label=_("Lead mediator"), queryset=User.objects.none())
    body = forms.ModelChoiceField(label=_("Mediation body"), queryset=Organisation.objects.none(), required=False,
                                  help_text=_("Empty: the lead mediator's own body."))
    members = StaffMultipleChoice(label=_("Other mediators"), queryset=User.objects.none(), required=False)
    is_joint = forms.BooleanField(label=_("Joint mediation with the \"1131\" team (大事联合调)"), required=False)
    suggestion = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        staff = county_staff(case)
        mediators = staff.filter(role=Role.MEDIATOR, mediator_profile__is_active=True)
        self.fields["lead"].queryset = mediators
        self.fields["members"].queryset = mediators
        self.fields["body"].queryset = Organisation.objects.filter(
            is_active=True, kind__in=MEDIATION_BODY_KINDS, region__path__startswith=case.region.county_path)
        for role in JOINT_ROLES:
            roles, kinds = JOINT_PLACE_RULES[role]
            people = staff.filter(role__in=roles) if roles else staff
            people = people.filter(organisation__kind__in=kinds) if kinds else people
            self.fields[role] = StaffChoice(label=TeamRole(role).label, queryset=people, required=False)
        style_fields(self.fields)

    def joint(self):
        return {role: self.cleaned_data.get(role) for role in JOINT_ROLES}

    def joint_fields(self):
        return [self[role] for role in JOINT_ROLES]


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class NoteForm(Styled, forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class OptionalNoteForm(Styled, forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                           required=False)


class SessionForm(Styled, forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    on_site_address = forms.CharField(label=_("On site, at"), max_length=200, required=False)
    participants = StaffMultipleChoice(label=_("Mediators and staff"), queryset=User.objects.none())
    parties = forms.ModelMultipleChoiceField(label=_("Parties invited"), queryset=Party.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, mediation, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        case = mediation.case
        # The matter's own places' rooms first (the order of ``rooms``); checked against the same set.
        self.fields["room"].queryset = Room.objects.filter(pk__in=[room.pk for room in rooms])
        self.fields["room"].choices = [("", _("On site"))] + [(room.pk, str(room)) for room in rooms]
        team = [mediation.lead_id, *[m.user_id for m in mediation.members.all()]]
        # The team first, then everyone else of the county.
        self.fields["participants"].queryset = county_staff(case).annotate(
            outside=Case(When(pk__in=team, then=0), default=1, output_field=IntegerField())).order_by(
            "outside", "organisation__name", "last_name", "first_name")
        self.fields["parties"].queryset = Party.objects.filter(case=case)
        if not self.is_bound:
            mediators = [mediation.lead_id, *[m.user_id for m in mediation.members.all()
                                              if m.role in (TeamRole.MEDIATOR, TeamRole.PRO_MEDIATOR)]]
            self.initial.setdefault("participants", mediators)
            self.initial.setdefault("parties", list(Party.objects.filter(case=case).values_list("pk", flat=True)))
            self.initial.setdefault("room", rooms[0].pk if rooms else "")
        style_fields(self.fields)

    def moments(self):
        day = self.cleaned_data["day"]
        tz = timezone.get_current_timezone()
        return (datetime.combine(day, self.cleaned_data["starts"], tz),
                datetime.combine(day, self.cleaned_data["ends"], tz))


class MinutesForm(Styled, forms.Form):
    attendees = forms.CharField(label=_("Who attended"), widget=forms.Textarea(attrs={"rows": 2}))
    statements = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 5}))
    agreed = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AgreementForm(Styled, forms.Form):
    facts = forms.CharField(label=_("Facts of the dispute"), widget=forms.Textarea(attrs={"rows": 4}))
    terms = forms.CharField(label=_("Terms agreed"), widget=forms.Textarea(attrs={"rows": 5}))
    performance_deadline = forms.DateField(label=_("To be performed by"), required=False, widget=DATE)


class SuccessForm(AgreementForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SupersedeForm(AgreementForm):
    reason = forms.CharField(label=_("Why it supersedes the signed version"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(Styled, forms.Form):
    signed_on = forms.DateField(label=_("Signed (takes effect) on"), widget=DATE)


class FailureForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Why it did not settle"), widget=forms.Textarea(attrs={"rows": 2}))
    routes = forms.MultipleChoiceField(label=_("Routes the parties were told of"), choices=Route.choices,
                                       widget=forms.CheckboxSelectMultiple)
    court_station = forms.ModelChoiceField(label=_("Refer to the court station (诉调对接)"), required=False,
                                           queryset=Organisation.objects.filter(kind=OrganisationKind.COURT_STATION,
                                                                                is_active=True))
    referral_note = forms.CharField(label=_("Referral note"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(Styled, forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=FollowUpMethod.choices, widget=forms.RadioSelect)
    performance = forms.ChoiceField(label=_("Agreement performed"), choices=Performance.choices)
    satisfaction = forms.TypedChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices, coerce=int,
                                          widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApplyForm(Styled, forms.Form):
    court = forms.CharField(label=_("Court"), max_length=120)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)


class CourtAcceptForm(Styled, forms.Form):
    accepted_on = forms.DateField(label=_("Accepted on"), widget=DATE)


class DecideForm(Styled, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ConfirmationDecision.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralOutcomeForm(Styled, forms.Form):
    outcome = forms.ChoiceField(label=_("What the court did"),
                                choices=[c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING])
    outcome_on = forms.DateField(label=_("On"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
