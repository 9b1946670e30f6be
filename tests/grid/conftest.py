"""Fixtures of the grid tests: the demo county with its grid work (the admission
list, reward rates, workers on their grids), real photos, and a helper that
takes an event through the loop with the demo's people."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.grid import seed_grid
from governance.models import Organisation, Region, User
from grid.models import EventType
from grid.services import loop, reporting

FILES = Path(__file__).resolve().parent / "files"
GRID_1 = "33990100100101"  # 青山村第一网格: gridworker's
MICRO_1 = "3399010010010101"  # its micro-grid 1组


@pytest.fixture
def grid_demo(demo):
    """The demo county's grid work (idempotent, cheap when there)."""
    seed_grid()


@pytest.fixture
def people(grid_demo):
    names = ["gridworker", "village_clerk", "handler", "housing_handler", "village_mediator", "leader", "admin",
             "town_clerk", "other_town_clerk", "clerk", "gridworker_shiqiao", "mediator"]
    return {u.username: u for u in User.objects.filter(username__in=names).select_related("organisation")}


def jpeg(name="building.jpg", as_name=None):
    return SimpleUploadedFile(as_name or name, (FILES / name).read_bytes(), content_type="image/jpeg")


def pdf(as_name="photo.jpg"):
    """A real PDF's first bytes under a photo's name."""
    content = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"0" * 600 + b"\n%%EOF\n"
    return SimpleUploadedFile(as_name, content, content_type="image/jpeg")


@pytest.fixture
def photo():
    return jpeg


def event_type(code):
    return EventType.objects.get(code=code)


def report(worker, *, code="rental_housing", place=GRID_1, text="出租屋楼道内电动车充电，堵塞安全出口。",
           photos=None, **extra):
    return reporting.event_report(actor=worker, event_type=event_type(code), place=Region.objects.get(code=place),
                                  description=text, photos=[jpeg()] if photos is None else photos, **extra)


def to_step(event, people, step):
    """Take ``event`` (reported) through the loop up to ``step`` with the demo's people:
    the village clerk runs the center, ``handler`` (县人社局) handles, gridworker verifies."""
    center, handler, worker = people["village_clerk"], people["handler"], people["gridworker"]
    order = ["registered", "dispatched", "handling", "fed_back", "verified", "closed", "evaluated"]
    steps = {
        "registered": lambda: loop.event_register(event_id=event.pk, actor=center),
        "dispatched": lambda: loop.event_dispatch(event_id=event.pk, actor=center, assignee=handler,
                                                  instruction="请现场处置"),
        "handling": lambda: loop.event_handle(event_id=event.pk, actor=handler),
        "fed_back": lambda: loop.event_feedback(event_id=event.pk, actor=handler, note="已整改",
                                                photos=[jpeg("flower.jpg")]),
        "verified": lambda: loop.event_verify(event_id=event.pk, actor=worker, passed=True, note="已核实",
                                              photos=[jpeg()]),
        "closed": lambda: loop.event_close(event_id=event.pk, actor=center),
        "evaluated": lambda: loop.event_evaluate(event_id=event.pk, actor=center, rating=5),
    }
    done = order.index(event.status) + 1 if event.status in order else 0
    for name in order[done: order.index(step) + 1]:
        event = steps[name]()
    return event


def organisation(name):
    return Organisation.objects.get(name=name)
