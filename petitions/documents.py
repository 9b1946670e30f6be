"""Notices from admin-editable templates: the placeholders they may use, the
default wording, document numbers, and issuing (the words frozen as issued).

The templates use ``{placeholder}`` fields, never Django template code: admins
edit wording, not logic, and a notice can only say what is listed here.
"""
import string

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from petitions.choices import DocumentKind
from petitions.models import DocumentSequence, DocumentTemplate, PetitionDocument

K = DocumentKind

PLACEHOLDERS = {
    "petitioners": gettext_lazy("The petitioners (representatives and head count for a group)"),
    "number": gettext_lazy("The matter's number"),
    "received_on": gettext_lazy("The date the petition was received"),
    "channel": gettext_lazy("How it came in (letter, visit ...)"),
    "addressed_to": gettext_lazy("The organ it was addressed to"),
    "organ": gettext_lazy("The organ issuing the notice"),
    "decided_on": gettext_lazy("The date of the decision"),
    "accepted_on": gettext_lazy("The date it was accepted"),
    "reason": gettext_lazy("The reason it is not accepted"),
    "proper_channel": gettext_lazy("Where the petitioner should turn instead"),
    "opinion": gettext_lazy("The opinion (reply, review or re-review)"),
    "reply_days": gettext_lazy("The days for the reply"),
    "reply_due": gettext_lazy("The last day for the reply"),
    "extension_days": gettext_lazy("The days of the extension"),
    "extension_reason": gettext_lazy("The reason for the extension"),
    "request_days": gettext_lazy("The days to ask for a review or re-review"),
    "request_until": gettext_lazy("The last day to ask for a review or re-review"),
    "review_requested_on": gettext_lazy("The date the review was asked for"),
    "re_review_requested_on": gettext_lazy("The date the re-review was asked for"),
}

# Official wording, as a county would start with; admins edit it (DocumentTemplate).
DEFAULT_TEMPLATES = {
    K.ACCEPTANCE: ("信访事项受理告知书", (
        "{petitioners}：\n"
        "你（们）于{received_on}以{channel}形式向{addressed_to}提出的信访事项（登记编号：{number}）收悉。"
        "经审查，该事项属于本机关职权范围，依照《信访工作条例》第二十三条的规定，本机关决定予以受理。\n"
        "依照《信访工作条例》第三十四条的规定，本机关将自受理之日起{reply_days}日内（即{reply_due}前）办结，"
        "并出具书面处理意见。\n"
        "特此告知。")),
    K.NON_ACCEPTANCE: ("信访事项不予受理告知书", (
        "{petitioners}：\n"
        "你（们）于{received_on}以{channel}形式向{addressed_to}提出的信访事项（登记编号：{number}）收悉。"
        "经审查，本机关决定不予受理。理由如下：\n"
        "{reason}\n"
        "{proper_channel}\n"
        "特此告知。")),
    K.EXTENSION: ("信访事项延期办理告知书", (
        "{petitioners}：\n"
        "你（们）的信访事项（登记编号：{number}），本机关已于{accepted_on}受理。因{extension_reason}，"
        "经本机关负责人批准，依照《信访工作条例》第三十四条的规定，办理期限延长{extension_days}日，至{reply_due}。\n"
        "特此告知。")),
    K.REPLY: ("信访事项处理意见书", (
        "{petitioners}：\n"
        "你（们）于{received_on}提出的信访事项（登记编号：{number}），本机关已于{accepted_on}受理。"
        "现将处理意见告知如下：\n"
        "{opinion}\n"
        "如不服本处理意见，可以自收到本意见书之日起{request_days}日内（即{request_until}前），"
        "向本机关的上一级机关、单位请求复查。")),
    K.REVIEW: ("信访事项复查意见书", (
        "{petitioners}：\n"
        "你（们）不服信访事项处理意见（登记编号：{number}），于{review_requested_on}请求复查。"
        "本机关依照《信访工作条例》第三十五条的规定进行了复查，复查意见如下：\n"
        "{opinion}\n"
        "如不服本复查意见，可以自收到本意见书之日起{request_days}日内（即{request_until}前），"
        "向本机关的上一级机关、单位请求复核。")),
    K.RE_REVIEW: ("信访事项复核意见书", (
        "{petitioners}：\n"
        "你（们）不服信访事项复查意见（登记编号：{number}），于{re_review_requested_on}请求复核。"
        "本机关依照《信访工作条例》第三十五条的规定进行了复核，复核意见如下：\n"
        "{opinion}\n"
        "本复核意见为终结意见。依照《信访工作条例》第三十六条的规定，你（们）对复核意见不服，"
        "仍然以同一事实和理由提出信访事项的，各级党委和政府信访部门和其他机关、单位不再受理。")),
}

# The letter in a document number after the organ's short name: 人社信受〔2026〕3号.
NUMBER_MARK = {K.ACCEPTANCE: "信受", K.NON_ACCEPTANCE: "信不受", K.EXTENSION: "信延", K.REPLY: "信处",
               K.REVIEW: "信复查", K.RE_REVIEW: "信复核"}


def fields_of(body: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(body) if name is not None}
    except ValueError as error:
        raise ValidationError({"body": _("The braces do not match: %(error)s") % {"error": error}}) from None


def check_template(body: str):
    """Only the listed placeholders, with plain names ({reason}, not {reason.x})."""
    unknown = sorted(name for name in fields_of(body) if name not in PLACEHOLDERS)
    if unknown:
        raise ValidationError({"body": _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.") % {
            "names": ", ".join("{%s}" % n for n in unknown), "allowed": ", ".join(
                "{%s}" % n for n in PLACEHOLDERS)}})


def ensure_default_templates(model) -> int:
    created = 0
    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        _, was_created = model.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
        created += was_created
    return created


def template_for(kind) -> tuple[str, str, object]:
    """(title, body, version) of the template an admin keeps, else the default."""
    row = DocumentTemplate.objects.filter(kind=kind).first()
    if row is not None:
        return row.title, row.body, row.updated_at
    title, body = DEFAULT_TEMPLATES[kind]
    return title, body, None


def render(body: str, values: dict) -> str:
    """Fill the placeholders; one that has no value here is left empty."""
    class Values(dict):
        def __missing__(self, key):
            return ""

    try:
        return string.Formatter().vformat(body, (), Values(values))
    except (ValueError, KeyError, IndexError, AttributeError):  # a template broken outside the admin's checks
        return body


def next_number(organisation, kind, year) -> int:
    """The organ's next number for this kind of notice this year (one UPSERT)."""
    table = DocumentSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, kind, year, last) VALUES (%s, %s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (organisation_id, kind, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [organisation.pk, kind, year])
        return cursor.fetchone()[0]


def issue(*, petition, kind, organisation, actor, issued_on, values, served_on=None, service="", replaces=None):
    """Issue a notice: its words rendered now and kept as issued, a number, and
    (usually) its service. Returns the PetitionDocument."""
    title, body, version_at = template_for(kind)
    number = next_number(organisation, kind, issued_on.year)
    short = organisation.short_name or organisation.name
    mark = NUMBER_MARK[kind].removeprefix("信") if short.endswith("信访") else NUMBER_MARK[kind]  # 信访受, not 信访信受
    previous = PetitionDocument.objects.filter(petition=petition, kind=kind).order_by("-version").first()
    return PetitionDocument.objects.create(
        petition=petition, kind=kind, version=(previous.version + 1) if previous else 1,
        number=f"{short}{mark}〔{issued_on.year}〕{number}号", organisation=organisation,
        organ_name=organisation.name, title=title, addressee=values.get("petitioners", ""),
        body=render(body, values), issued_on=issued_on, issued_at=timezone.now(), issued_by=actor,
        template_updated_at=version_at, replaces=replaces, served_on=served_on, service=service or "",
        served_recorded_by=actor if served_on else None,
    )
