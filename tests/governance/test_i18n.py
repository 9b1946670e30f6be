"""Every Chinese catalogue (the project's in locale/, each app's in <app>/locale/) is
complete, and each committed .mo is compiled from its .po."""
import gettext
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po", *sorted(
    p for p in ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)]
IDS = [str(p.relative_to(ROOT)) for p in CATALOGUES]


def test_the_project_catalogue_is_there():
    assert ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_every_message_is_translated(po):
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_committed_mo_matches_the_po(po, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    with open(po.with_suffix(".mo"), "rb") as committed, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog, (
            "run `make messages` and commit the locale folder"
        )


def _catalogue(po):
    with open(po.with_suffix(".mo"), "rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


@pytest.mark.parametrize("po", CATALOGUES[1:], ids=IDS[1:])
def test_an_app_string_is_not_translated_otherwise_by_the_project(po):
    """The project's catalogue (LOCALE_PATHS) wins over an app's for the same English
    text: a word both use must mean the same in both, or one of them must change it."""
    project, app = _catalogue(CATALOGUES[0]), _catalogue(po)
    clashes = {msgid: (project[msgid], text) for msgid, text in app.items()
               if msgid and isinstance(msgid, str) and msgid in project and project[msgid] != text}
    assert clashes == {}
