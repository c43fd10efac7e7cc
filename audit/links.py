"""The public forms behind a link: choosing or resetting a password, an initiative checking its details, answering a
warm handover, and a volunteer signing up for a neighbour call.

A used link answers "this link is used up" and never reads its form again, so with one link sqlmap's payloads
would meet that page from the second request on. The audit therefore makes links the way the app does (the token's
hash stored, valid for a day) for objects of its own — a scanner's account, initiative, report and call — and
sqlmap reaches each form through a loopback proxy that puts the next unused link into every request. What these
forms change is the scanner's own; those rows, and only those, are left out of the data-untouched comparison.
"""

import http.client
import secrets
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import UserToken
from signaalpunt.accounts.service import INVITE, RESET, create_user
from signaalpunt.core.clock import utcnow
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.neighbours.models import CallInvite, NeighbourCall
from signaalpunt.organisations.models import Organisation
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.enums import ReporterRole
from signaalpunt.signals.intake import Report, submit_report
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.models import Initiative, InitiativeCheck

# sqlmap's requests carry this where the link's token goes; the proxy puts a fresh one in its place.
PLACEHOLDER = "scanner-link"
# More than sqlmap sends to each form at level 1 (a request that passes the form's checks uses its link up): about
# a hundred requests per field, and the initiative's form has twelve.
LINKS = {"password": 600, "check": 2000, "handover": 600, "signup": 1500}
SCANNER = "Scanner (audit)"
STRONG_PASSWORD = "Kraanvogel-Zeeland-Vuurtoren-2026"  # noqa: S105 - the scanner account's, on loopback
# Hop-by-hop headers are the proxy's own, not passed on.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class LinkForm:
    """One form behind a link: its URL with the placeholder, what a person fills in, and the links made for it."""

    name: str
    path: str
    filled: dict[str, str | list[str]]
    tokens: tuple[str, ...]

    def with_token(self, token: str) -> str:
        return self.path.replace(PLACEHOLDER, token)


# The scanner's accounts: invited colleagues (no password yet, so the access sweep has no login for them).
ACCOUNTS = "scanner-%@example.nl"


@dataclass
class Scanner:
    """The audit's own objects, and the link forms that change only them."""

    initiative_id: int
    signal_id: int
    call_id: int
    forms: list[LinkForm] = field(default_factory=list)

    def own_rows(self) -> dict[str, str]:
        """Per table, the SQL condition of the rows that are the scanner's own (left out of the comparison)."""
        return {
            "users": f"email LIKE '{ACCOUNTS}'",
            "user_tokens": f"user_id IN (SELECT id FROM users WHERE email LIKE '{ACCOUNTS}')",  # noqa: S608 - constants
            "initiatives": f"id = {self.initiative_id}",
            "initiative_postcodes": f"initiative_id = {self.initiative_id}",
            "initiative_checks": f"initiative_id = {self.initiative_id}",
            "referrals": f"signal_id = {self.signal_id}",
            "neighbour_calls": f"id = {self.call_id}",
            "call_invites": f"call_id = {self.call_id}",
            "volunteer_signups": f"call_id = {self.call_id}",
        }


def _tokens(count: int) -> tuple[str, ...]:
    return tuple(secrets.token_urlsafe(32) for _ in range(count))


def make_scanner(app: Flask) -> Scanner:
    """The scanner's initiative, report and open call, and its links: one account per password link (choosing a
    password revokes every other link of the account), a check per link of the initiative, a handover per link."""
    now = utcnow()
    valid = now + timedelta(days=1)
    invitations, resets, checks, handovers = (
        _tokens(LINKS[kind]) for kind in ("password", "password", "check", "handover")
    )
    with app.app_context():
        team = db.session.scalar(sa.select(Organisation).order_by(Organisation.id))
        initiative = Initiative(
            organisation=team,
            name=SCANNER,
            kind=InitiativeKind.BUDDY,
            offer="Een maatje voor wie er alleen voor staat.",
            whole_municipality=True,
            email="initiatief@example.nl",
            warm_handover=True,
            network_partner=True,
            call_email="initiatief@example.nl",
        )
        db.session.add(initiative)
        for number, (purpose, token) in enumerate(
            [*((INVITE, token) for token in invitations), *((RESET, token) for token in resets)]
        ):
            account = create_user(team, ACCOUNTS.replace("%", str(number)), SCANNER, Role.WORKER)
            db.session.add(UserToken(user=account, purpose=purpose, token_hash=hashed(token), expires_at=valid))
        db.session.commit()
        report = Report(
            reporter_role=ReporterRole.NEIGHBOUR,
            description="Buurman komt al weken niet meer buiten (audit).",
            postcode="4531 AB",
            house_number=1,
        )
        signal_id = submit_report(report, submission_token=None).signal_id
        call = NeighbourCall(
            signal_id=signal_id,
            organisation_id=team.id,
            text="Wie wil een buurman in 4531 leren kennen?",
            pc4="4531",
            created_by_id=account.id,
            expires_at=valid,
        )
        invite = secrets.token_urlsafe(24)
        call.invites.append(CallInvite(initiative=initiative, token=invite))
        db.session.add(call)
        db.session.add_all(
            InitiativeCheck(initiative_id=initiative.id, token_hash=hashed(token), expires_at=valid) for token in checks
        )
        db.session.add_all(
            Referral(
                signal_id=signal_id,
                organisation_id=team.id,
                initiative_id=initiative.id,
                name=SCANNER,
                handover=True,
                token_hash=hashed(token),
                link_expires_at=valid,
            )
            for token in handovers
        )
        db.session.commit()
        scanner = Scanner(initiative.id, signal_id, call.id)
    password = {"password": STRONG_PASSWORD, "confirm": STRONG_PASSWORD}
    volunteer = {
        "name": "Vrijwilliger",
        "postcode": "4531 AB",
        "house_number": "3",
        "email": "vrijwilliger@example.nl",
        "availability": ["weekend"],
        "consent": "y",
    }
    scanner.forms = [
        LinkForm("choose a password (invitation)", f"/wachtwoord-kiezen/{PLACEHOLDER}", password, invitations),
        LinkForm("reset a password", f"/wachtwoord-herstellen/{PLACEHOLDER}", password, resets),
        LinkForm("initiative checks its details", f"/initiatief/{PLACEHOLDER}", {"answer": "correct"}, checks),
        LinkForm(
            "answer a warm handover", f"/initiatief/overdracht/{PLACEHOLDER}", {"answer": "contact_made"}, handovers
        ),
        # A call's link is not used up (a second sign-up of the same person updates the first): one will do.
        LinkForm("volunteer signs up for a call", f"/buren/{PLACEHOLDER}", volunteer, (invite,) * LINKS["signup"]),
    ]
    return scanner


class LinkProxy(ThreadingHTTPServer):
    """An HTTP proxy on loopback in front of the app: a request whose path holds the placeholder of one of ``forms``
    gets that form's next unused link; everything else passes unchanged."""

    daemon_threads = True

    def __init__(self, app_base: str, forms: list[LinkForm]) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.app = urllib.parse.urlsplit(app_base)
        self._links = {form.path: iter(form.tokens) for form in forms}
        self._lock = threading.Lock()
        self.ran_out: set[str] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fill(self, path: str) -> str:
        for form_path, links in self._links.items():
            if path.startswith(form_path):
                with self._lock:
                    token = next(links, None)
                if token is None:
                    self.ran_out.add(form_path)
                    return path
                return path.replace(PLACEHOLDER, token, 1)
        return path


class _Forward(BaseHTTPRequestHandler):
    server: LinkProxy

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        asked = urllib.parse.urlsplit(self.path)
        path = self.server.fill(asked.path + (f"?{asked.query}" if asked.query else ""))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        connection = http.client.HTTPConnection(self.server.app.hostname, self.server.app.port, timeout=60)
        try:
            connection.request(self.command, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the app's own request log counts the requests."""


@contextmanager
def link_proxy(app_base: str, forms: list[LinkForm]) -> Iterator[LinkProxy]:
    proxy = LinkProxy(app_base, forms)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


def first_links(form: LinkForm) -> tuple[str, LinkForm]:
    """The first link (to read the form from: reading does not use it up) and the form with the others."""
    first, *rest = form.tokens
    return form.with_token(first), LinkForm(form.name, form.path, form.filled, tuple(rest))
