"""The API schema tells the truth (drf-spectacular): besides its success, every
operation documents the errors it answers, so a generated client handles them.

- 400: the input was refused (field errors, or ``detail``), in Chinese;
- 401: no credentials, or a token that is wrong, expired or revoked;
- 403: the caller sees the matter but their role or organisation may not do this;
- 404: not found, or outside the caller's view (the same answer, on purpose);
- 409: the record's state does not allow it now (writes only);
- 429: too many requests (throttles).
"""
from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Why, in the caller's language (Chinese)."}},
    "additionalProperties": True,
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused field with its messages (a list of strings, or nested errors), "
                   "or ``detail`` / ``non_field_errors`` for the request as a whole.",
    "additionalProperties": True,
}
ERRORS = {
    "400": ("The input was refused.", FIELD_ERRORS),
    "401": ("No valid credentials: a token that is missing, wrong, expired or revoked.", DETAIL),
    "403": ("Seen, but the caller's role or organisation may not do this (the reason in detail).", DETAIL),
    "404": ("Not found, or outside the caller's view.", DETAIL),
    "429": ("Too many requests; try again later.", DETAIL),
}
CONFLICT = ("The record's state does not allow this now.", DETAIL)


class GovernanceAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors["409"] = CONFLICT
        for code, (description, schema) in errors.items():
            responses.setdefault(code, {"description": description,
                                        "content": {"application/json": {"schema": schema}}})
        return responses


def local_times(result, generator, request, public):
    """A postprocessing hook: OpenAPI's ``format: time`` is RFC 3339's full-time, with a
    UTC offset ("09:30:00+08:00"); the API's times are the center's local clock times
    without one ("09:30:00"), so they are described by a pattern instead."""
    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "time":
                node.pop("format")
                node["pattern"] = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$"
                node.setdefault("description", "Local time (Asia/Shanghai), HH:MM[:SS].")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(result)
    return result
