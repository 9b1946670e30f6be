"""Shared test helpers: dates in Beijing time, a letter petition registered by
the petition office's clerk, and its steps walked with the clock moved."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from governance.models import Category, Organisation, Region, User
from governance.timers.sweep import sweep_clocks
from petitions import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
VILLAGE = "339901001001"  # 青山村


def at(y, m, d, hour=10, minute=0):
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


def end_of(day: date) -> datetime:
    """24:00 of ``day``: when a period counted in days ends."""
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(days=1)


def user(username):
    return User.objects.get(username=username)


def org(name):
    return Organisation.objects.get(name=name)


def person(name="王建国", id_number="11010519491231002X", phone="13912348888", address="青山村3组12号"):
    return {"name": name, "id_number": id_number, "phone": phone, "address": address}


def register_letter(received_on, *, on=None, petitioners=None, representatives=(), group_size=1, category="labour",
                    clerk="petition_clerk", channel="letter", repeat_of=None):
    """A petition registered by the petition office's clerk on ``on`` (default: the
    day received), 10:00."""
    on = on or received_on
    with time_machine.travel(at(on.year, on.month, on.day), tick=False):
        return services.petition_register(
            actor=user(clerk), channel=channel, received_on=received_on,
            petitioners=[person()] if petitioners is None else petitioners, representatives=representatives,
            group_size=group_size, addressed_to="县人民政府", narrative="某公司拖欠工资三个月，多次讨要未果。",
            category=Category.objects.get(code=category), region=Region.objects.get(code=VILLAGE),
            repeat_of=repeat_of,
        )


def on_day(day, hour=10):
    return time_machine.travel(at(day.year, day.month, day.day, hour), tick=False)


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return sweep_clocks(now=moment)


def post(client, case_id, action, day, **body):
    """POST /api/v1/petitions/{id}/{action}/ on ``day`` (10:00 Beijing time)."""
    with on_day(day):
        return client.post(f"/api/v1/petitions/{case_id}/{action}/", body, format="json")


def read(client, case_id, day):
    with on_day(day):
        response = client.get(f"/api/v1/petitions/{case_id}/")
    assert response.status_code == 200, response.content
    return response.json()


def served(day, service="in_person"):
    """A decision dated and served on ``day``."""
    return {"decided_on": day.isoformat(), "served_on": day.isoformat(), "service": service}
