"""Logging staff in through the real login page."""

import pyotp
import sqlalchemy as sa
from flask import Flask
from flask import session as flask_session

from signaalpunt.accounts.models import User
from signaalpunt.core.database import write_transaction
from signaalpunt.extensions import db
from signaalpunt.web.sessions import start_session
from tests.factories import PASSWORD
from tests.pages import Page, PageClient

# What a colleague reads on an invitation or reset link that was used or ran out.
EXPIRED_LINK = "Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."


def current_code(user: User) -> str:
    """What the colleague's authenticator app shows right now."""
    return pyotp.TOTP(user.totp_secret).now()


def login(pages: PageClient, user: User, password: str = PASSWORD, next_url: str | None = None) -> Page:
    """Password, then (when asked) the code from the authenticator app computed from the enrolled secret.

    A code is accepted once; tests log in more often than every 30 seconds, so each login here is as if
    the previous code's time had passed.
    """
    with write_transaction():
        db.session.execute(sa.update(User).where(User.id == user.id).values(totp_last_step=None))
    start = pages.get("/inloggen", query_string={"next": next_url} if next_url else None)
    page = pages.submit(start, {"email": user.email, "password": password}, follow_redirects=True)
    if page.response.request.path == "/inloggen/code":
        page = pages.submit(page, {"code": current_code(user)}, follow_redirects=True)
    return page


def logout(pages: PageClient) -> None:
    """The log-out button in the staff menu."""
    pages.submit(pages.get("/werk/"), selector="form[action='/uitloggen']")


def client_for(app: Flask, user: User) -> PageClient:
    """A separate browser, logged in as ``user``."""
    pages = PageClient(app.test_client())
    login(pages, user)
    return pages


def enrol_second_factor(pages: PageClient, page: Page) -> tuple[str, list[str], Page]:
    """On the enrolment page: read the key as a person types it over, confirm a code, keep the recovery codes."""
    secret = page.text_of("#totp-secret").replace(" ", "")
    codes_page = pages.submit(page, {"code": pyotp.TOTP(secret).now()}, follow_redirects=True)
    codes = [code.get_text(strip=True) for code in codes_page.soup.select("#recovery-codes code")]
    landing = pages.get(codes_page.one("main a.button")["href"])
    return secret, codes, landing


def session_contents(app: Flask, pages: PageClient) -> dict:
    """What the browser's session cookie holds: anyone can read it, so nothing secret may be in it."""
    cookie = pages.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def logged_in_directly(app: Flask, pages: PageClient, user: User) -> None:
    """Start the server-side session a finished login starts, without going through the login pages.

    For the access matrix, which logs in dozens of times; the login pages themselves are tested elsewhere.
    """
    with app.test_request_context():
        start_session(user)
        db.session.commit()
        started = dict(flask_session)
    with pages.client.session_transaction() as browser_session:
        browser_session.update(started)
