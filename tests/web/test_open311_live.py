"""The partner API under gunicorn on loopback, spoken to by the example client a partner would copy."""

import runpy
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.extensions import db
from signaalpunt.signals.enums import Channel
from signaalpunt.signals.models import Signal
from tests.factories import make_api_key, make_area, make_partner
from tests.live_server import gunicorn_serving

pytestmark = pytest.mark.slow
CLIENT = runpy.run_path(str(Path(__file__).resolve().parents[2] / "scripts" / "open311_client.py"))


def test_the_example_client_reports_once_over_http_and_follows_the_status(app: Flask) -> None:
    make_area("Centrum", ((4531, 4532),))
    key = make_api_key(make_partner())
    with gunicorn_serving(app.config["SQLALCHEMY_DATABASE_URI"], workers=2) as server:
        base = f"{server.base}/open311/v2"
        where, what = "4531 AB 12", "De brievenbus puilt al twee weken uit."
        reference = CLIENT["report"](base, key, where, what, retry_key="koerier-7")
        assert CLIENT["report"](base, key, where, what, retry_key="koerier-7") == reference, "a retry, not a second"
        assert CLIENT["status_of"](base, reference) == "ontvangen"
        status, errors = CLIENT["call"](f"{base}/requests.json", {"api_key": "sp_nope", "service_code": "x"})
        assert (status, errors[0]["code"]) == (403, 403)
    db.session.expire_all()
    [signal] = db.session.scalars(sa.select(Signal)).all()
    assert (signal.reference, signal.channel, signal.house_number) == (reference, Channel.API, 12)
