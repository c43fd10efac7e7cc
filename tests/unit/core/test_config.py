import stat

import pytest
import sqlalchemy as sa

from signaalpunt import create_app
from signaalpunt.config import ConfigurationError
from signaalpunt.extensions import db


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENVIRONMENT": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


@pytest.mark.parametrize("environment", ["production", "development"])
def test_a_short_secret_key_is_refused_everywhere(environment: str) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENVIRONMENT": environment, "SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize("environment", ["Production", "prod", "staging", ""])
def test_an_unknown_environment_refuses_to_start(environment: str) -> None:
    with pytest.raises(ConfigurationError, match="ENVIRONMENT"):
        create_app({"ENVIRONMENT": environment, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "x" * 40,
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "PUBLIC_BASE_URL": "https://signaalpunt.terneuzen.nl",
}


def test_production_starts_with_a_real_secret_key_and_address(tmp_path) -> None:
    app = create_app(PRODUCTION)
    assert app.config["ENVIRONMENT"] == "production"


@pytest.mark.parametrize("address", ["http://127.0.0.1:5000", "http://localhost:8000", "signaalpunt.nl"])
def test_production_refuses_to_start_with_links_to_the_server_itself(address: str) -> None:
    """Posters, QR codes and mail links are made from PUBLIC_BASE_URL: the default points nowhere useful."""
    with pytest.raises(ConfigurationError, match="SIGNAALPUNT_PUBLIC_BASE_URL"):
        create_app({**PRODUCTION, "PUBLIC_BASE_URL": address})


def test_development_without_a_key_makes_a_random_one_and_keeps_it(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr("signaalpunt.PROJECT_ROOT", tmp_path)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    kept = tmp_path / "instance" / "secret_key"
    assert first.config["SECRET_KEY"] == kept.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600, "only the app's own user may read it"
    again = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"], "sessions survive a restart"
    kept.unlink()
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SIGNAALPUNT_SLA_WORKING_DAYS", "5")
    monkeypatch.setenv("SIGNAALPUNT_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    app = create_app()
    assert app.config["SLA_WORKING_DAYS"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.db"


def test_passwords_are_hashed_with_scrypt_by_default() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"


def test_statement_parameters_never_reach_an_error_message() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context(), pytest.raises(sa.exc.OperationalError) as failure:
        db.session.execute(sa.text("SELECT * FROM no_such_table WHERE name = :name"), {"name": "Geheime Naam"})
    assert "Geheime Naam" not in str(failure.value)
