"""Petition tests run on the demo county with its petition office and accounts
(``demo.petitions``); a reused test database seeded before the app gets them here."""
import pytest

from demo.petitions import seed_petition_reference


@pytest.fixture(autouse=True)
def petition_reference(request):
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("demo_transactional")
    elif "db" in request.fixturenames:
        request.getfixturevalue("demo")
    else:
        return
    seed_petition_reference()
