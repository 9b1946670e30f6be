"""Private files (a matter's photos and PDFs, grid photos, bulletins' workbooks): the
view checks who asks, then either Django streams the file, or, behind nginx with
``MEDIA_ACCEL_REDIRECT`` set (e.g. "/protected-media/"), answers with
``X-Accel-Redirect`` and nginx sends it from an ``internal`` location: no Python
process is held for the length of a download, and there is still no public URL.

And the files no row points at (written for a transaction that rolled back):
``purge_orphan_files`` removes them (hourly, governance.tasks)."""
import os
import time
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(field_file, *, content_type, filename=None, as_attachment=False):
    prefix = settings.MEDIA_ACCEL_REDIRECT
    if not prefix:
        return FileResponse(field_file.open("rb"), content_type=content_type, filename=filename or "",
                            as_attachment=as_attachment)
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
    disposition = content_disposition_header(as_attachment, filename) if filename or as_attachment else None
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def referenced_files() -> set[str]:
    """Every file name stored in a FileField of any model."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete and not model._meta.proxy:
                names.update(model._default_manager.exclude(**{field.name: ""})
                             .values_list(field.attname, flat=True).iterator())
    return names


def purge_orphan_files(*, min_age=3600, dry_run=False) -> list[str]:
    """Remove files under the default storage older than ``min_age`` seconds that no
    row points at; returns their names."""
    root = default_storage.location
    if not os.path.isdir(root):
        return []
    keep = referenced_files()
    cutoff = time.time() - min_age
    removed = []
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(folder, filename)
            name = os.path.relpath(path, root).replace(os.sep, "/")
            if name in keep or os.path.getmtime(path) > cutoff:
                continue
            if not dry_run:
                default_storage.delete(name)
            removed.append(name)
    return sorted(removed)
