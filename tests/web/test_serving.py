"""The app served by gunicorn with the project's configuration, on a loopback port."""

import json
from pathlib import Path

from tests.live_server import Browser, gunicorn_serving


def test_gunicorn_serves_the_app_in_production_and_logs_json_lines(migrated_template: str, tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    production = {"SIGNAALPUNT_ENVIRONMENT": "production"}
    with gunicorn_serving(migrated_template, workers=2, log=log, **production) as server:
        browser = Browser(server.base)
        status, body, _ = browser.get("/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
        assert "Zorg om iemand melden" in browser.page("/melden").text
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert {"method": "GET", "path": "/melden", "status": 200} in [
        {key: line[key] for key in ("method", "path", "status")} for line in lines
    ]
