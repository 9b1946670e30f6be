"""Tier and signal rules in the admin: the change history (with who changed what)
and the what-if preview before a tier rule is saved."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from governance.timers.sweep import sweep_clocks
from governance.models import Category, SignalRule, TierRule
from governance.timers.preview import Counts, preview_rule
from governance.cases import services as services
from tests.factories import CaseFactory, region

SHANGHAI = ZoneInfo("Asia/Shanghai")
COUNTY, TOWN, VILLAGE = "339901000000", "339901001000", "339901001001"
# The preview's "now": Monday 9 March 2026, 10:00 (no holidays in the weeks around it).
NOW = datetime(2026, 3, 9, 10, tzinfo=SHANGHAI)


def at(y, m, d, hour=9):
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


@pytest.fixture
def as_admin(client, staff):
    client.force_login(staff("admin"))
    return client


def kind_wide(tier):
    return TierRule.objects.get(kind="dispute", tier=tier, category__isnull=True)


def form_data(rule, **changes):
    """The change form as the admin would post it; is_active is a checkbox (absent = off)."""
    data = {
        "kind": rule.kind, "category": rule.category_id or "", "tier": rule.tier, "limit": rule.limit,
        "unit": rule.unit, "remind_at_percent": rule.remind_at_percent, "is_active": rule.is_active,
    }
    data.update(changes)
    if not data.pop("is_active"):
        return data
    return {**data, "is_active": "on"}


def register(place_code, start, category=None):
    """A dispute registered at ``start`` by the center of the place, with the deadline the rules give it."""
    place = region(place_code)
    category = category or Category.objects.get(code="neighbourhood")
    tier = {COUNTY: "county", TOWN: "town"}.get(place_code, "village")
    with time_machine.travel(start, tick=False):
        return CaseFactory(region=place, category=category)


# --- History ---------------------------------------------------------------------------------


def test_saving_a_rule_in_the_admin_records_the_version_and_who_saved_it(as_admin, staff):
    rule = kind_wide("town")
    response = as_admin.post(reverse("admin:governance_tierrule_change", args=[rule.pk]), form_data(rule, limit=8))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.limit == 8
    latest = rule.events.latest("pgh_id")
    assert (latest.pgh_label, latest.limit) == ("update", 8)
    assert latest.pgh_context.metadata["user"] == staff("admin").pk

    page = as_admin.get(reverse("admin:governance_tierrule_history", args=[rule.pk]))
    assert page.status_code == 200
    before, after = page.context["versions"][-2:]
    limit = page.context["columns"].index("办理时限")  # the Chinese admin
    assert (before["cells"][limit]["value"], before["cells"][limit]["changed"]) == ("10", False)
    assert (after["cells"][limit]["value"], after["cells"][limit]["changed"]) == ("8", True)
    assert after["by"] == "赵志强 (admin)"
    assert "<strong class=\"changed\">8</strong>" in page.content.decode()


def test_a_change_outside_the_admin_is_recorded_without_a_user(as_admin):
    rule = kind_wide("village")
    TierRule.objects.filter(pk=rule.pk).update(remind_at_percent=70)  # e.g. from manage.py shell
    latest = rule.events.latest("pgh_id")
    assert (latest.remind_at_percent, latest.pgh_context) == (70, None)
    page = as_admin.get(reverse("admin:governance_tierrule_history", args=[rule.pk]))
    assert page.context["versions"][-1]["by"] == ""


def test_deleting_a_rule_in_the_admin_keeps_its_versions_and_who_deleted_it(as_admin, staff):
    rule = TierRule.objects.create(kind="dispute", category=Category.objects.get(code="labour"), tier="town",
                                   limit=20)
    response = as_admin.post(reverse("admin:governance_tierrule_delete", args=[rule.pk]), {"post": "yes"})
    assert response.status_code == 302 and not TierRule.objects.filter(pk=rule.pk).exists()
    events = TierRule.pgh_event_model.objects.filter(pgh_obj_id=rule.pk).order_by("pgh_id")
    assert [e.pgh_label for e in events] == ["insert", "delete"]
    assert events[1].pgh_context.metadata["user"] == staff("admin").pk


def test_signal_rule_changes_are_recorded_with_the_user(as_admin, staff):
    rule = SignalRule.objects.get(signal="police_referral")
    data = {"signal": rule.signal, "threshold": 2, "to_tier": rule.to_tier, "is_active": "on"}
    response = as_admin.post(reverse("admin:governance_signalrule_change", args=[rule.pk]), data)
    assert response.status_code == 302
    latest = rule.events.latest("pgh_id")
    assert (latest.threshold, latest.pgh_context.metadata["user"]) == (2, staff("admin").pk)
    page = as_admin.get(reverse("admin:governance_signalrule_history", args=[rule.pk]))
    assert page.context["versions"][-1]["by"] == "赵志强 (admin)"


# --- Preview ---------------------------------------------------------------------------------


@pytest.fixture
def town_disputes(demo, staff):
    """Open disputes at the town (kind-wide rule: 10 working days, reminder at 80 %), seen at NOW.

    Under 10 working days only C falls due within 7 days, and no reminder is pending
    in that time. Re-timed to 3 working days, A, B, C and G fall due within 7 days;
    A and G get their reminders (C's went out already; B's would fall after office
    hours the evening before its 08:00 deadline, so it gets none). D (own category
    rule), E (resolved) and F (still at the village) are not governed by the town's
    kind-wide rule.
    """
    labour = Category.objects.get(code="labour")
    TierRule.objects.create(kind="dispute", category=labour, tier="town", limit=20)
    cases = {
        "C": register(TOWN, at(2026, 2, 25)),  # due Tue 10 March (28 Feb was a make-up day); reminded 9 March
        "G": register(VILLAGE, at(2026, 3, 2)),  # escalated to the town on 9 March 09:00
        "A": register(TOWN, at(2026, 3, 6)),
        "D": register(TOWN, at(2026, 3, 6), category=labour),
        "E": register(TOWN, at(2026, 3, 6)),
        "B": register(TOWN, at(2026, 3, 9, 8)),
        "F": register(VILLAGE, at(2026, 3, 9, 8)),
    }
    services.case_resolve(case_id=cases["E"].pk, actor=staff("admin"), note="当场化解")
    result = sweep_clocks(now=at(2026, 3, 9))
    # G was registered on 2 March: counted from then, 10 working days would end on
    # 16 March 09:00, inside the window. Counted from its escalation it ends on 23 March.
    # C's reminder (Saturday 7 March, moved to Monday's office hours) goes out; G's
    # is not sent beside its escalation.
    assert (result.reminded, result.escalated) == (1, 1)
    return cases


def preview_post(client, url, data):
    with time_machine.travel(NOW, tick=False):
        return client.post(url, {**data, "_preview": "预览"})


def pending(until):
    """What the sweep will do up to ``until`` with the clocks as they are."""
    from governance.models import Clock

    running = Clock.objects.filter(kind="tier", stopped_at__isnull=True, case__tier="town",
                                   case__category__code="neighbourhood")
    return Counts(running.filter(remind_at__lte=until).count(), running.filter(due_at__lte=until).count())


def test_preview_without_re_timing_says_the_open_matters_keep_their_deadlines(as_admin, town_disputes):
    rule = kind_wide("town")
    versions = rule.events.count()
    response = preview_post(as_admin, reverse("admin:governance_tierrule_change", args=[rule.pk]),
                            form_data(rule, limit=3))
    assert response.status_code == 200
    preview = response.context["rule_preview"]
    assert preview.matters == 4 and preview.escalates and not preview.retime
    assert preview.current == preview.new == Counts(reminders=0, due=1)
    html = response.content.decode()
    assert 'id="rule-preview"' in html and 'name="_preview"' in html
    assert 'name="limit" value="3"' in html  # the form keeps the previewed values
    assert "保存不会改变已在本层级的事项" in html
    rule.refresh_from_db()
    assert rule.limit == 10 and rule.events.count() == versions


def test_preview_with_re_timing_shows_exactly_what_the_save_does(as_admin, town_disputes):
    rule = kind_wide("town")
    url = reverse("admin:governance_tierrule_change", args=[rule.pk])
    response = preview_post(as_admin, url, form_data(rule, limit=3, retime_open="on"))
    preview = response.context["rule_preview"]
    assert preview.retime and preview.current == Counts(0, 1) and preview.new == Counts(reminders=2, due=4)
    assert pending(preview.until) == preview.current  # nothing saved yet
    with time_machine.travel(NOW, tick=False):
        saved = as_admin.post(url, form_data(rule, limit=3, retime_open="on"))
    assert saved.status_code == 302
    assert pending(preview.until) == preview.new
    a = town_disputes["A"]
    a.refresh_from_db()
    assert a.deadline == at(2026, 3, 11) == a.clock().due_at  # 3 working days from 6 March
    assert a.clock().remind_at == at(2026, 3, 10)  # 80 %: Tuesday 09:00


def test_saving_without_re_timing_leaves_open_matters_alone(as_admin, town_disputes):
    rule = kind_wide("town")
    a = town_disputes["A"]
    before = a.clock().due_at
    with time_machine.travel(NOW, tick=False):
        as_admin.post(reverse("admin:governance_tierrule_change", args=[rule.pk]), form_data(rule, limit=3))
    assert a.clock().due_at == before
    with time_machine.travel(NOW, tick=False):
        late = register(TOWN, NOW)
    assert late.deadline == at(2026, 3, 12, 10)  # new matters get the new limit


def test_preview_of_a_new_category_rule_counts_the_matters_it_takes_over(as_admin, town_disputes):
    rules = TierRule.objects.count()
    neighbourhood = Category.objects.get(code="neighbourhood")
    new = TierRule(kind="dispute", category=neighbourhood, tier="town", limit=3, unit="working_days")
    response = preview_post(as_admin, reverse("admin:governance_tierrule_add"),
                            {**form_data(new), "retime_open": "on"})
    preview = response.context["rule_preview"]
    assert (preview.matters, preview.current, preview.new) == (4, Counts(0, 1), Counts(2, 4))
    assert TierRule.objects.count() == rules


def test_preview_of_a_category_rule_counts_only_its_category(town_disputes):
    labour_rule = TierRule.objects.get(kind="dispute", tier="town", category__code="labour")
    labour_rule.limit = 2  # D: due Tuesday 10 March 09:00, reminded Monday 13:48
    preview = preview_rule(labour_rule, now=NOW, retime=True)
    assert (preview.matters, preview.current, preview.new) == (1, Counts(0, 0), Counts(1, 1))


def test_preview_at_the_county_counts_overdue(demo):
    register(COUNTY, at(2026, 3, 6))
    rule = kind_wide("county")
    rule.limit = 1  # due Monday 9 March 09:00: overdue at the next sweep
    preview = preview_rule(rule, now=NOW, retime=True)
    assert not preview.escalates
    # Its reminder (80 %: Sunday evening) moves to Monday 08:30, before the 09:00 limit.
    assert (preview.matters, preview.current, preview.new) == (1, Counts(0, 0), Counts(1, 1))


def test_a_legal_day_rule_retimes_to_the_end_of_the_day(as_admin, town_disputes):
    rule = kind_wide("town")
    with time_machine.travel(NOW, tick=False):
        as_admin.post(reverse("admin:governance_tierrule_change", args=[rule.pk]),
                      form_data(rule, limit=5, unit="calendar_days", retime_open="on"))
    a = town_disputes["A"]
    # Friday 6 March + 5 days = Wednesday 11 March, ending at 24:00.
    assert a.clock().due_at == at(2026, 3, 12, 0)


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"limit": 0}, "limit"),
        ({"remind_at_percent": 100}, "remind_at_percent"),
        ({"limit": 24 * 367, "unit": "hours"}, "limit"),  # the model's own clean()
    ],
)
def test_a_bad_value_previews_nothing_and_shows_the_error(as_admin, town_disputes, changes, error):
    rule = kind_wide("town")
    response = preview_post(as_admin, reverse("admin:governance_tierrule_change", args=[rule.pk]),
                            form_data(rule, **changes))
    assert response.status_code == 200
    assert response.context["rule_preview"] is None
    assert error in response.context["adminform"].form.errors
    html = response.content.decode()
    assert 'class="errornote"' in html and 'id="rule-preview"' not in html
    rule.refresh_from_db()
    assert rule.limit == 10


def test_preview_needs_the_right_to_change_rules(client, staff, demo):
    client.force_login(staff("leader"))  # staff, but no rule permissions
    rule = kind_wide("town")
    response = preview_post(client, reverse("admin:governance_tierrule_change", args=[rule.pk]),
                            form_data(rule, limit=3))
    assert response.status_code == 403


# --- The calendar warning --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, args",
    [("admin:governance_tierrule_changelist", []), ("admin:governance_tierrule_add", []),
     ("admin:governance_workdayoverride_changelist", [])],
)
def test_rule_pages_warn_when_next_year_has_no_statutory_calendar(as_admin, url_name, args):
    with time_machine.travel(NOW, tick=False):  # chinesecalendar 1.11 knows 2026, not 2027
        response = as_admin.get(reverse(url_name, args=args))
    warnings = [str(m) for m in response.context["messages"]]
    assert len(warnings) == 1 and "2027" in warnings[0]
    if "tierrule" in url_name:
        assert reverse("admin:governance_holidayschedule_changelist") in warnings[0]
