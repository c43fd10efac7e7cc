"""Login is rate-limited per IP address, on top of the per-account lockout."""

import pytest
from flask import Flask

from tests.pages import PageClient


@pytest.fixture
def app_config() -> dict:
    return {"LOGIN_RATE_LIMIT": "4 per minute"}


def test_login_is_rate_limited_per_address(app: Flask, pages: PageClient) -> None:
    statuses = [
        pages.client.post("/inloggen", data={**pages.get("/inloggen").form_values(), "email": "a@b.nl"}).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 429
