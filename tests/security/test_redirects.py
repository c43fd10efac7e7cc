"""Every redirect stays on this site, as a browser reads it; odd targets never give an error."""

from urllib.parse import urljoin, urlsplit

import pytest

from signaalpunt.accounts.enums import Role
from tests.conftest import Databases
from tests.factories import make_user
from tests.live_server import Browser, gunicorn_serving
from tests.pages import PageClient
from tests.staff import login, logout

SITE = "https://signaalpunt.example.nl/melden"
EVIL_PATHS = ["/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example", "/%5C/evil.example", "//evil.example"]
EVIL_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/werk/\r\nSet-Cookie: x=y",
    "javascript:alert(1)",
]


def as_a_browser_reads(location: str) -> str:
    """The host a browser goes to: it drops tabs and line breaks and reads a backslash as a slash."""
    cleaned = location.strip("\x00 ").replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    return urlsplit(urljoin(SITE, cleaned)).netloc


@pytest.mark.parametrize("path", EVIL_PATHS)
def test_the_language_switch_never_redirects_to_another_site(pages: PageClient, path: str) -> None:
    response = pages.client.get(f"{path}?taal=nl")
    # The switch itself never redirects; werkzeug's own slash redirect (308, for "//…") must stay on this site.
    assert response.status_code != 302
    if response.status_code in range(300, 400):
        assert as_a_browser_reads(response.headers["Location"]) == "signaalpunt.example.nl", response.headers[
            "Location"
        ]


@pytest.mark.slow
def test_the_language_switch_stays_on_this_site_under_gunicorn(databases: Databases, tmp_path) -> None:
    """gunicorn hands the app the path undecoded differently from the test client: try the real thing."""
    with gunicorn_serving(databases.fresh(tmp_path), workers=1) as server:
        for path in EVIL_PATHS:
            status, _body, location = Browser(server.base).get(f"{path}?taal=nl")
            assert status != 302, path
            if status in range(300, 400):
                assert as_a_browser_reads(location) == "signaalpunt.example.nl", (path, location)


def test_login_never_returns_to_another_site_nor_fails_on_an_odd_target(pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    for target in EVIL_NEXT:
        page = login(pages, user, next_url=target)
        assert page.status_code == 200
        assert page.response.request.path == "/werk/", target
        logout(pages)


def test_the_trailing_slash_redirect_does_not_echo_the_host(pages: PageClient) -> None:
    response = pages.client.get("/werk", headers={"Host": "evil.example"})
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == "/werk/"


def test_a_wrong_method_says_which_methods_are_allowed(pages: PageClient) -> None:
    response = pages.client.put("/melden")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
