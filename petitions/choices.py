"""The petition's steps and the words of the 2022 信访工作条例 (Regulations on
Petition Work), named in English as DOMAIN.md names them."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.choices import Channel


class Step(models.TextChoices):
    """Where a petition stands in the statutory steps (the app's own state machine,
    ``Petition.step``; the matter's coarse status follows in ``services``)."""

    REGISTERED = "registered", pgettext_lazy("petition step", "Registered")  # 已登记
    FORWARDED = "forwarded", pgettext_lazy("petition step", "Forwarded to the responsible body")  # 已转送、交办 (art. 22)
    ACCEPTED = "accepted", pgettext_lazy("petition step", "Accepted, being handled")  # 已受理、办理中 (arts. 23, 34)
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("petition step", "Not accepted")  # 不予受理
    REPLIED = "replied", pgettext_lazy("petition step", "Replied")  # 已出具处理意见 (art. 34)
    REVIEW_REQUESTED = "review_requested", pgettext_lazy("petition step", "Under review")  # 复查中 (art. 35)
    REVIEWED = "reviewed", pgettext_lazy("petition step", "Review decided")  # 已出具复查意见
    RE_REVIEW_REQUESTED = "re_review_requested", pgettext_lazy("petition step", "Under re-review")  # 复核中 (art. 35)
    CONCLUDED = "concluded", pgettext_lazy("petition step", "Concluded")  # 办结: no review (re-review) asked in time, the opinion stands
    FINAL = "final", pgettext_lazy("petition step", "Final")  # 终结: re-review decided (art. 36)


# Steps where an organ owes the next step within a statutory time.
OPEN_STEPS = (Step.REGISTERED, Step.FORWARDED, Step.ACCEPTED, Step.REVIEW_REQUESTED, Step.RE_REVIEW_REQUESTED)
# Steps where the petitioner may still ask for a review or re-review.
WINDOW_STEPS = (Step.REPLIED, Step.REVIEWED)
ENDED_STEPS = (Step.NOT_ACCEPTED, Step.CONCLUDED, Step.FINAL)

# How petitions come in (art. 17: letters, online, phone, visits).
PETITION_CHANNELS = (Channel.WALK_IN, Channel.LETTER, Channel.HOTLINE, Channel.ONLINE)


class Period(models.TextChoices):
    """The statutory periods an admin can set (defaults in ``periods.DEFAULTS``)."""

    FORWARD = "forward", _("Register and forward (art. 22)")
    ACCEPTANCE = "acceptance", _("Decide on acceptance and tell the petitioner (art. 23)")
    SEND_BACK = "send_back", _("Send back a wrongly routed item (art. 23)")
    REPLY = "reply", _("Handle and reply (art. 34)")
    EXTENSION = "extension", _("Longest extension of the reply (art. 34)")
    REVIEW_REQUEST = "review_request", _("Ask for a review (art. 35)")
    REVIEW = "review", _("Decide the review (art. 35)")
    RE_REVIEW_REQUEST = "re_review_request", _("Ask for a re-review (art. 35)")
    RE_REVIEW = "re_review", _("Decide the re-review (art. 35)")


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice")  # 受理告知书
    NON_ACCEPTANCE = "non_acceptance", _("Non-acceptance notice")  # 不予受理告知书
    EXTENSION = "extension", _("Extension notice")  # 延期办理告知书
    REPLY = "reply", _("Handling opinion")  # 信访事项处理意见书
    REVIEW = "review", _("Review opinion")  # 复查意见书
    RE_REVIEW = "re_review", _("Re-review opinion")  # 复核意见书


class Service(models.TextChoices):
    """How a document was served (送达)."""

    IN_PERSON = "in_person", _("In person")  # 直接送达
    POST = "post", _("By post")  # 邮寄送达
    ELECTRONIC = "electronic", _("Electronically")  # 电子送达


class Ground(models.TextChoices):
    """Why a petition was not accepted."""

    OTHER = "other", _("Other reason")
    HANDLED_BELOW = "handled_below", _("Being handled at a lower level (art. 19)")
    FINAL = "final", _("Same facts as a final petition (art. 36)")


class Link(models.TextChoices):
    """How a petition is tied to an earlier matter (``Petition.original``)."""

    NONE = "", _("First petition")
    HANDLED_BELOW = "handled_below", _("Being handled below (art. 19)")
    FINAL = "final", _("Same facts as a final petition (art. 36)")


class Duty(models.TextChoices):
    LEADING = "leading", _("Leader on duty")  # 带班领导
    DUTY = "duty", _("Officer on duty")  # 值班人员


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")
