"""Personal data (PIPL): masked by default, revealed on purpose, every reveal and
every print with full numbers written to one append-only access log."""
