"""Versions of admin-edited configuration, kept by database triggers (django-pghistory)."""
import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events


def track_versions(model):
    """Keep every version of a rule, written by database triggers (so edits from
    the shell or a migration are recorded too) into an append-only table; the
    admin adds who made the change (pghistory context) and lists the versions on
    the rule's History page. New tracker objects per model: pghistory fills in
    each tracker's fields from the model it is set up on."""
    trackers = pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    return pghistory.track(*trackers, append_only=True)(model)


def track_changes(*, exclude=(), ignore=(), related_name="history"):
    """The audit trail of a record: every insert, change and delete, written by
    database triggers (so the shell, a migration or raw SQL are recorded too) into an
    append-only table, with who and from which page (pghistory context: the
    HistoryMiddleware for requests, ``pghistory.context`` elsewhere). The admin's
    audit log (``governance.audit_admin``) lists them with their before and after.

    ``exclude``: fields not copied into the history (a password hash); ``ignore``: fields whose change alone is not an event (the
    ``updated_at`` stamp). ``related_name``: the reverse accessor from the record
    (``case.history``; a matter's ``events`` are its timeline).

    Statement-level triggers (transition tables): one INSERT ... SELECT per statement,
    the context looked up once. Row-level ones cost about 0.25 ms a row (a context
    lookup in a subtransaction each), which made the sweep's 10,000 escalations and
    the demo's million-row loads several times slower; what is recorded is the same."""
    trackers = (
        pghistory.InsertEvent(level=pghistory.Statement),
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=[*exclude, *ignore]), level=pghistory.Statement),
        pghistory.DeleteEvent(level=pghistory.Statement),
    )

    def decorate(model):
        return pghistory.track(*trackers, exclude=list(exclude) or None, append_only=True,
                               model_name=f"{model.__name__}History",
                               obj_field=pghistory.ObjForeignKey(related_name=related_name,
                                                                 related_query_name=f"{related_name}_event"))(model)

    return decorate


class AuditEvent(Events):
    """Every event of every tracked table, with who (``user``) and from which page
    (``url``): the admin's audit log (governance.audit_admin.AuditLogAdmin). As
    pghistory's MiddlewareEvents, under the core's name and in Chinese."""

    user = pghistory.ProxyField("pgh_context__user", models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+",
        verbose_name=_("by")))
    url = pghistory.ProxyField("pgh_context__url", models.TextField(_("page"), null=True))

    class Meta:
        proxy = True
        app_label = "governance"
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
