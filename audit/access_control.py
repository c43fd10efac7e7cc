"""Access control from the outside: every demo login (every staff role of every team, and the region's) tries every
staff route of the app's URL map, each method, against objects it must not reach — another team's signals, areas,
staff and initiatives; for a worker, her own team's signals outside her areas and not hers; and any page its role
may not open (``policy.ALLOWED``). Anything but a refusal (403 or 404) is a finding.

So that a sweep of refusals cannot pass by refusing everything, each login also opens the pages its role may, with
objects it may reach, and must get them (the controls).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import product

import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from audit import policy
from bench import dataset
from signaalpunt.accounts.enums import Role
from signaalpunt.board.call_views import STEPS
from signaalpunt.ops.demo import DEMO_PASSWORD
from signaalpunt.signals.workflow import Action
from tests.live_server import Browser

REFUSED = (403, 404)
# Arguments that name something of one team: another team's must be refused to everyone.
SEALED = frozenset({"reference", "call_id", "referral_id", "user_id", "area_id", "initiative_id", "organisation_id"})
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@dataclass
class Team:
    """One team's objects, by kind, as the URL map's arguments name them."""

    id: int
    signals: list[sa.Row] = field(default_factory=list)
    users: list[int] = field(default_factory=list)
    areas: list[int] = field(default_factory=list)
    initiatives: list[int] = field(default_factory=list)
    calls: list[sa.Row] = field(default_factory=list)
    referrals: list[sa.Row] = field(default_factory=list)


@dataclass
class Login:
    email: str
    role: Role
    team: int | None
    user_id: int
    areas: frozenset[int]


def _teams(connection: sa.Connection) -> dict[int, Team]:
    teams = {team_id: Team(team_id) for team_id in connection.scalars(sa.text("SELECT id FROM organisations"))}
    signals = "SELECT organisation_id, id, reference, area_id, assignee_id FROM signals ORDER BY id"
    for row in connection.execute(sa.text(signals)):
        teams[row.organisation_id].signals.append(row)
    for table in ("users", "areas", "initiatives"):
        query = f"SELECT organisation_id, id FROM {table} ORDER BY id"  # noqa: S608 - the names above
        for team_id, object_id in connection.execute(sa.text(query)):
            if team_id in teams:  # the region's own staff belong to no team
                getattr(teams[team_id], table).append(object_id)
    for table, kind in (("neighbour_calls", "calls"), ("referrals", "referrals")):
        query = (
            f"SELECT s.organisation_id, t.id, s.reference, s.area_id, s.assignee_id FROM {table} t "  # noqa: S608
            "JOIN signals s ON s.id = t.signal_id ORDER BY t.id"
        )
        for row in connection.execute(sa.text(query)):
            getattr(teams[row.organisation_id], kind).append(row)
    return teams


def _logins(connection: sa.Connection) -> list[Login]:
    areas: dict[int, set[int]] = {}
    for area_id, user_id in connection.execute(sa.text("SELECT area_id, user_id FROM area_workers")):
        areas.setdefault(user_id, set()).add(area_id)
    return [
        Login(email, Role(role), team, user_id, frozenset(areas.get(user_id, ())))
        for user_id, email, role, team in connection.execute(
            # An invited colleague who has not chosen a password yet has no login (the audit's scanner accounts).
            sa.text(
                "SELECT id, email, role, organisation_id FROM users WHERE active AND password_hash IS NOT NULL"
                " ORDER BY id"
            )
        )
    ]


def _sees(login: Login, signal: sa.Row) -> bool:
    """Whether the design lets this login open the signal: her team's for a coordinator or admin, and for a worker
    only hers or one in her areas."""
    if login.role == Role.WORKER:
        return signal.assignee_id == login.user_id or signal.area_id in login.areas
    return login.role in policy.READS_SIGNALS


def _arguments(
    rule: Rule, team: Team, signal_ok: Callable[[sa.Row], bool], regional: dict[str, list[int]]
) -> dict | None:
    """Values for the rule's arguments from ``team``, the signal (and its call or referral) chosen by
    ``signal_ok``; None when the team has no such object."""
    values: dict[str, object] = {}
    for name in rule.arguments:
        if name in ("reference", "call_id", "referral_id"):
            below = next((kind for kind in ("call_id", "referral_id") if kind in rule.arguments), None)
            pool = {"call_id": team.calls, "referral_id": team.referrals, None: team.signals}[below]
            found = next((row for row in pool if signal_ok(row)), None)
            if found is None:
                return None
            values["reference"] = found.reference
            if below:
                values[below] = found.id
        elif name in ("user_id", "area_id", "initiative_id"):
            pool = {"user_id": team.users, "area_id": team.areas, "initiative_id": team.initiatives}[name]
            if not pool:
                return None
            values[name] = pool[0]
        elif name == "organisation_id":
            values[name] = team.id
        elif name in regional:
            values[name] = regional[name][0]
        elif name == "action":
            values[name] = list(Action)
        elif name == "step":
            values[name] = list(STEPS)
        else:
            return None
    return values


def _urls(app: Flask, rule: Rule, values: dict) -> Iterator[str]:
    """The rule's URL for each combination of the listed values (every action, every step)."""
    listed = {name: value if isinstance(value, list) else [value] for name, value in values.items()}
    with app.test_request_context():
        for combination in product(*listed.values()):
            yield app.url_for(rule.endpoint, **dict(zip(listed, combination, strict=True)))


def _csrf(browser: Browser, home: str) -> str:
    _, body, _ = browser.get(home)
    match = CSRF.search(body)
    assert match, f"no CSRF token on {home}"
    return match.group(1) or match.group(2)


def _cases(
    login: Login, rule: Rule, own: Team, others: list[Team], regional: dict[str, list[int]]
) -> list[tuple[str, dict | None]]:
    """What this login must be refused on this route: the page itself when her role may not open it; else any
    other team's object, and for a worker her own team's signals she does not see."""
    if login.role not in policy.ALLOWED.get(rule.endpoint, frozenset()):
        return [("role", _arguments(rule, own, lambda _row: True, regional))]
    if not SEALED & rule.arguments or login.team is None:
        return []
    cases = []
    # The region's administrator reaches every team's settings by design.
    if not (rule.arguments == {"organisation_id"} and login.role == Role.REGION_ADMIN):
        cases += [("another team", _arguments(rule, other, lambda _row: True, regional)) for other in others]
    if login.role == Role.WORKER and "reference" in rule.arguments:
        cases.append(("outside her areas", _arguments(rule, own, lambda row: not _sees(login, row), regional)))
    return cases


def sweep(app: Flask, base: str, database_url: str) -> list[str]:
    """Every finding: a route without an expectation, an answer other than a refusal, a control not opened."""
    with dataset.connected(database_url) as connection:
        teams = _teams(connection)
        logins = _logins(connection)
        regional = {
            "partner_id": list(connection.scalars(sa.text("SELECT id FROM partners ORDER BY id"))),
            "key_id": list(connection.scalars(sa.text("SELECT id FROM api_keys ORDER BY id"))),
        }
    rules = [rule for rule in app.url_map.iter_rules() if policy.is_staff_endpoint(rule.endpoint)]
    findings = [
        f"{rule.rule}: a staff route with no expectation in audit/policy.py"
        for rule in rules
        if rule.endpoint not in policy.ALLOWED
    ]
    for login in logins:
        browser = Browser(base)
        status, _, home = browser.submit(browser.page("/inloggen"), {"email": login.email, "password": DEMO_PASSWORD})
        assert status == 303, (login.email, status)
        data = {"csrf_token": _csrf(browser, home)}
        # The region's roles belong to no team: the first team's objects stand in for "their own".
        own = teams.get(login.team) or teams[min(teams)]
        others = [team for team in teams.values() if team.id != own.id]
        for rule in rules:
            for why, values in _cases(login, rule, own, others, regional):
                if values is None:
                    continue
                for url, method in product(_urls(app, rule, values), sorted(rule.methods & {"GET", "POST"})):
                    status, _, _ = browser.post(url, data) if method == "POST" else browser.get(url)
                    if status not in REFUSED:
                        findings.append(f"{login.email} ({login.role.value}) {method} {url} [{why}]: {status}")
            findings += _control(app, browser, login, rule, own, regional)
    return findings


def _control(
    app: Flask, browser: Browser, login: Login, rule: Rule, own: Team, regional: dict[str, list[int]]
) -> list[str]:
    """A page this login may open, with an object she may reach, must open (so the sweep cannot pass by
    refusing everything)."""
    if login.role not in policy.ALLOWED.get(rule.endpoint, frozenset()) or "GET" not in rule.methods:
        return []
    if rule.endpoint in policy.STATEFUL:
        return []
    values = _arguments(rule, own, lambda row: _sees(login, row), regional)
    if values is None or "step" in values or "action" in values:
        return []
    url = next(_urls(app, rule, values))
    status, _, _ = browser.get(url)
    return [] if status == 200 else [f"control: {login.email} ({login.role.value}) GET {url}: {status}"]
