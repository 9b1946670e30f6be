"""Who should hold a matter at dispatch (交办): the admins' category routing first;
then the village center of the place for disputes (小事不出村); for other kinds the
stationed department that handles the category; else the nearest center above."""
from governance.choices import CaseKind, OrganisationKind
from governance.models import Organisation
from intake.models import CategoryRoute


def suggest_holder(*, kind, category, region) -> Organisation | None:
    # An admin's route counts where its organisation serves the place (its own county).
    route = CategoryRoute.objects.filter(
        category=category, organisation__is_active=True, organisation__region__path__in=region.paths_to_root
    ).select_related("organisation__region").first()
    if route is not None:
        return route.organisation
    above = Organisation.objects.filter(is_active=True, region__path__in=region.paths_to_root).select_related(
        "region").order_by("-region__depth", "id")
    if kind != CaseKind.DISPUTE:
        department = above.exclude(kind=OrganisationKind.CENTER).filter(categories=category).first()
        if department is not None:
            return department
    return above.filter(kind=OrganisationKind.CENTER).first()


def dispatch_targets(*, region):
    """What a clerk may dispatch to: the active organisations sitting at the place or
    above it (its centers, and the county's departments, mediation bodies, court stations)."""
    return (
        Organisation.objects.filter(is_active=True, region__path__in=region.paths_to_root)
        .select_related("region")
        .order_by("region__depth", "kind", "name")
    )
