"""Structured logs: JSON lines with the request id and the user id, and never a resident ID
number or a phone number, whatever path, query string, message or error carries them."""
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from governance import logs

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"
OLD_ID_NUMBER = "110105491231002"
PHONE = "13800138000"
SECRETS = [ID_NUMBER, ID_NUMBER.lower(), OLD_ID_NUMBER, PHONE, "138 0013 8000", "138-0013-8000", "+8613800138000",
           "0571-88886666", "1380013", "00138000"]


@pytest.fixture
def captured():
    """Everything logged, as production formats it (JSON, with the context filter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.ContextFilter())
    root, requests = logging.getLogger(), logging.getLogger("governance.requests")
    saved = root.level, requests.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    requests.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(saved[0])
    requests.setLevel(saved[1])


def assert_no_personal_numbers(lines):
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in SECRETS:
        if len(secret) >= 11 or secret.startswith("+"):
            assert secret not in text, f"{secret} in the logs:\n{text}"
    for digits in ("13800138000", "11010519491231002", "110105491231002", "88886666"):
        assert digits not in text.replace(" ", "").replace("-", ""), text


@pytest.mark.parametrize("text, expected", [
    (f"身份证 {ID_NUMBER} 已登记", "身份证 [id-number] 已登记"),
    (f"id={ID_NUMBER.lower()}&x=1", "id=[id-number]&x=1"),
    (f"旧证 {OLD_ID_NUMBER}", "旧证 [id-number]"),
    (f"phone={PHONE}", "phone=[phone]"),
    ("call 138 0013 8000 or 138-0013-8000", "call [phone] or [phone]"),
    ("+8613800138000 / 86-13800138000", "[phone] / [phone]"),
    ("座机 0571-88886666，010 总机", "座机 [phone]，010 总机"),
    (f"tel:{PHONE}，电话{PHONE}", "tel:[phone]，电话[phone]"),
    # A request id (uuid4 hex) whose digits read as a landline is an id, kept whole.
    ("request_id=3b135c1e068842839970d3551486b0c8", "request_id=3b135c1e068842839970d3551486b0c8"),
    # What must stay: matter numbers, masked numbers, ids, times, short numbers.
    ("2026-000123 420303**********2X 138****5678 case 12345 at 2026-03-09T09:00:00.123456+08:00",
     "2026-000123 420303**********2X 138****5678 case 12345 at 2026-03-09T09:00:00.123456+08:00"),
])
def test_redaction(text, expected):
    assert logs.redact(text) == expected


def test_a_request_logs_one_json_line_with_its_id_and_user_and_no_personal_numbers(captured, api_as, staff):
    clerk = api_as("clerk")
    response = clerk.post("/api/v1/cases/", {
        "kind": "dispute", "channel": "hotline", "category": "neighbourhood", "region": "339901001001",
        "narrative": f"申请人 {ID_NUMBER}，电话 {PHONE}，邻居噪音",
        "parties": [{"role": "applicant", "name": "张三", "id_number": ID_NUMBER, "phone": PHONE}],
    }, format="json", HTTP_X_REQUEST_ID="nginx-request-0001")
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "nginx-request-0001"  # nginx's id, carried through
    listed = clerk.get(f"/api/v1/cases/?q={PHONE}&id_number={ID_NUMBER}")
    assert listed.status_code == 200
    lines = captured()
    requests = [line for line in lines if line["logger"] == "governance.requests"]
    assert [(line["method"], line["status"]) for line in requests] == [("POST", 201), ("GET", 200)]
    first, second = requests
    assert first["request_id"] == "nginx-request-0001" and first["user_id"] == staff("clerk").pk
    assert second["request_id"] == listed["X-Request-ID"] and len(second["request_id"]) == 32  # a new id
    assert second["user_id"] == staff("clerk").pk and second["view"] == "api:case-list"
    for line in requests:
        assert {"time", "level", "logger", "message", "ms", "path"} <= set(line)
    assert_no_personal_numbers(lines)


def test_anything_logged_while_serving_carries_the_request_and_is_redacted(captured, staff, db):
    """A view (or a library under it) logging a citizen's numbers, and failing with them."""
    logger = logging.getLogger("governance.some_view")

    def view(request):
        request.user = staff("clerk")
        logger.warning("looked up %s by phone %s", ID_NUMBER, PHONE)
        try:
            raise ValueError(f'duplicate key (id_number)=({ID_NUMBER}) phone "{PHONE}"')
        except ValueError:
            logger.exception("registration failed for %s", {"id_number": ID_NUMBER, "phone": PHONE})
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get(f"/intake/?q={PHONE}", HTTP_X_REQUEST_ID="abc-12345678")
    response = logs.RequestContextMiddleware(view)(request)
    assert response["X-Request-ID"] == "abc-12345678"
    lines = [line for line in captured() if line["logger"] == "governance.some_view"]
    assert len(lines) == 2
    assert all(line["request_id"] == "abc-12345678" and line["user_id"] == staff("clerk").pk for line in lines)
    assert "[id-number]" in lines[0]["message"] and "[phone]" in lines[0]["message"]
    assert "ValueError" in lines[1]["exc_info"] and "[id-number]" in lines[1]["exc_info"]
    assert_no_personal_numbers(lines)
    # Outside a request: no request id, no user.
    logger.warning("between requests")
    outside = captured()[-1]
    assert outside["request_id"] is None and outside["user_id"] is None


def test_an_unsafe_request_id_from_outside_is_replaced(captured, db):
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="<script>" + "x" * 100)
    response = logs.RequestContextMiddleware(lambda r: __import__("django.http").http.HttpResponse())(request)
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_production_settings_log_json_lines_redacted():
    """The production settings themselves (not a test's handler): JSON on stderr, one object a line."""
    script = (
        "import django, logging; django.setup()\n"
        f"logging.getLogger('governance.check').warning('证件 %s 手机 %s', '{ID_NUMBER}', '{PHONE}')\n"
        "from django.conf import settings\n"
        "print(settings.CELERY_WORKER_HIJACK_ROOT_LOGGER)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_SETTINGS_MODULE="governance.settings.production", SECRET_KEY="x" * 50,
               ALLOWED_HOSTS="governance.example.gov.cn")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"  # Celery workers log through the same JSON handler
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["logger"] == "governance.check" and line["level"] == "WARNING"
    assert line["message"] == "证件 [id-number] 手机 [phone]"
    assert ID_NUMBER not in result.stderr and PHONE not in result.stderr
