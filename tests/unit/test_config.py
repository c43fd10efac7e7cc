import pytest

from signaalpunt import create_app
from signaalpunt.config import ConfigurationError


def test_production_refuses_the_development_secret_key(tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENVIRONMENT": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_a_short_secret_key(tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENVIRONMENT": "production", "SECRET_KEY": "short"})


def test_production_starts_with_a_real_secret_key(tmp_path) -> None:
    app = create_app({"ENVIRONMENT": "production", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["ENVIRONMENT"] == "production"


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SIGNAALPUNT_SLA_WORKING_DAYS", "5")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    app = create_app()
    assert app.config["SLA_WORKING_DAYS"] == 5
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.db"


def test_passwords_are_hashed_with_scrypt_by_default() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
