"""Demo mediations in every state, written onto demo matters whose status fits:
open matters get proposed, accepted, scheduled and running mediations (with
their month's clock, the tier clock paused); resolved, not resolved,
terminated and closed matters get the mediations that led there, with their
sessions and minutes, agreements, referrals and follow-ups, timed inside the
matter's own history. Each step also gets its timeline event."""
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.choices import CaseStatus, EventType
from governance.models import Case, CaseEvent, Organisation, User
from mediation import clocks
from mediation.choices import (
    FollowUpMethod,
    MediationStatus,
    Outcome,
    Performance,
    ReferralOutcome,
    Route,
    SessionStatus,
    TeamRole,
)
from mediation.models import (
    Agreement,
    AgreementTemplate,
    CourtReferral,
    FollowUp,
    Mediation,
    MediationRules,
    MediatorProfile,
    Minutes,
    Room,
    Session,
    SessionSeat,
    TeamMember,
)
from mediation.services.agreements import _mediator_names, _snapshot_parties
from mediation.services.opening import grant_access

S = MediationStatus
# (mediation status, matter status it sits on, how many)
PLAN = [
    (S.PROPOSED, CaseStatus.IN_PROGRESS, 2), (S.ACCEPTED, CaseStatus.IN_PROGRESS, 2),
    (S.SCHEDULED, CaseStatus.IN_PROGRESS, 3), (S.IN_MEDIATION, CaseStatus.IN_PROGRESS, 2),
    (S.SUCCEEDED, CaseStatus.RESOLVED, 3), (S.FAILED, CaseStatus.UNRESOLVED, 2),
    (S.TERMINATED, CaseStatus.TERMINATED, 1), (S.FOLLOWED_UP, CaseStatus.RESOLVED, 2),
    (S.CLOSED, CaseStatus.CLOSED, 4),
]
TERMS = [
    "一、被申请人于{day}前一次性支付申请人人民币{amount}元；\n二、申请人收到款项后不再就本纠纷主张其他权利；\n三、双方今后互谅互让、和睦相处。",
    "一、被申请人于{day}前自行拆除占用公共通道的杂物，恢复原状；\n二、双方共同维护邻里关系，不再因此事发生争执。",
    "一、双方确认欠款本金人民币{amount}元，被申请人分两期于{day}前还清；\n二、如逾期未付，申请人可就剩余款项依法申请强制执行。",
]
MINUTES = ("调解员告知双方权利义务及调解规则。申请人陈述了纠纷经过及诉求，被申请人对主要事实无异议，"
           "但对金额与期限提出不同意见。调解员分别做双方工作，释法说理。")
DECLINE_REASON = "本人与被申请人系近亲属，依法应当回避。"


def _lead_for(case, profiles):
    """The mediator of the body that serves the matter's holder: its village station's,
    its town's committee, else the county committee's (the demo account ``mediator``)."""
    by_body = {p.body_id: p for p in profiles}
    if case.holder_id in by_body:
        return by_body[case.holder_id]
    if case.holder.region.level == "town":
        return next((p for p in profiles if p.body.kind == "mediation_committee"
                     and p.body.region_id == case.holder.region_id), None)
    return next((p for p in profiles if p.user.username == "mediator"), None)


def _candidates(status, *, preferred):
    """Disputes of the given status held by the demo accounts' places (青山村's station for
    ``village_mediator``, the county center for ``mediator``), or by the others."""
    places = User.objects.filter(username__in=["village_mediator", "clerk"]).values("organisation_id")
    cases = Case.objects.filter(kind="dispute", status=status).select_related("region", "holder__region", "category")
    cases = cases.filter(holder_id__in=places) if preferred else cases.exclude(holder_id__in=places)
    return iter(cases.order_by("-created_at")[:40])


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _status_time(case, status):
    event = case.events.filter(type=EventType.STATUS_CHANGED, to_status=status).order_by("-at").first()
    return event.at if event else case.updated_at


class Writer:
    def __init__(self, rng):
        self.rng, self.now = rng, timezone.now()
        self.events = []
        self.rules = MediationRules.current()
        self.profiles = list(MediatorProfile.objects.filter(is_active=True).select_related("user", "body__region"))
        self.template = AgreementTemplate.objects.filter(is_default=True).first()

    def event(self, mediation, at, step, note, citizen=False, actor=None):
        self.events.append(CaseEvent(case_id=mediation.case_id, type=EventType.STEP, at=at, note=note,
                                     actor=actor or mediation.lead, is_public=citizen,
                                     data={"app": "mediation", "step": step, "mediation": mediation.pk,
                                           "citizen": citizen}))

    def mediation(self, case, status, opened_at):
        profile = _lead_for(case, self.profiles)
        opener = User.objects.filter(organisation=case.holder, is_active=True).exclude(role="").first() \
            or profile.user
        # Writing history, not taking steps: the status is given as it was reached.
        mediation = Mediation(case=case, body=profile.body, lead=profile.user, opened_by=opener, opened_at=opened_at,
                              court_referred=case.channel == "court_referral", status=status,
                              suggestion=f"专长：{case.category.name}；{profile.body.short_name or profile.body.name}服务该地")
        if status not in (S.PROPOSED, S.DECLINED):
            mediation.accepted_at = opened_at + timedelta(hours=2)
        mediation.save()
        grant_access(mediation, [profile.user], ["view_case", "change_case"])
        self.event(mediation, opened_at, "opened", f"发起调解：{profile.body.name}，主调解员{profile.user}。",
                   actor=opener)
        if mediation.accepted_at:
            self.event(mediation, mediation.accepted_at, "accepted", f"{profile.body.name}受理了该纠纷的调解。",
                       citizen=True)
        return mediation

    def session(self, mediation, starts_at, *, held):
        room = Room.objects.filter(center=mediation.case.holder).first() or Room.objects.filter(
            center__region__path=mediation.case.region.county_path).first()
        for shift in range(12):
            start = starts_at + timedelta(hours=2 * shift)
            try:
                with transaction.atomic():
                    session = Session.objects.create(
                        mediation=mediation, starts_at=start, ends_at=start + timedelta(minutes=90), room=room,
                        on_site_address="" if room else mediation.case.region.name, booked_by=mediation.lead,
                        booked_at=mediation.accepted_at, status=SessionStatus.HELD if held else SessionStatus.SCHEDULED)
                    SessionSeat.objects.create(session=session, user=mediation.lead, starts_at=start,
                                               ends_at=session.ends_at)
                break
            except IntegrityError:
                continue
        else:
            return None
        session.parties.set(mediation.case.parties.all())
        self.event(mediation, mediation.accepted_at + timedelta(minutes=30), "session_booked",
                   f"调解会定于{timezone.localtime(start):%Y-%m-%d %H:%M}在{session.place}举行。", citizen=True)
        if held:
            names = "、".join([*mediation.case.parties.values_list("name", flat=True), str(mediation.lead)])
            Minutes.objects.create(session=session, attendees=names, statements=MINUTES,
                                   agreed="双方同意按调解方案履行。" if mediation.status != S.IN_MEDIATION else "",
                                   recorded_by=mediation.lead, recorded_at=session.ends_at)
            self.event(mediation, session.ends_at, "minutes",
                       f"记录了{timezone.localtime(start):%Y-%m-%d %H:%M}调解会的笔录。")
        return session

    def agreement(self, mediation, at):
        case, rng = mediation.case, self.rng
        day = (timezone.localtime(at) + timedelta(days=rng.randint(7, 30))).date()
        terms = rng.choice(TERMS).format(day=f"{day:%Y年%m月%d日}", amount=rng.choice([2000, 3500, 8000, 12600]))
        fill = {"body": mediation.body.name, "category": case.category.name, "case_number": case.number,
                "place": case.region.name}
        agreement = Agreement.objects.create(
            mediation=mediation, version=1, template=self.template, title=self.template.title if self.template
            else "人民调解协议书", preamble=(self.template.preamble if self.template else "").format(**fill),
            closing=(self.template.closing if self.template else "").format(**fill),
            parties=_snapshot_parties(case), facts=case.narrative[:500], terms=terms, performance_deadline=day,
            mediators=_mediator_names(mediation), body_name=mediation.body.name, created_by=mediation.lead,
            created_at=at, signed_on=timezone.localtime(at).date(), signed_recorded_by=mediation.lead)
        self.event(mediation, at + timedelta(minutes=10), "agreement_signed",
                   f"调解协议书（第1版）已签署，自{agreement.signed_on:%Y-%m-%d}起生效。", citizen=True)
        if agreement.signed_on > (self.now - timedelta(days=28)).date():
            clocks.start_confirmation_clock(agreement, self.rules)
        return agreement

    def conclude(self, mediation, outcome, at):
        mediation.outcome, mediation.outcome_at = outcome, at
        self.session(mediation, at - timedelta(hours=2), held=True)
        if outcome == Outcome.SUCCESS:
            self.event(mediation, at, "succeeded", "调解成功，已制作调解协议书。")
            self.agreement(mediation, at)
        elif outcome == Outcome.FAILURE:
            mediation.outcome_note, mediation.routes = "双方对赔偿金额分歧较大，调解不成。", [Route.LITIGATION, Route.ARBITRATION]
            self.event(mediation, at, "failed", "调解不成：双方对赔偿金额分歧较大。")
            court = Organisation.objects.filter(kind="court_station", name__contains="诉调对接").first()
            if court is not None:
                done = self.rng.random() < 0.5
                CourtReferral.objects.create(mediation=mediation, court_station=court, referred_at=at,
                                             referred_by=mediation.lead, note="当事人同意转诉调对接。",
                                             outcome=ReferralOutcome.FILED if done else ReferralOutcome.PENDING,
                                             outcome_on=(at + timedelta(days=5)).date() if done else None)
                self.event(mediation, at + timedelta(minutes=5), "referred", f"转{court.name}诉调对接。", citizen=True)
        else:
            mediation.outcome_note = "申请人撤回调解申请。"
            self.event(mediation, at, "terminated", "终止调解：申请人撤回调解申请。")
        mediation.save()

    def follow_up(self, mediation, at, *, satisfied):
        FollowUp.objects.create(
            mediation=mediation, method=FollowUpMethod.PHONE if self.rng.random() < 0.7 else FollowUpMethod.VISIT,
            performance=(Performance.NOT_APPLICABLE if mediation.outcome != Outcome.SUCCESS
                         else Performance.FULLY if satisfied else Performance.PARTLY),
            satisfaction=self.rng.choice([4, 5]) if satisfied else 2,
            note="" if satisfied else "被申请人仅支付了部分款项，申请人不满意。", by=mediation.lead, at=at)
        self.event(mediation, at, "followed_up", "回访：满意。" if satisfied else "回访：不满意，协议未完全履行。")


def _ended(case, status):
    """When the matter left mediation: its resolve (or the status the mediation led to)."""
    if case.status == CaseStatus.CLOSED:
        return case.resolved_at or (case.closed_at - timedelta(days=3))
    return _status_time(case, CaseStatus.RESOLVED if status in (S.SUCCEEDED, S.FOLLOWED_UP) else
                        CaseStatus.UNRESOLVED if status == S.FAILED else CaseStatus.TERMINATED)


def seed_records(rng) -> int:
    """The PLAN, alternating between the demo accounts' places and the rest of the county."""
    writer, taken, written = Writer(rng), set(), 0
    if not writer.profiles:
        return 0
    for status, case_status, count in PLAN:
        pools = [_candidates(case_status, preferred=True), _candidates(case_status, preferred=False)]
        turn = 0
        while count > 0 and pools:
            pool = pools[turn % len(pools)]
            turn += 1
            case = next(pool, None)
            if case is None:
                pools.remove(pool)
                continue
            if case.pk in taken or _lead_for(case, writer.profiles) is None or not case.parties.exists():
                continue
            if case.status != CaseStatus.IN_PROGRESS and _ended(case, status) - case.created_at < timedelta(days=1):
                continue  # settled too fast to have been mediated
            taken.add(case.pk)
            count -= 1
            written += 1
            _write(writer, case, status)
    CaseEvent.objects.bulk_create(writer.events)
    return written


def _write(writer, case, status):
    now = writer.now
    if case.status == CaseStatus.IN_PROGRESS:
        opened = max(case.created_at + timedelta(hours=1), now - timedelta(days=writer.rng.randint(3, 12)))
        mediation = writer.mediation(case, status, opened)
        if status == S.PROPOSED and writer.rng.random() < 0.5:
            _declined_before(writer, case, opened)
        if mediation.accepted_at:
            clocks.start_mediation_clock(mediation, writer.rules, at=mediation.accepted_at)
        if status == S.SCHEDULED:
            day = timezone.localdate() + timedelta(days=writer.rng.randint(1, 6))
            writer.session(mediation, _at(day, writer.rng.choice([9, 10, 14, 15])), held=False)
        elif status == S.IN_MEDIATION:
            writer.session(mediation, mediation.accepted_at + timedelta(days=1), held=True)
        return
    ended = _ended(case, status)
    opened = max(case.created_at + timedelta(minutes=30), ended - timedelta(days=6))
    mediation = writer.mediation(case, status, opened)
    outcome = {S.FAILED: Outcome.FAILURE, S.TERMINATED: Outcome.TERMINATED}.get(status, Outcome.SUCCESS)
    writer.conclude(mediation, outcome, ended)
    if status in (S.SUCCEEDED, S.FAILED, S.TERMINATED):
        clocks.start_follow_up_clock(mediation, writer.rules, at=ended)
    elif status == S.FOLLOWED_UP:
        writer.follow_up(mediation, min(ended + timedelta(days=5), now - timedelta(hours=1)), satisfied=False)
    else:
        closed = case.closed_at or now
        writer.follow_up(mediation, closed - timedelta(minutes=30), satisfied=True)
        Mediation.objects.filter(pk=mediation.pk).update(closed_at=closed)
        writer.event(mediation, closed, "closed", "调解结案。")
    if mediation.is_joint is False and status == S.CLOSED and case.holder.region.level == "county":
        _joint_team(mediation)


def _declined_before(writer, case, at):
    """An earlier proposal the first lead declined (a conflict of interest)."""
    first = next((p for p in writer.profiles if p.user.username == "mediator"), writer.profiles[0])
    declined = Mediation.objects.create(
        case=case, body=first.body, lead=first.user, opened_by=first.user, opened_at=at - timedelta(days=1),
        declined_reason=DECLINE_REASON, status=S.DECLINED)
    writer.event(declined, at - timedelta(hours=20), "declined", f"{declined.lead}拒绝主持调解：{DECLINE_REASON}")


def _joint_team(mediation):
    """A county matter mediated jointly, with its "1131" team."""
    people = {username: User.objects.filter(username=username).first() for username in
              ("clerk", "leader", "mediator_family", "aid_lawyer", "counsellor", "petition_officer")}
    roles = dict(zip(people, (TeamRole.COORDINATOR, TeamRole.HOST, TeamRole.PRO_MEDIATOR, TeamRole.LAWYER,
                              TeamRole.PSYCHOLOGIST, TeamRole.TRACKER)))
    if any(user is None for user in people.values()):
        return
    TeamMember.objects.bulk_create([TeamMember(mediation=mediation, user=user, role=roles[name])
                                    for name, user in people.items()])
    Mediation.objects.filter(pk=mediation.pk).update(is_joint=True)

