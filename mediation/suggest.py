"""Who should lead a mediation: a suggestion by specialty, the place's tier and
the current workload, with the reason in words (shown when opening one)."""
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from governance.choices import TIER_OF_LEVEL
from mediation.choices import RUNNING_STATUSES, MediationStatus
from mediation.models import MediatorProfile

# Points for what makes a mediator fit; each open mediation they lead costs one.
SPECIALTY, SERVES_PLACE, SAME_TIER, LANGUAGE = 4, 2, 2, 1


@dataclass
class Suggestion:
    profile: MediatorProfile
    score: int
    workload: int
    reasons: list = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def candidates(*, case):
    """Active mediators of the matter's county, with the mediations they lead now."""
    open_statuses = [*RUNNING_STATUSES, MediationStatus.PROPOSED]
    return (MediatorProfile.objects.filter(is_active=True, user__is_active=True, user__role="mediator",
                                           body__is_active=True,
                                           body__region__path__startswith=case.region.county_path)
            .select_related("user", "body__region").prefetch_related("specialties")
            .annotate(workload=Count("user__led_mediations", filter=Q(user__led_mediations__status__in=open_statuses))))


def suggest_leads(*, case, language="", limit=5) -> list[Suggestion]:
    """The best leads for ``case``, best first: their specialty covers its category,
    their body serves its place at its tier, they speak the parties' language, and
    they lead the fewest open mediations."""
    language = (language or "").strip()
    suggestions = []
    for profile in candidates(case=case):
        score, reasons = -profile.workload, []
        if any(category.pk == case.category_id for category in profile.specialties.all()):
            score += SPECIALTY
            reasons.append(_("specialty: %(category)s") % {"category": case.category.name})
        body_region = profile.body.region
        if case.region.path.startswith(body_region.path):
            score += SERVES_PLACE
            if TIER_OF_LEVEL[body_region.level] == case.tier:
                score += SAME_TIER
                reasons.append(_("%(body)s serves this place at the matter's tier")
                               % {"body": profile.body.short_name or profile.body.name})
            else:
                reasons.append(_("%(body)s serves this place") % {"body": profile.body.short_name or profile.body.name})
        if language and language in profile.languages:
            score += LANGUAGE
            reasons.append(_("speaks %(language)s") % {"language": language})
        reasons.append(_("leads %(count)s open mediations (quota %(quota)s a month)")
                       % {"count": profile.workload, "quota": profile.monthly_quota})
        suggestions.append(Suggestion(profile, score, profile.workload, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.workload, s.profile.user.username))
    return suggestions[:limit]
