"""Web hardening: the Content-Security-Policy and no inline script or style anywhere;
production settings that pass `check --deploy`; throttles that hold while Redis is
down; uploads checked by content and made harmless."""
import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from governance.models import Category, Region, User
from tests.factories import CaseFactory, jpeg_with_location, png_bytes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: every cache call fails at once


# -- Content-Security-Policy ----------------------------------------------------------

def test_every_page_gets_a_policy_without_inline_scripts_or_styles(demo, client, staff):
    client.force_login(staff("clerk"))
    for url in (reverse("home"), reverse("case-list"), reverse("public-submit"), reverse("login"), "/admin/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", url
        assert "unsafe" not in policy and directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on* event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"hx-on", re.I), "an hx-on handler (htmx would eval it)"),
]


def test_no_template_has_inline_script_style_or_handler():
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    found.append(f"{path.relative_to(ROOT)}: {what}: {match.group(0)[:60]}")
    assert not found, "\n".join(found)


def test_htmx_is_told_not_to_inject_styles_or_eval(demo, client, staff):
    client.force_login(staff("clerk"))
    for url in (reverse("case-list"), reverse("public-submit")):
        page = client.get(url).content.decode()
        assert '"includeIndicatorStyles": false' in page and '"allowEval": false' in page


# -- production settings ---------------------------------------------------------------

def test_check_deploy_is_clean_but_for_hsts_preload():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # tests' own
    env = {**env, "DJANGO_SETTINGS_MODULE": "governance.settings.production",
           "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-for-the-check-7Hq2", 
           "ALLOWED_HOSTS": "center.example.gov.cn"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert set(re.findall(r"\((\w+\.[WE]\d+)\)", output)) == {"security.W021"}, output


# -- throttles --------------------------------------------------------------------------

@pytest.mark.parametrize("redis_down", [False, True], ids=["redis-up", "redis-down"])
def test_the_status_lookups_brute_force_limit_holds_with_or_without_redis(demo, settings, redis_down):
    case = CaseFactory(channel="online", parties=[{"role": "applicant", "name": "李", "phone": "13812345678"}])
    settings.PUBLIC_STATUS_RATE_NUMBER = "3/d"
    caches = {"default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS}} if redis_down else settings.CACHES
    with override_settings(CACHES=caches):
        from django.core.cache import caches as cache_handler

        cache_handler._settings = None  # noqa: SLF001 - re-read CACHES for the override
        for guess in range(4):
            response = Client(REMOTE_ADDR=f"10.9.0.{guess}").post(
                reverse("public-status"), {"number": case.number, "phone_last4": f"{guess:04d}"})
            assert response.status_code == 200
        refused = Client(REMOTE_ADDR="10.9.0.99").post(reverse("public-status"),
                                                       {"number": case.number, "phone_last4": "5678"})
        assert refused.status_code == 429  # even the right digits: the number is locked for the day
    from governance.accounts.models import RateCount

    assert RateCount.objects.exists() is redis_down  # counted in PostgreSQL only while Redis was away


def test_the_api_is_throttled_per_person(demo, api_as, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "user": "3/min"}}
    from governance.api.throttles import UserThrottle

    saved = UserThrottle.THROTTLE_RATES  # read once, when DRF defined the class
    UserThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        api = api_as("clerk")
        assert [api.get("/api/v1/cases/").status_code for _ in range(4)] == [200, 200, 200, 429]
        assert api_as("leader").get("/api/v1/cases/").status_code == 200  # per person
    finally:
        UserThrottle.THROTTLE_RATES = saved


# -- uploads ----------------------------------------------------------------------------

def register_with(upload):
    from intake.services import intake_register

    return intake_register(
        actor=User.objects.get(username="village_clerk"), channel="walk_in", kind="dispute",
        category=Category.objects.get(code="neighbourhood"), region=Region.objects.get(code="339901001001"),
        narrative="带照片的登记", parties=[{"role": "applicant", "name": "王", "phone": "13812345678"}],
        attachments=[upload])


def test_a_photos_exif_and_location_are_dropped_at_the_desk(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    original = jpeg_with_location()
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)  # the phone's position is in it
    case = register_with(SimpleUploadedFile("现场.jpg", original))
    stored = case.attachments.get()
    image = Image.open(stored.file.path)
    assert image.format == "JPEG" and image.size == (32, 24)
    assert not image.getexif() and b"PhoneCam" not in Path(stored.file.path).read_bytes()
    assert stored.size == Path(stored.file.path).stat().st_size


def test_a_grid_photos_exif_is_dropped_too(demo, settings, tmp_path):
    from grid.photos import checked_and_stored

    settings.MEDIA_ROOT = tmp_path
    (photo,) = checked_and_stored([SimpleUploadedFile("巡查.jpg", jpeg_with_location())])
    assert not Image.open(tmp_path / photo.path).getexif()


def test_what_only_looks_like_a_photo_is_refused_and_nothing_is_kept(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    header_only = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG signature and nothing that decodes
    with pytest.raises(ValidationError, match="不是可以读取的照片"):
        register_with(SimpleUploadedFile("假照片.png", header_only))
    html = b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError):
        register_with(SimpleUploadedFile("照片.png", html))
    assert not any(tmp_path.rglob("*.*"))


def test_a_decompression_bomb_is_refused(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_PIXELS = 1_000_000
    out = BytesIO()
    Image.new("1", (2000, 2000)).save(out, "PNG")  # a few KB on disk, 4 million pixels decoded
    with pytest.raises(ValidationError, match="尺寸过大"):
        register_with(SimpleUploadedFile("大图.png", out.getvalue()))
    assert not any(tmp_path.rglob("*.*"))


def test_uploads_are_bounded_in_size(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("很大.png", png_bytes() + b"\x00" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="10 MB"):
        register_with(big)
