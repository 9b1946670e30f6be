"""Grants of one matter to people (django-guardian rows), with why they were given.

A grant for a joint mediation (联合调) lasts as long as the joint mediation: it
ends when the matter leaves the open statuses (``case_change_status`` calls
``end_grants``), or when an app ends the joint mediation
(``services.case_end_joint_mediation``). Helpers here act on a matter the caller
has locked, inside its transaction; the services are in ``services``.
"""
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.cases.models import CaseEvent, CaseUserObjectPermission
from governance.choices import EventType, GrantPurpose

# Marked for translation here, translated when the event is written.
ENDED_NOTE = {
    GrantPurpose.JOINT_MEDIATION: gettext_noop(
        "The joint mediation ended: its members' access to the matter was withdrawn."),
}
WITHDRAWN_NOTE = gettext_noop("Access to the matter was withdrawn.")


def open_case_to(case, users, *, purpose, can_change=True):
    """Give ``users`` (a queryset or list) ``view_case`` (and ``change_case``) on
    ``case``, for ``purpose``. One insert; a grant someone already has is kept as
    it was (a standing grant does not end with a joint mediation)."""
    codenames = ["view_case", "change_case"] if can_change else ["view_case"]
    permissions = Permission.objects.filter(content_type__app_label="governance", codename__in=codenames)
    CaseUserObjectPermission.objects.bulk_create(
        [CaseUserObjectPermission(content_object=case, user=user, permission=permission, purpose=purpose)
         for user in users for permission in permissions],
        ignore_conflicts=True,
    )


def end_grants(case, *, purpose, actor, note="") -> list[str]:
    """Withdraw the grants given for ``purpose`` on ``case``, with an internal
    timeline event naming who lost access. Returns their usernames (none: no event)."""
    grants = CaseUserObjectPermission.objects.filter(content_object=case, purpose=purpose)
    usernames = sorted(set(grants.values_list("user__username", flat=True)))
    if not usernames:
        return []
    grants.delete()
    if not note:
        with translation.override(settings.LANGUAGE_CODE):  # timeline notes are kept in the center's language
            note = _(ENDED_NOTE.get(purpose, WITHDRAWN_NOTE))
    CaseEvent.objects.create(case=case, type=EventType.ACCESS_ENDED, actor=actor, note=note,
                             data={"purpose": purpose, "users": usernames})
    return usernames
