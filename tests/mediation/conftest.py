"""Mediation fixtures: a village dispute held by 青山村's station (where the demo
account village_mediator works), a fixed "now" on a working day, and helpers to
walk a mediation through its steps with the real services."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.models import Organisation
from mediation import services
from mediation.models import Room
from tests.factories import CaseFactory, region

SHANGHAI = ZoneInfo("Asia/Shanghai")
VILLAGE = "339901001001"  # 青山村
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)  # a Tuesday


def at(y, m, d, hour=9, minute=0):
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """Time stands at NOW (ticking), and can be moved: ``clock.move_to(at(...))``."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def village_dispute(**fields):
    parties = fields.pop("parties", None) or [
        {"role": "applicant", "name": "王建国", "id_number": "11010519491231002X", "phone": "13912348888",
         "address": "青山村3组12号"},
        {"role": "respondent", "name": "李四", "id_number": "110105195001010019", "phone": "13800001111"},
    ]
    return CaseFactory(region=region(VILLAGE), parties=parties, **fields)


@pytest.fixture
def case(demo, clock):
    return village_dispute()


@pytest.fixture
def village_room(demo):
    station = Organisation.objects.get(name="青山村社会治理工作站")
    return Room.objects.get(center=station, name="调解室")


@pytest.fixture
def county_room(demo):
    return Room.objects.get(center__name="示范县社会治理中心", name="第一调解室")


def opened(case, actor, lead=None, **kwargs):
    return services.mediation_open(case_id=case.pk, actor=actor, lead=lead or actor, **kwargs)


def accepted(case, actor, **kwargs):
    mediation = opened(case, actor, **kwargs)
    return services.mediation_accept(mediation_id=mediation.pk, actor=mediation.lead)


def book(mediation, actor, start, minutes=60, room=None, **kwargs):
    return services.session_book(mediation_id=mediation.pk, actor=actor, starts_at=start,
                                 ends_at=start + timedelta(minutes=minutes), room=room, **kwargs)


def in_mediation(case, actor, room, clock, start=None):
    """Accepted, a session booked and held, its minutes recorded."""
    mediation = accepted(case, actor)
    start = start or NOW + timedelta(hours=1)
    session = book(mediation, actor, start, room=room)
    clock.move_to(start + timedelta(minutes=50))
    services.minutes_record(session_id=session.pk, actor=actor, attendees="王建国、李四、周桂英",
                            statements="双方陈述了事实。", agreed="同意赔偿。")
    return mediation


def settled(case, actor, room, clock, **kwargs):
    mediation = in_mediation(case, actor, room, clock)
    return services.mediation_succeed(mediation_id=mediation.pk, actor=actor, facts="邻居装修噪音扰民。",
                                      terms=kwargs.pop("terms", "李四赔偿王建国人民币2000元。"), **kwargs)
