"""``flask signaalpunt …`` and ``flask db …`` as an operator uses them."""

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt import create_app
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.ops.demo import DEMO_PARTNERS
from signaalpunt.ops.demo_socialmap import INITIATIVES
from signaalpunt.ops.generate import CALL_BACK, SETTLED
from signaalpunt.organisations.models import Organisation, Partner
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.enums import Outcome, SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.search import managed_by_models
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.models import Initiative
from tests.conftest import make_config
from tests.factories import make_signal
from tests.pages import PageClient


def test_load_demo_adds_partners_once(runner: FlaskCliRunner, pages: PageClient) -> None:
    first = runner.invoke(args=["signaalpunt", "load-demo"])
    second = runner.invoke(args=["signaalpunt", "load-demo"])
    assert (
        f"{len(DEMO_PARTNERS)} partners, {2 * len(INITIATIVES)} initiatives, 16 referrals and 4 calls" in first.output
    )
    assert "0 partners, 0 initiatives, 0 referrals and 0 calls for neighbours added" in second.output
    # A key for the demo carrier's app, printed once with the API's address, and it works.
    key = next(line.rsplit(" ", 1)[1] for line in first.output.splitlines() if "Demo API key" in line)
    assert "/open311/v2" in first.output and "Demo API key" not in second.output
    listed = pages.client.get("/open311/v2/requests.json", query_string={"api_key": key})
    assert listed.status_code == 200 and listed.get_json() == []
    # Referrals in every state, in both teams: a handover waiting, answered either way, landed or not.
    referrals = db.session.scalars(sa.select(Referral)).all()
    assert {referral.organisation_id for referral in referrals} == {
        team.id for team in db.session.scalars(sa.select(Organisation))
    }
    assert {referral.answer for referral in referrals} == {None, *HandoverAnswer}
    assert {referral.landed for referral in referrals} == {None, *Landed}
    assert any(referral.handover for referral in referrals) and not all(referral.handover for referral in referrals)
    # In each team an open call with sign-ups, and a network formed.
    calls = db.session.scalars(sa.select(NeighbourCall)).all()
    assert sorted((call.organisation_id, call.filled_at is not None) for call in calls) == [
        (team, formed) for team in sorted({r.organisation_id for r in referrals}) for formed in (False, True)
    ]
    assert all(len(call.signups) == 3 for call in calls)
    kinds = db.session.execute(sa.select(Initiative.organisation_id, Initiative.kind).distinct()).all()
    assert len({team for team, _kind in kinds}) == 2 and len({kind for _team, kind in kinds}) == len(InitiativeKind) - 1
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == len(DEMO_PARTNERS)
    options = [option.get_text(strip=True) for option in pages.get("/melden").soup.select("#partner option")]
    assert "Snelpakket Bezorgdiensten" in options


def test_load_demo_is_refused_in_production(app: Flask, runner: FlaskCliRunner) -> None:
    app.config["ENVIRONMENT"] = "production"
    result = runner.invoke(args=["signaalpunt", "load-demo"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == 0


def test_migrations_build_exactly_the_models(app: Flask) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": managed_by_models})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_generate_adds_signals_as_a_real_year_would_hold_them(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["signaalpunt", "generate", "--signals", "400"])
    assert result.stdout.strip() == "Generated 400 signals over 1 teams and 1 years."
    # Not on a terminal: how far it is, a line as each batch moves it on by a tenth or more.
    assert result.stderr.splitlines() == ["Genereren: 250 of 400", "Genereren: 400 of 400"]
    signals = db.session.scalars(sa.select(Signal)).all()
    assert len(signals) == len({signal.reference for signal in signals}) == 400
    still_open = [signal for signal in signals if signal.status.is_open]
    assert still_open, "some recent work is open"
    assert all(utcnow() - signal.created_at <= SETTLED for signal in still_open), "open work is recent"
    closed = [signal for signal in signals if signal.status == SignalStatus.CLOSED]
    assert all(signal.outcome and signal.created_at <= signal.closed_at <= utcnow() for signal in closed)
    not_pursued = [signal for signal in signals if signal.status == SignalStatus.NOT_PURSUED]
    assert not_pursued and all(signal.closed_at for signal in not_pursued), "retention runs from when they ended"
    referred = [signal for signal in closed if signal.outcome == Outcome.REFERRED]
    assert referred, "some were referred"
    assert all(len(signal.referrals) == 1 for signal in referred), "the figures count a referral per referred signal"
    assert all(not signal.referrals for signal in signals if signal.outcome != Outcome.REFERRED)
    called_back = [signal.referrals[0] for signal in referred if signal.referrals[0].landed is not None]
    assert called_back and all(r.landed_at - r.created_at == CALL_BACK for r in called_back)


def test_generate_spreads_signals_over_a_region_of_teams_each_in_its_own_area(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["signaalpunt", "generate", "--signals", "301", "--teams", "3", "--years", "3"])
    assert result.stdout.strip() == "Generated 301 signals over 3 teams and 3 years."
    per_team = db.session.execute(
        sa.select(Signal.organisation_id, sa.func.count(), sa.func.count(sa.distinct(Signal.area_id)))
        .group_by(Signal.organisation_id)
        .order_by(Signal.organisation_id)
    ).all()
    assert [count for _team, count, _areas in per_team] == [101, 100, 100]
    assert [areas for _team, _count, areas in per_team] == [0, 1, 1], "the first team had no areas yet"
    ages = [utcnow() - created for created in db.session.scalars(sa.select(Signal.created_at))]
    assert timedelta(days=2 * 365) < max(ages) <= timedelta(days=3 * 365), "a history of three years"


def test_backup_copies_the_running_database_and_the_copy_restores(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    signal = make_signal()
    db.session.commit()
    destination = tmp_path / "backups" / "vannacht.db"

    result = runner.invoke(args=["signaalpunt", "backup", str(destination)])

    if db.engine.dialect.name == "postgresql":  # the suite's PostgreSQL run: pg_dump's job, said plainly
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    assert result.output.strip() == f"Backed up 1 signals to {destination}."
    assert destination.stat().st_mode & 0o777 == 0o600, "only the owner may read a copy of personal data"
    assert list(destination.parent.iterdir()) == [destination], "no partial file left behind"
    restored = create_app(make_config(f"sqlite:///{destination}"))
    lookup = PageClient(restored.test_client())
    page = lookup.submit(lookup.get("/status"), {"reference": signal.reference})
    assert "We hebben uw melding ontvangen." in page.text_of("#status-result")

    again = runner.invoke(args=["signaalpunt", "backup", str(destination)])
    assert again.exit_code != 0 and "already exists" in again.output
