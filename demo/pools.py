"""What the matter generator samples from: the weights of kinds, channels,
categories, places and outcomes; the demo county's places and bodies (loaded
once, no per-row queries); pools of fake people (Faker runs only here)."""
import re
from datetime import date
from itertools import accumulate

from faker import Faker
from stdnum.cn import ric

from governance.choices import CaseStatus as S
from demo.reference import COUNTY_CODE, COUNTY_NAME
from demo.text import COUNTY_STREETS
from governance.models import Category, Organisation, Region, User


def cumulative(pairs):
    """[(value, weight)] -> (values, cumulative weights) for bisect sampling."""
    return [v for v, _ in pairs], list(accumulate(w for _, w in pairs))


KINDS = cumulative([("dispute", 70), ("petition", 10), ("grid_event", 12), ("consultation", 8)])
CHANNELS = {
    "dispute": cumulative([("walk_in", 35), ("hotline", 18), ("police_referral", 12), ("grid_report", 18),
                            ("online", 9), ("court_referral", 6), ("letter", 2)]),
    "petition": cumulative([("walk_in", 45), ("letter", 20), ("online", 20), ("hotline", 15)]),
    "grid_event": cumulative([("grid_report", 1)]),
    "consultation": cumulative([("walk_in", 50), ("hotline", 30), ("online", 20)]),
}
_CATEGORY_WEIGHTS = {
    "marriage_family": 14, "neighbourhood": 18, "labour": 12, "property_management": 9, "consumer": 7,
    "housing_land": 9, "medical": 4, "traffic_accident": 7, "finance": 3, "education": 2, "environment": 3,
    "debt": 7, "land_acquisition": 3, "online": 2, "other": 2,
}
_KIND_CATEGORY_BOOST = {
    "petition": {"land_acquisition": 6, "labour": 2, "housing_land": 2, "other": 3},
    "grid_event": {"environment": 4, "neighbourhood": 2, "property_management": 2, "other": 4},
}
CATEGORIES = {
    kind: cumulative([(c, w * _KIND_CATEGORY_BOOST.get(kind, {}).get(c, 1)) for c, w in _CATEGORY_WEIGHTS.items()])
    for kind in ("dispute", "petition", "grid_event", "consultation")
}
# Where matters happen, by kind: weights of place levels.
PLACE_LEVELS = {
    "dispute": {"village": 33, "grid": 42, "micro_grid": 15, "town": 7, "county": 3},
    "petition": {"village": 35, "grid": 25, "micro_grid": 5, "town": 20, "county": 15},
    "grid_event": {"grid": 70, "micro_grid": 30},
    "consultation": {"village": 30, "grid": 15, "micro_grid": 5, "town": 30, "county": 20},
}
TOWN_FACTORS = [1.15, 1.0, 0.85]
# The tier a matter ends up at, from the tier of its place.
TARGET_TIERS = {
    ("dispute", "village"): cumulative([("village", 72), ("town", 19), ("county", 9)]),
    ("petition", "village"): cumulative([("village", 45), ("town", 33), ("county", 22)]),
    ("grid_event", "village"): cumulative([("village", 85), ("town", 12), ("county", 3)]),
    "town": cumulative([("town", 75), ("county", 25)]),
}
OUTCOMES = {
    "default": cumulative([("resolve", 88), ("mark_unresolved", 6), ("terminate", 6)]),
    "grid_event": cumulative([("resolve", 95), ("terminate", 5)]),
}
# Outcome action -> (probability of being closed after the follow-up, days until then).
CLOSING = {"resolve": (0.97, 1, 10), "mark_unresolved": (0.6, 2, 15), "terminate": (0.85, 1, 7)}
STATUS_AFTER = {"accept": S.IN_PROGRESS, "resolve": S.RESOLVED, "mark_unresolved": S.UNRESOLVED,
                "terminate": S.TERMINATED, "close": S.CLOSED}

MOBILE = re.compile(r"^1[3-9]\d{9}$")
TOWN_STREETS = ["镇南路", "兴业路", "老街", "新民路", "工业大道"]


class Pools:
    """Names, mobile phones, resident ID numbers and addresses, drawn once."""

    def __init__(self, seed, size):
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.names = [fake.name() for _ in range(size)]
        self.phones = _draw(fake.phone_number, MOBILE.match, size)
        self.id_numbers = _id_numbers(fake, size)
        # "四川省石家庄市清浦胡路g座 511093": drop the postcode.
        self.addresses = [fake.address().rsplit(" ", 1)[0] for _ in range(max(100, size // 4))]


def _valid_id_number(number):
    """python-stdnum's check: length, birth date, birth place (the area code must
    have existed in the birth year) and the ISO 7064 MOD 11-2 check digit."""
    try:
        return ric.is_valid(number)
    except Exception:  # python-stdnum 2.2 raises KeyError for a few area codes
        return False


def _id_numbers(fake, size):
    """``fake.ssn()`` numbers that python-stdnum accepts, most born in this
    province (Zhejiang, 33xxxx). Faker picks from 3,500 area codes and about
    two thirds fail for the birth year drawn, so first keep area codes valid
    for both the oldest and the youngest birth year (cheap), then draw and check."""
    area_codes = fake.provider("faker.providers.ssn").area_codes
    today = date.today()
    births = [f"{today.year - 90}{today:%m%d}", f"{today.year - 18}{today:%m%d}"]

    def stable(code):  # a county-level code (not a province or city: 330000, 330100)
        return not code.endswith("00") and all(
            _valid_id_number(_with_check_digit(code + birth + "123")) for birth in births
        )

    local = [c for c in area_codes if c.startswith("33") and stable(c)]
    elsewhere = [c for c in fake.random_elements(area_codes, length=300, unique=True) if stable(c)]

    def make():
        return fake.ssn(area_code=fake.random_element(local if fake.random.random() < 0.85 else elsewhere))

    return _draw(make, _valid_id_number, size)


def _with_check_digit(number17):
    return number17 + ric.calc_check_digit(number17 + "0")


def _draw(make, valid, size):
    values = []
    for _ in range(size * 50):
        value = make()
        if valid(value):
            values.append(value)
            if len(values) == size:
                return values
    raise RuntimeError("Faker gave too few valid values")


class Place:
    """A region where matters happen, with its village, town and a way to make addresses."""

    __slots__ = ("id", "level", "tier", "village_id", "town_id", "town_index", "prefix", "style", "local_name")

    def __init__(self, region, village, town, town_index):
        self.id, self.level, self.tier = region.id, region.level, region.tier
        self.village_id = village.id if village else None
        self.town_id = town.id if town else None
        self.town_index = town_index
        names = [COUNTY_NAME] + [r.name for r in (town, village) if r]
        self.local_name = names[-1]  # how people name where they live: the village (community) or town
        if region.level == "micro_grid":
            names.append(region.name)
        self.prefix = "".join(names)
        if village is None:
            self.style = "street"
        elif village.name.endswith("社区"):
            self.style = "building" if region.level == "micro_grid" else "community"
        else:
            self.style = "group" if region.level == "micro_grid" else "village"

    def address(self, rng):
        r = rng.random
        if self.style == "village":
            return f"{self.prefix}{int(r() * 12) + 1}组{int(r() * 80) + 1}号"
        if self.style == "group":
            return f"{self.prefix}{int(r() * 80) + 1}号"
        room = f"{int(r() * 4) + 1}单元{int(r() * 18) + 1}{int(r() * 4) + 1:02d}室"
        if self.style == "community":
            return f"{self.prefix}{int(r() * 30) + 1}幢{room}"
        if self.style == "building":
            return f"{self.prefix}{room}"
        streets = TOWN_STREETS if self.town_id else COUNTY_STREETS
        return f"{self.prefix}{streets[int(r() * len(streets))]}{int(r() * 300) + 1}号"


class Context:
    """The demo county as plain ids and strings."""

    def __init__(self):
        county = Region.objects.get(code=COUNTY_CODE)
        regions = list(Region.objects.filter(path__startswith=county.path).order_by("path"))
        by_path = {r.path: r for r in regions}
        step = Region.steplen
        towns = sorted((r for r in regions if r.level == "town"), key=lambda r: r.code)
        town_index = {t.id: i for i, t in enumerate(towns)}
        self.county_id = county.id
        self.places = []
        for region in regions:
            town = by_path.get(region.path[: 2 * step]) if region.depth >= 2 else None
            village = by_path.get(region.path[: 3 * step]) if region.depth >= 3 else None
            index = town_index[town.id] % 3 if town else 1
            self.places.append(Place(region, village, town, index))
        self.level_counts = {}
        for place in self.places:
            self.level_counts[place.level] = self.level_counts.get(place.level, 0) + 1

        orgs = Organisation.objects.filter(region__path__startswith=county.path)
        self.names = dict(orgs.values_list("id", "name"))
        self.centers = dict(orgs.filter(kind="center").values_list("region_id", "id"))
        self.departments = {}
        for code, org_id in orgs.filter(kind="department", is_active=True).values_list("categories__code", "id"):
            if code:
                self.departments.setdefault(code, []).append(org_id)
        for ids in self.departments.values():
            ids.sort()
        self.categories = dict(Category.objects.values_list("code", "id"))

        staff = {u: (pk, org) for u, pk, org in User.objects.values_list("username", "id", "organisation_id")}
        self.users = {username: pk for username, (pk, _) in staff.items()}
        # Who acts for a holder on the timeline, where the demo has an account there.
        self.actors = {}
        for username in ("clerk", "town_clerk", "other_town_clerk", "village_mediator", "handler"):
            if username in staff and staff[username][1]:
                self.actors[staff[username][1]] = staff[username][0]
        gridworker_org = staff.get("gridworker", (None, None))[1]
        self.first_village_id = (
            Organisation.objects.filter(pk=gridworker_org).values_list("region_id", flat=True).first()
        )

    def center(self, place, tier):
        region_id = place.village_id if tier == "village" else place.town_id if tier == "town" else self.county_id
        return self.centers[region_id]

    def county_address(self, rng):
        street = COUNTY_STREETS[int(rng.random() * len(COUNTY_STREETS))]
        return f"{COUNTY_NAME}{street}{int(rng.random() * 300) + 1}号"


def load_places():
    return Context()
