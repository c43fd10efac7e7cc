"""The app served by gunicorn with the project's configuration, on a loopback port."""

import gc
import json
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.live_server import Browser, gunicorn_serving

pytestmark = pytest.mark.slow


def one_worker_with(config: dict) -> SimpleNamespace:
    """What gunicorn hands its hooks: the worker, with the loaded app and gunicorn's own settings."""
    return SimpleNamespace(wsgi=SimpleNamespace(config=config), cfg=SimpleNamespace(workers=1))


def test_gunicorn_serves_the_app_in_production_and_logs_json_lines(migrated_template: str, tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    production = {
        "SIGNAALPUNT_ENVIRONMENT": "production",
        "SIGNAALPUNT_PUBLIC_BASE_URL": "https://signaalpunt.example.nl",
    }
    with gunicorn_serving(migrated_template, workers=2, log=log, **production) as server:
        browser = Browser(server.base)
        status, body, _ = browser.get("/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
        assert "Zorg om iemand melden" in browser.page("/melden").text
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert {"method": "GET", "path": "/melden", "status": 200} in [
        {key: line[key] for key in ("method", "path", "status")} for line in lines
    ]


def test_a_worker_leaves_the_loaded_app_out_of_garbage_collection() -> None:
    # Without this a full collection walks every object of the loaded app: ~80 ms on a board request.
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](worker=one_worker_with({"RATELIMIT_STORAGE_URI": "database://"}))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
