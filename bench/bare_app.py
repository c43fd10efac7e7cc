"""Bare endpoints to hold the app against, served by the same gunicorn configuration.

``GET /hello`` answers without touching anything: the ceiling of Flask under gunicorn on this machine.
``POST /insert`` stores one row the way a report is stored (same engine settings, WAL, synchronous=FULL,
``BEGIN IMMEDIATE``, one commit) and redirects: the database's own limit for durable writes.
"""

import os
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, redirect, request
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug import Response

from signaalpunt.core import database
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db


class BenchRow(db.Model):
    __tablename__ = "bench_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def create_bare_app(database_url: str) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db.init_app(app)
    database.init_app(app)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.get("/hello")
    def hello() -> str:
        return "Hallo"

    @app.post("/insert")
    def insert() -> Response:
        db.session.add(BenchRow(body=request.form.get("body", "")))
        db.session.commit()
        return redirect("/hello", 303)

    return app


def create_table(database_url: str) -> None:
    """Made once before the server starts, so its workers do not race to create it."""
    with create_bare_app(database_url).app_context():
        BenchRow.__table__.create(db.engine, checkfirst=True)


def from_environment() -> Flask:
    """For gunicorn: ``gunicorn 'bench.bare_app:from_environment()'``."""
    return create_bare_app(os.environ["DATABASE_URL"])
