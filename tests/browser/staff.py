"""Logging staff in through the real login pages in the browser."""

import pyotp
from playwright.sync_api import Page

from signaalpunt.models import User
from tests.factories import PASSWORD


def browser_login(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app, of een herstelcode").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)
