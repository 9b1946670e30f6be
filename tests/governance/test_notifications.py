"""Inbox entries for every reminder, escalation, overdue mark and supervision;
the outgoing copy goes through the configured backend from a task, with retries."""
import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from governance.timers.sweep import sweep_clocks
from governance.models import Notification, Organisation
from governance.notifications import services as notification_services
from governance.notifications.backends import MemoryBackend
from governance.supervision.services import case_supervise
from governance.tasks import deliver_pending_notifications
from tests.governance.test_escalation import at, village_dispute

MEMORY = "governance.notifications.backends.MemoryBackend"


def kinds_for(organisation, case):
    return sorted(Notification.objects.filter(organisation=organisation, case=case).values_list("kind", flat=True))


def test_sweep_notifies_holder_of_reminder_and_both_holders_of_escalation(demo):
    case = village_dispute(at(2026, 3, 2))
    village_center, town_center = case.holder, Organisation.objects.get(region__code="339901001000", kind="center")
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()
    assert kinds_for(village_center, case) == ["reminded"]
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        sweep_clocks()
        sweep_clocks()  # a second sweep notifies nobody again
    assert kinds_for(village_center, case) == ["escalated_away", "reminded"]
    assert kinds_for(town_center, case) == ["escalated"]
    # the reminder still speaks of the deadline it was sent for, not the town's new one
    from governance.notifications.text import notification_text

    reminder = Notification.objects.get(case=case, kind="reminded")
    assert reminder.due_at == at(2026, 3, 9) and "2026年3月9日" in notification_text(reminder)


def test_overdue_and_supervision_reach_the_county_desk(demo, staff):
    case = village_dispute(at(2026, 3, 2))
    county = Organisation.objects.get(region__code="339901000000", kind="center")
    for moment in [at(2026, 3, 9), at(2026, 3, 23)]:
        with time_machine.travel(moment, tick=False):
            sweep_clocks()
    case.refresh_from_db()
    with time_machine.travel(case.deadline, tick=False):
        sweep_clocks()
    case_supervise(case_id=case.pk, actor=staff("leader"), instruction="三日内办结")
    # Swept only at the deadlines: the reminders due with them are not sent beside the action.
    assert kinds_for(county, case) == ["escalated", "overdue", "supervised"]
    assert Notification.objects.get(organisation=county, case=case, kind="supervised").note == "三日内办结"


def test_inbox_bell_count_open_marks_read_for_the_desk(demo, client, staff):
    case = village_dispute(at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()  # the reminder
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        sweep_clocks()  # reminder + escalation: two entries for the village desk
    client.force_login(staff("village_mediator"))
    page = client.get(reverse("inbox")).content.decode()
    assert 'data-unread="2"' in page and case.number in page
    entry = Notification.objects.get(organisation=case.holder, kind="reminded")
    response = client.post(reverse("notification-open", args=[entry.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", args=[case.pk])
    entry.refresh_from_db()
    assert entry.read_by.username == "village_mediator"
    assert 'data-unread="1"' in client.get(reverse("inbox")).content.decode()
    client.post(reverse("notifications-read-all"))
    assert "data-unread" not in client.get(reverse("inbox")).content.decode()


def test_nobody_opens_another_desks_notification(demo, client, staff):
    case = village_dispute(at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()
    entry = Notification.objects.get(case=case)
    client.force_login(staff("other_town_clerk"))
    assert client.post(reverse("notification-open", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None


def test_api_lists_unread_and_marks_read(demo, api_as):
    case = village_dispute(at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()
    api = api_as("village_mediator")
    listed = api.get("/api/v1/notifications/?unread=true").json()
    assert [row["case_number"] for row in listed["results"]] == [case.number]
    assert case.number in listed["results"][0]["text"]
    assert api.post(f"/api/v1/notifications/{listed['results'][0]['id']}/read/").json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=true").json()["results"] == []


@override_settings(NOTIFICATION_BACKEND=MEMORY)
def test_outgoing_copy_is_sent_once_and_a_gateway_outage_sends_nothing(demo):
    MemoryBackend.outbox.clear()
    case = village_dispute(at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()  # the reminder
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        sweep_clocks()
    pending = set(Notification.objects.filter(case=case).values_list("id", flat=True))
    assert len(pending) == 3
    MemoryBackend.fail_next = 3  # the gateway is down for the whole batch
    with pytest.raises(notification_services.GatewayDown):
        notification_services.deliver_pending()
    assert not Notification.objects.filter(case=case, sent_at__isnull=False).exists()
    deliver_pending_notifications.apply()  # the real task body, as a worker runs it
    assert set(MemoryBackend.outbox) == pending
    deliver_pending_notifications.apply()
    assert len(MemoryBackend.outbox) == 3  # nothing sent twice


@override_settings(NOTIFICATION_BACKEND=MEMORY)
def test_one_refused_message_does_not_hold_up_the_others_and_is_given_up(demo):
    MemoryBackend.outbox.clear()
    case = village_dispute(at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()  # the reminder
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        sweep_clocks()
    bad, *good = Notification.objects.filter(case=case).order_by("id").values_list("id", flat=True)
    MemoryBackend.refused = {bad}
    try:
        assert notification_services.deliver_pending() == 2
        assert set(MemoryBackend.outbox) == set(good)
        for _ in range(notification_services.MAX_DELIVERY_ATTEMPTS - 1):  # alone, it looks like an outage
            with pytest.raises(notification_services.GatewayDown):
                notification_services.deliver_pending()
        assert notification_services.deliver_pending() == 0  # given up: nothing left to try
        refused = Notification.objects.get(pk=bad)
        assert refused.sent_at is None
        assert refused.delivery_attempts == notification_services.MAX_DELIVERY_ATTEMPTS  # given up, not retried
        assert refused.read_at is None  # still in the inbox
    finally:
        MemoryBackend.refused = set()


@override_settings(NOTIFICATION_BACKEND=MEMORY)
def test_delivery_task_retries_by_itself_when_the_gateway_fails(demo):
    MemoryBackend.outbox.clear()
    case = village_dispute(at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9, 8, 59), tick=False):
        sweep_clocks()
    MemoryBackend.fail_next = 1  # one notification: the whole batch fails
    result = deliver_pending_notifications.apply(throw=False)  # fails once, autoretry runs it again
    assert result.successful()
    assert MemoryBackend.outbox == list(Notification.objects.filter(case=case).values_list("id", flat=True))


def test_a_reminder_about_a_matter_without_deadline_reads_in_chinese(demo, staff):
    from django.utils import translation

    from governance.notifications.text import notification_text
    from intake.services import case_link_repeat_visit
    from tests.factories import CaseFactory

    case = CaseFactory()
    type(case).objects.filter(pk=case.pk).update(deadline=None)  # as a matter from before the clocks
    case_link_repeat_visit(case_id=case.pk, actor=staff("clerk"), channel="walk_in")
    with translation.override("zh-hans"):
        text = notification_text(Notification.objects.get(case=case, kind="reminded"))
    assert text.startswith(f"催办：事项 {case.number}。") and "再次来访" in text
