"""Every operation of /api/schema/, as an admin and as a clerk, with examples
generated from the schema (valid and invalid ones): no answer may be a 5xx, and
every answer must match the schema (its status documented, its body of the
documented shape, its content type). Examples per operation: SCHEMATHESIS_EXAMPLES
(default 8: 98 operations x 2 users x 8 examples, about two minutes on two cores, which keeps `make test` under twenty)."""
import os

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import negative_data_rejection
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from governance.accounts.models import ApiToken
from governance.text import CONTROL_CHARACTERS

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(),
                                        headers={"Host": "localhost"})
schema.config.generation.update(max_examples=EXAMPLES)
# A schema-valid request may still be refused with a 400 when it names a record that
# does not exist (a category code, an organisation id, a username: the schema cannot
# list the database's rows) or breaks a rule of the matter's state; each such 400 is
# documented and says why in Chinese. Every other check runs as schemathesis has it.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx", "400", "401", "403", "404", "409", "429"]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the WSGI app in this thread, inside the test's transaction:
    as Django's test client does, keep the end of a request from closing the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "clerk"])
def token(request, demo, staff):
    _token, key = ApiToken.issue(user=staff(request.param), name="schemathesis")
    return key


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_no_request_makes_the_server_fail(case, token):
    excluded = []
    if sends_empty_form_fields(case) or has_control_characters(case.body):
        # What arrives is not what was generated, so "invalid data accepted" cannot be
        # judged (everything else still is): the WSGI test client (werkzeug) leaves empty
        # form fields out of the body, and every door strips control characters before
        # validating (governance.text), so a string too long only by its control
        # characters is, once they are gone, within its maxLength.
        excluded.append(negative_data_rejection)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Host": "localhost"},
                           excluded_checks=excluded)


def has_control_characters(value):
    if isinstance(value, str):
        return bool(CONTROL_CHARACTERS.search(value))
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_control_characters(v) for v in value)
    return False


def sends_empty_form_fields(case):
    return (case.media_type in ("multipart/form-data", "application/x-www-form-urlencoded")
            and isinstance(case.body, dict) and any(value == "" for value in case.body.values()))
