"""The demo county's petition work: 县信访局 as the petition office, its clerk,
a second body's handler, the statutory periods and notices' wording, the county
leader's reception day (the 15th of each month) and a duty rota; and, when the
county has demo matters, their petitions brought to every statutory step.
Idempotent: run by ``seed_demo`` on every start."""
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from demo.reference import DEMO_PASSWORD
from governance.choices import CaseKind, Role
from governance.models import Organisation, User
from petitions.choices import Duty
from petitions.documents import ensure_default_templates
from petitions.models import DocumentTemplate, DutyShift, PetitionOffice, ReceptionSchedule, StatutoryPeriod
from petitions.periods import ensure_default_periods

PETITION_OFFICE = "县信访局"
# username, role, (last, first), organisation, phone. The 住建 handler the petitions
# are given to, `housing_handler`, is the grid demo's (demo/grid.py, seeded before).
ACCOUNTS = [
    ("petition_clerk", Role.CLERK, ("马", "秀兰"), PETITION_OFFICE, "13900000010"),
]
RECEPTION_PLACE = "县社会治理中心一楼领导接待室"


def seed_petition_reference():
    """The office, the accounts, the periods, the notices and the reception
    schedule; cheap when they are there. Returns the petition office."""
    office = Organisation.objects.filter(name=PETITION_OFFICE).first()
    if office is None:  # the county is not seeded (yet)
        return None
    PetitionOffice.objects.get_or_create(organisation=office)
    ensure_default_periods(StatutoryPeriod)
    ensure_default_templates(DocumentTemplate)
    password = make_password(DEMO_PASSWORD)
    for username, role, (last, first), organisation, phone in ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.organisation = Organisation.objects.get(name=organisation)
        user.role, user.last_name, user.first_name, user.phone = role, last, first, phone
        user.is_active, user.is_staff, user.password = True, True, password
        user.save()
    leader = User.objects.filter(username="leader").first()
    if leader is not None:
        ReceptionSchedule.objects.get_or_create(leader=leader, day_of_month=15,
                                                defaults={"place": RECEPTION_PLACE})
    return office


def seed_duty_rota(days=14):
    """Who leads and who is on duty at the petition reception, the next two weeks."""
    leader, clerk = User.objects.filter(username="leader").first(), User.objects.filter(
        username="petition_clerk").first()
    if leader is None or clerk is None:
        return 0
    today = timezone.localdate()
    rows = [DutyShift(date=today + timedelta(days=n), person=person, duty=duty)
            for n in range(days) for person, duty in ((leader, Duty.LEADING), (clerk, Duty.DUTY))]
    return len(DutyShift.objects.bulk_create(rows, ignore_conflicts=True))


@transaction.atomic
def seed_petitions():
    """Everything above; then, if the county has demo matters of the kind petition
    without a petition record, their petitions at every step (``demo.petition_steps``)."""
    from demo.petition_steps import seed_petition_steps
    from petitions.services.reception import reception_days_plan

    if seed_petition_reference() is None:
        return 0
    seed_duty_rota()
    reception_days_plan(months=2)
    if not User.objects.filter(username="petition_clerk").exists():
        return 0
    from governance.models import Case

    if not Case.objects.filter(kind=CaseKind.PETITION, petition__isnull=True).exists():
        return 0
    added = seed_petition_steps()
    seed_appointments()
    return added


def seed_appointments():
    """Two petitioners booked on the next reception day, if none is booked yet."""
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    from petitions.models import Appointment, Petition, ReceptionDay

    day = ReceptionDay.objects.filter(date__gt=timezone.localdate()).order_by("date").first()
    if day is None or Appointment.objects.exists():
        return 0
    booked = 0
    for n, petition in enumerate(Petition.objects.filter(step="accepted").select_related("case")[:2]):
        starts = timezone.make_aware(datetime.combine(day.date, day.starts)) + timedelta(minutes=n * day.slot_minutes)
        applicant = petition.case.parties.filter(role="applicant").first()
        Appointment.objects.create(leader=day.leader, day=day, case=petition.case,
                                   period=DateTimeTZRange(starts, starts + timedelta(minutes=day.slot_minutes)),
                                   name=applicant.name if applicant else "信访人", phone=applicant.phone if applicant else "",
                                   topic=petition.case.narrative[:60])
        booked += 1
    return booked
