"""Masks for personal data shown in lists and the API (the security issue adds logged reveals)."""


def mask_id_number(value: str) -> str:
    """420303199001011234 -> 420303**********34 (first 6, last 2)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 8) + value[-2:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678 (first 3, last 4)."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * (len(value) - 4) + value[-4:] if len(value) > 4 else "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
