"""Photos are checked by their content (a PDF renamed .jpg is refused) and size,
written before any lock, and a failed upload never loses the report."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from grid.models import GridEvent, GridPhoto
from grid.photos import check_photos
from grid.services import reporting
from tests.grid.conftest import GRID_1, jpeg, pdf, report

pytestmark = pytest.mark.django_db


def test_a_real_jpeg_passes_and_a_pdf_named_jpg_does_not():
    assert check_photos([jpeg()]) == ["image/jpeg"]
    with pytest.raises(ValidationError, match="JPEG") as refused:
        check_photos([pdf("现场照片.jpg")])
    assert refused.value.code == "type"
    with pytest.raises(ValidationError):
        check_photos([SimpleUploadedFile("notes.jpg", b"just some text, not an image" * 20)])


@override_settings(GRID_PHOTO_MAX_BYTES=100 * 1024, GRID_PHOTO_MAX_COUNT=2)
def test_size_and_count_limits():
    with pytest.raises(ValidationError, match="0.1") as refused:
        check_photos([jpeg()])  # 192 KB > 100 KB
    assert refused.value.code == "size"
    small = SimpleUploadedFile("tiny.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert check_photos([small]) == ["image/png"]
    with pytest.raises(ValidationError) as refused:
        check_photos([small, small, small])
    assert refused.value.code == "count"
    with pytest.raises(ValidationError) as refused:
        check_photos([SimpleUploadedFile("empty.jpg", b"")])
    assert refused.value.code == "empty"


def test_a_refused_photo_leaves_no_report_and_no_file(people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        report(people["gridworker"], photos=[jpeg(), pdf()])
    assert not GridEvent.objects.exists()
    assert not list(tmp_path.rglob("*.jpg"))  # the good photo checked first was not written either


def test_photos_are_stored_under_media_root_and_served_to_who_sees_the_event(people, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    event = report(people["gridworker"])
    stored = event.photos.get()
    assert (tmp_path / stored.file.name).exists() and stored.file.name.startswith("grid/")
    client.force_login(people["gridworker"])
    response = client.get(f"/grid/photos/{stored.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(people["gridworker_shiqiao"])  # another village
    assert client.get(f"/grid/photos/{stored.pk}/").status_code == 404


def test_the_report_is_kept_when_the_photos_fail_and_retried_without_retyping(people, client):
    """The plain form (no script): the words are saved first, the refused photos come
    back on the retry page, and sending them again there attaches them."""
    from governance.models import Region
    from grid.models import EventType

    client.force_login(people["gridworker"])
    response = client.post("/grid/report/", {
        "event_type": EventType.objects.get(code="rental_housing").pk, "place": Region.objects.get(code=GRID_1).pk,
        "description": "楼道电动车充电", "photos": [pdf("现场.jpg")]})
    event = GridEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/grid/events/{event.pk}/photos/"
    page = client.get(response["Location"])
    assert "现场.jpg" in page.content.decode() and event.case.number in page.content.decode()
    assert event.case.narrative == "楼道电动车充电" and not event.photos.exists()
    response = client.post(f"/grid/events/{event.pk}/photos/", {"photos": [jpeg()]})
    assert response.status_code == 302 and event.photos.count() == 1


def test_the_script_sends_the_words_first_then_the_photos(people, client):
    from governance.models import Region
    from grid.models import EventType

    client.force_login(people["gridworker"])
    words = client.post("/grid/report/", {"event_type": EventType.objects.get(code="fire_safety").pk,
                                          "place": Region.objects.get(code=GRID_1).pk, "description": "消防通道堵塞"},
                        HTTP_X_GRID_REPORT="text")
    assert words.status_code == 201
    answer = words.json()
    event = GridEvent.objects.get(pk=answer["id"])
    refused = client.post(answer["photos_url"], {"photos": [pdf()]}, HTTP_X_GRID_REPORT="photos")
    assert refused.status_code == 400 and GridEvent.objects.filter(pk=event.pk).exists()
    retry_page = client.get(answer["photos_url"])  # where the script goes next: the reason is waiting there
    assert "JPEG" in retry_page.content.decode() or "照片" in retry_page.content.decode()
    sent = client.post(answer["photos_url"], {"photos": [jpeg(), jpeg("flower.jpg")]}, HTTP_X_GRID_REPORT="photos")
    assert sent.status_code == 200 and sent.json()["added"] == 2
    bad_words = client.post("/grid/report/", {"event_type": "", "place": "", "description": ""},
                            HTTP_X_GRID_REPORT="text")
    assert bad_words.status_code == 400 and set(bad_words.json()["errors"]) >= {"event_type", "description"}


def test_only_the_reporter_adds_report_photos(people):
    event = report(people["gridworker"], photos=[])
    from grid.services import CaseChangeForbidden

    with pytest.raises(CaseChangeForbidden):
        reporting.event_add_photos(event_id=event.pk, actor=people["village_mediator"], photos=[jpeg()])
    assert reporting.event_add_photos(event_id=event.pk, actor=people["gridworker"], photos=[jpeg()]) == 1
    assert GridPhoto.objects.filter(event=event).count() == 1
    assert default_storage.exists(GridPhoto.objects.get(event=event).file.name)
