"""The matter's QuerySet: the one scope rule and the reusable filters."""
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Value
from django.db.models.functions import StrIndex
from django.utils import timezone

from governance.choices import OPEN_STATUSES

VIEW = "view"
CHANGE = "change"


def scope_path(user):
    """The region path of ``user``'s organisation: they see the matters below it.

    Fetched once and cached on the user object. Even county staff are filtered
    by their root's path: a city may run several counties in one database.
    """
    if not hasattr(user, "_scope_path"):
        from governance.places.models import Region

        user._scope_path = (
            Region.objects.filter(organisations__id=user.organisation_id).values_list("path", flat=True).first()
        )
    return user._scope_path


def search_bigrams():
    """The distinct two-character pieces of ``search_text`` (whitespace excluded): the
    expression its bigram GIN index is built on. The SQL function is created by
    migration 0017."""
    return models.Func(models.F("search_text"), function="governance_bigrams",
                       output_field=ArrayField(models.TextField()))


class CaseQuerySet(models.QuerySet):
    def restrict(self, user, action=VIEW):
        """Matters ``user`` may see (action="view") or change (action="change").

        See: matters placed or held within the user's organisation's region
        subtree, matters they registered themselves (a clerk follows what they
        took in, wherever it went), plus matters granted to them (or their
        groups) with django-guardian. Change: matters their organisation holds, plus grants
        of ``change_case``. Pages, API and admin all call this one method, and
        it is one SQL query over the matters.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from governance.cases.models import CaseGroupObjectPermission, CaseUserObjectPermission

        codename = f"{action}_case"
        granted = models.Q(
            pk__in=CaseUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
                "content_object_id"
            )
        ) | models.Q(
            pk__in=CaseGroupObjectPermission.objects.filter(
                group__in=user.groups.all(), permission__codename=codename
            ).values("content_object_id")
        )
        if user.organisation_id is None:
            return self.filter(granted)
        if action == CHANGE:
            return self.filter(models.Q(holder_id=user.organisation_id) | granted)
        from governance.organisations.models import Organisation
        from governance.places.models import Region

        path = scope_path(user)
        # Ids of the subtree's places and organisations, not joins: each row is then
        # tested against two small hashed sets, so a list walking the created-at index
        # (newest first, keyset pages) stops after a page's worth of rows.
        in_subtree = models.Q(region_id__in=Region.objects.filter(path__startswith=path).values("id")) | models.Q(
            holder_id__in=Organisation.objects.filter(region__path__startswith=path).values("id"))
        return self.filter(in_subtree | models.Q(registered_by=user) | granted)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(deadline__lt=now or timezone.now())

    def not_overdue(self, now=None):
        now = now or timezone.now()
        return self.exclude(status__in=OPEN_STATUSES, deadline__lt=now)

    def search(self, text):
        """The one search box: number, party name, phone digits, address, narrative.

        ``contains``, not ``icontains``: Django writes the latter as UPPER(col) LIKE,
        which the trigram index on the bare column never serves, and Chinese has no
        case. pg_trgm takes no trigram from two characters, and most Chinese search
        words have two (噪音, 漏水, 欠薪): those go to the bigram index.
        """
        text = (text or "").strip()
        if not text:
            return self
        if len(text) == 2 and not any(ch.isspace() for ch in text):
            # Beside the index condition, strpos() <> 0: the same test, cheap per row
            # (governance_bigrams costs ~0.2 ms a row), so a plan that walks the newest
            # matters checks rows with it first. Not LIKE: the planner would multiply
            # LIKE's guess (~1 %) into the bigram index's good estimate, take a word in
            # 3 % of the matters for a rare one, and sort all 35,000 of them (1.5 s);
            # "<> 0" it takes as nearly always true, so the estimate stays the index's.
            return self.alias(search_bigrams=search_bigrams(), search_at=StrIndex("search_text", Value(text))).filter(
                search_bigrams__contains=[text]).exclude(search_at=0)
        return self.filter(search_text__contains=text)
