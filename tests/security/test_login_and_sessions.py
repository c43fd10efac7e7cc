"""Second factor, lockout, rate limits and sessions that really end."""

from datetime import UTC, timedelta

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent, PasswordResetRequest, RecoveryCode, User, UserSession
from signaalpunt.accounts.service import send_requested_reset_links, set_password
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.models import OutboxMessage, RateLimitWindow
from signaalpunt.extensions import db
from tests.factories import PASSWORD, make_user
from tests.pages import Page, PageClient
from tests.staff import EXPIRED_LINK, current_code, enrol_second_factor, login, logout, session_contents

LOCKED = "Te veel mislukte pogingen. Wacht 15 minuten en probeer het dan opnieuw."
WRONG = "Het e-mailadres of het wachtwoord klopt niet."


def password_step(pages: PageClient, email: str, password: str) -> Page:
    return pages.submit(pages.get("/inloggen"), {"email": email, "password": password}, follow_redirects=True)


def test_password_alone_does_not_log_in(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    page = password_step(pages, user.email, PASSWORD)
    assert page.response.request.path == "/inloggen/code"
    assert pages.client.get("/werk/").status_code == 302
    wrong = pages.submit(page, {"code": "000000"})
    assert "Deze code klopt niet." in wrong.field_error("code")
    assert pages.client.get("/werk/").status_code == 302
    done = pages.submit(wrong, {"code": current_code(user)}, follow_redirects=True)
    assert done.text_of("h1") == "Werkvoorraad"


def test_enrolment_shows_a_qr_code_and_the_key_and_recovery_codes_work_once(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.WORKER, totp_secret=None)
    enrolment = password_step(pages, user.email, PASSWORD)
    assert enrolment.text_of("h1") == "Tweede stap instellen"
    assert enrolment.one(".qr svg").find("path") is not None
    assert all(tag.name != "img" for tag in enrolment.soup.select(".qr *")), "no image from another server"
    secret, codes, landing = enrol_second_factor(pages, enrolment)
    assert landing.text_of("h1") == "Mijn signalen"
    assert len(codes) == len(set(codes)) == 10
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored), "stored hashed"
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    kept = session_contents(app, pages)
    assert secret not in str(kept) and not any(code in str(kept) for code in codes), "nothing secret in the cookie"
    assert not any(code in landing.text for code in codes), "codes are shown only once"

    logout(pages)
    page = password_step(pages, user.email, PASSWORD)
    assert pages.submit(page, {"code": codes[0]}, follow_redirects=True).text_of("h1") == "Mijn signalen"
    logout(pages)
    page = password_step(pages, user.email, PASSWORD)
    assert "Deze code klopt niet." in pages.submit(page, {"code": codes[0]}).field_error("code")


def test_enrolment_refuses_a_wrong_code(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.WORKER, totp_secret=None)
    page = pages.submit(password_step(pages, user.email, PASSWORD), {"code": "123456"})
    assert "Deze code klopt niet." in page.field_error("code")
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None


def test_account_locks_after_five_failures_without_revealing_it_exists(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    for email in (user.email, "bestaat-niet@example.nl"):
        for _ in range(5):
            assert WRONG in password_step(pages, email, "verkeerd wachtwoord").field_error("password")
        assert LOCKED in password_step(pages, email, PASSWORD).field_error("password")
    assert pages.client.get("/werk/").status_code == 302

    lockout_period_passes()
    assert login(pages, user).text_of("h1") == "Werkvoorraad", "after the lockout period the right password works"


def lockout_period_passes() -> None:
    db.session.execute(sa.update(RateLimitWindow).values(expires_at=0))
    db.session.commit()


def test_failures_from_elsewhere_do_not_lock_a_colleague_out(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    attacker = PageClient(app.test_client())
    attacker.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(8):
        password_step(attacker, user.email, "verkeerd wachtwoord")
    assert LOCKED in password_step(attacker, user.email, PASSWORD).field_error("password"), "locked there"
    assert login(pages, user).text_of("h1") == "Werkvoorraad", "she logs in from her own address"


@pytest.mark.parametrize("app_config", [{"LOGIN_ACCOUNT_MAX_FAILURES": 12}])
def test_guessing_from_many_addresses_is_throttled_per_account(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    for number in range(4):
        guesser = PageClient(app.test_client())
        guesser.client.environ_base["REMOTE_ADDR"] = f"203.0.113.{number}"
        for _ in range(3):
            assert WRONG in password_step(guesser, user.email, "verkeerd wachtwoord").field_error("password")
    assert LOCKED in password_step(pages, user.email, PASSWORD).field_error("password")
    lockout_period_passes()
    assert login(pages, user).text_of("h1") == "Werkvoorraad"


def test_a_locked_code_step_is_refused_and_audited(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    page = password_step(pages, user.email, PASSWORD)
    for _ in range(4):
        page = pages.submit(page, {"code": "000000"})
    assert "Te veel mislukte pogingen." in pages.submit(page, {"code": current_code(user)}).field_error("code")
    results = db.session.scalars(sa.select(AuditEvent.result).where(AuditEvent.action == "login.code")).all()
    assert results == ["failed"] * 4 + ["refused"]


def test_every_login_attempt_is_logged_without_the_password(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    password_step(pages, user.email, "verkeerd wachtwoord")
    login(pages, user)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.startswith("login"))).all()
    assert [(e.action, e.result, e.object_key) for e in events] == [
        ("login", "failed", user.email),
        ("login", "ok", user.email),
    ]
    assert all(e.origin == "127.0.0.1" for e in events)
    dump = " ".join(str(row) for row in db.session.execute(sa.text("SELECT * FROM audit_events")).all())
    assert "verkeerd" not in dump and PASSWORD not in dump


def session_cookie(pages: PageClient) -> str:
    return pages.client.get_cookie("session").value


def test_login_starts_a_new_session_and_logout_ends_it_on_the_server(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    pages.get("/inloggen")
    before = session_cookie(pages)
    login(pages, user)
    copied = session_cookie(pages)
    assert copied != before
    logout(pages)

    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/werk/").status_code == 302, "a copied cookie is useless after logout"
    assert db.session.scalar(sa.select(UserSession.ended_at)) is not None


def test_deactivation_ends_the_colleagues_session(app: Flask, pages: PageClient) -> None:
    worker = make_user(Role.WORKER)
    login(pages, worker)
    assert pages.client.get("/werk/mijn").status_code == 200
    admin = PageClient(app.test_client())
    login(admin, make_user(Role.ADMIN))
    admin.submit(admin.get(f"/beheer/gebruikers/{worker.id}"), {"role": "worker", "active": ""})
    assert pages.client.get("/werk/mijn").status_code == 302


@pytest.mark.parametrize(
    ("field", "age"), [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=13))]
)
def test_idle_and_absolute_time_outs(app: Flask, pages: PageClient, field: str, age: timedelta) -> None:
    login(pages, make_user(Role.COORDINATOR))
    db.session.execute(sa.update(UserSession).values({field: utcnow() - age}))
    db.session.commit()
    page = pages.get("/werk/", follow_redirects=True)
    assert page.response.request.path == "/inloggen"
    assert "U was een tijd niet actief en bent uitgelogd." in page.text


def test_password_reset_link_works_once_within_an_hour_and_reveals_nothing(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.WORKER)
    answers = []
    for email in (user.email, "niemand@example.nl"):
        page = pages.submit(pages.get("/wachtwoord-vergeten"), {"email": email}, follow_redirects=True)
        answers.append(page.text_of(".notice"))
    assert answers[0] == answers[1]
    assert db.session.scalars(sa.select(OutboxMessage)).all() == [], "the mail worker sends the link"
    assert send_requested_reset_links() == 1
    assert db.session.scalars(sa.select(PasswordResetRequest)).all() == [], "no typed address is kept"
    [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.recipient == user.email
    path = next(w for w in mail.body_text.split() if "/wachtwoord-herstellen/" in w).removeprefix(
        "https://signaalpunt.example.nl"
    )
    new_password = "nieuwe fiets onder de brug"
    done = pages.submit(pages.get(path), {"password": new_password, "confirm": new_password}, follow_redirects=True)
    assert "Uw wachtwoord is ingesteld." in done.text
    used = pages.get(path)
    assert (used.status_code, used.text_of("#link-expired")) == (404, EXPIRED_LINK)
    assert login(pages, user, password=new_password).text_of("h1") == "Mijn signalen"

    pages.submit(pages.get("/wachtwoord-vergeten"), {"email": user.email})
    send_requested_reset_links()
    db.session.execute(sa.text("UPDATE user_tokens SET expires_at = :t WHERE used_at IS NULL"), {"t": utcnow()})
    db.session.commit()
    mail = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    expired = next(w for w in mail.body_text.split() if "/wachtwoord-herstellen/" in w)
    page = pages.get(expired.removeprefix("https://signaalpunt.example.nl"))
    assert (page.status_code, page.text_of("#link-expired")) == (404, EXPIRED_LINK)


def reset_link(pages: PageClient, email: str) -> str:
    """Ask for a reset link and read it from the mail the worker queues."""
    pages.submit(pages.get("/wachtwoord-vergeten"), {"email": email})
    send_requested_reset_links()
    mail = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    link = next(word for word in mail.body_text.split() if "/wachtwoord-herstellen/" in word)
    return link.removeprefix("https://signaalpunt.example.nl")


def test_a_new_reset_link_or_a_new_password_makes_every_older_link_worthless(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.WORKER)
    first, second = reset_link(pages, user.email), reset_link(pages, user.email)
    assert pages.get(first).status_code == 404, "only the newest link works"
    assert pages.get(second).status_code == 200
    third = reset_link(pages, user.email)
    new_password = "nieuwe fiets onder de brug"
    pages.submit(pages.get(third), {"password": new_password, "confirm": new_password})
    assert pages.get(second).status_code == 404
    fourth = reset_link(pages, user.email)
    with write_transaction():
        set_password(db.session.get(User, user.id), "paars konijn eet stille soep")
    assert pages.get(fourth).status_code == 404, "a password changed any other way ends the links too"


def test_asking_for_a_reset_does_the_same_work_for_any_address(app: Flask, pages: PageClient) -> None:
    """So the time it takes tells nothing: the same statements for an account and for an unknown address."""
    user = make_user(Role.WORKER)
    statements: list[list[str]] = []
    for email in (user.email, "niemand@example.nl"):
        form = pages.get("/wachtwoord-vergeten")
        seen: list[str] = []

        def listen(_connection, _cursor, sql, *_rest, seen=seen) -> None:
            seen.append(sql)

        sa.event.listen(db.engine, "before_cursor_execute", listen)
        pages.submit(form, {"email": email})
        sa.event.remove(db.engine, "before_cursor_execute", listen)
        statements.append(seen)
    assert statements[0] == statements[1]
    assert not any("users" in sql for sql in statements[0]), "no account is looked up on the request path"


def test_totp_codes_are_real_and_allow_one_step_of_drift() -> None:
    from signaalpunt.accounts.twofactor import matching_step

    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = utcnow().replace(tzinfo=UTC)
    assert matching_step(secret, totp.at(now)) == totp.timecode(now)
    assert matching_step(secret, totp.at(now - timedelta(seconds=30))) == totp.timecode(now) - 1
    assert matching_step(secret, totp.at(now - timedelta(minutes=5))) is None
    assert matching_step(secret, "12345") is None
    assert matching_step(secret, "١٢٣٤٥٦") is None, "only the digits an app shows"


def test_a_code_logs_in_once_and_is_refused_when_replayed(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    code = current_code(user)
    page = password_step(pages, user.email, PASSWORD)
    assert pages.submit(page, {"code": code}, follow_redirects=True).text_of("h1") == "Werkvoorraad"
    logout(pages)
    for _attempt in range(2):
        page = password_step(pages, user.email, PASSWORD)
        replayed = pages.submit(page, {"code": code})
        assert "Deze code klopt niet." in replayed.field_error("code")
        assert pages.client.get("/werk/").status_code == 302, "not logged in"
    earlier = pyotp.TOTP(user.totp_secret).at(utcnow().replace(tzinfo=UTC) - timedelta(seconds=30))
    assert "Deze code klopt niet." in pages.submit(page, {"code": earlier}).field_error("code"), "nor an older one"


def test_a_forged_cookie_cannot_skip_the_password_or_enrol_an_authenticator(app: Flask, pages: PageClient) -> None:
    """Even with the signing key, a cookie can only name a password check the server made and still holds."""
    user = make_user(Role.ADMIN, totp_secret=None)
    serializer = app.session_interface.get_signing_serializer(app)
    forged = {"pending_user_id": user.id, "pending_since": utcnow().isoformat(), "pending_login": "made-up"}
    pages.client.set_cookie("session", serializer.dumps(forged))
    for path in ("/inloggen/tweede-stap-instellen", "/inloggen/code"):
        response = pages.client.get(path)
        assert (response.status_code, response.location) == (302, "/inloggen")
        secret = pyotp.random_base32()
        response = pages.client.post(path, data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None


def test_the_secret_being_enrolled_stays_on_the_server(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.WORKER, totp_secret=None)
    enrolment = password_step(pages, user.email, PASSWORD)
    secret = enrolment.text_of("#totp-secret").replace(" ", "")
    assert secret not in str(session_contents(app, pages))
    again = pages.get("/inloggen/tweede-stap-instellen")
    assert again.text_of("#totp-secret").replace(" ", "") == secret, "the same key while enrolling"


def test_a_wrong_code_at_enrolment_is_audited(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.WORKER, totp_secret=None)
    enrolment = password_step(pages, user.email, PASSWORD)
    pages.submit(enrolment, {"code": "000000"})
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login.enrol")).all()
    assert [(event.result, event.actor_id) for event in events] == [("failed", user.id)]
