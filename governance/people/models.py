from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.history import track_changes
from governance.choices import Role


@track_changes(exclude=["password"], ignore=["last_login"])
class User(AbstractUser):
    """A member of staff: belongs to one organisation and has one role there.

    The role decides what the person may do (``governance.people.roles``: they
    are in that role's group, kept in step on every save); the organisation
    decides which matters (``CaseQuerySet.restrict``); grants on single matters
    add to that.
    """

    organisation = models.ForeignKey(
        "governance.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="staff",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._saved_role = user.__dict__.get("role")  # None when the field was deferred
        user._saved_is_active = user.__dict__.get("is_active")
        return user

    def save(self, *args, **kwargs):
        """Save, and when the role is new or changed, swap the role group to match
        (the admin's form, the staff import, a shell: every way in saves here); when
        the account is disabled, end its sessions and API tokens."""
        update_fields = kwargs.get("update_fields")
        role_touched = update_fields is None or "role" in update_fields
        changed = self._state.adding or getattr(self, "_saved_role", None) != self.role
        super().save(*args, **kwargs)
        self.__dict__.pop("_scope_organisation", None)  # the scope rule's cache (CaseQuerySet.restrict)
        if role_touched and changed:
            from governance.people.roles import sync_user_role_group

            sync_user_role_group(self)
        self._saved_role = self.role
        # Disabled (a clerk who left): their sessions and API tokens end now, not at expiry.
        if getattr(self, "_saved_is_active", None) and not self.is_active:
            from governance.accounts.services import end_sessions_and_tokens

            end_sessions_and_tokens(self)
        self._saved_is_active = self.is_active

    @property
    def display_name(self):
        return str(self)
