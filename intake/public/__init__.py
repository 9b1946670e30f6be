"""The public channel (no login): citizens register a dispute online and follow
its progress with the matter number and the last four digits of their phone."""
