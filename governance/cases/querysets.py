"""The matter's QuerySet: the one scope rule and the reusable filters."""
import re

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.expressions import Expression
from django.db.models import Value
from django.db.models.functions import StrIndex
from django.utils import timezone

from governance.choices import OPEN_STATUSES, OrganisationKind
from governance.people.roles import HOLDS, matter_action

VIEW = "view"
CHANGE = "change"


class AnyOf(Expression):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once (an InitPlan) and
    the comparison can use the column's index, also inside an OR, where
    ``column IN (subquery)`` cannot (PostgreSQL then checks every row)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column, queryset):
        super().__init__()
        self.column = models.F(column) if isinstance(column, str) else column
        self.subquery = models.Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, expressions):
        self.column, self.subquery = expressions

    def as_sql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)


def scope_organisation(user):
    """(kind, region path) of ``user``'s organisation, or None; fetched once and
    cached on the user object."""
    if not hasattr(user, "_scope_organisation"):
        from governance.organisations.models import Organisation

        user._scope_organisation = (
            Organisation.objects.filter(pk=user.organisation_id).values_list("kind", "region__path").first()
            if user.organisation_id else None
        )
    return user._scope_organisation


# The Chinese characters (汉字: the unified ideographs, their extensions and the
# compatibility ones), as a regular expression class both Python and PostgreSQL read.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_PAIR = re.compile(f"[{HAN}]{{2}}")


def is_han_pair(text):
    """Two Chinese characters: the search words the bigram index serves."""
    return _HAN_PAIR.fullmatch(text) is not None


def search_bigrams(search_text="search_text"):
    """The distinct pairs of neighbouring Chinese characters in ``CaseText.search_text``:
    the expression its bigram GIN index is built on (from a matter:
    ``search_bigrams("text__search_text")``). The SQL function comes from migration
    0032. Compared byte for byte (collation "C"): building the index over a million
    matters compares its pieces a billion times, and a pair of characters has no
    order a search would care about."""
    return models.Func(models.F(search_text), function="governance_bigrams",
                       # Not Collate(): Django takes that only as an index's topmost expression.
                       template='%(function)s(%(expressions)s COLLATE "C")',
                       output_field=ArrayField(models.TextField()))


class CaseQuerySet(models.QuerySet):
    def restrict(self, user, action=VIEW):
        """Matters on which ``user`` may do ``action`` (a name of the role table's
        actions on a matter: "view", "change", "triage", "move", "supervise",
        "flag_risk"). Pages, API and admin all call this one method; it is one SQL
        query over the matters (the person's permissions and organisation are
        read once and cached on the user object).

        First the role: without the action's permission, nothing. Then which matters:

        - actions on what the person sees ("view", "move", "supervise", "flag_risk"):
          staff of a center see the matters placed or held within their center's
          region subtree (a county center: its county); staff of any other body
          (a county department, a mediation committee, a court station...) see
          what their organisation holds. Everyone also sees what they registered
          themselves (a clerk follows what they took in) and what was granted to
          them or their groups with ``view_case`` (django-guardian);
        - actions on what the person holds ("change", "triage"): matters their
          organisation holds, plus grants of ``change_case``.

        Every arm is ``column = value`` or ``column = ANY(ARRAY(...))``, so each can
        use its index (a bitmap OR), even in a county with millions of matters.
        """
        spec = matter_action(action)
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm(spec.permission):
            return self.none()
        from governance.cases.models import CaseGroupObjectPermission, CaseUserObjectPermission
        from governance.organisations.models import Organisation
        from governance.places.models import Region

        grant = "change_case" if spec.scope == HOLDS else "view_case"
        mine = models.Q(
            AnyOf("pk", CaseUserObjectPermission.objects.filter(user=user, permission__codename=grant)
                  .values("content_object_id"))
        ) | models.Q(
            AnyOf("pk", CaseGroupObjectPermission.objects.filter(
                group__in=user.groups.all(), permission__codename=grant).values("content_object_id"))
        )
        organisation = scope_organisation(user)
        if organisation is not None:
            mine |= models.Q(holder_id=user.organisation_id)
        if spec.name == "reveal":
            # The clerk who took the party's details in (and prints the receipt's copy).
            mine |= models.Q(registered_by=user)
        if spec.scope == HOLDS:
            return self.filter(mine)
        mine |= models.Q(registered_by=user)
        if organisation is not None and organisation[0] == OrganisationKind.CENTER:
            # Even a county center is filtered by its root's path: a city may run
            # several counties in one database.
            path = organisation[1]
            mine |= models.Q(AnyOf("region_id", Region.objects.filter(path__startswith=path).order_by().values("pk")))
            mine |= models.Q(AnyOf("holder_id", Organisation.objects.filter(
                region__path__startswith=path).order_by().values("pk")))
        return self.filter(mine)

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
        words have two (噪音, 漏水, 欠薪): those go to the bigram index. The list's
        filter refuses other two-character terms (and single characters): no index
        holds them, and each would read every matter.
        """
        text = (text or "").strip()
        if not text:
            return self
        if is_han_pair(text):
            # Beside the index condition, strpos() <> 0: the same test, cheap per row
            # (governance_bigrams costs ~0.2 ms a row), so a plan that walks the newest
            # matters checks rows with it first. Not LIKE: the planner would multiply
            # LIKE's guess (~1 %) into the bigram index's good estimate, take a word in
            # 3 % of the matters for a rare one, and sort all 35,000 of them (1.5 s);
            # "<> 0" it takes as nearly always true, so the estimate stays the index's.
            return self.alias(search_bigrams=search_bigrams("text__search_text"),
                              search_at=StrIndex("text__search_text", Value(text))).filter(
                search_bigrams__contains=[text]).exclude(search_at=0)
        return self.filter(text__search_text__contains=text)
