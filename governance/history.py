"""Versions of admin-edited configuration, kept by database triggers (django-pghistory)."""
import pghistory


def track_versions(model):
    """Keep every version of a rule, written by database triggers (so edits from
    the shell or a migration are recorded too) into an append-only table; the
    admin adds who made the change (pghistory context) and lists the versions on
    the rule's History page. New tracker objects per model: pghistory fills in
    each tracker's fields from the model it is set up on."""
    trackers = pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
    return pghistory.track(*trackers, append_only=True)(model)
