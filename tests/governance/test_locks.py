"""No row stays locked while the server waits on I/O: the year's number row during
attachment writes, notification rows during the SMS gateway's call. Transactional:
the locks are looked at from a second connection, as another worker would meet them."""
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from governance.choices import NotificationKind
from governance.models import Case, CaseNumberSequence, Notification
from governance.notifications import services as notification_services
from governance.notifications.backends import BaseBackend
from intake import services as intake_services
from intake.models import Attachment, Intake
from tests.factories import CaseFactory, png_bytes

PNG = png_bytes()


def other_connection():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    conn.autocommit = False
    return conn


def lockable(sql, params=()):
    """Whether another session can lock these rows at once (NOWAIT), as another worker would try."""
    conn = other_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET lock_timeout = '100ms'")
            try:
                cursor.execute(sql + " FOR UPDATE NOWAIT", params)
                return True
            except psycopg2.errors.LockNotAvailable:
                return False
    finally:
        conn.rollback()
        conn.close()


def register_with_photos(staff, **overrides):
    clerk = staff("clerk")
    case = CaseFactory(holder=clerk.organisation)  # the year's number row exists
    kwargs = dict(actor=clerk, channel="walk_in", kind="dispute", category=case.category, region=case.region,
                  narrative="楼上漏水", parties=[{"role": "applicant", "name": "王五", "phone": "13812345678"}],
                  attachments=[SimpleUploadedFile("现场1.png", PNG), SimpleUploadedFile("现场2.png", PNG)])
    kwargs.update(overrides)
    return intake_services.intake_register(**kwargs)


@pytest.mark.django_db(transaction=True)
def test_attachments_are_written_while_the_number_row_is_free(demo_transactional, staff):
    year = timezone.localdate().year
    seen = []
    real_save = FileSystemStorage._save

    def save(storage, name, content):
        seen.append((connection.in_atomic_block,
                     lockable("SELECT last FROM governance_casenumbersequence WHERE year = %s", [year])))
        return real_save(storage, name, content)

    with mock.patch.object(FileSystemStorage, "_save", save):
        case = register_with_photos(staff)
    assert seen == [(False, True), (False, True)]  # outside any transaction, the row free
    assert Attachment.objects.filter(case=case).count() == 2
    assert all(Path(a.file.path).exists() for a in Attachment.objects.filter(case=case))


@pytest.mark.django_db(transaction=True)
def test_a_registration_that_fails_after_the_files_leaves_nothing_behind(demo_transactional, staff):
    """One transaction or nothing: no matter, party, intake or attachment row, no number used, no file."""
    media = Path(settings.MEDIA_ROOT)
    files_before = set(media.rglob("*")) if media.exists() else set()
    register_with_photos(staff)  # numbers the year and leaves two files (kept: registered)
    counts = (Case.objects.count(), Intake.objects.count(), Attachment.objects.count(),
              CaseNumberSequence.objects.get().last)
    files_after_one = set(media.rglob("*"))
    with mock.patch("intake.services.notify_many", side_effect=RuntimeError("the inbox is down")), \
            pytest.raises(RuntimeError):
        register_with_photos(staff, dispatch=True)
    assert (Case.objects.count(), Intake.objects.count(), Attachment.objects.count(),
            CaseNumberSequence.objects.get().last) == (counts[0] + 1, counts[1], counts[2], counts[3] + 1)  # the factory's
    assert set(media.rglob("*")) == files_after_one and files_after_one - files_before


class LockCheckingGateway(BaseBackend):
    """An SMS gateway that looks, from outside, at the rows of what it is given."""

    seen = []

    def send_messages(self, notifications):
        ids = [n.pk for n in notifications]
        LockCheckingGateway.seen.append((connection.in_atomic_block, lockable(
            "SELECT id FROM governance_notification WHERE id = ANY(%s)", [ids])))


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATION_BACKEND="tests.governance.test_locks.LockCheckingGateway")
def test_the_sms_gateway_is_called_with_no_notification_row_locked(demo_transactional, staff):
    case = CaseFactory()
    Notification.objects.bulk_create([Notification(organisation=case.holder, case=case,
                                                   kind=NotificationKind.DISPATCHED) for _ in range(3)])
    LockCheckingGateway.seen = []
    assert notification_services.deliver_pending() == 3
    assert LockCheckingGateway.seen == [(False, True)] * 3
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert not Notification.objects.filter(claimed_until__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATION_BACKEND="governance.notifications.backends.MemoryBackend")
def test_a_claimed_message_is_not_sent_by_another_sender_until_its_claim_lapses(demo_transactional):
    from governance.notifications.backends import MemoryBackend

    case = CaseFactory()
    (mine,) = Notification.objects.bulk_create([Notification(organisation=case.holder, case=case,
                                                              kind=NotificationKind.DISPATCHED)])
    claimed = notification_services._claim(batch_size=10, skip=set())  # a sender busy with the gateway
    assert [n.pk for n in claimed] == [mine.pk]
    MemoryBackend.outbox.clear()
    assert notification_services.deliver_pending() == 0 and MemoryBackend.outbox == []
    Notification.objects.filter(pk=mine.pk).update(claimed_until=timezone.now())  # that sender died
    assert notification_services.deliver_pending() == 1 and MemoryBackend.outbox == [mine.pk]
