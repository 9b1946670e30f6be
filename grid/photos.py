"""Photos of grid events: checked by content (intake's check, which reads the first
bytes, not the name) and size, then written under MEDIA_ROOT before any row is
locked; the rows that point at them are inserted afterwards in a short
transaction, and the files are removed again if that transaction fails."""
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from grid.models.events import GridPhoto, photo_path
from governance.uploads import StorageFull, is_no_space, reencode_image
from intake.services import check_attachment

PHOTO_TYPES = {"image/jpeg", "image/png"}


def photo_max_bytes() -> int:
    return getattr(settings, "GRID_PHOTO_MAX_BYTES", 8 * 1024 * 1024)


def photo_max_count() -> int:
    return getattr(settings, "GRID_PHOTO_MAX_COUNT", 6)


@dataclass
class StoredPhoto:
    path: str  # the storage name under MEDIA_ROOT
    name: str  # what the phone called it
    content_type: str
    size: int


def check_photos(uploads) -> list[str]:
    """The content type of each upload, or a ValidationError naming the first bad
    one: not a JPEG or PNG by its content (a PDF renamed .jpg is refused), too big,
    or too many."""
    uploads = list(uploads)
    if len(uploads) > photo_max_count():
        raise ValidationError(_("At most %(count)s photos at a time, please.") % {"count": photo_max_count()},
                              code="count")
    types = []
    limit = photo_max_bytes()
    for upload in uploads:
        if upload.size == 0:
            raise ValidationError(_("“%(name)s” is empty; please take the photo again.") % {"name": upload.name},
                                  code="empty")
        if upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is %(size)s MB; a photo may be at most %(limit)s MB.")
                % {"name": upload.name, "size": round(upload.size / 1024 / 1024, 1),
                   "limit": round(limit / 1024 / 1024, 1)}, code="size")
        try:
            content_type = check_attachment(upload)
        except ValidationError:
            content_type = None
        if content_type not in PHOTO_TYPES:
            raise ValidationError(_("“%(name)s” is not a photo (JPEG or PNG), whatever its name says.")
                                  % {"name": upload.name}, code="type")
        types.append(content_type)
    return types


def store_photos(uploads, content_types) -> list[StoredPhoto]:
    """Write the checked uploads to storage (no transaction, no locks held)."""
    stored = []
    try:
        for upload, content_type in zip(uploads, content_types):
            upload = reencode_image(upload, content_type)  # EXIF (and its GPS position) dropped
            path = default_storage.save(photo_path(None, upload.name), upload)
            stored.append(StoredPhoto(path=path, name=upload.name[-120:], content_type=content_type,
                                      size=upload.size))
    except BaseException as error:
        discard(stored)
        if is_no_space(error):
            raise StorageFull(error) from error
        raise
    return stored


def discard(stored):
    """Remove files whose rows were never written."""
    for photo in stored:
        default_storage.delete(photo.path)


def photo_rows(event, stored, *, step, actor, round_number, at) -> list[GridPhoto]:
    return GridPhoto.objects.bulk_create([
        GridPhoto(event=event, step=step, round=round_number, file=photo.path, name=photo.name,
                  content_type=photo.content_type, size=photo.size, uploaded_by=actor, at=at)
        for photo in stored
    ])


def checked_and_stored(uploads) -> list[StoredPhoto]:
    uploads = [upload for upload in uploads if upload]
    return store_photos(uploads, check_photos(uploads))
