#!/usr/bin/env python
"""Django's command-line utility. With no DATABASE_URL/REDIS_URL set it starts
(or joins) the embedded PostgreSQL and Redis under .local/ first."""
import os
import sys

# Commands that never touch a server do not need the embedded ones started.
SERVERLESS_COMMANDS = {"compilemessages", "makemessages", "collectstatic", "help", "version"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.development")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command in SERVERLESS_COMMANDS or command.startswith("-"):
        os.environ.setdefault("DATABASE_URL", "postgres://unused/unused")
        os.environ.setdefault("REDIS_URL", "redis://unused:6379/0")
    else:
        from governance import embedded

        embedded.activate()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
