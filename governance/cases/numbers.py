"""Human-readable matter numbers (2026-000123), allocated without races."""
from django.db import connection


def allocate_case_numbers(year: int, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive numbers for ``year`` in one UPSERT.

    The row lock taken by the UPDATE serialises concurrent callers, so two
    registrations can never get the same number, even across processes.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO governance_casenumbersequence (year, last) VALUES (%s, %s)
            ON CONFLICT (year) DO UPDATE SET last = governance_casenumbersequence.last + EXCLUDED.last
            RETURNING last
            """,
            [year, count],
        )
        last = cursor.fetchone()[0]
    return [format_case_number(year, n) for n in range(last - count + 1, last + 1)]


def format_case_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"
