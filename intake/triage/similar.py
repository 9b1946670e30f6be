"""Similar matters across every door: a hotline call, a grid report and a walk-in
about the same dispute are noticed as one. Within 90 days, a matter is similar
when it shares a party (ID number or phone), has the same respondent, or tells a
near-identical story in the same village (pg_trgm similarity, served by the
trigram index on the narrative, see migration 0008). Only matters the person may
see are looked at (``Case.objects.restrict(user, "view")``), and each comes with why."""
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.masking import mask_id_number, mask_phone
from governance.cases.querysets import VIEW, AnyOf
from governance.choices import PartyRole
from governance.models import Case, CaseText, Party, Region

DAYS = 90
LIMIT = 10
# "Near-identical": the share of trigrams two narratives have in common (0..1).
NARRATIVE_THRESHOLD = 0.5
NARRATIVE_MIN_CHARACTERS = 15
# A respondent's name this long is a body's (公司, 厂, 医院...), the same across the
# county; a shorter one is a person's, the same only within the town.
BODY_NAME_LENGTH = 5


@dataclass
class Similar:
    case: Case
    reasons: list = field(default_factory=list)
    similarity: float | None = None
    weight: int = 0  # 2 per shared party or near-identical story, 1 for the same respondent


def similar_matters(*, user, id_numbers=(), phones=(), respondents=(), narrative="", region=None, around=None,
                    exclude=None) -> list[Similar]:
    """Matters ``user`` sees, registered within 90 days of ``around`` (default now),
    that look like the same dispute, each with its reasons: those sharing a party or
    the story first, then those with the same respondent only; newest first within."""
    around = around or timezone.now()
    visible = Case.objects.restrict(user, VIEW).filter(created_at__gte=around - timedelta(days=DAYS),
                                                       created_at__lte=around + timedelta(days=DAYS))
    if exclude is not None:
        visible = visible.exclude(pk=exclude.pk)
    found: dict[int, Similar] = {}

    def add(case_id, reason, similarity=None, weight=2):
        item = found.setdefault(case_id, Similar(case=None))
        if reason not in item.reasons:
            item.reasons.append(reason)
            item.weight += weight
        if similarity is not None:
            item.similarity = similarity

    ids, phones = {v for v in id_numbers if v}, {v for v in phones if v}
    if ids or phones:
        condition = (Q(id_number__in=ids) if ids else Q()) | (Q(phone__in=phones) if phones else Q())
        for case_id, id_number, phone in Party.objects.filter(condition, case__in=visible.values("pk")).values_list(
                "case_id", "id_number", "phone"):
            if id_number and id_number in ids:
                add(case_id, _("Same party: ID number %(value)s") % {"value": mask_id_number(id_number)})
            if phone and phone in phones:
                add(case_id, _("Same party: phone %(value)s") % {"value": mask_phone(phone)})

    names = {name.strip() for name in respondents if name and name.strip()}
    if names:
        town = _ancestor_path(region, depth=2)
        local = Q(case__region__path__startswith=town) if town else Q()
        for case_id, name in Party.objects.filter(
                Q(name__in=[n for n in names if len(n) >= BODY_NAME_LENGTH]) | (Q(name__in=names) & local),
                role=PartyRole.RESPONDENT, case__in=visible.values("pk")).values_list("case_id", "name"):
            add(case_id, _("Same respondent: %(name)s") % {"name": name}, weight=1)

    narrative = (narrative or "").strip()
    village = _ancestor_path(region, depth=3)
    if village and len(narrative) >= NARRATIVE_MIN_CHARACTERS:
        for case_id, similarity in narrative_neighbours(visible, narrative, village):
            add(case_id, _("Near-identical narrative in the same village (similarity %(value)s)")
                % {"value": f"{similarity:.2f}"}, similarity)

    cases = Case.objects.select_related("category", "holder", "region").in_bulk(list(found))
    for case_id, item in found.items():
        item.case = cases[case_id]
    # The same person or story first, then the same respondent alone; newest first within each.
    return sorted(found.values(), key=lambda item: (item.weight, item.case.created_at), reverse=True)[:LIMIT]


def narrative_neighbours(visible, narrative, village_path, limit=LIMIT):
    """(case id, similarity) of the near-identical narratives placed in the village.
    ``narrative % text`` is what the trigram index serves; the threshold is set for
    this statement's transaction only."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [NARRATIVE_THRESHOLD])
        return list(narrative_query(visible, narrative, village_path)[:limit])


def narrative_query(visible, narrative, village_path):
    """The query itself (EXPLAIN it to see the trigram index serve ``%``): the
    near-identical narratives are found first, as an array the trigram index fills
    (``narrative % text``; case_narrative_trgm), then kept if placed in the village
    and visible to the person."""
    near = CaseText.objects.filter(narrative__trigram_similar=narrative).order_by().values("case_id")
    return (visible.filter(AnyOf("pk", near),
                           region__in=Region.objects.filter(path__startswith=village_path).values("pk"))
            .annotate(similarity=TrigramSimilarity("narrative", narrative))
            .order_by("-similarity").values_list("pk", "similarity"))


def _ancestor_path(region, *, depth):
    """The path of ``region``'s ancestor at ``depth`` (2 town, 3 village), or None above it."""
    if region is None or region.depth < depth:
        return None
    return region.path[:depth * Region.steplen]


def similar_to_case(*, user, case) -> list[Similar]:
    """For a matter's page: what looks like the same dispute, the matter itself left out."""
    parties = list(case.parties.all())
    return similar_matters(
        user=user, id_numbers=[p.id_number for p in parties], phones=[p.phone for p in parties],
        respondents=[p.name for p in parties if p.role == PartyRole.RESPONDENT], narrative=case.narrative,
        region=case.region, around=case.created_at, exclude=case,
    )
