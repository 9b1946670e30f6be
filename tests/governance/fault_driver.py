"""A process of its own for tests/governance/test_fault_injection.py: registers
matters through the API in a loop, or sweeps in a loop, against the database in
DATABASE_URL, and prints one JSON line per attempt. Stops when the file named by
DRIVER_STOP_FILE appears (or after DRIVER_SECONDS at most)."""
import json
import os
import sys
import time

import django


def main(mode):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
    django.setup()
    from django.test import Client

    from governance.accounts.models import ApiToken
    from governance.models import User
    from governance.timers.sweep import sweep_clocks

    stop_at = time.monotonic() + float(os.environ.get("DRIVER_SECONDS", "120"))
    stop_file = os.environ.get("DRIVER_STOP_FILE", "")
    if mode == "register":
        _token, key = ApiToken.issue(user=User.objects.get(username="clerk"), name="fault driver")
        client = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_HOST="localhost", raise_request_exception=False)
    from django.db import close_old_connections

    n = 0
    while time.monotonic() < stop_at and not (stop_file and os.path.exists(stop_file)):
        n += 1
        started = time.monotonic()
        # What Django's WSGI handler does around each request (its test client skips it):
        # drop a connection that errored or failed its health check, so the next one is fresh.
        close_old_connections()
        if mode == "register":
            response = client.post("/api/v1/cases/", {
                "kind": "dispute", "channel": "hotline", "category": "neighbourhood", "region": "339901001001",
                "narrative": f"重启期间登记 {n}",
                "parties": [{"role": "applicant", "name": "张三", "phone": "13812345678"}]}, content_type="application/json")
            body = response.content.decode(errors="replace")
            print(json.dumps({"n": n, "status": response.status_code, "seconds": time.monotonic() - started,
                              "number": response.json().get("number") if response.status_code == 201 else None,
                              "traceback": "Traceback" in body,
                              "body": body[:300] if response.status_code != 201 else ""}), flush=True)
        else:
            try:
                result = sweep_clocks()
                print(json.dumps({"n": n, "ok": True, "fired": dict(result.fired)}), flush=True)
            except Exception as error:  # noqa: BLE001 - reported, and the loop goes on
                from django.db import connection

                connection.close()
                print(json.dumps({"n": n, "ok": False, "error": type(error).__name__}), flush=True)
        time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1])
