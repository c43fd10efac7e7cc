"""Logging staff in through the real login pages in the browser, in whatever language the page is in."""

import pyotp
import sqlalchemy as sa
from playwright.sync_api import Page

from signaalpunt.accounts.models import User
from signaalpunt.core.database import write_transaction
from signaalpunt.extensions import db
from tests.factories import PASSWORD


def browser_login(page: Page, base: str, user: User) -> None:
    """As ``tests.staff.login``: each login is as if the previous code's 30 seconds had passed."""
    with write_transaction():
        db.session.execute(sa.update(User).where(User.id == user.id).values(totp_last_step=None))
    page.goto(f"{base}/inloggen")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.locator("#code").fill(pyotp.TOTP(user.totp_secret).now())
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)
