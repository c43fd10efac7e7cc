"""Partners: added and edited by coordinators and admins; deactivating keeps their history."""

import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from tests.factories import make_signal, make_user, organisation
from tests.pages import PageClient
from tests.staff import client_for


def test_partner_is_added_with_its_link_and_appears_on_the_form(app: Flask, pages: PageClient) -> None:
    admin = client_for(app, make_user(Role.ADMIN))
    form = admin.get("/beheer/partners")
    bad = admin.submit(form, {"name": "Snelpakket", "slug": "Snel Pakket!", "kind": "parcel_carrier", "active": "y"})
    assert "Gebruik voor de korte naam kleine letters" in bad.field_error("slug")
    assert bad.form_values()["name"] == "Snelpakket"
    done = admin.submit(bad, {"slug": "snelpakket"}, follow_redirects=True)
    assert "Partner Snelpakket is opgeslagen." in done.text
    assert "https://signaalpunt.example.nl/melden?via=snelpakket" in done.text
    assert pages.get("/melden?via=snelpakket").form_values()["partner"] == "snelpakket"

    taken = admin.submit(admin.get("/beheer/partners"), {"name": "Ander", "slug": "snelpakket", "kind": "other"})
    assert "Deze korte naam is al in gebruik." in taken.field_error("slug")


def test_deactivated_partner_leaves_the_form_but_keeps_its_signals(app: Flask, pages: PageClient) -> None:
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    signal = make_signal(partner_slug="snelpakket")
    region = client_for(app, make_user(Role.REGION_ADMIN))
    page = region.get(f"/beheer/partners/{partner.id}")
    region.submit(page, {"active": ""}, follow_redirects=True)
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).active is False
    assert "Snelpakket" not in pages.get("/melden").text_of("#partner")
    assert pages.get("/melden?via=snelpakket").form_values()["partner"] == ""
    assert db.session.scalar(
        sa.select(sa.func.count()).where(sa.column("partner_id") == partner.id).select_from(sa.table("signals"))
    )
    assert "Snelpakket" in coordinator.get(f"/werk/meldingen/{signal.reference}").text


def test_poster_page_has_the_qr_code_and_two_lines_on_what_to_look_out_for(app: Flask) -> None:
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    page = client_for(app, make_user(Role.COORDINATOR)).get(f"/beheer/partners/{partner.id}/poster")
    assert page.one(".poster__qr svg")
    assert "Post die zich opstapelt, gordijnen die dicht blijven" in page.text
    assert "https://signaalpunt.example.nl/melden?via=snelpakket" in page.text
    assert page.text_of(".poster__danger") == "Is iemand in acuut gevaar? Bel 112."


def test_the_poster_carries_the_phone_number_of_the_team_that_prints_it(app: Flask) -> None:
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    team = organisation()
    team.phone = "0115 123 456"
    db.session.commit()
    page = client_for(app, make_user(Role.COORDINATOR)).get(f"/beheer/partners/{partner.id}/poster")
    assert page.text_of(".poster__phone") == f"Liever bellen? {team.name}: 0115 123 456"
