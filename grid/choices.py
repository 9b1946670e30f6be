"""The grid app's choices: the closed loop's states and steps (GB/T 30428), where a
photo was taken, and how an event was pushed (催办 / 督办)."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventStatus(models.TextChoices):
    """Where a grid event is in the closed loop:
    report → register → dispatch → handle → feedback → verify → close → evaluate."""

    REPORTED = "reported", pgettext_lazy("grid", "Reported")
    REGISTERED = "registered", pgettext_lazy("grid", "Registered")
    DISPATCHED = "dispatched", pgettext_lazy("grid", "Dispatched")
    HANDLING = "handling", pgettext_lazy("grid", "Being handled")
    FED_BACK = "fed_back", pgettext_lazy("grid", "Fed back")
    VERIFIED = "verified", pgettext_lazy("grid", "Verified")
    CLOSED = "closed", pgettext_lazy("grid", "Closed")
    EVALUATED = "evaluated", pgettext_lazy("grid", "Evaluated")
    DECLINED = "declined", pgettext_lazy("grid", "Not registered")


# Events still in the loop (the grid views count them as open).
OPEN_EVENT_STATUSES = (
    EventStatus.REPORTED, EventStatus.REGISTERED, EventStatus.DISPATCHED, EventStatus.HANDLING,
    EventStatus.FED_BACK, EventStatus.VERIFIED,
)
# The loop in order, for the progress bar.
LOOP = (
    EventStatus.REPORTED, EventStatus.REGISTERED, EventStatus.DISPATCHED, EventStatus.HANDLING,
    EventStatus.FED_BACK, EventStatus.VERIFIED, EventStatus.CLOSED, EventStatus.EVALUATED,
)


class Step(models.TextChoices):
    """A step of the loop, as its clock and the timeline name it: the step that
    must happen next while the event is in a state."""

    REGISTER = "register", pgettext_lazy("grid", "Register")
    DISPATCH = "dispatch", pgettext_lazy("grid", "Dispatch")
    HANDLE = "handle", pgettext_lazy("grid", "Handle and feed back")
    VERIFY = "verify", pgettext_lazy("grid", "Verify")
    CLOSE = "close", pgettext_lazy("grid", "Close")
    EVALUATE = "evaluate", pgettext_lazy("grid", "Evaluate")


# The step each open state waits for (its clock runs while the event is there).
STEP_OF_STATUS = {
    EventStatus.REPORTED: Step.REGISTER,
    EventStatus.REGISTERED: Step.DISPATCH,
    EventStatus.DISPATCHED: Step.HANDLE,
    EventStatus.HANDLING: Step.HANDLE,
    EventStatus.FED_BACK: Step.VERIFY,
    EventStatus.VERIFIED: Step.CLOSE,
    EventStatus.CLOSED: Step.EVALUATE,
}


def clock_kind(step) -> str:
    """The core clock kind of a step, e.g. "grid.handle"."""
    return f"grid.{step}"


CLOCK_KINDS = tuple(clock_kind(step) for step in Step.values)


class PhotoStep(models.TextChoices):
    REPORT = "report", _("Report")
    FEEDBACK = "feedback", _("Feedback")
    VERIFY = "verify", _("Verification")
    JOINT = "joint", _("Joint handling")


class UrgeKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Urged automatically (step overdue)")
    MANUAL = "manual", _("Urged by hand")
    SUPERVISION = "supervision", _("Supervised by a leader")


class Rating(models.IntegerChoices):
    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    FAIR = 3, _("Fair")
    GOOD = 4, _("Good")
    EXCELLENT = 5, _("Excellent")


# What each step on the timeline is called (``CaseEvent.data["step"]`` of the app's STEP events).
TIMELINE_STEPS = {
    "report": pgettext_lazy("grid", "Reported"),
    "photos": _("Photos added"),
    "register": pgettext_lazy("grid", "Register"),
    "decline": pgettext_lazy("grid", "Not registered"),
    "dispatch": pgettext_lazy("grid", "Dispatch"),
    "send_back": _("Sent back"),
    "handle": _("Handle"),
    "feedback": _("Feedback"),
    "verify": pgettext_lazy("grid", "Verify"),
    "close": pgettext_lazy("grid", "Close"),
    "evaluate": pgettext_lazy("grid", "Evaluate"),
    "urge": _("Urge"),
    "joint": _("Joint handling"),
    "joint_part": _("Joint handling part"),
    "reward": _("Reward"),
}
