"""Demo matters for the demo county: plausible, reproducible, and fast enough for a million.

Each matter is simulated from its registration: accepted, escalated village ->
town -> county when its tier's time limit runs out (or by hand), dispatched to
a department, resolved / not resolved / terminated, then closed after the
follow-up visit. Steps later than "now" have not happened yet, so recent
matters are open and older ones closed. ``demo.load`` writes them with COPY in
chunks, one transaction each; Faker runs only to fill pools up front.
"""
import math
import time
from bisect import bisect
from collections import namedtuple
from random import Random


from governance.choices import CaseStatus as S
from governance.choices import next_tier, tier_rank
from governance.choices import EventType as E
from demo.copy import copy_buffer, copy_statement, csv_lines
from demo.dates import DAY, HOUR, dt
from demo.limits import Limits
from demo.pools import (
    CATEGORIES, CHANNELS, CLOSING, KINDS, OUTCOMES, PLACE_LEVELS, STATUS_AFTER, TARGET_TIERS, TOWN_FACTORS, Pools,
    cumulative, load_places,
)
from demo.corpus import all_situations
from demo.corpus.situations import BODIES, CONSULTATION_TOPICS, GRID_FINDINGS, has_own_opening
from demo.text import (
    ACCEPT_NOTES, AMOUNTS, CATEGORY_TEXT, CHANNEL_OPENINGS, CLOSE_NOTES, CLOSINGS, CONSULT_OPENINGS,
    DISPATCH_NOTES, ESCALATE_MANUAL, ESCALATE_TIMEOUT, GRID_DETAILS, GRID_OPENINGS, HISTORY, ON_THE_SPOT_NOTES,
    OPENINGS, PROJECTS, REPEAT_VISIT_NOTES, RESOLVE_NOTES, TERMINATE_NOTES, TIER_NAMES, UNRESOLVED_NOTES,
)
from governance.models import Case, CaseEvent, Clock, Party
from governance.timers.services import TIER, remind_spec

CHUNK = 2000
BIG_SEED = 100_000  # from this many matters: three years, and the indexes built after the load
SWEEP_DELAY = (20, 90)  # seconds after a deadline until beat's sweep acts on it
# How often a category's matter tells a borderline situation of another category
# (one whose "also" names it), when there is one: the county files those both ways.
BORROW_SHARE = 0.12


CLOCK_COLUMNS = ["case_id", "kind", "unit", "limit", "started_at", "due_at", "remind_at", "reminded_at",
                 "stopped_at", "outcome", "paused_units", "data"]
PartyRow = namedtuple("PartyRow", "role name id_number phone address")
Chunk = namedtuple("Chunk", "case_statement case_lines case_ids years buffers")
PARTY_COLUMNS = ["case_id", *PartyRow._fields]
# A timeline event is generated as (at, *the rest), written as (case_id, *the rest, at).
EVENT_COLUMNS = ["case_id", "type", "from_status", "to_status", "from_tier", "to_tier", "from_holder_id",
                 "to_holder_id", "note", "is_public", "actor_id", "data", "at"]


class CaseGenerator:
    def __init__(self, seed, pool_size, now=None):
        self.seed = seed
        self.rng = Random(seed)
        self.now = time.time() if now is None else now
        self.ctx = load_places()
        self.pool_size = pool_size
        self.pools = Pools(seed, pool_size)
        self.limits = Limits(self.now - 3 * 365 * DAY - 40 * DAY, self.now)
        # category -> its situations, both lists of the corpus
        self.situations = all_situations()
        # category -> [(situation, its own category)] of the borderline situations filed there too
        self.borderline = {}
        for own, situations in self.situations.items():
            for situation in situations:
                if situation.get("also"):
                    self.borderline.setdefault(situation["also"], []).append((situation, own))
        self.place_cum = {}
        for kind, levels in PLACE_LEVELS.items():
            pairs = []
            for place in self.ctx.places:
                if place.level in levels:
                    same_level = self.ctx.level_counts[place.level]
                    pairs.append((place, levels[place.level] / same_level * TOWN_FACTORS[place.town_index]))
            self.place_cum[kind] = cumulative(pairs)

    # -- sampling helpers -------------------------------------------------
    def pick(self, cum):
        values, weights = cum
        return values[bisect(weights, self.rng.random() * weights[-1])]

    def choice(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def office(self, ts):
        """Move ``ts`` into office hours (08:30-18:00 Beijing time) if outside them."""
        seconds = (ts + 8 * HOUR) % DAY
        if 8.5 * HOUR <= seconds <= 18 * HOUR:
            return ts
        start = ts - seconds + 8.5 * HOUR + (DAY if seconds > 18 * HOUR else 0)
        return start + self.rng.random() * 2 * HOUR

    def registration_times(self, count):
        """Sorted registration timestamps over the last year (three years for a county of
        BIG_SEED matters or more), a little denser recently, mostly in office hours and on
        working days."""
        rng, now = self.rng, self.now
        span = 3 * 365 if count >= BIG_SEED else 365
        today = now - (now + 8 * HOUR) % DAY  # local midnight, as a UTC timestamp
        times = []
        for _ in range(count):
            u = rng.random()
            days = int(span * (u if rng.random() < 0.75 else 1 - u ** 0.5))
            weekday = (int((today + 8 * HOUR) // DAY) - days + 3) % 7  # 1970-01-01 was a Thursday
            if weekday >= 5 and days + weekday - 4 < span and rng.random() < 0.5:
                days += weekday - 4  # back to Friday
            band = rng.random()
            if band < 0.85:
                seconds = 8 * HOUR + rng.random() * 10 * HOUR
            elif band < 0.97:
                seconds = 18 * HOUR + rng.random() * 4 * HOUR
            else:
                seconds = rng.random() * 8 * HOUR
            ts = today - days * DAY + seconds
            times.append(ts if ts < now - 300 else ts - DAY)
        times.sort()
        return times

    # -- one matter ----------------------------------------------------------
    def narrative(self, kind, category, channel, place):
        """(text, placeholder values, respondent: "org", "person" or None), from the
        corpus (demo/corpus/situations.py and situations_more.py). A borderline situation
        of another category whose "also" is ``category`` may be filed under it, as a clerk
        might."""
        rng = self.rng
        situation, own = self.situation(category)
        low, high = CATEGORY_TEXT[own]["amounts"]
        fields = {
            "a": self.choice(self.pools.names), "r": self.choice(self.pools.names),
            "org": self.choice(BODIES.get(own) or ["某公司"]), "amount": self.amount(low, high),
            "months": rng.randint(2, 18), "days": rng.randint(3, 60), "n": rng.randint(3, 40),
            "project": self.choice(PROJECTS), "place": place.local_name,
        }
        if kind == "consultation":
            fields["topic"] = self.choice(CONSULTATION_TOPICS[category])
            template = self.choice(CONSULT_OPENINGS) + self.choice(CLOSINGS[kind])
            return template.format(**fields), fields, None
        if kind == "grid_event":
            parts = [self.choice(GRID_OPENINGS), self.choice(GRID_FINDINGS[category])]
            if rng.random() < 0.5:
                parts.append(self.choice(GRID_DETAILS))
            parts.append(self.choice(CLOSINGS[kind]))
            return "".join(parts).format(**fields), fields, "person" if rng.random() < 0.4 else None
        text, respondent = situation["text"], situation["respondent"]
        parts = []
        if not has_own_opening(text):
            openings = CHANNEL_OPENINGS.get(channel) if rng.random() < 0.6 else None
            parts.append(self.choice(openings or OPENINGS[kind]))
        parts.append(text)
        details = situation["details"]
        if details:  # none, some or all of its details, in their order
            keep = sorted(rng.sample(range(len(details)), rng.randint(0, len(details))))
            parts += [details[i] for i in keep]
        if rng.random() < 0.3:
            parts.append(self.choice(HISTORY))
        asks = [ask for ask in CATEGORY_TEXT[own]["asks"] if "{r}" not in ask or respondent == "person"]
        use_ask = kind == "dispute" and asks and rng.random() < 0.5
        parts.append(self.choice(asks if use_ask else CLOSINGS[kind]))
        return "".join(parts).format(**fields), fields, respondent

    def situation(self, category):
        """A situation for a matter filed under ``category``: one of its own, or now
        and then a borderline one of another category that could be filed here.
        Returns (situation, the category whose corpus it comes from)."""
        own, borrowed = self.situations[category], self.borderline.get(category, ())
        if borrowed and self.rng.random() < BORROW_SHARE:
            return self.choice(borrowed)
        return self.choice(own), category

    def amount(self, low, high):
        """An amount in yuan between AMOUNTS[low] and AMOUNTS[high], as people say them
        (two or three significant figures, log-uniform)."""
        value = math.exp(self.rng.uniform(math.log(AMOUNTS[low]), math.log(AMOUNTS[high])))
        step = 100 if value < 10000 else 1000 if value < 100000 else 10000
        return int(round(value / step) * step)

    def parties(self, fields, respondent, place, address):
        rng, pools = self.rng, self.pools
        rows = [PartyRow("applicant", fields["a"], self.choice(pools.id_numbers), self.choice(pools.phones),
                         address if rng.random() < 0.7 else place.address(rng))]
        if respondent == "org":
            phone = self.choice(pools.phones) if rng.random() < 0.5 else ""
            rows.append(PartyRow("respondent", fields["org"], "", phone, self.ctx.county_address(rng)))
        elif respondent == "person":
            rows.append(PartyRow(
                "respondent", fields["r"], self.choice(pools.id_numbers) if rng.random() < 0.6 else "",
                self.choice(pools.phones),
                place.address(rng) if rng.random() < 0.65 else self.choice(pools.addresses),
            ))
        return rows

    def steps(self, kind, channel, place, category, tier, holder, t0):
        """The planned steps (time, action, argument) of one matter, in time order."""
        rng, ctx = self.rng, self.ctx
        if kind == "consultation":
            t = t0 + rng.uniform(300, HOUR)
            return [(t, "resolve", self.choice(RESOLVE_NOTES[kind])),
                    (t + rng.uniform(600, 4 * HOUR), "close", self.choice(CLOSE_NOTES))]
        target = tier if tier == "county" else self.pick(TARGET_TIERS.get((kind, tier)) or TARGET_TIERS["town"])
        outcome = self.pick(OUTCOMES.get(kind, OUTCOMES["default"]))
        steps = []
        if kind == "dispute" and channel == "walk_in" and target == tier and outcome == "resolve" \
                and rng.random() < 0.12:  # 小事马上调: settled on the spot
            t = t0 + rng.uniform(0.5 * HOUR, 3 * HOUR)
            steps.append((t, "resolve", self.choice(ON_THE_SPOT_NOTES)))
        else:
            t = entry = t0
            if not (outcome == "terminate" and rng.random() < 0.3):
                t = self.office(t0 + (0.05 + 2.5 * rng.random() ** 2) * DAY)
                steps.append((t, "accept", self.choice(ACCEPT_NOTES)))
            category_id = ctx.categories[category]
            deadline = self.limits.deadline(kind, category_id, tier, entry)
            while tier_rank(tier) < tier_rank(target):
                if rng.random() < 0.6:  # the sweep moves it up at its deadline
                    te, reason = deadline + rng.uniform(*SWEEP_DELAY), "timeout"
                else:  # escalated by hand before the limit
                    te, reason = self.office(entry + (deadline - entry) * rng.uniform(0.15, 0.9)), "manual"
                t = entry = max(te, t + HOUR)
                tier = next_tier(tier)
                steps.append((t, "escalate", (tier, ctx.center(place, tier), reason)))
                deadline = self.limits.deadline(kind, category_id, tier, entry)
            departments = ctx.departments.get(category)
            if target == "county" and departments and rng.random() < 0.6:
                t = self.office(t + rng.uniform(HOUR, DAY))
                steps.append((t, "dispatch", self.choice(departments)))
            u = rng.random()
            factor = rng.uniform(0.1, 0.95) if u < 0.72 else rng.uniform(0.95, 1.6) if u < 0.92 else \
                rng.uniform(1.6, 6 if target != "county" else 12)  # the long tail: hard, long-standing matters
            t = max(self.office(entry + (deadline - entry) * factor), t + HOUR)
            # Whatever is still open at its deadline the sweep escalates, or marks overdue at the county.
            while (te := deadline + rng.uniform(*SWEEP_DELAY)) < t:
                if tier == "county":
                    steps.append((te, "overdue", None))
                    break
                tier, entry = next_tier(tier), te
                steps.append((te, "escalate", (tier, ctx.center(place, tier), "timeout")))
                deadline = self.limits.deadline(kind, category_id, tier, entry)
            notes = {"resolve": RESOLVE_NOTES[kind], "mark_unresolved": UNRESOLVED_NOTES,
                     "terminate": TERMINATE_NOTES}[outcome]
            steps.append((t, outcome, self.choice(notes)))
            steps.sort(key=lambda step: step[0])
        chance, low, high = CLOSING[steps[-1][1]]
        if rng.random() < chance:
            steps.append((self.office(t + rng.uniform(low, high) * DAY), "close", self.choice(CLOSE_NOTES)))
        return steps

    def matter(self, t0):
        """One matter: (Case fields, parties, timeline events as tuples)."""
        rng, ctx = self.rng, self.ctx
        kind = self.pick(KINDS)
        channel = self.pick(CHANNELS[kind])
        place = self.pick(self.place_cum[kind])
        category = self.pick(CATEGORIES[kind])
        if channel in ("walk_in", "grid_report", "court_referral"):
            moved = self.office(t0)
            t0 = moved if moved < self.now - 300 else t0
        tier = place.tier
        holder = ctx.center(place, tier)
        text, fields, respondent = self.narrative(kind, category, channel, place)
        address = place.address(rng) if not (kind == "consultation" and place.tier == "county") else ""
        parties = self.parties(fields, respondent, place, address)
        if channel == "grid_report" and place.village_id and place.village_id == ctx.first_village_id:
            registrar = ctx.users["gridworker"]
        else:
            registrar = ctx.actors.get(holder) if channel == "walk_in" else None
        events = [(t0, E.CREATED, "", S.REGISTERED, "", tier, None, holder, "", True, registrar, {})]
        status, entry, resolved_at, closed_at, last, overdue_at = S.REGISTERED, t0, None, None, t0, None
        for ts, action, arg in self.steps(kind, channel, place, category, tier, holder, t0):
            if ts > self.now:
                break
            if action == "escalate":
                new_tier, new_holder, reason = arg
                if reason == "timeout":
                    note = ESCALATE_TIMEOUT.format(tier=TIER_NAMES[tier], holder=ctx.names[new_holder])
                    actor = None
                else:
                    note = self.choice(ESCALATE_MANUAL).format(holder=ctx.names[new_holder])
                    actor = ctx.actors.get(holder)
                events.append((ts, E.ESCALATED, "", "", tier, new_tier, holder, new_holder, note, False, actor,
                               {"reason": reason}))
                tier, holder, entry = new_tier, new_holder, ts
            elif action == "overdue":
                events.append((ts, E.OVERDUE, "", "", tier, tier, None, holder, "", False, None, {}))
                overdue_at = ts
            elif action == "dispatch":
                note = self.choice(DISPATCH_NOTES).format(holder=ctx.names[arg])
                events.append((ts, E.DISPATCHED, "", "", tier, tier, holder, arg, note, True,
                               ctx.actors.get(holder), {}))
                holder = arg
            else:
                new_status = STATUS_AFTER[action]
                events.append((ts, E.STATUS_CHANGED, status, new_status, "", "", None, None, arg, True,
                               ctx.actors.get(holder), {}))
                status = new_status
                if action == "resolve":
                    resolved_at = ts
                elif action == "close":
                    closed_at = ts
            last = ts
        is_open = status in (S.REGISTERED, S.IN_PROGRESS)
        visits = 1
        visits_end = self.now - 60 if is_open else last  # people come back while it is open
        if kind in ("dispute", "petition") and visits_end > t0 + HOUR:
            u = rng.random()
            visits = 1 if u < 0.86 else 2 if u < 0.96 else 3 if u < 0.99 else 4
            for _ in range(visits - 1):
                ts = rng.uniform(t0 + HOUR, visits_end)
                events.append((ts, E.REPEAT_VISIT, "", "", "", "", None, None, self.choice(REPEAT_VISIT_NOTES),
                               False, ctx.actors.get(holder), {}))
                last = max(last, ts)
        category_id = ctx.categories[category]
        deadline = self.limits.deadline(kind, category_id, tier, entry)
        clock = self.tier_clock(kind, category_id, tier, entry, overdue_at) if is_open else None
        case = {
            "kind": kind, "channel": channel, "category_id": category_id, "region_id": place.id,
            "address": address, "narrative": text, "tier": tier, "holder_id": holder, "status": status,
            "deadline": dt(deadline), "overdue_at": dt(overdue_at), "visit_count": visits,
            "registered_by_id": registrar, "created_at": dt(t0), "updated_at": dt(last),
            "resolved_at": dt(resolved_at), "closed_at": dt(closed_at),
            # The facts Case.resolve() records (as governance.cases.resolution's backfill
            # derives them), written with the row: updating a million rows after is minutes.
            "resolved_tier": tier if resolved_at else "", "resolved_holder_id": holder if resolved_at else None,
            "resolved_on_time": resolved_at <= deadline if resolved_at else None,
            "settled_at_first_visit": (not any(event[1] == E.REPEAT_VISIT and event[0] < resolved_at
                                               for event in events)) if resolved_at else None,
        }
        return case, parties, events, clock

    def tier_clock(self, kind, category_id, tier, entry, overdue_at):
        """The open matter's tier clock as the sweep leaves it now: running with its
        reminder pending or sent, or stopped as missed when it went overdue."""
        limit = self.limits.limit(kind, category_id, tier)
        timers = self.limits.timers(kind, category_id, tier, entry)
        remind = timers.remind_at.timestamp() if timers.remind_at else None
        sent = remind is not None and remind <= self.now
        return (TIER, limit.unit, limit.limit, dt(entry), timers.deadline, None if sent else timers.remind_at,
                dt(remind) if sent else None, dt(overdue_at), "missed" if overdue_at else "", 0,
                remind_spec(limit))

    # -- writing -----------------------------------------------------------
    def chunk(self, index, times, ids):
        """Chunk ``index`` of a load: its matters, drawn from a random stream of the chunk's
        own (so that any process can make any chunk, and a seed still makes the same
        county), in order of registration, given ``ids``. The matters' rows lack only
        their numbers, which are taken in chunk order as they are written (demo.load)."""
        self.rng.seed(self.seed * 1_000_003 + index)
        rows = [self.matter(t0) for t0 in times]
        rows.sort(key=lambda row: row[0]["created_at"])
        case_rows, party_rows, event_rows, clock_rows = [], [], [], []
        for case_id, (fields, parties, events, clock) in zip(ids, rows):
            case_rows.append((case_id, *fields.values()))
            party_rows += [(case_id, *party) for party in parties]
            event_rows += [(case_id, *event[1:], dt(event[0])) for event in events]
            if clock is not None:
                clock_rows.append((case_id, *clock))
        case_columns = ["id", *rows[0][0]]
        return Chunk(
            # The number comes first: demo.load puts it before each matter's line.
            case_statement=copy_statement(Case, ["number", *case_columns]),
            case_lines=csv_lines(Case, case_columns, case_rows), case_ids=ids,
            years=[row[0]["created_at"].year for row in rows],  # Beijing time
            buffers=[copy_buffer(Party, PARTY_COLUMNS, party_rows), copy_buffer(CaseEvent, EVENT_COLUMNS, event_rows),
                     copy_buffer(Clock, CLOCK_COLUMNS, clock_rows)],
        )
