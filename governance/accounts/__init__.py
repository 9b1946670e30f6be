"""Accounts that resist guessing and end when they should: lockout (django-axes),
strong passwords, idle sessions, expiring and revocable API tokens, and a departed
person's sessions and tokens ended the moment their account is disabled."""
