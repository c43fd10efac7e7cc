"""``flask signaalpunt …`` and ``flask db …`` as an operator uses them."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.demo import DEMO_PARTNERS
from signaalpunt.extensions import db
from signaalpunt.models import Partner
from tests.pages import PageClient


def test_load_demo_adds_partners_once(runner: FlaskCliRunner, pages: PageClient) -> None:
    first = runner.invoke(args=["signaalpunt", "load-demo"])
    second = runner.invoke(args=["signaalpunt", "load-demo"])
    assert f"{len(DEMO_PARTNERS)} partners added" in first.output
    assert "0 partners added" in second.output
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == len(DEMO_PARTNERS)
    options = [option.get_text(strip=True) for option in pages.get("/melden").soup.select("#partner option")]
    assert "Snelpakket Bezorgdiensten" in options


def test_load_demo_is_refused_in_production(app: Flask, runner: FlaskCliRunner) -> None:
    app.config["ENVIRONMENT"] = "production"
    result = runner.invoke(args=["signaalpunt", "load-demo"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == 0


def test_migrations_build_exactly_the_models(app: Flask) -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
