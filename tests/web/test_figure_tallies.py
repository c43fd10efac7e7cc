"""The figures come from running totals (signals.tallies). After any sequence of workflow actions (referrals, warm
handovers answered and call-backs among them), new reports and moves, the page's numbers equal a count straight
over the signals and their referrals, and a rebuild from scratch gives the very same totals. Runs on SQLite here
and on PostgreSQL under ``make test-postgres``."""

import dataclasses
import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.staff import delete_area
from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.consent.service import consent_to_share, has_consent, record_consent
from signaalpunt.core.clock import dutch_today, utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.neighbours.figures import network_figures
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.figures import ReferralCounts, referral_figures
from signaalpunt.referrals.models import Referral
from signaalpunt.referrals.service import ReferralChoice, answer_handover, record_follow_up, refer_signal
from signaalpunt.signals import tallies
from signaalpunt.signals.enums import (
    ContactMethod,
    Outcome,
    ReferralTarget,
    RejectionReason,
    ReporterRole,
    SignalStatus,
)
from signaalpunt.signals.figures import Period, compute_figures, period_sums
from signaalpunt.signals.models import Signal, SignalTally
from signaalpunt.signals.workflow import (
    assign_signal,
    close_signal,
    mark_duplicate,
    mark_urgent,
    record_contact_attempt,
    reject_signal,
    reopen_signal,
    transfer_signal,
)
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.service import InitiativeDetails, save_initiative
from tests.factories import make_area, make_organisation, make_partner, make_signal, make_user, organisation

pytestmark = pytest.mark.slow

ACTIONS = ("report", "assign", "contact", "contact", "close", "reopen", "duplicate", "reject", "transfer")
ACTIONS += ("urgent", "backdate", "move", "refer", "refer", "answer", "follow_up", "call", "call_changes")
step = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=200),
    st.sampled_from(list(Outcome)),
    st.booleans(),
)


@pytest.fixture
def world(app: Flask) -> dict:
    team = organisation()
    other = make_organisation()
    centrum = make_area("Centrum", ((4531, 4531),))
    noord = make_area("Noord", ((4532, 4532),))
    make_partner()
    brug = InitiativeDetails(
        name="Maatjesproject De Brug",
        kind=InitiativeKind.BUDDY,
        phone="0115 123 456",
        whole_municipality=True,
        email="brug@example.nl",
        warm_handover=True,
        address="Kerkstraat 4, Terneuzen",
    )
    koor = InitiativeDetails(name="Buurtkoor", kind=InitiativeKind.CLUB, phone="0115 654 321", whole_municipality=True)
    initiatives = (save_initiative(team.id, None, brug), save_initiative(other.id, None, koor))
    return {
        "initiatives": initiatives,
        "team": team,
        "other": other,
        "areas": (centrum, noord),
        "coordinator": make_user(Role.COORDINATOR),
        "worker": make_user(Role.WORKER),
        "other_coordinator": make_user(Role.COORDINATOR, team=other),
        "signals": [],
    }


def new_report(world: dict, number: int, flag: bool) -> None:
    postcode = ("4531 AB", "4532 CD", "9999 ZZ")[number % 3]
    role = list(ReporterRole)[number % len(ReporterRole)]
    partner = {"partner_slug": "snelpakket"} if flag and role == ReporterRole.COURIER else {}
    world["signals"].append(make_signal(postcode=postcode, reporter_role=role, **partner).id)


def perform(world: dict, action: str, number: int, hours: float, outcome: Outcome, flag: bool) -> None:
    """One step; a step the rules refuse changes nothing (rolled back)."""
    if action == "report" or not world["signals"]:
        new_report(world, number, flag)
        return
    signal = db.session.get(Signal, world["signals"][number % len(world["signals"])])
    coordinator = world["coordinator"] if signal.organisation_id == world["team"].id else world["other_coordinator"]
    now = utcnow()
    if action == "assign":
        assign_signal(signal, coordinator, coordinator)
    elif action == "contact":
        record_contact_attempt(
            signal, coordinator, ContactMethod.PHONE, min(now, signal.created_at + timedelta(hours=hours)), flag
        )
    elif action == "close":
        close_signal(signal, coordinator, outcome)
    elif action == "reopen":
        reopen_signal(signal, coordinator)
    elif action == "duplicate":
        primary = db.session.get(Signal, world["signals"][0])
        mark_duplicate(signal, coordinator, primary)
    elif action == "reject":
        reject_signal(signal, coordinator, RejectionReason.NO_CONCERN)
    elif action == "transfer":
        target = world["other"] if signal.organisation_id == world["team"].id else world["team"]
        transfer_signal(signal, coordinator, target, "Woont in de andere gemeente.")
    elif action == "urgent":
        mark_urgent(signal, coordinator)
    elif action == "backdate":
        # Reported days or weeks ago (with a deadline to match), so periods cut through weeks and days.
        signal.created_at = now - timedelta(hours=hours * 3)
        signal.due_at = signal.created_at + timedelta(hours=(number % 96) + 1)
        if signal.first_contact_at is not None and signal.first_contact_at < signal.created_at:
            signal.first_contact_at = signal.created_at + timedelta(minutes=number)
    elif action == "move":
        areas = [None, *(area.id for area in world["areas"] if area.organisation_id == signal.organisation_id)]
        signal.area_id = areas[number % len(areas)]
    elif action == "refer":
        refer(world, signal, coordinator, number, flag)
    elif action == "answer":
        # Any open handover, so that sequences reach one.
        handovers = db.session.scalars(
            sa.select(Referral).where(Referral.handover.is_(True), Referral.answered_at.is_(None)).order_by(Referral.id)
        ).all()
        if handovers:
            answer = HandoverAnswer.CONTACT_MADE if flag or number % 3 else HandoverAnswer.COULD_NOT_HELP
            answer_handover(handovers[number % len(handovers)], answer, "Geen plek deze maand.", now)
    elif action == "follow_up":
        waiting = db.session.scalars(sa.select(Referral).where(Referral.landed.is_(None)).order_by(Referral.id)).all()
        if waiting:
            referral = waiting[number % len(waiting)]
            coordinator = (
                world["coordinator"]
                if referral.signal.organisation_id == world["team"].id
                else world["other_coordinator"]
            )
            landed = list(Landed)[number % len(Landed)]
            record_follow_up(referral.signal, coordinator, referral.id, landed, "Wachtlijst.", flag, now)
    elif action in ("call", "call_changes"):
        change_calls(signal, coordinator, action, number, hours, flag)


def change_calls(signal: Signal, coordinator: object, action: str, number: int, hours: float, flag: bool) -> None:
    """A call for good neighbours sent, or one of the signal's calls signed up to, filled or called back about, as
    the neighbours service changes a call (through the ORM, which the running totals follow)."""
    now = utcnow()
    if action == "call" or not signal.calls:
        signal.calls.append(
            NeighbourCall(
                organisation_id=signal.organisation_id,
                text="Iemand die graag samen wandelt.",
                pc4="4531",
                created_by_id=coordinator.id,
                created_at=now - timedelta(hours=hours),
                expires_at=now + timedelta(days=14),
            )
        )
        return
    call = signal.calls[number % len(signal.calls)]
    if number % 3 == 0:
        call.signups_received += 1 + number % 4
    elif number % 3 == 1 or call.filled_at is None:
        call.filled_at = None if flag and call.filled_at else call.created_at + timedelta(hours=hours / 2)
    else:
        call.follow_up = list(Landed)[number % len(Landed)]


def refer(world: dict, signal: Signal, coordinator: object, number: int, flag: bool) -> None:
    """Refer the person (with their consent) to an initiative, a place not on the map, or both."""
    initiative = world["initiatives"][number % 2]
    kinds = [] if has_consent(signal, ConsentKind.REFERRAL) else [ConsentKind.REFERRAL]
    if consent_to_share(signal, initiative) is None:
        kinds.append(ConsentKind.SHARE)
    if kinds:
        record_consent(signal, coordinator, kinds, ConsentMethod.PHONE, initiative, (SharedDetail.NAME,))
    chosen = (initiative,) if number % 3 else ()
    elsewhere = "Buurthuis De Schakel" if flag or not chosen else ""
    refer_signal(signal, coordinator, ReferralChoice(ReferralTarget.BUDDY, chosen, elsewhere), utcnow())


def exact_percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    rank = fraction * (len(values) - 1)
    low, high = values[math.floor(rank)], values[math.ceil(rank)]
    return low + (high - low) * (rank - math.floor(rank))


def step_around(hours: float) -> float:
    """How far the histogram may be off: one step of the page's display (an hour, or a tenth of a day)."""
    return 1.0 if hours < tallies.HOURS_SHOWN_BELOW else tallies.TENTH_OF_A_DAY


def reported_on(signal: Signal) -> date:
    """The day the report was made on a Dutch calendar (what a user means by a date in the period)."""
    return signal.created_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Amsterdam")).date()


def check_against_signals(teams: tuple[int, ...], period: Period, area_id: int | None, now: datetime) -> None:
    """The figures equal what a plain loop over the stored signals counts."""
    figures = compute_figures(period_sums(teams, period, area_id), now, with_staff=False)
    chosen = [
        signal
        for signal in db.session.scalars(sa.select(Signal))
        if signal.organisation_id in teams
        and period.first <= reported_on(signal) <= period.last
        and (not area_id or signal.area_id == area_id)
    ]
    assert figures.total == len(chosen)
    weeks = Counter(tallies.week_of(reported_on(signal)) for signal in chosen)
    assert {week: n for week, n in figures.per_week if n} == dict(weeks)
    roles = Counter(signal.reporter_role.label for signal in chosen)
    assert Counter(dict(figures.by_role)) == roles
    assert figures.self_reports == sum(1 for signal in chosen if signal.reporter_role == ReporterRole.SELF)
    assert _as_counter(figures.by_partner) == Counter(
        signal.partner.name if signal.partner else "" for signal in chosen
    )
    assert _as_counter(figures.by_area) == Counter(signal.area.name if signal.area else "" for signal in chosen)
    closed = [signal for signal in chosen if signal.status == SignalStatus.CLOSED]
    assert Counter(dict(figures.by_outcome)) == Counter(signal.outcome.label for signal in closed)
    decided = [
        signal
        for signal in chosen
        if signal.status not in SignalStatus.not_followed_up()
        and signal.due_at is not None
        and (signal.first_contact_at is not None or signal.due_at < now)
    ]
    in_time = [signal for signal in decided if signal.first_contact_at and signal.first_contact_at <= signal.due_at]
    assert (figures.within_sla, figures.sla_decided) == (len(in_time), len(decided))
    hours = sorted(
        (signal.first_contact_at - signal.created_at).total_seconds() / 3600
        for signal in chosen
        if signal.first_contact_at is not None
    )
    for shown, fraction in ((figures.median_hours_to_contact, 0.5), (figures.p90_hours_to_contact, 0.9)):
        exact = exact_percentile(hours, fraction)
        if exact is None:
            assert shown is None
        else:
            assert abs(shown - exact) <= step_around(exact), (shown, exact, fraction)
    if len(teams) > 1:
        assert _as_counter(figures.by_organisation) == Counter(signal.organisation.name for signal in chosen)
    check_referrals(teams, period, area_id, chosen)
    check_calls(teams, period, area_id, chosen)


def check_calls(teams: tuple[int, ...], period: Period, area_id: int | None, chosen: list[Signal]) -> None:
    """The network figures equal a count over the chosen signals' calls."""
    figures = network_figures(period_sums(teams, period, area_id))
    calls = [call for signal in chosen for call in signal.calls]
    assert (figures.calls, figures.signups, figures.filled, figures.followed_up, figures.working) == (
        len(calls),
        sum(call.signups_received for call in calls),
        sum(call.filled_at is not None for call in calls),
        sum(call.follow_up is not None for call in calls),
        sum(call.follow_up == Landed.YES for call in calls),
    )
    days = sorted(
        max((call.filled_at - call.created_at).total_seconds(), 0) / 86400 for call in calls if call.filled_at
    )
    exact = exact_percentile(days, 0.5)
    if exact is None:
        assert figures.median_days_to_network is None
    else:
        assert abs(figures.median_days_to_network - exact) <= step_around(exact * 24) / 24, (figures, exact)


def check_referrals(teams: tuple[int, ...], period: Period, area_id: int | None, chosen: list[Signal]) -> None:
    """The referral figures equal a count over the chosen signals' referrals."""
    figures = referral_figures(period_sums(teams, period, area_id))
    referrals = [referral for signal in chosen for referral in signal.referrals]
    elsewhere = "Elders, niet op de sociale kaart"
    assert _counted(figures.total) == _direct(referrals)
    kinds = {str(kind.label) if kind else elsewhere for kind in {referral.kind for referral in referrals}}
    assert {row.name: _counted(row) for row in figures.by_kind} == {
        kind: _direct([r for r in referrals if (str(r.kind.label) if r.kind else elsewhere) == kind]) for kind in kinds
    }

    def place(referral: Referral) -> str:
        if referral.initiative is None:
            return elsewhere
        team = f" ({referral.initiative.organisation.name})" if len(teams) > 1 else ""
        return referral.initiative.name + team

    places = {place(referral) for referral in referrals}
    assert {row.name: _counted(row) for row in figures.by_initiative} == {
        name: _direct([referral for referral in referrals if place(referral) == name]) for name in places
    }
    days = sorted(
        max((min(helped) - signal.created_at).total_seconds(), 0) / 86400
        for signal in chosen
        if (helped := [r.answered_at for r in signal.referrals if r.answer == HandoverAnswer.CONTACT_MADE])
    )
    exact = exact_percentile(days, 0.5)
    if exact is None:
        assert figures.median_days_to_help is None
    else:
        assert abs(figures.median_days_to_help - exact) <= step_around(exact * 24) / 24, (figures, exact)


def _counted(row: ReferralCounts) -> tuple[int, ...]:
    return dataclasses.astuple(row)[1:]


def _direct(referrals: list[Referral]) -> tuple[int, ...]:
    return (
        len(referrals),
        sum(referral.handover for referral in referrals),
        sum(referral.answer == HandoverAnswer.CONTACT_MADE for referral in referrals),
        sum(referral.landed is not None for referral in referrals),
        sum(referral.landed == Landed.YES for referral in referrals),
        sum(referral.landed == Landed.PARTLY for referral in referrals),
    )


def _as_counter(rows: list[tuple[str, int]]) -> Counter:
    counted: Counter = Counter()
    for name, n in rows:
        counted[name] += n
    return counted


def stored_tallies() -> dict[tuple, int]:
    rows = db.session.execute(sa.select(SignalTally).where(SignalTally.count != 0)).scalars()
    return {tuple(getattr(row, column) for column in tallies.KEY_COLUMNS): row.count for row in rows}


def rebuild_everything() -> None:
    connection = db.session.connection()
    for organisation_id, monday in tallies.weeks_to_rebuild(connection):
        for step in tallies.rebuild_steps(organisation_id, monday):
            step(connection)
    db.session.commit()


def _steps(*actions: tuple[str, int, bool]) -> list[tuple[str, int, float, Outcome, bool]]:
    return [(action, number, 50.0, Outcome.REFERRED, flag) for action, number, flag in actions]


# A person referred to an initiative that answers and a place not on the map, called back about, then the signal
# reported earlier, moved to an area and to the other team, then a call for neighbours signed up to, filled, called
# back about, and the signal moved again: every referral and call key moves with it.
REFERRED_AND_MOVED = _steps(
    ("report", 0, False),
    ("assign", 0, False),
    ("contact", 0, True),
    ("refer", 2, True),
    ("answer", 1, False),
    ("follow_up", 0, False),
    ("backdate", 5, False),
    ("move", 1, False),
    ("reopen", 0, False),
    ("transfer", 0, False),
    ("call", 0, False),
    ("call_changes", 0, False),
    ("call_changes", 1, False),
    ("call_changes", 2, False),
    ("move", 0, False),
    ("report", 1, False),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(steps=REFERRED_AND_MOVED, edges=(0, 3))
@given(steps=st.lists(step, min_size=3, max_size=25), edges=st.tuples(st.integers(0, 30), st.integers(0, 30)))
def test_figures_equal_a_direct_count_after_any_sequence(world: dict, steps: list, edges: tuple[int, int]) -> None:
    for action, number, hours, outcome, flag in steps:
        try:
            perform(world, action, number, hours, outcome, flag)
        except DomainError:
            db.session.rollback()
            continue
        db.session.commit()
    db.session.expire_all()
    now, today = utcnow(), dutch_today()
    team, other = world["team"].id, world["other"].id
    cut = Period(today - timedelta(days=max(edges)), today - timedelta(days=min(edges)))
    for period in (Period(today - timedelta(days=40), today), cut, Period(today, today)):
        check_against_signals((team,), period, None, now)
        check_against_signals((team, other), period, None, now)
        for area in world["areas"]:
            check_against_signals((team,), period, area.id, now)
    kept = stored_tallies()
    rebuild_everything()
    assert stored_tallies() == kept, "a rebuild from the signals gives the totals kept along the way"


def test_a_deadline_passing_counts_without_any_change(world: dict) -> None:
    """An uncontacted signal becomes "not in time" when its deadline passes, though nothing happened to it."""
    signal = make_signal(postcode="4531 AB")
    now = utcnow()
    signal.created_at = now - timedelta(days=3)
    signal.due_at = now + timedelta(hours=1)
    db.session.commit()
    everything = Period(date(2000, 1, 1), dutch_today() + timedelta(days=1))
    for moment, decided in ((now, 0), (now + timedelta(hours=2), 1), (now + timedelta(days=2), 1)):
        figures = compute_figures(period_sums((world["team"].id,), everything, None), moment, with_staff=False)
        assert (figures.within_sla, figures.sla_decided) == (0, decided), moment


def test_removing_an_area_moves_its_signals_to_no_area(world: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    signal.status = SignalStatus.NOT_PURSUED
    db.session.commit()
    delete_area(make_user(Role.ADMIN), world["areas"][0])
    db.session.commit()
    today = dutch_today()
    figures = compute_figures(period_sums((world["team"].id,), Period(today, today), None), utcnow(), with_staff=False)
    assert dict(figures.by_area) == {"": 1}
    kept = stored_tallies()
    rebuild_everything()
    assert stored_tallies() == kept


def test_rebuild_figures_recounts_from_the_signals(world: dict, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["signaalpunt", "generate", "--signals", "300", "--teams", "2"]).exit_code == 0
    kept = stored_tallies()
    assert (
        sum(n for key, n in kept.items() if key[0] != tallies.WHOLE_REGION and key[1:4] == (0, "reports", "w")) == 300
    )
    assert sum(n for key, n in kept.items() if key[:4] == (tallies.WHOLE_REGION, 0, "reports", "w")) == 300
    # Totals gone astray (a restore, a bug): one week wiped, another miscounted.
    db.session.execute(sa.delete(SignalTally).where(SignalTally.starts_on == min(key[4] for key in kept)))
    db.session.execute(sa.update(SignalTally).where(SignalTally.measure == "role").values(count=SignalTally.count + 5))
    region_only = {"organisation_id": tallies.WHOLE_REGION, "area_id": 0, "measure": "reports", "key": ""}
    db.session.add(SignalTally(**region_only, span="w", starts_on=date(2001, 1, 1), count=7))
    db.session.commit()
    result = runner.invoke(args=["signaalpunt", "rebuild-figures"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Recounted 300 signals in ")
    assert result.stderr.splitlines()[-1].startswith("Cijfers herberekenen: "), "progress, a line per tenth"
    db.session.expire_all()
    assert stored_tallies() == kept
    check_against_signals(
        (world["team"].id, world["other"].id), Period(date(2000, 1, 1), dutch_today()), None, utcnow()
    )


def test_first_contact_at_the_deadline_itself_is_in_time(world: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    signal.first_contact_at = signal.due_at
    db.session.commit()
    today = dutch_today()
    figures = compute_figures(period_sums((world["team"].id,), Period(today, today), None), utcnow(), with_staff=False)
    assert (figures.within_sla, figures.sla_decided) == (1, 1)
