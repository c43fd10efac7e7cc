"""An installation of one team upgrades to a regional one without losing anything: run on SQLite and, in the
PostgreSQL run, on PostgreSQL, from the schema before the region (revision 0008) with data in it."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt import create_app
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.organisations.routing import destination
from signaalpunt.signals import tallies
from signaalpunt.signals.figures import Period, compute_figures, period_sums
from signaalpunt.signals.models import Signal, SignalTally
from signaalpunt.signals.search import matching_signal_ids
from tests.conftest import Databases, make_config

BEFORE_THE_REGION = "0008"
NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture
def old_installation(databases: Databases, tmp_path: Path) -> Iterator[Flask]:
    """A single-team installation at revision 0008 that set its own SLA and retention, with partners, areas
    (two of which overlapped, as that schema allowed), staff and signals."""
    url = databases.empty(tmp_path)
    app = create_app(make_config(url, SLA_WORKING_DAYS=2, SLA_URGENT_WORKING_DAYS=1, RETENTION_MONTHS=24))
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE_THE_REGION)
        statements = [
            "INSERT INTO partners (id, organisation_id, name, slug, kind, active, created_at) "
            "VALUES (7, 1, 'Snelpakket', 'snelpakket', 'parcel_carrier', true, :now)",
            "INSERT INTO areas (id, organisation_id, name) VALUES (3, 1, 'Centrum'), (4, 1, 'Noord')",
            "INSERT INTO area_ranges (area_id, first_pc4, last_pc4) VALUES (3, 4531, 4532), (4, 4532, 4535)",
            "INSERT INTO users (id, organisation_id, email, name, role, active, created_at) "
            "VALUES (5, 1, 'fatima@example.nl', 'Fatima', 'coordinator', true, :now)",
            "INSERT INTO signals (id, organisation_id, reference, version, status, channel, urgent, reporter_role, "
            "partner_id, postcode, pc4, house_number, area_id, description, person_aware, keep_informed, "
            "reporter_language, assignee_id, created_at, updated_at) VALUES (11, 1, 'SP-AAAA-BBBB', 1, 'assigned', "
            "'web', false, 'courier', 7, '4532 AB', '4532', 12, 3, 'Post stapelt zich op.', 'unknown', false, "
            "'nl', 5, :now, :now)",
        ]
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement), {"now": NOW})
        yield app
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def test_a_single_team_installation_becomes_the_regions_fallback_team_with_nothing_lost(
    old_installation: Flask,
) -> None:
    flask_migrate.upgrade()
    team = db.session.get(Organisation, 1)
    assert team.is_fallback
    assert (team.sla_working_days, team.sla_urgent_working_days, team.retention_months) == (2, 1, 24)
    partner = db.session.get(Partner, 7)
    assert (partner.name, partner.slug, partner.active) == ("Snelpakket", "snelpakket", True)
    signal = db.session.get(Signal, 11)
    assert (signal.partner_id, signal.area_id, signal.assignee_id, signal.reference) == (7, 3, 5, "SP-AAAA-BBBB")
    assert signal.assignee.organisation_id == 1
    centrum, noord = db.session.get(Area, 3), db.session.get(Area, 4)
    # 4532 was in both; it stays with Centrum, which got its signals until now.
    assert (centrum.ranges_text, noord.ranges_text) == ("4531-4532", "4533-4535")
    assert destination("4532").area_id == 3
    assert destination("4539").organisation_id == 1
    # The running totals are filled from the signals the installation already had.
    figures = compute_figures(period_sums((1,), Period(NOW.date(), NOW.date()), None), NOW, with_staff=False)
    assert (figures.total, dict(figures.by_area), dict(figures.by_partner)) == (1, {"Centrum": 1}, {"Snelpakket": 1})
    region_weeks = sa.select(sa.func.sum(SignalTally.count)).where(
        SignalTally.organisation_id == tallies.WHOLE_REGION, SignalTally.measure == "reports", SignalTally.span == "w"
    )
    assert db.session.scalar(region_weeks) == 1, "and the whole region's"
    assert db.session.scalars(matching_signal_ids("stapelt", 1)).all() == [11], "found by its team's search"


def test_the_upgrade_can_be_undone(old_installation: Flask) -> None:
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision=BEFORE_THE_REGION)
    ranges = db.session.execute(sa.text("SELECT area_id, first_pc4, last_pc4 FROM area_ranges ORDER BY area_id"))
    assert ranges.all() == [(3, 4531, 4532), (4, 4533, 4535)]
    assert db.session.execute(sa.text("SELECT organisation_id FROM partners WHERE id = 7")).scalar() == 1
    db.session.rollback()
    flask_migrate.upgrade()
    assert db.session.get(Organisation, 1).is_fallback
