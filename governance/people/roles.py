"""Who may do what: the one table of role × action.

Each action is one Django permission (``Action.permission``); the services check
it, and ``CaseQuerySet.restrict(user, action)`` combines it with the scope rule
(which matters: the ones the person sees, or the ones their organisation holds).
Each role is an auth group named by the role's value holding exactly the
permissions of its row: migration 0015 creates the groups and the ``post_migrate``
handler in ``GovernanceConfig`` re-applies the table on every ``migrate``, so a
row edited here reaches every database at its next migrate. A person is in the
group of their role (``User.save``), and only in that role group.

Apps add their own actions' permissions from ``AppConfig.ready()`` with
``register_role_permissions({Role.MEDIATOR: ["mediation.add_session"], ...})``;
the core never imports them. For a right the table does not give, make another
group (not named by a role): role groups are reset to the table on each migrate.
"""
import logging
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.choices import Role

logger = logging.getLogger(__name__)

# Which matters an action applies to (see CaseQuerySet.restrict):
SEES = "sees"  # every matter the person sees (their center's places, what they hold, registered or were granted)
HOLDS = "holds"  # matters their organisation holds, or that were granted to them to change


@dataclass(frozen=True)
class Action:
    """One thing staff do, as one permission.

    ``permission`` is what the services check; ``also`` are permissions that come
    with it in the group (the Django admin's pages for the same work). ``scope``
    is SEES or HOLDS for an action on one matter, None for the others.
    ``refusal`` is the 403's reason when the person sees the matter but their
    role may not do this.
    """

    name: str
    label: str
    permission: str
    scope: str | None
    refusal: str
    also: tuple[str, ...] = field(default=())

    @property
    def permissions(self) -> tuple[str, ...]:
        return (self.permission, *self.also)


def _model_permissions(app_label, *models, verbs=("add", "change", "delete", "view")):
    return tuple(f"{app_label}.{verb}_{model}" for model in models for verb in verbs)


VIEW = Action(
    "view", _("View matters"), "governance.view_case", SEES, _("Your role does not see matters."),
    also=("governance.view_party", "governance.view_caseevent", "governance.view_region",
          "governance.view_organisation", "governance.view_category"),
)
REGISTER = Action("register", _("Register a matter"), "governance.add_case", None,
                  _("Your role does not register matters."))
TRIAGE = Action("triage", _("Triage (dispatch, resolve on the spot, joint mediation, leader ownership)"),
                "governance.triage_case", HOLDS, _("Your role does not triage matters."))
# Named "change" (Django's change_case): accept, resolve, mark not resolved, terminate, reopen, close.
CHANGE_STATUS = Action("change", _("Change the status"), "governance.change_case", HOLDS,
                       _("Your role does not change the status of matters."))
MOVE = Action("move", _("Move between tiers"), "governance.move_case", SEES,
              _("Only a center leader can move a matter between tiers."))
SUPERVISE = Action("supervise", _("Supervise overdue matters"), "governance.supervise_case", SEES,
                   _("Only a center leader can supervise a matter."))
FLAG_RISK = Action("flag_risk", _("Flag a risk of extreme action"), "governance.flag_risk_case", SEES,
                   _("Your role does not flag risks."))
EDIT_RULES = Action(
    "edit_rules", _("Edit the rules (tier rules, signal rules, working days, categories)"),
    "governance.change_tierrule", None, _("Only an administrator edits the rules."),
    also=_model_permissions("governance", "tierrule", "signalrule", "workdayoverride", "category"),
)
ADMINISTER = Action(
    "administer", _("Keep places, organisations and staff"), "governance.change_user", None,
    _("Only an administrator keeps places, organisations and staff."),
    also=(*_model_permissions("governance", "region", "organisation", "user"), "governance.view_accesslogentry",
          "governance.view_auditevent"),
)

# Personal data in full (ID numbers, phones): for the people who hold the matter and
# must call or identify the party, never for everyone who sees it. Each use states a
# purpose and is written to the access log (governance.privacy). Grid workers see
# their places' matters but reveal nothing: they do not hold them.
REVEAL = Action(
    "reveal", _("Reveal personal data (ID numbers, phones) with a purpose"), "governance.reveal_personal_data",
    HOLDS, _("Only the organisation that holds the matter reveals its parties' personal data."),
)

DASHBOARDS = Action(
    "dashboards", _("See the dashboards, warnings and bulletins of one's place"), "governance.view_dashboard",
    None, _("Only center leaders see the dashboards."),
    also=("governance.view_earlywarning", "governance.change_earlywarning", "governance.view_bulletin",
          "governance.add_bulletin"),
)

ACTIONS = {action.name: action for action in
           (VIEW, REGISTER, TRIAGE, CHANGE_STATUS, MOVE, SUPERVISE, FLAG_RISK, EDIT_RULES, ADMINISTER,
            DASHBOARDS, REVEAL)}

# The table. What a real county center's people do (DOMAIN.md "Who"):
# - clerks take visitors in at a window: register, triage what their center holds, change its status;
# - mediators (a village station's mediator takes in their own villagers) register and change status;
# - handlers of stationed departments change the status of what their department holds;
# - grid workers patrol: they see their places' matters and raise the alarm, but neither triage,
#   resolve nor move;
# - leaders supervise, move, triage and own hard matters (包案), and change status;
# - administrators keep the rules, places and staff, and may do everything.
# Everyone who sees a matter may flag a risk of extreme action: an alarm, not a decision.
ROLE_ACTIONS = {
    Role.CLERK: (VIEW, REGISTER, TRIAGE, CHANGE_STATUS, FLAG_RISK, REVEAL),
    Role.MEDIATOR: (VIEW, REGISTER, CHANGE_STATUS, FLAG_RISK, REVEAL),
    Role.GRID_WORKER: (VIEW, FLAG_RISK),
    Role.HANDLER: (VIEW, CHANGE_STATUS, FLAG_RISK, REVEAL),
    Role.LEADER: (VIEW, TRIAGE, CHANGE_STATUS, MOVE, SUPERVISE, FLAG_RISK, DASHBOARDS, REVEAL),
    Role.ADMIN: tuple(ACTIONS.values()),
}

# What apps added: {role value: {"app_label.codename", ...}}.
_app_rows: dict[str, set[str]] = {}


def register_role_permissions(rows):
    """An app's rows of the table: ``{Role.MEDIATOR: ["mediation.add_session"], ...}``.

    Call it from ``AppConfig.ready()``; the next ``migrate`` puts the permissions in
    the role groups (they must exist by then: a model's default or Meta permissions)."""
    for role, permissions in rows.items():
        if role not in Role.values:
            raise ValueError(f"unknown role {role!r}")
        for permission in permissions:
            if permission.count(".") != 1:
                raise ValueError(f"permission {permission!r} is not 'app_label.codename'")
        _app_rows.setdefault(str(role), set()).update(permissions)


def role_actions(role) -> tuple[Action, ...]:
    return ROLE_ACTIONS.get(role, ())


def role_permissions() -> dict[str, set[str]]:
    """{role value: {"app_label.codename", ...}}: the core's table plus the apps' rows."""
    table = {}
    for role in Role:
        table[role.value] = {p for action in role_actions(role) for p in action.permissions}
        table[role.value] |= _app_rows.get(role.value, set())
    return table


def matter_action(action) -> Action:
    """The Action for ``action`` (an Action or its name) that applies to one matter."""
    spec = action if isinstance(action, Action) else ACTIONS.get(action)
    if spec is None or spec.scope is None:
        raise ValueError(f"{action!r} is not an action on a matter")
    return spec


def sync_role_groups(*, apps=global_apps, using=DEFAULT_DB_ALIAS, warn=True) -> list[str]:
    """Make the group of each role hold exactly its row's permissions.

    Runs in migration 0015 and after every ``migrate`` (``apps`` is then the
    migration state's registry). Permissions are created first for every installed
    app, since Django only creates them after the migrations, and the apps' rows
    name their permissions. Then everyone is put in the group of their role.
    Returns the permission names not found (a table naming a permission no model
    has; or an app whose models are not migrated yet, as in the middle of the
    migrations: ``warn=False`` there, the post_migrate run will tell).
    """
    from django.contrib.auth.management import create_permissions

    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        apps.get_model("governance", "User")
    except LookupError:  # migrated backwards past them
        return []
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    wanted = role_permissions()
    names = set().union(*wanted.values())
    condition = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).filter(condition).values_list(
            "pk", "content_type__app_label", "codename")
    }
    groups = {}
    for role, permissions in wanted.items():
        groups[role], _created = Group.objects.using(using).get_or_create(name=role)
        groups[role].permissions.set([found[p] for p in permissions if p in found])
    _sync_memberships(apps, using, groups)
    missing = sorted(names - found.keys())
    if missing and warn:
        logger.warning("role table names permissions that do not exist (yet): %s", ", ".join(missing))
    return missing


def _sync_memberships(apps, using, groups):
    """Everyone in the group of their role, nobody in another role's group (set-based):
    staff saved before the groups existed, or whose role was changed by a bulk
    update that ``User.save`` never saw."""
    User = apps.get_model("governance", "User")
    Membership = User._meta.get_field("groups").remote_field.through
    memberships = Membership.objects.using(using)
    for role, group in groups.items():
        memberships.filter(group=group).exclude(user__role=role).delete()
        missing = User.objects.using(using).filter(role=role).exclude(groups=group).values_list("pk", flat=True)
        memberships.bulk_create([Membership(user_id=pk, group_id=group.pk) for pk in missing])


def sync_user_role_group(user):
    """Put ``user`` in the group of their role and in no other role's group
    (other groups are left alone). Called by ``User.save``."""
    from django.contrib.auth.models import Group

    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups.exclude(name=user.role))
    if user.role in Role.values:
        # The group exists once migrated; created empty otherwise, the next migrate fills it.
        group, _created = Group.objects.get_or_create(name=user.role)
        user.groups.add(group)
    # Permissions are cached on the object: the next has_perm must see the new group.
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
