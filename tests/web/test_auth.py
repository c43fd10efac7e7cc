"""Staff log in, out, and accept an invitation; nothing tells a stranger which accounts exist."""

from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User, UserToken
from signaalpunt.core.clock import utcnow
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from tests.factories import PASSWORD, make_user
from tests.pages import PageClient
from tests.staff import EXPIRED_LINK, enrol_second_factor, login, logout

WRONG = "Het e-mailadres of het wachtwoord klopt niet."


@pytest.mark.parametrize(
    ("role", "landing", "heading"),
    [
        (Role.COORDINATOR, "/werk/", "Werkvoorraad"),
        (Role.ADMIN, "/werk/", "Werkvoorraad"),
        (Role.WORKER, "/werk/mijn", "Mijn signalen"),
        (Role.VIEWER, "/cijfers/", "Cijfers"),
    ],
)
def test_each_role_lands_on_its_own_page(pages: PageClient, role: Role, landing: str, heading: str) -> None:
    user = make_user(role, name="Fatima El Amrani")
    page = login(pages, user)
    assert page.response.request.path == landing
    assert page.text_of("h1") == heading
    assert "Uitloggen (Fatima El Amrani)" in page.text


def test_wrong_password_and_unknown_account_get_the_same_answer(pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    wrong_password = login(pages, user, password="niet het goede wachtwoord")
    unknown = pages.submit(pages.get("/inloggen"), {"email": "niemand@example.nl", "password": PASSWORD})
    for page in (wrong_password, unknown):
        assert page.field_error("password") == f"Fout: {WRONG}"
        assert page.title.startswith("Fout: ")
    assert wrong_password.form_values()["email"] == user.email


def test_deactivated_account_cannot_log_in(pages: PageClient) -> None:
    user = make_user(Role.WORKER, active=False)
    page = login(pages, user)
    assert page.field_error("password") == f"Fout: {WRONG}"


def test_staff_pages_send_anonymous_visitors_to_login(pages: PageClient) -> None:
    page = pages.get("/werk/", follow_redirects=True)
    assert page.response.request.path == "/inloggen"
    assert "Log in om deze pagina te zien." in page.text


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    assert login(pages, user, next_url="/werk/mijn").response.request.path == "/werk/mijn"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        logout(pages)
        assert login(pages, user, next_url=evil).response.request.path == "/werk/", evil


def test_logout_ends_the_session(pages: PageClient) -> None:
    login(pages, make_user(Role.COORDINATOR))
    board = pages.get("/werk/")
    page = pages.submit(board, selector=".inline-form", follow_redirects=True)
    assert "U bent uitgelogd." in page.text
    assert pages.client.get("/werk/").status_code == 302


def invite(pages: PageClient, email: str = "nieuw@example.nl") -> str:
    """An admin invites a colleague; returns the link from the queued e-mail."""
    login(pages, make_user(Role.ADMIN))
    page = pages.submit(
        pages.get("/beheer/gebruikers"),
        {"name": "Nieuwe Collega", "email": email, "role": "worker"},
        follow_redirects=True,
    )
    assert "Nieuwe Collega is uitgenodigd per e-mail." in page.text
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == email))
    assert message is not None
    link = next(word for word in message.body_text.split() if "/wachtwoord-kiezen/" in word)
    return link.removeprefix("https://signaalpunt.example.nl")


def test_invited_colleague_sets_a_password_once_and_logs_in(pages: PageClient, app: Flask) -> None:
    path = invite(pages)
    newcomer = PageClient(app.test_client())
    form = newcomer.get(path)
    assert "Welkom, Nieuwe Collega." in form.text

    too_short = newcomer.submit(form, {"password": "kort", "confirm": "kort"})
    assert too_short.field_error("password") == "Fout: Kies een wachtwoord van minstens 12 tekens."
    guessable = newcomer.submit(form, {"password": "Welkom123456", "confirm": "Welkom123456"})
    assert "Dit wachtwoord is te makkelijk te raden." in guessable.field_error("password")
    mismatch = newcomer.submit(form, {"password": PASSWORD, "confirm": PASSWORD + "x"})
    assert mismatch.field_error("confirm") == "Fout: De wachtwoorden verschillen"

    # Straight on to the second factor: the password just chosen is not asked again.
    enrolment = newcomer.submit(form, {"password": PASSWORD, "confirm": PASSWORD}, follow_redirects=True)
    assert enrolment.response.request.path == "/inloggen/tweede-stap-instellen"
    assert "Uw wachtwoord is ingesteld. Stel nu de tweede stap in." in enrolment.text
    assert enrolment.text_of("h1") == "Tweede stap instellen"
    used = PageClient(app.test_client()).get(path)
    assert (used.status_code, used.text_of("#link-expired")) == (404, EXPIRED_LINK), "the link works only once"
    assert used.one("main a")["href"] == "/wachtwoord-vergeten"

    _secret, codes, landing = enrol_second_factor(newcomer, enrolment)
    assert len(codes) == 10
    assert landing.text_of("h1") == "Mijn signalen"


def test_invited_colleague_cannot_log_in_before_choosing_a_password(pages: PageClient, app: Flask) -> None:
    invite(pages)
    stranger = PageClient(app.test_client())
    page = stranger.submit(stranger.get("/inloggen"), {"email": "nieuw@example.nl", "password": ""})
    assert page.field_error("password") == "Fout: Vul uw wachtwoord in"


def test_expired_invitation_link_is_refused(pages: PageClient, app: Flask) -> None:
    path = invite(pages)
    for token in db.session.scalars(sa.select(UserToken)):
        token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = PageClient(app.test_client()).get(path)
    assert (expired.status_code, expired.text_of("#link-expired")) == (404, EXPIRED_LINK)


def test_invitation_for_an_existing_address_is_refused(pages: PageClient) -> None:
    existing = make_user(Role.WORKER, email="bestaat@example.nl")
    login(pages, make_user(Role.ADMIN))
    page = pages.submit(pages.get("/beheer/gebruikers"), {"name": "Dubbel", "email": existing.email, "role": "worker"})
    assert page.field_error("email") == "Fout: Er is al een account met dit e-mailadres."


def test_create_user_command_makes_the_first_admin(runner: FlaskCliRunner, pages: PageClient) -> None:
    result = runner.invoke(
        args=["signaalpunt", "create-user", "--email", "Beheer@Example.nl", "--name", "Bram", "--role", "admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(sa.select(User).where(User.email == "beheer@example.nl"))
    assert admin.role == Role.ADMIN
    assert admin.password_hash.startswith("pbkdf2:") and PASSWORD not in admin.password_hash
    _secret, _codes, landing = enrol_second_factor(pages, login(pages, admin))
    assert landing.text_of("h1") == "Werkvoorraad"


def test_create_user_refuses_a_short_password(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["signaalpunt", "create-user", "--email", "a@example.nl", "--name", "A"], input="kort\nkort\n"
    )
    assert result.exit_code != 0
    assert "minstens 12 tekens" in result.output


def test_enrolment_on_a_phone_opens_the_app_and_shows_the_key_in_whole_groups(pages: PageClient, app: Flask) -> None:
    enrolment = login(pages, make_user(Role.WORKER, totp_secret=None))
    link = enrolment.one("a[href^='otpauth://totp/']")["href"]
    groups = [group.get_text() for group in enrolment.soup.select("#totp-secret .secret__group")]
    assert all(len(group) == 4 for group in groups[:-1]) and groups[-1]
    assert f"secret={''.join(groups)}" in link
    assert "herstelcode" not in enrolment.text.lower(), "there are no recovery codes yet"

    _secret, codes, _landing = enrol_second_factor(pages, enrolment)
    assert len(codes) == 10


def test_the_recovery_codes_can_be_printed_without_the_menus(pages: PageClient, app: Flask) -> None:
    enrolment = login(pages, make_user(Role.WORKER, totp_secret=None))
    secret = enrolment.text_of("#totp-secret").replace(" ", "")
    codes_page = pages.submit(enrolment, {"code": pyotp.TOTP(secret).now()})
    assert codes_page.one("button[data-print]").get_text(strip=True) == "Afdrukken"
    assert codes_page.one("script[src*='/forms.js']")
    assert "no-print" in codes_page.one("p:has(button[data-print])")["class"]
