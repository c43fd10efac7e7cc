"""Logging staff in through the real login pages in the browser, in whatever language the page is in."""

import pyotp
from playwright.sync_api import Page

from signaalpunt.models import User
from tests.factories import PASSWORD


def browser_login(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/inloggen")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.locator("#code").fill(pyotp.TOTP(user.totp_secret).now())
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)
