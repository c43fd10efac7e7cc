"""Every staff URL for every role, and for someone not logged in: allowed, or refused."""

import pytest
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from tests.factories import make_area, make_signal, make_user
from tests.pages import PageClient
from tests.staff import logged_in_directly, login

ANONYMOUS = None
OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# url template → expected status for anonymous, viewer, worker, coordinator, admin
MATRIX = {
    "/werk/": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/werk/mijn": (LOGIN, FORBIDDEN, OK, OK, OK),
    "/werk/telefonische-melding": (LOGIN, FORBIDDEN, OK, OK, FORBIDDEN),
    "/werk/meldingen/{reference}": (LOGIN, FORBIDDEN, NOT_FOUND, OK, OK),
    "/werk/meldingen/{reference}/inzage": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "/cijfers/": (LOGIN, OK, FORBIDDEN, OK, OK),
    "/cijfers/rapport": (LOGIN, OK, FORBIDDEN, OK, OK),
    "/cijfers/export.csv": (LOGIN, OK, FORBIDDEN, OK, OK),
    "/beheer/partners": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "/beheer/partners/{partner_id}": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "/beheer/partners/{partner_id}/poster": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "/beheer/audit": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "/beheer/gebruikers": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "/beheer/gebruikers/{user_id}": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "/beheer/werkgebieden": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "/beheer/werkgebieden/{area_id}": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
}
ROLES = (ANONYMOUS, Role.VIEWER, Role.WORKER, Role.COORDINATOR, Role.ADMIN)


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    [(url, role, statuses[index]) for url, statuses in MATRIX.items() for index, role in enumerate(ROLES)],
    ids=lambda value: getattr(value, "value", str(value)),
)
def test_staff_url_is_allowed_or_refused(
    app: Flask, pages: PageClient, url: str, role: Role | None, expected: int
) -> None:
    centrum = make_area("Centrum", ((4531, 4532),))
    noord = make_area("Noord", ((4533, 4535),))
    signal = make_signal(postcode="4531 AB")
    colleague = make_user(Role.WORKER, areas=(centrum,))
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="other")
    db.session.add(partner)
    db.session.commit()
    if role is not None:
        # The worker covers another area, so this signal is not hers to see.
        logged_in_directly(app, pages, make_user(role, areas=(noord,) if role == Role.WORKER else ()))
    response = pages.client.get(
        url.format(reference=signal.reference, user_id=colleague.id, area_id=centrum.id, partner_id=partner.id)
    )
    assert response.status_code == expected
    if expected == LOGIN:
        assert response.headers["Location"].startswith("/inloggen")
    if expected == OK and "{reference}" not in url and role in (Role.VIEWER, Role.WORKER):
        assert signal.reference not in response.get_data(as_text=True)


def test_worker_sees_new_signals_in_her_area_and_her_own_only(app: Flask, pages: PageClient) -> None:
    centrum = make_area("Centrum", ((4531, 4532),))
    worker = make_user(Role.WORKER, areas=(centrum,))
    in_area = make_signal(postcode="4531 AB")
    elsewhere = make_signal(postcode="4533 CD")
    outside = make_signal(postcode="9999 ZZ")
    login(pages, worker)
    board = pages.get("/werk/")
    assert in_area.reference in board.text
    assert elsewhere.reference not in board.text
    assert outside.reference not in board.text
    assert pages.client.get(f"/werk/meldingen/{in_area.reference}").status_code == OK
    assert pages.client.get(f"/werk/meldingen/{elsewhere.reference}").status_code == NOT_FOUND
