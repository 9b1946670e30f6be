"""The load test's data work, run by run.py with the servers' settings (Django set up here):

  fixtures.py prepare OUT.json        tokens, places, grids, matters to look up, free session
                                      times, and LOADTEST_HELD mediations whose session was held
  fixtures.py due START SPAN N OUT    up to N open matters below the county whose tier limit runs out between
                                      START (epoch seconds) and START+SPAN, evenly: the sweep must
                                      escalate each within 2 minutes of its limit, under the load
  fixtures.py count START END OUT     what was written between START and END (epoch seconds)
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone as dt_timezone

import django
import time_machine

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance.accounts.models import ApiToken  # noqa: E402
from governance.models import Case, Category, Clock, Region, User  # noqa: E402
from grid.models import EventType, GridAssignment  # noqa: E402
from mediation.models import Room, Session  # noqa: E402

COUNTY_CODE = "339901000000"
PASSWORD = "demo12345"
ACCOUNTS = {"clerk": "clerk", "leader": "leader", "mediator": "village_mediator", "grid": "gridworker"}


def prepare(out):
    county = Region.objects.get(code=COUNTY_CODE)
    users = {username: User.objects.get(username=username) for username in ACCOUNTS.values()}
    # Expiring API tokens (governance.accounts): a fresh one per run, only its digest is stored.
    tokens = {username: ApiToken.issue(user=user, name="make loadtest")[1] for username, user in users.items()}
    villages = list(Region.objects.filter(level="village", path__startswith=county.path).values("id", "code"))
    categories = list(Category.objects.filter(is_active=True).values("id", "code"))

    mediator = users[ACCOUNTS["mediator"]]
    station = mediator.organisation
    room = Room.objects.filter(center=station).order_by("id").first()
    latest = Session.objects.aggregate(latest=Max("ends_at"))["latest"] or timezone.now()
    session_base = (max(latest, timezone.now()) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    held = held_mediations(mediator, station, room, count=int(os.environ.get("LOADTEST_HELD") or 200))

    worker = users[ACCOUNTS["grid"]]
    grids = list(GridAssignment.objects.filter(worker=worker, ended_at__isnull=True)
                 .values_list("grid__code", flat=True))
    event_types = list(EventType.objects.filter(is_admitted=True).values_list("code", flat=True))
    lookups = []
    for number, phone in (Case.objects.filter(parties__role="applicant", parties__phone__regex=r"^1[0-9]{10}$",
                                              region__path__startswith=county.path)
                          .order_by("-id").values_list("number", "parties__phone")[:400]):
        lookups.append([number, phone[-4:]])
    fixtures = {
        "password": PASSWORD, "tokens": tokens,
        "villages": villages, "categories": categories,
        "id_places": ["110105", "330106", "420303", "440305", "510104"],
        "mediation": {"lead": mediator.username, "room": room.pk, "village": station.region.code},
        "session_base": session_base.isoformat(),
        "held": held,
        "grid": {"worker": worker.username, "grids": grids, "event_types": event_types,
                 "latitude": 30.27, "longitude": 120.15},
        "lookups": lookups,
    }
    assert villages and categories and room and grids and event_types and lookups, fixtures
    with open(out, "w") as handle:
        json.dump(fixtures, handle, ensure_ascii=False, indent=1)


def held_mediations(mediator, station, room, *, count):
    """Mediations whose session was held before the run (booked in the past, one hour apart,
    before every earlier session): the mediators of the test write their minutes and outcomes.
    Registered, opened, accepted and booked through the services, as the API would."""
    from intake.services import intake_register
    from mediation.services import mediation_accept, mediation_open, session_book

    earliest = Session.objects.aggregate(earliest=Min("starts_at"))["earliest"] or timezone.now()
    base = (min(earliest, timezone.now()) - timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    category = Category.objects.get(code="neighbourhood")
    held = []
    for index in range(count):
        starts = base - timedelta(hours=index)
        # Booked the day before the session (the services refuse a time already past).
        with time_machine.travel(starts - timedelta(days=1), tick=False):
            case = intake_register(actor=mediator, channel="walk_in", kind="dispute", category=category,
                                   region=station.region, narrative="邻居装修噪音扰民，约定到村调解室调解。",
                                   dispatch=True, parties=[{"role": "applicant", "name": "王建国",
                                                            "phone": f"139{index:08d}"},
                                                           {"role": "respondent", "name": "李四"}])
            mediation = mediation_open(case_id=case.pk, actor=mediator, lead=mediator)
            mediation_accept(mediation_id=mediation.pk, actor=mediator)
            session = session_book(mediation_id=mediation.pk, actor=mediator, room=room, starts_at=starts,
                                   ends_at=starts + timedelta(minutes=50))
        held.append({"mediation": mediation.pk, "session": session.pk})
    return held


def due(start, span, count, out):
    """Move the tier limit of up to ``count`` open village or town matters into the run, evenly
    spread (the sweep then moves each to its town's, or the county's, center)."""
    start = datetime.fromtimestamp(float(start), dt_timezone.utc)
    span, count = float(span), int(count)
    with transaction.atomic():
        clocks = list(Clock.objects.select_for_update(of=("self",))
                      .filter(kind="tier", stopped_at__isnull=True, paused_at__isnull=True,
                              case__tier__in=["village", "town"], due_at__gt=timezone.now() + timedelta(hours=1))
                      .order_by("-id").values_list("id", "case_id")[:count])
        assert len(clocks) >= min(count, 100), f"only {len(clocks)} open matters below the county"
        rows = []
        for index, (clock_id, case_id) in enumerate(clocks):
            due_at = start + timedelta(seconds=span * index / max(count - 1, 1))
            rows.append((clock_id, case_id, due_at))
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE governance_clock SET due_at = %s, remind_at = NULL WHERE id = %s",
                               [(due_at, clock_id) for clock_id, _case, due_at in rows])
            cursor.executemany("UPDATE governance_case SET deadline = %s WHERE id = %s",
                               [(due_at, case_id) for _clock, case_id, due_at in rows])
    with open(out, "w") as handle:
        json.dump([{"case": case_id, "due_at": due_at.timestamp()} for _clock, case_id, due_at in rows], handle)


def count(start, end, out):
    start = datetime.fromtimestamp(float(start), dt_timezone.utc)
    end = datetime.fromtimestamp(float(end), dt_timezone.utc)
    window = {"created_at__gte": start, "created_at__lt": end}
    figures = {
        "matters_registered": Case.objects.filter(**window).count(),
        "matters_by_channel": dict(Case.objects.filter(**window).values_list("channel").annotate(n=Count("id"))
                                   .order_by()),
        "matters_total": Case.objects.count(),
    }
    with open(out, "w") as handle:
        json.dump(figures, handle)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"prepare": prepare, "due": due, "count": count}[command](*arguments)
