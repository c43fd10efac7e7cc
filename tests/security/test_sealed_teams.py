"""Each team is sealed off from the others: every staff role of team A against every URL of the app's URL map
that names an object of team B gets the answer a made-up object gets, changes nothing, and is audited.

The URLs come from the URL map, so a new route that names a signal, colleague, area or team is covered at once.
"""

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent, User
from signaalpunt.board.call_views import STEPS as CALL_STEPS
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.organisations.areas import set_area_ranges
from signaalpunt.organisations.models import Area, AreaPostcode, Organisation
from signaalpunt.organisations.routing import destination, fallback_organisation_id
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.models import Signal, TimelineEvent
from signaalpunt.signals.workflow import Action
from signaalpunt.socialmap.models import Initiative
from tests.factories import make_area, make_organisation, make_signal, make_user
from tests.pages import PageClient
from tests.staff import logged_in_directly

CSRF_VALUE = re.compile(rb'(?<=name="csrf_token" )value="[^"]*"')
STAFF_PREFIXES = ("/werk", "/beheer", "/cijfers")
# The URL parameters that name an object belonging to one team. Partners are the region's, shared on purpose.
TEAM_OBJECTS = {"reference", "user_id", "area_id", "organisation_id", "initiative_id", "referral_id", "call_id"}
TEAM_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.WORKER, Role.VIEWER)


def object_urls(app: Flask, objects: dict[str, str]) -> list[tuple[str, str]]:
    """(method, url) for every staff route that names a team's object, filled in with ``objects``."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(STAFF_PREFIXES) or not set(rule.arguments) & TEAM_OBJECTS:
            continue
        if set(rule.arguments) - TEAM_OBJECTS - {"action", "step"}:
            continue
        actions = [action.value for action in Action] if "action" in rule.arguments else [""]
        steps = list(CALL_STEPS) if "step" in rule.arguments else [""]
        for action, step in ((action, step) for action in actions for step in steps):
            values = {**objects, "action": action, "step": step}
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, values=values: values[m.group(1)], rule.rule)
            found += [(method, url) for method in ("GET", "POST") if method in rule.methods]
    return found


def team_b_fingerprint(team_id: int) -> tuple:
    """Everything of team B a refused request could have changed."""
    signals = db.session.execute(
        sa.select(Signal.id, Signal.version, Signal.organisation_id, Signal.status).order_by(Signal.id)
    ).all()
    events = db.session.scalar(sa.select(sa.func.count(TimelineEvent.id)))
    areas = db.session.execute(sa.select(Area.id, Area.name).where(Area.organisation_id == team_id)).all()
    postcodes = db.session.scalar(sa.select(sa.func.count()).select_from(AreaPostcode))
    team = db.session.execute(sa.select(Organisation.__table__).where(Organisation.id == team_id)).all()
    initiatives = db.session.execute(sa.select(Initiative.__table__).where(Initiative.organisation_id == team_id)).all()
    referrals = db.session.execute(sa.select(Referral.__table__).where(Referral.organisation_id == team_id)).all()
    return signals, events, areas, postcodes, team, initiatives, referrals


def map_and_referral(signal: Signal, author: User) -> tuple[Initiative, Referral, NeighbourCall]:
    """An initiative on the signal's team's map, a referral of the signal to it, and a call for neighbours."""
    initiative = Initiative(
        organisation_id=signal.organisation_id, name="De Brug", kind="buddy", whole_municipality=True
    )
    referral = Referral(organisation_id=signal.organisation_id, name="De Brug", initiative=initiative)
    signal.referrals.append(referral)
    call = NeighbourCall(
        organisation_id=signal.organisation_id, text="Koffie", pc4="4531", created_by=author, expires_at=utcnow()
    )
    signal.calls.append(call)
    db.session.commit()
    return initiative, referral, call


def refusals() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.result == "refused"))


@pytest.mark.slow
@pytest.mark.parametrize("role", TEAM_ROLES, ids=lambda role: role.value)
def test_no_role_of_one_team_reaches_an_object_of_another(app: Flask, role: Role) -> None:
    goeree = make_organisation()
    own_area = make_area("Centrum", ((4531, 4532),))
    other_area = make_area("Middelharnis", ((3241, 3246),), team=goeree)
    own_signal = make_signal(postcode="4531 AB")
    other_signal = make_signal(postcode="3241 AB")
    own_colleague = make_user(Role.WORKER, areas=(own_area,))
    other_colleague = make_user(Role.WORKER, areas=(other_area,), team=goeree)
    actor = make_user(role, areas=(own_area,) if role == Role.WORKER else ())
    own_initiative, own_referral, own_call = map_and_referral(own_signal, own_colleague)
    other_initiative, other_referral, other_call = map_and_referral(other_signal, other_colleague)
    own = {
        "reference": own_signal.reference,
        "user_id": str(own_colleague.id),
        "area_id": str(own_area.id),
        "organisation_id": str(actor.organisation_id),
        "initiative_id": str(own_initiative.id),
        "referral_id": str(own_referral.id),
        "call_id": str(own_call.id),
    }
    other = {
        "reference": other_signal.reference,
        "user_id": str(other_colleague.id),
        "area_id": str(other_area.id),
        "organisation_id": str(goeree.id),
        "initiative_id": str(other_initiative.id),
        "referral_id": str(other_referral.id),
        "call_id": str(other_call.id),
    }
    pages = PageClient(app.test_client())
    logged_in_directly(app, pages, actor)
    home = pages.get("/cijfers/" if role == Role.VIEWER else "/werk/")
    token = home.one("form[action='/uitloggen'] input[name=csrf_token]")["value"]
    checked = 0
    for (method, own_url), (_method, other_url) in zip(object_urls(app, own), object_urls(app, other), strict=True):
        own_status = pages.client.open(own_url, method=method, data={"csrf_token": token}).status_code
        before, refused_before = team_b_fingerprint(goeree.id), refusals()
        answer = pages.client.open(other_url, method=method, data={"csrf_token": token})
        # A page the role may not open at all says so (403) whatever it names; otherwise: not found.
        expected = {403, 404} if own_status == 403 else {404}
        assert answer.status_code in expected, (role.value, method, other_url, own_status)
        assert team_b_fingerprint(goeree.id) == before, (role.value, method, other_url)
        assert refusals() > refused_before, f"{method} {other_url} refused without an audit record"
        checked += 1
    assert checked >= 19


def test_a_made_up_object_and_another_teams_object_get_the_same_answer(app: Flask) -> None:
    goeree = make_organisation()
    make_area("Middelharnis", ((3241, 3246),), team=goeree)
    theirs = make_signal(postcode="3241 AB")
    pages = PageClient(app.test_client())
    logged_in_directly(app, pages, make_user(Role.COORDINATOR))
    other = pages.client.get(f"/werk/meldingen/{theirs.reference}")
    made_up = pages.client.get("/werk/meldingen/SP-AAAA-BBBB")
    # Byte for byte, but for the logout form's CSRF token, which carries the second it was signed in.
    answers = [(answer.status_code, CSRF_VALUE.sub(b'value="csrf"', answer.data)) for answer in (other, made_up)]
    assert answers[0] == answers[1]


def test_a_filter_naming_another_teams_area_or_colleague_shows_nothing_of_theirs(app: Flask) -> None:
    goeree = make_organisation()
    area = make_area("Middelharnis", ((3241, 3246),), team=goeree)
    colleague = make_user(Role.WORKER, areas=(area,), team=goeree)
    theirs = make_signal(postcode="3241 AB")
    pages = PageClient(app.test_client())
    logged_in_directly(app, pages, make_user(Role.COORDINATOR))
    for query in ({"area": area.id}, {"assignee": colleague.id}, {"q": theirs.reference}, {"tab": "open"}):
        assert theirs.reference not in pages.get("/werk/", query_string=query).text, query
    figures = pages.get("/cijfers/", query_string={"werkgebied": area.id, "team": goeree.id})
    assert figures.text_of("#figure-total") == "0"


ranges = st.lists(st.tuples(st.integers(1000, 1060), st.integers(0, 8)), max_size=8)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(areas=ranges, teams=st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_every_postcode_goes_to_exactly_one_team_or_the_fallback(app: Flask, areas: list, teams: list) -> None:
    """Any areas that do not overlap, spread over three teams: each PC4 routes to the team of the one area that
    has it, and every other PC4 to the fallback team."""
    db.session.rollback()
    db.session.execute(sa.delete(Area))
    db.session.execute(sa.delete(Organisation).where(Organisation.is_fallback.is_(False)))
    db.session.commit()
    region = [db.session.get(Organisation, fallback_organisation_id())]
    region += [Organisation(name=f"Team {n}", slug=f"team-{n}") for n in (1, 2)]
    db.session.add_all(region)
    owner: dict[int, int] = {}
    for index, (first, length) in enumerate(areas):
        wanted = [n for n in range(first, first + length + 1) if n not in owner]
        if not wanted:
            continue
        team = region[teams[index]]
        area = Area(organisation=team, name=f"Gebied {index}")
        set_area_ranges(area, [(n, n) for n in wanted])
        db.session.add(area)
        db.session.flush()
        owner.update(dict.fromkeys(wanted, team.id))
    db.session.commit()
    for number in range(995, 1075):
        routed = destination(str(number))
        assert routed.organisation_id == owner.get(number, region[0].id), number
        assert (routed.area_id is None) == (number not in owner), number
