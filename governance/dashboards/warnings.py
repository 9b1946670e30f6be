"""Early warnings (研判预警): rule-based, with thresholds admins set. Each check is
one aggregate query; a warning is raised once per key (its place and window), links
to its matters, and tells the leaders of its place through their inboxes."""
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Left
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from governance.cases.models import Case, Party
from governance.choices import OPEN_STATUSES, CaseKind, NotificationKind, PartyRole, Role
from governance.dashboards.defaults import DEFAULT_RULES
from governance.dashboards.models import EarlyWarning, WarningKind, WarningRule
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from governance.people.models import User
from governance.places.models import Region

VILLAGE_DEPTH, TOWN_DEPTH = 3, 2
MAX_CASES = 200  # matters linked to one warning


def ensure_default_rules() -> int:
    created = 0
    for kind, (threshold, factor) in DEFAULT_RULES.items():
        _rule, was_created = WarningRule.objects.get_or_create(kind=kind,
                                                                defaults={"threshold": threshold, "factor": factor})
        created += was_created
    return created


def check_all(*, now=None) -> int:
    """Run every active rule; returns how many new warnings were raised."""
    now = now or timezone.now()
    rules = {rule.kind: rule for rule in WarningRule.objects.filter(is_active=True)}
    raised = 0
    for kind, check in CHECKS.items():
        if kind in rules:
            for key, region_id, title, cases in check(rules[kind], now):
                raised += raise_warning(kind=kind, key=key, region_id=region_id, title=title, cases=cases)
    return raised


def _week(now) -> str:
    year, week, _day = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def _at_depth(depth):
    return Left("region__path", depth * Region.steplen)


def spikes(rule, now):
    since = now - timedelta(days=7)
    groups = (Case.objects.filter(created_at__gte=since, region__depth__gte=VILLAGE_DEPTH)
              .annotate(village=_at_depth(VILLAGE_DEPTH)).values("village", "category_id", "category__name")
              .annotate(n=Count("pk")).filter(n__gte=rule.threshold).order_by())
    for group in groups:
        village = Region.objects.get(path=group["village"])
        cases = Case.objects.filter(created_at__gte=since, region__path__startswith=village.path,
                                    category_id=group["category_id"])
        yield (f"spike:{village.code}:{group['category_id']}:{_week(now)}", village.pk,
               _("%(n)s matters of “%(category)s” in %(place)s within 7 days")
               % {"n": group["n"], "category": group["category__name"], "place": village.name}, cases)


def surges(rule, now):
    week_start, base_start = now - timedelta(days=7), now - timedelta(days=35)
    groups = (Case.objects.filter(created_at__gte=base_start, region__depth__gte=TOWN_DEPTH)
              .annotate(town=_at_depth(TOWN_DEPTH)).values("town").order_by()
              .annotate(week=Count("pk", filter=Q(created_at__gte=week_start)),
                        before=Count("pk", filter=Q(created_at__lt=week_start))))
    factor = rule.factor or 2
    for group in groups:
        average = group["before"] / 4
        if group["week"] >= rule.threshold and group["week"] > average * float(factor):
            town = Region.objects.get(path=group["town"])
            cases = Case.objects.filter(created_at__gte=week_start, region__path__startswith=town.path)
            yield (f"surge:{town.code}:{_week(now)}", town.pk,
                   _("%(place)s: %(n)s matters this week, %(average)s a week before")
                   % {"place": town.name, "n": group["week"], "average": round(average, 1)}, cases)


def repeat_petitioners(rule, now):
    since = now - timedelta(days=90)
    people = (Party.objects.filter(role=PartyRole.APPLICANT, case__kind=CaseKind.PETITION,
                                   case__created_at__gte=since).exclude(id_number="")
              .values("id_number").order_by().annotate(visits=Sum("case__visit_count"))
              .filter(visits__gte=rule.threshold))
    for person in people:
        cases = Case.objects.filter(kind=CaseKind.PETITION, created_at__gte=since,
                                    parties__role=PartyRole.APPLICANT, parties__id_number=person["id_number"])
        first = cases.select_related("region").order_by("created_at").first()
        digest = hashlib.sha256(person["id_number"].encode()).hexdigest()[:16]  # no ID number in the key
        yield (f"repeat:{digest}:{timezone.localtime(now):%Y-%m}", first.region_id,
               _("The same petitioner came %(n)s times within 90 days") % {"n": person["visits"]}, cases)


def police_referrals(rule, now):
    for case in Case.objects.filter(status__in=OPEN_STATUSES, police_referrals__gte=rule.threshold).only(
            "pk", "number", "region_id", "police_referrals"):
        yield (f"police:{case.pk}", case.region_id,
               _("Matter %(number)s: %(n)s police referrals") % {"number": case.number, "n": case.police_referrals},
               Case.objects.filter(pk=case.pk))


def group_petitions(rule, now):
    since = now - timedelta(days=30)
    groups = (Case.objects.filter(kind=CaseKind.PETITION, created_at__gte=since)
              .annotate(people=Count("parties", filter=Q(parties__role=PartyRole.APPLICANT)))
              .filter(people__gte=rule.threshold).values("pk", "number", "region_id", "people"))
    for group in groups:
        yield (f"group:{group['pk']}", group["region_id"],
               _("Group petition %(number)s: %(n)s petitioners") % {"number": group["number"], "n": group["people"]},
               Case.objects.filter(pk=group["pk"]))


CHECKS = {
    WarningKind.SPIKE: spikes,
    WarningKind.SURGE: surges,
    WarningKind.REPEAT_PETITIONER: repeat_petitioners,
    WarningKind.POLICE_REFERRALS: police_referrals,
    WarningKind.GROUP_PETITION: group_petitions,
}


@transaction.atomic
def raise_warning(*, kind, key, region_id, title, cases) -> int:
    """Raise a warning once per key, with its matters, and notify the leaders whose
    place holds it; returns 1 if raised now, 0 if it was raised before."""
    warning, created = EarlyWarning.objects.get_or_create(
        key=key, defaults={"kind": kind, "region_id": region_id, "title": title[:200]})
    if not created:
        return 0
    case_ids = list(cases.order_by("-created_at").values_list("pk", flat=True)[:MAX_CASES])
    warning.cases.add(*case_ids)
    region = Region.objects.get(pk=region_id)
    leaders = User.objects.filter(role=Role.LEADER, is_active=True,
                                  organisation__region__path__in=region.paths_to_root)
    if case_ids:
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Early warning: %(title)s") % {"title": title}
        notify_many([Notification(user=leader, case_id=case_ids[0], kind=NotificationKind.MESSAGE, note=note)
                     for leader in leaders])
    return 1


@transaction.atomic
def acknowledge(*, warning_id, actor, note) -> EarlyWarning:
    """A leader acknowledges a warning with a note (who and when are kept)."""
    note = (note or "").strip()
    warning = EarlyWarning.objects.select_for_update().get(pk=warning_id)
    warning.acknowledged_at, warning.acknowledged_by, warning.note = timezone.now(), actor, note
    warning.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    return warning
