"""Private files (a matter's photos and PDFs, grid photos, bulletins' workbooks): the
view checks who asks, then either Django streams the file, or, behind nginx with
``MEDIA_ACCEL_REDIRECT`` set (e.g. "/protected-media/"), answers with
``X-Accel-Redirect`` and nginx sends it from an ``internal`` location: no Python
process is held for the length of a download, and there is still no public URL."""
from urllib.parse import quote

from django.conf import settings
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
