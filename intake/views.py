"""The window desk: register, find returning visitors and related matters, link a
repeat visit, triage, print the receipt. Thin views over services and selectors."""
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from governance.cases import selectors as case_selectors
from governance.models import Case, Organisation, Region, User
from governance.people import roles
from governance.people.roles import TRIAGE
from governance.files import private_file_response
from governance.privacy import services as privacy_services
from governance.privacy.models import AccessAction
from governance.web import posted_id, write_then_redirect
from intake import selectors, services
from intake.forms import RegistrationForm
from intake.models import Attachment
from intake.routing import dispatch_targets, suggest_holder
from intake.triage import views as triage_views

TRIAGE_ACTIONS = ("resolve", "dispatch", "joint", "leader")


def _county_of(user):
    if user.organisation_id is None:
        return Region.objects.filter(depth=1).order_by("path").first()
    return Region.objects.get(path=user.organisation.region.county_path)


def _place_choices(form, county, nearby):
    """The place select shows places near the clerk with the chosen one first, never the whole county."""
    chosen = posted_id(form["region"].value())
    region = Region.objects.filter(pk=chosen, path__startswith=county.path).first() if chosen else None
    return selectors.place_choices(under=nearby, limit=30, chosen=region)


def _desk_context(request, form, county):
    window = selectors.window_of(request.user)
    return {
        "form": form, "window": window, "place_choices": _place_choices(form, county, nearby=(
            request.user.organisation.region if request.user.organisation_id else county)),
        "windows": selectors.windows_today(center=window.center) if window else [],
    }


@permission_required("governance.add_case", raise_exception=True)
def desk(request):
    """受理登记: the one-page registration at the clerk's window."""
    county = _county_of(request.user)
    if request.method != "POST":
        return render(request, "intake/desk.html", _desk_context(request, RegistrationForm(county=county), county))
    form = RegistrationForm(request.POST, request.FILES, county=county)
    if form.is_valid():
        data = form.cleaned_data
        duplicates = [] if request.POST.get("confirm_new") else list(_related_open_matters(request.user, data))
        if duplicates:
            # The repeat-visit offer was on screen and the big button was pressed: ask
            # first, rather than open a second matter for the same dispute.
            context = {**_desk_context(request, form, county), "duplicates": duplicates}
            if request.FILES:
                messages.info(request, _("For safety the browser does not keep chosen files: please choose them "
                                         "again."))
            return render(request, "intake/desk.html", context, status=409)
        # Worked out before saving: nothing that runs after the registration may fail it.
        warnings = [*form.id_number_warnings(),
                    *selectors.id_number_name_conflicts(user=request.user, parties=form.parties())]
        try:
            case = services.intake_register(
                actor=request.user, window=selectors.window_of(request.user), channel=data["channel"],
                kind=data["kind"], category=data["category"], region=data["region"], address=data["address"],
                narrative=data["narrative"], parties=form.parties(), attachments=data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            triage_views.settle_registration(request, case)
            messages.success(request, _("Registered as %(number)s.") % {"number": case.number})
            if not request.user.has_perm(TRIAGE.permission):  # e.g. a village mediator: handle it on its page
                return redirect("case-detail", case_id=case.pk)
            return redirect("intake-triage", case_id=case.pk)
    if request.FILES:
        messages.info(request, _("For safety the browser does not keep chosen files: please choose them again."))
    return render(request, "intake/desk.html", _desk_context(request, form, county), status=400)


def _related_open_matters(user, data):
    """The open matters the visitor panel offers for a repeat visit, for the typed visitor."""
    return selectors.related_open_matters(
        user=user, id_numbers=[data.get("applicant_id_number")], phones=[data.get("applicant_phone")],
        category=data.get("category"), region=data.get("region"))


@login_required
def places(request):
    """htmx: the <option>s of the place select, narrowed by the search box."""
    county = _county_of(request.user)
    choices = selectors.search_regions(q=request.GET.get("place_q", ""), under=county, limit=30)
    chosen = request.GET.get("region", "")
    # Keep the place already chosen on top (selected) when it still matches.
    choices.sort(key=lambda pair: str(pair[0].pk) != chosen)
    return render(request, "intake/_place_options.html",
                  {"place_choices": choices, "select_first": bool(request.GET.get("place_q"))})


@login_required
@require_POST
def visitor(request):
    """htmx: the visitor panel: a returning visitor's details to fill in, their
    earlier matters, and open matters with the same party, category and place.
    POST, so ID numbers and phones stay out of URLs and access logs."""
    form = RegistrationForm(request.POST, county=_county_of(request.user))
    form.is_valid()  # only for the cleaned values it has; errors are shown on submit
    data = getattr(form, "cleaned_data", {})
    id_number, phone = data.get("applicant_id_number", ""), data.get("applicant_phone", "")
    found = selectors.returning_visitor(user=request.user, id_number=id_number, phone=phone)
    if request.GET.get("fill") and found is not None:
        # Fill only what the clerk left empty; never overwrite what was typed.
        # The ID number is never filled in: a phone number alone must not reveal it.
        typed = {f"applicant_{f}": data.get(f"applicant_{f}", "").strip()
                 for f in ("name", "id_number", "phone", "address")}
        initial = {key: value or ("" if key == "applicant_id_number" else getattr(found, key.removeprefix(
            "applicant_"))) for key, value in typed.items()}
        return render(request, "intake/_applicant_fields.html",
                      {"form": RegistrationForm(initial=initial), "filled": True})
    ids = [id_number, found.id_number if found else ""]
    phones = [phone, found.phone if found else ""]
    return render(request, "intake/_visitor.html", {
        "found": found, "typed_name": request.POST.get("applicant_name", "").strip(),
        "earlier": selectors.visitor_matters(user=request.user, id_numbers=ids, phones=phones),
        "related": selectors.related_open_matters(user=request.user, id_numbers=ids, phones=phones,
                                                  category=data.get("category"), region=data.get("region")),
    })


@permission_required("governance.add_case", raise_exception=True)
@require_POST
def link_repeat_visit(request, case_id):
    """The clerk chose an existing matter: count a repeat visit there (with the files
    chosen) instead of a new registration. A refusal comes back on the desk, typed
    text kept."""
    try:
        case = services.case_link_repeat_visit(
            case_id=case_id, actor=request.user, channel=request.POST.get("channel") or "walk_in",
            note=request.POST.get("narrative", "")[:2000], window=selectors.window_of(request.user),
            attachments=request.FILES.getlist("attachments"),
        )
    except services.CaseNotFound:
        raise Http404 from None
    except (ValidationError, services.InvalidTransition, services.CaseChangeForbidden) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        county = _county_of(request.user)
        form = RegistrationForm(request.POST, county=county)
        return render(request, "intake/desk.html", _desk_context(request, form, county), status=400)
    messages.success(request, _("Recorded as visit %(count)s of %(number)s.")
                     % {"count": case.visit_count, "number": case.number})
    return redirect("intake-receipt", case_id=case.pk)


def _triageable_case(request, case_id):
    try:
        case = case_selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    can_triage = Case.objects.restrict(request.user, TRIAGE).filter(pk=case.pk).exists()
    return case, can_triage


@login_required
def triage(request, case_id):
    """分类处置: what to do with a registered matter, with the routing's suggestion first."""
    case, can_triage = _triageable_case(request, case_id)
    county = Region.objects.get(path=case.region.county_path)
    context = {
        "case": case, "can_triage": can_triage and case.status == "registered",
        "role_may_triage": request.user.has_perm(TRIAGE.permission),
        "suggested": suggest_holder(kind=case.kind, category=case.category, region=case.region),
        "targets": dispatch_targets(region=case.region).exclude(pk=case.holder_id),
        "joint_members": Organisation.objects.filter(is_active=True, region=county).exclude(kind="center"),
        "leaders": User.objects.filter(role="leader", is_active=True,
                                       organisation__region__path__startswith=county.path).select_related("organisation"),
        "intakes": selectors.intakes_of(case),
        **triage_views.triage_context(request, case),
    }
    return render(request, "intake/triage.html", context)


@login_required
@require_POST
def triage_action(request, case_id, action):
    if action not in TRIAGE_ACTIONS:
        raise Http404
    note = request.POST.get("note", "")
    post = request.POST

    def write():
        if action == "resolve":
            return services.case_resolve_on_spot(case_id=case_id, actor=request.user, note=note)
        if action == "dispatch":
            to = Organisation.objects.filter(pk=posted_id(post.get("to"))).first()
            if to is None:
                raise services.InvalidTransition(_("Choose the organisation to dispatch to."))
            return services.case_dispatch(case_id=case_id, actor=request.user, to=to, note=note)
        if action == "joint":
            members = list(Organisation.objects.filter(pk__in=list(filter(None, map(posted_id, post.getlist(
                "members"))))))
            return services.case_joint_mediation(case_id=case_id, actor=request.user, organisations=members,
                                                 note=note)
        leader = User.objects.filter(pk=posted_id(post.get("leader"))).first()
        if leader is None:
            raise services.InvalidTransition(_("Choose the leader who owns the matter."))
        return services.case_leader_ownership(case_id=case_id, actor=request.user, leader=leader, note=note)

    return write_then_redirect(request, write, success=_("The matter was triaged."),
                               to=redirect("intake-triage", case_id=case_id))


@login_required
@require_http_methods(["GET", "POST"])
def receipt(request, case_id):
    """受理回执: printable on A4 or an 80 mm receipt printer, with a QR code to the public status page.

    GET: the citizen's copy, numbers masked. POST (the "with the clerk's copy" button):
    the clerk's copy (存根) too, with the parties' full ID numbers and phones, for those
    who may reveal them; each such print is written to the access log first."""
    try:
        case = case_selectors.case_get(user=request.user, case_id=case_id)
    except Case.DoesNotExist:
        raise Http404 from None
    can_reveal = privacy_services.may_reveal(request.user, case)
    clerk_copy = request.method == "POST"
    parties = list(case.parties.all())
    if clerk_copy:
        if not can_reveal:
            raise PermissionDenied(str(roles.REVEAL.refusal))
        privacy_services.record_print(
            actor=request.user, action=AccessAction.PRINT_RECEIPT, case_id=case.pk,
            purpose=_("Printing the receipt with the clerk's copy"), parties=parties,
            address=privacy_services.client_address(request))
    status_url = request.build_absolute_uri(reverse("public-status")) + f"?number={case.number}"
    paper = "80mm" if request.GET.get("paper") == "80mm" else "a4"
    response = render(request, "intake/receipt.html", {
        "case": case, "paper": paper, "status_url": status_url,
        "qr_svg": segno.make(status_url, error="m").svg_inline(scale=3 if paper == "80mm" else 4),
        "intake": selectors.intakes_of(case).last(),
        "applicant": next((party for party in parties if party.role == "applicant"), None),
        "parties": parties, "clerk_copy": clerk_copy, "can_reveal": can_reveal,
    })
    if clerk_copy:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def attachment(request, attachment_id):
    """A matter's photo or PDF, for whoever may see the matter (never a public URL)."""
    found = Attachment.objects.filter(pk=attachment_id).select_related("case").first()
    if found is None or not Case.objects.restrict(request.user, "view").filter(pk=found.case_id).exists():
        raise Http404
    return private_file_response(found.file, content_type=found.content_type, filename=found.name,
                                 as_attachment=found.content_type == "application/pdf")
