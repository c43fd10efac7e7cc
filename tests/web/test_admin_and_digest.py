"""Admins manage areas and colleagues; coordinators get the overdue digest; admins see who opened a signal."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import invite_user
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area
from tests.factories import make_signal, make_user, organisation
from tests.pages import PageClient
from tests.staff import client_for, login


def test_admin_defines_an_area_and_new_signals_get_it(app: Flask, pages: PageClient) -> None:
    worker = make_user(Role.WORKER, name="Sanne de Vries")
    login(pages, make_user(Role.ADMIN))
    form = pages.get("/beheer/werkgebieden")
    bad = pages.submit(form, {"name": "Centrum", "ranges": "4531-4536, 45x8", "workers": [str(worker.id)]})
    assert "Deze postcodes kunnen wij niet lezen: 45x8." in bad.field_error("ranges")
    assert bad.form_values()["name"] == "Centrum"
    assert bad.form_values()["workers"] == str(worker.id)

    done = pages.submit(bad, {"ranges": "4531-4536, 4538"}, follow_redirects=True)
    assert "Werkgebied Centrum is opgeslagen." in done.text
    assert "4531-4536, 4538" in done.text
    area = db.session.scalar(sa.select(Area))
    assert [w.name for w in area.workers] == ["Sanne de Vries"]

    assert make_signal(postcode="4538 AA").area == area
    assert make_signal(postcode="4537 AA").outside_area


def test_admin_changes_a_role_and_deactivates_but_not_themselves(app: Flask, pages: PageClient) -> None:
    admin = make_user(Role.ADMIN)
    colleague = make_user(Role.WORKER)
    login(pages, admin)
    page = pages.submit(pages.get(f"/beheer/gebruikers/{colleague.id}"), {"role": "coordinator", "active": ""})
    assert page.status_code == 303
    db.session.expire_all()
    changed = db.session.get(User, colleague.id)
    assert (changed.role, changed.active) == (Role.COORDINATOR, False)

    own = pages.submit(pages.get(f"/beheer/gebruikers/{admin.id}"), {"role": "worker"})
    assert "U kunt uw eigen beheerdersrechten niet intrekken." in own.text
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == Role.ADMIN


def test_digest_lists_overdue_signals_for_each_coordinator(app: Flask, runner: FlaskCliRunner) -> None:
    coordinator = make_user(Role.COORDINATOR, email="regie@example.nl")
    make_user(Role.COORDINATOR, email="weg@example.nl", active=False)
    late = make_signal(person_name="Mevrouw Geheim")
    on_time = make_signal()
    late.due_at = utcnow() - timedelta(days=1)
    db.session.commit()

    result = runner.invoke(args=["signaalpunt", "digest"])

    assert "Digest queued for 1 coordinators." in result.output
    [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.recipient == coordinator.email
    assert late.reference in mail.body_text
    assert f"https://signaalpunt.example.nl/werk/meldingen/{late.reference}" in mail.body_text
    assert on_time.reference not in mail.body_text
    assert "Geheim" not in mail.body_text and "4531" not in mail.body_text


def test_digest_lists_urgent_signals_first(app: Flask, runner: FlaskCliRunner) -> None:
    make_user(Role.COORDINATOR, email="regie@example.nl")
    oldest, urgent = make_signal(), make_signal()
    oldest.due_at = utcnow() - timedelta(days=5)
    urgent.due_at, urgent.urgent = utcnow() - timedelta(hours=2), True
    db.session.commit()

    runner.invoke(args=["signaalpunt", "digest"])

    [mail] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.subject.contains("termijn"))).all()
    assert mail.body_text.index(urgent.reference) < mail.body_text.index(oldest.reference)


def test_every_view_of_a_signal_page_is_logged_and_shown_to_admins(app: Flask) -> None:
    signal = make_signal()
    coordinator = client_for(app, make_user(Role.COORDINATOR, name="Fatima El Amrani"))
    coordinator.get(f"/werk/meldingen/{signal.reference}")
    coordinator.get(f"/werk/meldingen/{signal.reference}")
    assert "Bekeken door" not in coordinator.get(f"/werk/meldingen/{signal.reference}").text

    admin_page = client_for(app, make_user(Role.ADMIN, name="Bram Beheer")).get(f"/werk/meldingen/{signal.reference}")
    views = admin_page.text_of("#views-heading + ul")
    assert views.count("Fatima El Amrani") == 3
    assert "Bram Beheer" in views


def test_a_coordinator_invites_a_social_worker_to_her_own_team(app: Flask) -> None:
    coordinator = client_for(app, make_user(Role.COORDINATOR, name="Fatima El Amrani"))
    page = coordinator.get("/beheer/collegas")
    assert page.soup.select("input[name='role']") == [], "roles stay the administrator's"

    done = coordinator.submit(page, {"name": "Nieuwe Werker", "email": "werker@example.nl"}, follow_redirects=True)

    assert "Nieuwe Werker is uitgenodigd per e-mail." in done.text
    invited = db.session.scalar(sa.select(User).where(User.email == "werker@example.nl"))
    assert (invited.role, invited.organisation_id) == (Role.WORKER, organisation().id)
    assert db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "werker@example.nl"))
    assert "Nieuwe Werker" in done.text_of("table")
    worker = client_for(app, make_user(Role.WORKER))
    assert worker.client.get("/beheer/collegas").status_code == 403


def test_a_coordinator_cannot_invite_another_role_even_by_calling_the_service(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    with pytest.raises(DomainError, match="alleen maatschappelijk werkers"):
        invite_user(organisation(), "baas@example.nl", "Baas", Role.ADMIN, coordinator)
