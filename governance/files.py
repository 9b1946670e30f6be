"""Uploaded files and the rows that point at them."""
import os
import time

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models


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
