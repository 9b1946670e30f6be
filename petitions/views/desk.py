"""The petition desk: register a petition (visit, letter, phone, online) with its
petitioners, offered the matters it may repeat as the intake desk offers a repeat
visit; and opening the record of a petition registered at the general desk."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.cases.models import Category
from governance.models import Region
from governance.web import posted_id
from intake.selectors import place_choices
from intake.validators import clean_phone, clean_resident_id
from petitions import selectors, services
from petitions.forms import OpenForm, PersonFormSet, RegistrationForm, people_of


def county_of(user):
    if user.organisation_id is None:
        return Region.objects.filter(depth=1).order_by("path").first()
    return Region.objects.get(path=user.organisation.region.county_path)


def add_errors(form, error: ValidationError):
    """A service's refusal shown on the form: on its field where the form has it."""
    for field, texts in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        form.add_error(field if field in form.fields else None, texts)


def _context(request, form, people, county):
    chosen = str(form["region"].value() or "")
    region = Region.objects.filter(pk=chosen, path__startswith=county.path).first() if chosen.isdigit() else None
    nearby = request.user.organisation.region if request.user.organisation_id else county
    return {"form": form, "people": people, "place_choices": place_choices(under=nearby, limit=30, chosen=region)}


@permission_required("petitions.register_petition", raise_exception=True)
def register(request):
    """信访登记: one page; the candidates panel offers the matters it may repeat."""
    county = county_of(request.user)
    if request.method != "POST":
        form, people = RegistrationForm(county=county), PersonFormSet(prefix="p")
        return render(request, "petitions/register.html", _context(request, form, people, county))
    form, people = RegistrationForm(request.POST, county=county), PersonFormSet(request.POST, prefix="p")
    if form.is_valid() and people.is_valid():
        petitioners, representatives = people_of(people)
        data = form.cleaned_data
        try:
            result = services.petition_register(
                actor=request.user, channel=data["channel"], received_on=data["received_on"],
                addressed_to=data["addressed_to"], narrative=data["narrative"], category=data["category"],
                region=data["region"], address=data["address"], group_size=data["group_size"],
                petitioners=petitioners, representatives=representatives,
                repeat_of=posted_id(request.POST.get("repeat_of")) or None)
        except ValidationError as error:
            add_errors(form, error)
        except services.CaseChangeForbidden as error:
            return HttpResponseForbidden(str(error))
        else:
            if result.outcome == "repeat_visit":
                messages.success(request, _("Counted as visit %(count)s of %(number)s.")
                                 % {"count": result.case.visit_count, "number": result.case.number})
            elif result.outcome == "not_accepted":
                messages.warning(request, _("Registered as %(number)s and recorded as not accepted: %(reason)s")
                                 % {"number": result.case.number, "reason": result.petition.reason})
            else:
                messages.success(request, _("Registered as %(number)s.") % {"number": result.case.number})
            return redirect("petitions-detail", case_id=result.case.pk)
    return render(request, "petitions/register.html", _context(request, form, people, county), status=400)


@permission_required("petitions.register_petition", raise_exception=True)
def person_row(request):
    """htmx: one more petitioner row (and the formset's new count, out of band)."""
    index = posted_id(request.GET.get("p-TOTAL_FORMS"))
    if index >= PersonFormSet.max_num:
        return render(request, "petitions/_person_row.html", {"full": True})
    people = PersonFormSet(prefix="p")
    return render(request, "petitions/_person_row.html", {"row": people._construct_form(index), "total": index + 1})


def _loose(cleaner, value):
    try:
        return cleaner(value) if value.strip() else ""
    except ValidationError:
        return ""


@permission_required("petitions.register_petition", raise_exception=True)
@require_POST
def candidates(request):
    """htmx: the matters the petition may repeat (same people, same category):
    a repeat visit, or not accepted as final (art. 36) or handled below (art. 19).
    POST, so ID numbers and phones stay out of URLs and logs."""
    post, total = request.POST, min(posted_id(request.POST.get("p-TOTAL_FORMS")), PersonFormSet.max_num)
    ids = [_loose(clean_resident_id, post.get(f"p-{n}-id_number", "")) for n in range(total)]
    phones = [_loose(clean_phone, post.get(f"p-{n}-phone", "")) for n in range(total)]
    category = Category.objects.filter(pk=posted_id(post.get("category"))).first()
    offered = selectors.candidates(user=request.user, id_numbers=ids, phones=phones, category=category)
    return render(request, "petitions/_candidates.html", {"offered": offered})


@login_required
@require_POST
def open_record(request, case_id):
    """The statutory record of a petition registered at the general desk."""
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            services.petition_open(case_id=case_id, actor=request.user, **form.cleaned_data)
        except services.CaseNotFound:
            raise Http404 from None
        except services.CaseChangeForbidden as error:
            return HttpResponseForbidden(str(error))
        except (ValidationError, services.InvalidTransition) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("case-detail", case_id=case_id)
        messages.success(request, _("The petition's record was opened; its periods run from the date received."))
        return redirect("petitions-detail", case_id=case_id)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("case-detail", case_id=case_id)
