"""What operators rely on: the health check, request logs, SQLite settings."""

import io
import json
import logging

from flask import Flask

from signaalpunt import create_app
from signaalpunt.core.logs import JsonFormatter
from tests.conftest import make_config
from tests.faults import refuse_writes
from tests.pages import PageClient


def test_health_check_answers_200_when_the_database_is_reachable(pages: PageClient) -> None:
    response = pages.client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_is_not(tmp_path) -> None:
    app = create_app(make_config("sqlite:////nonexistent-folder/signaalpunt.db"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


def test_health_check_answers_503_when_reads_work_but_writes_are_refused(pages: PageClient) -> None:
    """As with a full disk or a database turned read-only: reports would fail, so the point is not healthy."""
    refuse_writes("health_checks", event="UPDATE")
    response = pages.client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "not writable"}


def test_each_request_is_one_json_line_without_query_string(app: Flask, pages: PageClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("signaalpunt.requests")
    logger.addHandler(handler)
    try:
        pages.client.get("/werk/?q=Geheimstraat")
        pages.client.get("/melden")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/werk/", 302),
        ("GET", "/melden", 200),
    ]
    assert all(isinstance(line["ms"], float) for line in lines)
    assert "Geheimstraat" not in stream.getvalue()
