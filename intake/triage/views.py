"""Triage's pieces of pages: the suggestion chips under the narrative and the
similar-matter panel (htmx, on the desk), and the category change on the triage page."""
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance.choices import CaseKind, PLACE_LEVELS
from governance.models import Category, Region
from governance.people.roles import REGISTER
from governance.web import posted_id, write_then_redirect
from intake.forms import RegistrationForm
from intake.triage import services, similar, suggestions
from intake.triage.models import Door


def _county(user):
    return suggestions.county_of(user=user)


def _place(request, county):
    """The place chosen on the form, if it is one of the county's."""
    pk = posted_id(request.POST.get("region"))
    if not pk or county is None:
        return None
    return Region.objects.filter(pk=pk, level__in=PLACE_LEVELS, path__startswith=county.path).first()


@permission_required(REGISTER.permission, raise_exception=True)
@require_POST
def suggest_panel(request):
    """htmx: the chips under the narrative: the top three categories, their scores,
    the deciding words, and the holder the routing gives the first at the place."""
    county = _county(request.user)
    region = _place(request, county)
    kind = request.POST.get("kind")
    kind = kind if kind in CaseKind.values else CaseKind.DISPUTE
    result = suggestions.suggest(narrative=request.POST.get("narrative", "")[:5000], county=county, region=region,
                                 kind=kind)
    suggestion = suggestions.record_offer(result=result, user=request.user, door=Door.DESK,
                                          suggestion_id=posted_id(request.POST.get("triage_suggestion")))
    return render(request, "intake/triage/_suggestions.html", {
        "result": result, "suggestion": suggestion, "clicked": request.POST.get("triage_clicked") == "1",
        "selected": posted_id(request.POST.get("category")),
        "pieces": suggestions.highlighted(result.narrative, result.first.spans) if result.available else [],
    })


@login_required
@require_POST
def similar_panel(request):
    """htmx: matters of the last 90 days, from any door, that look like the one being
    registered, each with why; only those the clerk may see."""
    county = _county(request.user)
    form = RegistrationForm(request.POST, county=county)
    form.is_valid()  # only for the cleaned values it has; errors are shown on submit
    data = getattr(form, "cleaned_data", {})
    rows = similar.similar_matters(
        user=request.user,
        id_numbers=[data.get("applicant_id_number", ""), data.get("respondent_id_number", "")],
        phones=[data.get("applicant_phone", ""), data.get("respondent_phone", "")],
        respondents=[data.get("respondent_name", "")],
        narrative=request.POST.get("narrative", "")[:5000], region=_place(request, county),
    )
    return render(request, "intake/triage/_similar.html", {"similar": rows, "on_desk": True})


@login_required
@require_POST
def recategorise(request, case_id):
    """The triage page: handle the registered matter under another category (a chip)."""
    category = Category.objects.filter(pk=posted_id(request.POST.get("category")), is_active=True).first()
    return write_then_redirect(
        request,
        lambda: services.case_recategorise(case_id=case_id, actor=request.user, category=category,
                                           clicked=request.POST.get("clicked") == "1"),
        success=_("The category was changed."), to=redirect("intake-triage", case_id=case_id))


def settle_registration(request, case):
    """After the desk registered ``case``: record what the clerk chose against the
    suggestion they were shown (the clerk's choice is the matter's category, always)."""
    suggestion_id = posted_id(request.POST.get("triage_suggestion"))
    if suggestion_id:
        suggestions.settle(suggestion_id=suggestion_id, user=request.user, case=case, chosen=case.category,
                           clicked=request.POST.get("triage_clicked") == "1")


def triage_context(request, case):
    """The triage page's suggestion card (also for matters the public form and the
    hotline dispatched at once), and the matters similar to this one."""
    result, _suggestion = suggestions.offer_for_case(case=case, user=request.user)
    return {
        "triage": result,
        "triage_pieces": suggestions.highlighted(result.narrative, result.first.spans) if result.available else [],
        "similar": similar.similar_to_case(user=request.user, case=case),
    }


def case_panel(request, case):
    """The matter page's panel: similar matters (None: no panel)."""
    rows = similar.similar_to_case(user=request.user, case=case)
    return {"similar": rows} if rows else None
