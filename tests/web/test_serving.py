"""The app served by gunicorn with the project's configuration, on a loopback port."""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.mail_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_serves_the_app_and_logs_json_lines(migrated_template: str) -> None:
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "SIGNAALPUNT_SECRET_KEY": "s" * 40,
        "SIGNAALPUNT_ENVIRONMENT": "production",
        "DATABASE_URL": migrated_template,
        "SIGNAALPUNT_BIND": f"127.0.0.1:{port}",
        "SIGNAALPUNT_WORKERS": "2",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "app:app", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    assert json.loads(response.read()) == {"status": "ok", "database": "ok"}
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not come up"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/melden", timeout=5) as response:
            assert "Zorg om iemand melden" in response.read().decode()
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=20)
    lines = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert {"method": "GET", "path": "/melden", "status": 200} in [
        {key: line[key] for key in ("method", "path", "status")} for line in lines
    ]
