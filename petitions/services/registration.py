"""Registering a petition through the one door (``intake_register``, kind
``petition``): the date received, the petitioners (a group's head count and its
representatives, art. 20), the organ addressed; and what a petition on a matter
already known becomes: a repeat visit counted on it, or not accepted because the
matter is being handled below (art. 19) or is final (art. 36)."""
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cases.models import Case, Party
from governance.cases.querysets import VIEW
from governance.cases.services import case_get_for
from governance.choices import CaseKind, Channel, NotificationKind, PartyRole, tier_rank
from governance.notifications.models import Notification
from governance.notifications.services import notify_many
from governance.people.roles import REGISTER as REGISTER_MATTER
from intake.services import case_link_repeat_visit, intake_register
from petitions import clocks
from petitions.choices import PETITION_CHANNELS, Ground, Link, Step
from petitions.models import Petition, Petitioner
from petitions.periods import spoken
from petitions.services.common import (
    REGISTER, CaseChangeForbidden, CaseNotFound, InvalidTransition, center_language, check_day, check_text,
    follow_statutory_clocks, is_petition_office, record, refuse_without,
)
from petitions.services.steps import not_accept_locked

MAX_REPRESENTATIVES = 5  # art. 20: a group visit chooses at most 5 representatives
OLDEST_RECEIPT_DAYS = 366
REPEAT = "repeat_visit"


@dataclass(frozen=True)
class Registered:
    """What a registration became: a new petition (``outcome`` "registered", or
    "not_accepted" with a ``link``), or a repeat visit counted on ``case``."""

    case: Case
    petition: Petition | None
    outcome: str
    link: str = ""


def check_petitioners(*, petitioners, representatives, group_size) -> list[dict]:
    """The people as Party rows (representatives first), after the law's checks."""
    petitioners, representatives = list(petitioners or ()), list(representatives or ())
    if group_size is None or group_size < 1:
        raise ValidationError({"group_size": _("The number of petitioners must be at least 1.")})
    if not petitioners and not representatives:
        raise ValidationError({"petitioners": _("Please give at least one petitioner.")})
    if group_size == 1 and representatives:
        raise ValidationError({"representatives": _(
            "Only a petition by several people chooses representatives: give the number of petitioners.")})
    if group_size > 1:
        if not representatives:
            raise ValidationError({"representatives": _(
                "A petition by several people names its representatives (at most 5, art. 20 of the Regulations).")})
        if len(representatives) > MAX_REPRESENTATIVES:
            raise ValidationError({"representatives": _(
                "Several people petitioning together choose at most %(max)s representatives (art. 20 of the "
                "Regulations on Petition Work); %(count)s were given. Please keep %(max)s or fewer.")
                % {"max": MAX_REPRESENTATIVES, "count": len(representatives)}})
    people = len(petitioners) + len(representatives)
    if people > group_size:
        raise ValidationError({"group_size": _(
            "%(people)s people were named but the number of petitioners is %(size)s.")
            % {"people": people, "size": group_size}})
    first = (representatives or petitioners)[0]
    if not (first.get("phone") or first.get("address")):
        raise ValidationError({"petitioners": _(
            "Give the first petitioner's phone or postal address: the notices must reach them.")})
    return [{"role": PartyRole.APPLICANT, "name": person["name"], "id_number": person.get("id_number", ""),
             "phone": person.get("phone", ""), "address": person.get("address", ""), "representative": rep}
            for rep, group in ((True, representatives), (False, petitioners)) for person in group]


def earlier_matter(case_id, *, actor, people, category) -> Case:
    """The matter a petition repeats, locked: one the person sees, or one being
    handled below that these petitioners' own ID number or phone opens (art. 19)."""
    try:
        return case_get_for(case_id=case_id, actor=actor, action=VIEW)
    except CaseNotFound:
        pass
    from petitions.selectors import handled_below

    hidden = handled_below(user=actor, id_numbers=[p["id_number"] for p in people],
                           phones=[p["phone"] for p in people], category=category)
    found = Case.objects.filter(pk__in=hidden.values("pk")).filter(pk=case_id).select_for_update(
        of=("self",)).select_related("holder").first()
    if found is None:
        raise ValidationError({"repeat_of": _("There is no such matter.")})
    return found


def link_of(original, actor) -> str:
    """What a petition on ``original`` becomes: not accepted when the original is
    final (art. 36) or open and held below the registering organ (art. 19); a repeat
    visit when it is a petition; anything else is a new petition of its own."""
    petition = Petition.objects.filter(case=original).first()
    if petition is not None and petition.step == Step.FINAL:
        return Link.FINAL
    organisation = actor.organisation
    if original.is_open and organisation is not None and tier_rank(original.tier) < tier_rank(organisation.tier):
        return Link.HANDLED_BELOW
    if petition is not None:
        return REPEAT
    raise ValidationError({"repeat_of": _(
        "Matter %(number)s is neither a petition nor being handled below: register a new petition.")
        % {"number": original.number}})


@transaction.atomic
def petition_register(*, actor, channel, received_on, addressed_to, narrative, category, region, petitioners=(),
                      representatives=(), group_size=1, address="", window=None, repeat_of=None) -> Registered:
    refuse_without(actor, REGISTER)
    refuse_without_matter_registration(actor)
    if channel not in PETITION_CHANNELS:
        raise ValidationError({"channel": _("A petition comes by visit, letter, phone or online.")})
    today = timezone.localdate()
    check_day(received_on, field="received_on")
    if received_on < today - timedelta(days=OLDEST_RECEIPT_DAYS):
        raise ValidationError({"received_on": _("The date received is more than a year ago: please check it.")})
    addressed_to = check_text(addressed_to, field="addressed_to",
                              message=_("Please give the organ the petition is addressed to."))
    people = check_petitioners(petitioners=petitioners, representatives=representatives, group_size=group_size)
    original, link = None, ""
    if repeat_of is not None:
        original = earlier_matter(getattr(repeat_of, "pk", repeat_of), actor=actor, people=people,
                                  category=category)
        link = link_of(original, actor)
        if link == REPEAT:
            case = case_link_repeat_visit(case_id=original.pk, actor=actor, channel=channel, window=window,
                                          note=(narrative or "").strip()[:2000])
            return Registered(case=case, petition=Petition.objects.get(case=case), outcome=REPEAT)
    case = intake_register(
        actor=actor, channel=channel, kind=CaseKind.PETITION, category=category, region=region, address=address,
        narrative=narrative, window=window,
        parties=[{k: v for k, v in p.items() if k != "representative"} for p in people],
    )
    office = actor.organisation if is_petition_office(actor.organisation_id) else None
    petition = Petition.objects.create(case=case, received_on=received_on, group_size=group_size,
                                       addressed_to=addressed_to, office=office, original=original, link=link)
    parties = list(Party.objects.filter(case=case).order_by("id"))
    Petitioner.objects.bulk_create(Petitioner(petition=petition, party=party, is_representative=p["representative"])
                                   for party, p in zip(parties, people))
    # The first period counts from receipt: the office forwards (art. 22), a body decides (art. 23).
    clocks.start(case, clocks.FORWARD if office else clocks.ACCEPTANCE, received_on)
    with center_language():
        record(case, actor=actor, step="registered", note=_(
            "Petition registered: %(channel)s received on %(date)s, %(count)s petitioner(s), addressed to %(to)s.")
            % {"channel": Channel(channel).label, "date": spoken(received_on), "count": group_size,
               "to": addressed_to}, received_on=received_on.isoformat())
    if link:
        not_accept_on_registration(case, petition, original=original, link=link, actor=actor, channel=channel)
    follow_statutory_clocks(case)
    return Registered(case=case, petition=petition, outcome="not_accepted" if link else "registered", link=link)


def refuse_without_matter_registration(actor):
    """The one door also wants the core's right to register matters."""
    if not actor.has_perm(REGISTER_MATTER.permission):
        raise CaseChangeForbidden(str(REGISTER_MATTER.refusal))


def not_accept_on_registration(case, petition, *, original, link, actor, channel):
    """Recorded and told at once: the same facts as a final petition (art. 36), or a
    matter being handled below (art. 19, and the petitioner is told where)."""
    with center_language():
        if link == Link.FINAL:
            final = Petition.objects.get(case=original)
            reason = _("The petitioner raises again, on the same facts and grounds, the matter %(number)s, whose "
                       "re-review opinion was served on %(date)s and is final. Under art. 36 of the Regulations on "
                       "Petition Work it is not accepted again.") % {
                "number": original.number, "date": spoken(final.re_reviewed_on)}
            channel_text = _("The re-review opinion is final; no petition organ accepts the same facts again.")
            ground = Ground.FINAL
        else:
            reason = _("The matter is already being handled by %(holder)s (matter %(number)s). Under art. 19 of the "
                       "Regulations on Petition Work a higher organ does not accept it meanwhile.") % {
                "holder": original.holder.name, "number": original.number}
            channel_text = _("Please follow it with %(holder)s%(phone)s.") % {
                "holder": original.holder.name,
                "phone": _(" (phone %(phone)s)") % {"phone": original.holder.phone} if original.holder.phone else ""}
            ground = Ground.HANDLED_BELOW
    served = timezone.localdate() if channel == Channel.WALK_IN else None
    not_accept_locked(case, petition, actor=actor, decided_on=timezone.localdate(), reason=reason,
                      proper_channel=channel_text, ground=ground, served_on=served,
                      service="in_person" if served else "")
    if link == Link.FINAL:
        # The petitioner came again on the same facts: it counts on the final petition too (backlog, repeat rate).
        with center_language():
            note = _("Petitioned again on the same facts: %(number)s, not accepted (art. 36).") % {
                "number": case.number}
        case_link_repeat_visit(case_id=original.pk, actor=actor, channel=channel, note=note)
    else:
        with center_language():
            note = _("The petitioner of matter %(original)s also petitioned %(organ)s (%(number)s); they were told it "
                     "is handled by you (art. 19).") % {"original": original.number, "organ": actor.organisation.name,
                                                       "number": case.number}
        notify_many([Notification(organisation_id=original.holder_id, case=original, kind=NotificationKind.MESSAGE,
                                  note=note)])


@transaction.atomic
def petition_open(*, case_id, actor, received_on, addressed_to, group_size=1) -> Petition:
    """The statutory record for a petition registered at the general desk (kind
    ``petition``): its applicants become the petitioners, and its periods start
    from the date received, the tier clock giving way to them."""
    refuse_without(actor, REGISTER)
    case = case_get_for(case_id=case_id, actor=actor, action="change")
    if case.kind != CaseKind.PETITION:
        raise InvalidTransition(_("Only a matter of the kind “petition” has a petition record."))
    if Petition.objects.filter(case=case).exists():
        raise InvalidTransition(_("This matter has a petition record already."))
    check_day(received_on, field="received_on")
    if received_on > timezone.localtime(case.created_at).date():
        raise ValidationError({"received_on": _("It cannot have been received after it was registered.")})
    addressed_to = check_text(addressed_to, field="addressed_to",
                              message=_("Please give the organ the petition is addressed to."))
    applicants = list(Party.objects.filter(case=case, role=PartyRole.APPLICANT).order_by("id"))
    if group_size < max(1, len(applicants)):
        raise ValidationError({"group_size": _("%(people)s people were named but the number of petitioners is "
                                               "%(size)s.") % {"people": len(applicants), "size": group_size}})
    office = case.holder if is_petition_office(case.holder_id) else None
    petition = Petition.objects.create(case=case, received_on=received_on, group_size=group_size,
                                       addressed_to=addressed_to, office=office)
    Petitioner.objects.bulk_create(Petitioner(petition=petition, party=party) for party in applicants)
    clocks.start(case, clocks.FORWARD if office else clocks.ACCEPTANCE, received_on)
    with center_language():
        record(case, actor=actor, step="registered", note=_(
            "Petition record opened: received on %(date)s, addressed to %(to)s.")
            % {"date": spoken(received_on), "to": addressed_to}, received_on=received_on.isoformat())
    follow_statutory_clocks(case)
    return petition

