"""Reads for the window: returning visitors, their earlier and related matters,
the windows' daily counts, place pickers, and the public status lookup."""
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Case as SqlCase
from django.db.models import Count, F, Q, TextField, Value, When
from django.utils import timezone

from governance.choices import PLACE_LEVELS, OPEN_STATUSES, CaseStatus, EventType, PartyRole
from governance.models import Case, CaseEvent, Party, Region
from governance.cases.masking import mask_id_number
from governance.cases.querysets import VIEW
from intake.models import Intake, Window

RELATED_DAYS = 90
LIST_LIMIT = 20


def _party_match(id_numbers, phones) -> Q | None:
    condition = Q()
    if id_numbers:
        condition |= Q(parties__id_number__in=id_numbers)
    if phones:
        condition |= Q(parties__phone__in=phones)
    return condition if condition else None


def returning_visitor(*, user, id_number="", phone=""):
    """The latest party record with this ID number (else phone) on a matter ``user``
    sees: the details to fill in. None for a first visit."""
    visible = Case.objects.restrict(user, VIEW)
    for field, value in (("id_number", id_number), ("phone", phone)):
        if value:
            party = (Party.objects.filter(**{field: value}, case__in=visible.values("pk"))
                     .order_by("-case__created_at").first())
            if party is not None:
                return party
    return None


def id_number_name_conflicts(*, user, parties) -> list[str]:
    """Warnings for ID numbers ``user`` has seen registered under another name: a
    typing mistake, or someone using another's card. One query for all parties;
    only matters in the user's view are looked at, so no name leaks."""
    from django.utils.translation import gettext as _

    typed = {p["id_number"]: p["name"].strip() for p in parties if p.get("id_number")}
    if not typed:
        return []
    # Most registrations bring a new ID number, or one registered under the same name: one
    # indexed look-up says so, without the scope rule's subquery (measured by `make loadtest`:
    # the scoped query was a fifth of a registration's time). Only a differing name is then
    # looked for among the matters in the user's view.
    differing = Party.objects.filter(id_number__in=typed).exclude(
        reduce(or_, (Q(id_number=number, name=name) for number, name in typed.items())))
    if not differing.exists():
        return []
    names = {}
    for number, name in (Party.objects.filter(id_number__in=typed,
                                              case__in=Case.objects.restrict(user, VIEW).values("pk"))
                         .values_list("id_number", "name").distinct().order_by("id_number", "name")[:50]):
        if name != typed[number]:
            names.setdefault(number, name)
    return [_("The ID number %(number)s was registered before under the name %(earlier)s, not %(typed)s: "
              "please check the ID card.") % {"number": mask_id_number(number), "earlier": name,
                                               "typed": typed[number]}
            for number, name in names.items()]


def visitor_matters(*, user, id_numbers=(), phones=()):
    """The visitor's earlier matters (any status), newest first."""
    condition = _party_match([v for v in id_numbers if v], [v for v in phones if v])
    if condition is None:
        return Case.objects.none()
    return (Case.objects.restrict(user, VIEW).filter(condition).distinct()
            .select_related("category", "holder", "region").order_by("-created_at")[:LIST_LIMIT])


def related_open_matters(*, user, id_numbers=(), phones=(), category=None, region=None):
    """Open matters of the last 90 days with the same parties, category and place:
    candidates for a repeat visit instead of a new registration."""
    condition = _party_match([v for v in id_numbers if v], [v for v in phones if v])
    if condition is None or category is None or region is None:
        return Case.objects.none()
    since = timezone.now() - timedelta(days=RELATED_DAYS)
    return (Case.objects.restrict(user, VIEW)
            .filter(condition, status__in=OPEN_STATUSES, category=category, region=region, created_at__gte=since)
            .distinct().select_related("category", "holder", "region").order_by("-created_at")[:LIST_LIMIT])


def windows_today(*, center):
    """The center's windows with how many visits each took today (one GROUP BY)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Window.objects.filter(center=center, is_active=True).annotate(
        today=Count("intakes", filter=Q(intakes__at__gte=start))
    ).order_by("number")


def window_of(user):
    """The window a clerk works at (the first active one they are on), or None."""
    return Window.objects.filter(clerks=user, is_active=True).select_related("center").order_by("number").first()


def public_case(*, number, phone_last4):
    """The matter a citizen asks about, only if an applicant's phone ends with the
    four digits; otherwise None — the same answer whether the number exists or not."""
    number, phone_last4 = (number or "").strip(), (phone_last4 or "").strip()
    if not number or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    return (Case.objects.filter(number=number, parties__role=PartyRole.APPLICANT,
                                parties__phone__endswith=phone_last4)
            .select_related("holder", "category").first())


# The notes a citizen may read: the outcome they are told (resolved, closed), the
# routing notice, and an app's step written for them (``data["citizen"]``: e.g. when and
# where a mediation session sits). Other notes are staff's words to staff (a leader's
# reason for a move, a dispatch instruction, a termination reason), even on events the
# citizen sees.
CITIZEN_NOTES = (Q(type=EventType.STATUS_CHANGED, to_status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
                 | Q(type=EventType.DISPATCHED, data__routing=True)
                 | Q(type=EventType.STEP, data__citizen=True))


def public_timeline(*, case):
    """What a citizen may see of a timeline: public events only, no actors, and a
    ``citizen_note`` that is empty unless the note is one meant for them."""
    return (CaseEvent.objects.filter(case=case, is_public=True)
            .annotate(citizen_note=SqlCase(When(CITIZEN_NOTES, then=F("note")), default=Value(""),
                                           output_field=TextField()))
            .select_related("to_holder").order_by("at", "id"))


def intakes_of(case):
    return Intake.objects.filter(case=case).select_related("window", "clerk").order_by("at")




def search_regions(*, q="", under=None, limit=50, levels=PLACE_LEVELS):
    """Places matching ``q`` by name or code — or lying under a town or village whose
    name matches (typing 临河 lists 临河镇 and its villages) — within ``under``'s
    subtree, as (region, "镇 村 网格" label) pairs. Three queries whatever the count."""
    places = Region.objects.filter(level__in=levels)
    if under is not None:
        places = places.filter(path__startswith=under.path)
    q = (q or "").strip()
    if q:
        condition = Q(name__contains=q) | Q(code__startswith=q)
        named = Region.objects.filter(name__contains=q, level__in=("town", "village"))
        if under is not None:
            named = named.filter(path__startswith=under.path)
        for path in named.values_list("path", flat=True)[:10]:
            condition |= Q(path__startswith=path)
        places = places.filter(condition)
    places = list(places.order_by("path")[:limit])
    step = Region.steplen
    ancestor_paths = {p.path[:end] for p in places for end in range(step * 2, len(p.path), step)}
    names = dict(Region.objects.filter(path__in=ancestor_paths).values_list("path", "name"))
    return [
        (p, " ".join([*(names.get(p.path[:end], "") for end in range(step * 2, len(p.path), step)), p.name]))
        for p in places
    ]


def place_choices(*, q="", under=None, levels=PLACE_LEVELS, limit=30, chosen=None):
    """The (region, label) pairs a place select offers: what matches ``q``, with the
    ``chosen`` region first, so a choice survives a form error or a narrowing search."""
    choices = [pair for pair in search_regions(q=q, under=under, limit=limit, levels=levels) if pair[0] != chosen]
    if chosen is not None:
        # Codes are hierarchical: the place itself comes first among those starting with its code.
        choices = [*search_regions(q=chosen.code, limit=1, levels=(chosen.level,)), *choices]
    return choices
