"""What operators rely on: the health check, request logs, SQLite settings."""

import io
import json
import logging

import sqlalchemy as sa
from flask import Flask

from signaalpunt import create_app
from signaalpunt.extensions import db
from signaalpunt.logs import JsonFormatter
from tests.conftest import POSTGRES_URL, make_config
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


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_full_sync(app: Flask) -> None:
    if POSTGRES_URL:
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
