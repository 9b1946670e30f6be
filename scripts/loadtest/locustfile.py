"""The mixed traffic of `make loadtest` (Locust, headless; scripts/loadtest/run.py starts it).

Who, and how often (each user keeps its own pace with constant_throughput, so the offered
load is fixed and a slow server shows up as latency and a lower rate, not as fewer users):

- clerks register matters: the hotline system's POST /api/v1/cases/ (a token), and at the
  window desks (logged in, POST /intake/, a photo now and then);
- mediators take disputes into mediation and book their sessions (register, open, accept, book a
  room and a time), and for sessions held earlier write the minutes and record the outcome
  (/api/v1/mediation/);
- grid workers report events from their grids, most with a photo (/api/v1/grid/events/);
- leaders open the dashboards: the summary API and the dashboard page;
- citizens check a matter's status on the public page (number + last four digits).

The fixtures (accounts' tokens, places, grids, matters to look up, the next free session
times) come from LOADTEST_FIXTURES, written by run.py. User counts and rates: LOADTEST_CLERKS and
LOADTEST_CLERK_RATE (registrations per second per hotline clerk), and so on below.
"""
import itertools
import json
import os
import random
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser
from urllib3 import encode_multipart_formdata

FIXTURES = json.loads(Path(os.environ["LOADTEST_FIXTURES"]).read_text())
ROOT = Path(__file__).resolve().parents[2]
PHOTO = (ROOT / "tests/grid/files/building.jpg").read_bytes()
DESK_PHOTO = (ROOT / "tests/grid/files/flower.jpg").read_bytes()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "桂英", "志强", "丽华", "海燕", "明", "静", "伟", "芳", "军", "勇"]
STORIES = [
    "邻居装修噪音扰民，多次协商未果，要求停止夜间施工。",
    "楼上漏水导致天花板受损，要求赔偿维修费用约三千元。",
    "工地拖欠三个月工资共计一万二千元，老板失联。",
    "物业公司未经业主同意提高停车费，业主要求说明依据。",
    "宅基地边界有争议，双方各执一词，要求村里出面调处。",
    "网购商品质量问题，商家拒绝退货退款。",
    "离婚后子女探视时间发生争执，要求调解。",
    "交通事故赔偿金额分歧，保险公司理赔未到位。",
]
# Sessions booked in the test take the next free hour after every earlier session (one village
# room, one mediator: two sessions may never overlap). Minutes and outcomes are written for the
# mediations whose session was held before the run (fixtures.py), each taken once.
_slots = itertools.count()
SESSION_BASE = datetime.fromisoformat(FIXTURES["session_base"])
HELD = iter(FIXTURES["held"])


def env_int(name, default):
    return int(os.environ.get(name) or default)


def env_float(name, default):
    return float(os.environ.get(name) or default)


def person():
    return random.choice(SURNAMES) + random.choice(GIVEN)


def id_number():
    """A resident ID number with a valid place code, birth date and check digit (GB 11643)."""
    born = datetime(1950, 1, 1) + timedelta(days=random.randrange(0, 365 * 55))
    body = f"{random.choice(FIXTURES['id_places'])}{born:%Y%m%d}{random.randrange(0, 1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "157",
                   "158", "159", "177", "180", "186", "187", "188", "189", "199"]


def phone():
    return f"{random.choice(MOBILE_PREFIXES)}{random.randrange(0, 10**8):08d}"


def multipart(fields, files=()):
    """(body, content type) for a form with files: [(field, filename, bytes, type)]."""
    parts = list(fields.items()) + [(field, (name, content, kind)) for field, name, content, kind in files]
    return encode_multipart_formdata(parts)


class TokenUser(FastHttpUser):
    abstract = True
    username = None

    def on_start(self):
        self.auth = {"Authorization": f"Token {FIXTURES['tokens'][self.username]}"}

    def login(self):
        """A session, as a person's browser has one (the dashboard page, the desk)."""
        page = self.client.get("/accounts/login/", name="login (page)")
        token = CSRF.search(page.text).group(1)
        self.client.post("/accounts/login/", data={"username": self.username, "password": FIXTURES["password"],
                                                   "csrfmiddlewaretoken": token},
                         headers={"Content-Type": "application/x-www-form-urlencoded"},
                         allow_redirects=False, name="login")

    def csrf_cookie(self):
        return next(cookie.value for cookie in self.client.cookiejar if cookie.name == "csrftoken")


class HotlineClerk(TokenUser):
    """Registers the hotline's matters through the API (the 12345 system's door, a token)."""

    fixed_count = env_int("LOADTEST_CLERKS", 28)
    wait_time = constant_throughput(env_float("LOADTEST_CLERK_RATE", 4))
    username = "clerk"

    @task
    def register(self):
        village = random.choice(FIXTURES["villages"])
        with self.client.post("/api/v1/cases/", json={
            "kind": "dispute", "channel": "hotline", "category": random.choice(FIXTURES["categories"])["code"],
            "region": village["code"], "narrative": random.choice(STORIES),
            "parties": [{"role": "applicant", "name": person(), "id_number": id_number(), "phone": phone()},
                        {"role": "respondent", "name": person()}],
        }, headers=self.auth, name="clerk: register (API)", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"registration answered {response.status_code}: {response.text[:200]}")


class WindowClerk(TokenUser):
    """Registers visitors at the window desk (logged in, a form), a photo now and then."""

    fixed_count = env_int("LOADTEST_WINDOW_CLERKS", 4)
    wait_time = constant_throughput(env_float("LOADTEST_WINDOW_RATE", 1))
    username = "clerk"
    photo_every = env_int("LOADTEST_PHOTO_EVERY", 3)

    def on_start(self):
        super().on_start()
        self.login()
        self.desk_token = self.csrf_cookie()

    @task
    def register(self):
        with_photo = random.randrange(self.photo_every) == 0
        body, content_type = multipart({
            "kind": "dispute", "channel": "walk_in", "category": str(random.choice(FIXTURES["categories"])["id"]),
            "region": str(random.choice(FIXTURES["villages"])["id"]), "narrative": random.choice(STORIES),
            "applicant_name": person(), "applicant_id_number": id_number(), "applicant_phone": phone(),
            "respondent_name": person(), "confirm_new": "1", "csrfmiddlewaretoken": self.desk_token,
        }, files=[("attachments", "现场.jpg", DESK_PHOTO, "image/jpeg")] if with_photo else ())
        name = "clerk: register at the desk (photo)" if with_photo else "clerk: register at the desk"
        with self.client.post("/intake/", data=body, headers={"Content-Type": content_type},
                              allow_redirects=False, name=name, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"desk answered {response.status_code}")


class Mediator(TokenUser):
    """Takes a dispute into mediation and books its session (register, open, accept, book);
    and for a session held earlier, writes the minutes and records the outcome."""

    fixed_count = env_int("LOADTEST_MEDIATORS", 3)
    wait_time = constant_throughput(env_float("LOADTEST_MEDIATION_RATE", 0.3))
    username = FIXTURES["mediation"]["lead"]

    def post(self, path, payload, name, expected=(200, 201)):
        with self.client.post(path, json=payload, headers=self.auth, name=name, catch_response=True) as response:
            if response.status_code not in expected:
                response.failure(f"{name} answered {response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    @task
    def book(self):
        fixtures = FIXTURES["mediation"]
        case = self.post("/api/v1/cases/", {
            "kind": "dispute", "channel": "walk_in", "category": "neighbourhood", "region": fixtures["village"],
            "narrative": random.choice(STORIES),
            "parties": [{"role": "applicant", "name": person(), "id_number": id_number(), "phone": phone()},
                        {"role": "respondent", "name": person()}],
        }, "mediator: register a dispute", expected=(201,))
        if case is None:
            return
        mediation = self.post("/api/v1/mediation/mediations/", {"case": case["id"], "lead": fixtures["lead"]},
                              "mediator: open mediation", expected=(201,))
        if mediation is None:
            return
        if self.post(f"/api/v1/mediation/mediations/{mediation['id']}/accept/", {}, "mediator: accept") is None:
            return
        starts = SESSION_BASE + timedelta(hours=next(_slots))
        self.post("/api/v1/mediation/sessions/", {
            "mediation": mediation["id"], "room": fixtures["room"], "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(minutes=50)).isoformat(),
        }, "mediator: book a session", expected=(201,))

    @task
    def conclude(self):
        held = next(HELD, None)
        if held is None:
            return
        if self.post(f"/api/v1/mediation/sessions/{held['session']}/minutes/", {
            "attendees": "双方当事人、调解员", "statements": "双方陈述各自意见", "agreed": "赔偿二千元",
        }, "mediator: write the minutes") is None:
            return
        if random.random() < 0.8:
            outcome = {"outcome": "success", "facts": "双方当面协商", "terms": "一方赔偿对方二千元，一周内付清"}
        else:
            outcome = {"outcome": "failure", "reason": "双方分歧较大", "routes": ["litigation", "arbitration"]}
        self.post(f"/api/v1/mediation/mediations/{held['mediation']}/outcome/", outcome,
                  "mediator: record the outcome")


class GridWorker(TokenUser):
    """Reports what the patrol found, most reports with a photo."""

    fixed_count = env_int("LOADTEST_GRID_WORKERS", 3)
    wait_time = constant_throughput(env_float("LOADTEST_GRID_RATE", 0.5))
    username = FIXTURES["grid"]["worker"]

    @task
    def report(self):
        grid = FIXTURES["grid"]
        fields = {"event_type": random.choice(grid["event_types"]), "grid": random.choice(grid["grids"]),
                  "description": random.choice(["楼道堆放杂物，存在消防隐患", "出租屋电动车室内充电",
                                                "路灯损坏，夜间照明不足", "两户居民因停车发生争执"]),
                  "latitude": f"{grid['latitude'] + random.uniform(-0.005, 0.005):.6f}",
                  "longitude": f"{grid['longitude'] + random.uniform(-0.005, 0.005):.6f}"}
        with_photo = random.random() < 0.7
        body, content_type = multipart(fields, files=[("photos", "现场.jpg", PHOTO, "image/jpeg")] if with_photo
                                       else ())
        with self.client.post("/api/v1/grid/events/", data=body, headers={**self.auth, "Content-Type": content_type},
                              name="grid worker: report (photo)" if with_photo else "grid worker: report",
                              catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"report answered {response.status_code}: {response.text[:200]}")


class Leader(TokenUser):
    """Opens the dashboards: the summary API, and the page as a browser does."""

    fixed_count = env_int("LOADTEST_LEADERS", 3)
    wait_time = constant_throughput(env_float("LOADTEST_LEADER_RATE", 0.5))
    username = "leader"

    def on_start(self):
        super().on_start()
        self.login()

    @task(2)
    def summary(self):
        self.client.get("/api/v1/dashboard/summary/", headers=self.auth, name="leader: dashboard summary (API)")

    @task(1)
    def page(self):
        with self.client.get("/dashboard/", name="leader: dashboard page", catch_response=True) as response:
            if response.status_code != 200 or "login" in response.url:
                response.failure(f"dashboard page answered {response.status_code} at {response.url}")


class Citizen(FastHttpUser):
    """Looks a matter up on the public status page with the number and the phone's last four digits."""

    fixed_count = env_int("LOADTEST_CITIZENS", 6)
    wait_time = constant_throughput(env_float("LOADTEST_CITIZEN_RATE", 1))

    @task
    def status(self):
        number, last4 = random.choice(FIXTURES["lookups"])
        page = self.client.get("/public/status/", name="citizen: status page")
        token = CSRF.search(page.text)
        if token is None:
            return
        with self.client.post("/public/status/", data={"number": number, "phone_last4": last4,
                                                        "csrfmiddlewaretoken": token.group(1)},
                              headers={"Content-Type": "application/x-www-form-urlencoded",
                                       "X-Request-ID": uuid.uuid4().hex},
                              name="citizen: status lookup", catch_response=True) as response:
            if response.status_code != 200 or number not in response.text:
                response.failure(f"status lookup answered {response.status_code} without the matter")
