"""Uploaded photos made harmless: decoded and written again by Pillow, so only the
pixels survive. EXIF (with the phone's GPS position), comments, ICC profiles,
appended data and anything hidden after the image are dropped; a file that only
looks like an image, or a "decompression bomb", is refused with a clear error.
The grid app keeps an event's location in its own fields, so it needs no EXIF."""
import errno
import os
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFull(ValidationError):
    """The disk (or the quota) is full while a file is written: nothing of the
    upload is kept, the person is told in plain words and keeps what they typed."""

    def __init__(self, error=None):
        super().__init__(_("The server has no room left to store the file, so nothing was saved. Please try "
                           "again later or tell the administrator."), code="storage_full")
        self.error = error


def is_no_space(error) -> bool:
    return isinstance(error, OSError) and error.errno in NO_SPACE


def reencode_image(upload, content_type):
    """A new in-memory upload holding only the image's pixels, or ``upload``
    unchanged when it is not a photo (a PDF is kept as given, and served as a
    download). Raises ValidationError for an image that does not decode."""
    fmt = FORMATS.get(content_type)
    if fmt is None:
        return upload
    upload.seek(0)
    limit = getattr(settings, "UPLOAD_MAX_PIXELS", 40_000_000)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > limit:
                raise ValidationError(_("“%(name)s” is too large an image (%(width)s × %(height)s pixels).")
                                      % {"name": upload.name, "width": image.width, "height": image.height},
                                      code="pixels")
            image = ImageOps.exif_transpose(image)  # keep what the camera meant by "up"
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = BytesIO()
            image.save(out, fmt, **({"quality": 90, "optimize": True} if fmt == "JPEG" else {"optimize": True}))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, ValidationError):
            raise
        raise ValidationError(_("“%(name)s” is not a readable photo.") % {"name": upload.name}, code="type") from None
    return SimpleUploadedFile(upload.name, out.getvalue(), content_type=content_type)


class CleanFileSystemStorage(FileSystemStorage):
    """Django's file storage, except that a write that fails half-way (the disk
    filling up) removes its partial file instead of leaving it behind."""

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except BaseException:
            # Not there before, there now: the partial file this call created.
            if not existed and os.path.exists(path):
                try:
                    os.remove(path)
                except OSError:
                    pass
            raise
