"""Logging staff in through the real login page."""

from flask import Flask

from signaalpunt.models import User
from tests.factories import PASSWORD
from tests.pages import Page, PageClient


def login(pages: PageClient, user: User, password: str = PASSWORD) -> Page:
    page = pages.get("/inloggen")
    return pages.submit(page, {"email": user.email, "password": password}, follow_redirects=True)


def client_for(app: Flask, user: User) -> PageClient:
    """A separate browser, logged in as ``user``."""
    pages = PageClient(app.test_client())
    login(pages, user)
    return pages
