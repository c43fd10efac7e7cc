"""``make audit``: builds a demo installation in a temporary folder (migrations and ``load-demo``), serves it with
gunicorn on loopback and runs the outside checks against it: sqlmap on every parameter of the forms and filters
that reach the database, wapiti over the public and the staff side, and the access-control sweep over the app's
URL map. Prints one table (scanner, target, requests, findings; requests as the app's own request log counted
them) and every finding. Not part of ``make test``: it takes a while and stops by itself."""

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from audit import access_control, links, scanners, untouched
from bench import dataset
from bench.run import API_KEY, COORDINATOR, any_reference, api_key
from signaalpunt import create_app
from signaalpunt.ops.demo import DEMO_PASSWORD
from tests.factories import report_form
from tests.live_server import Browser, gunicorn_serving


@dataclass
class Outcome:
    scanner: str
    target: str
    requests: int
    findings: list[str]
    false_positives: list[str]

    def markdown(self) -> str:
        return (
            f"| {self.scanner} | {self.target} | {self.requests:,} | {len(self.findings)} "
            f"| {len(self.false_positives)} |"
        )


class RequestLog:
    """The app's request log (one JSON line per request): how many requests, and how many got a 5xx."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = 0

    def since_last(self) -> tuple[int, int]:
        time.sleep(0.5)  # the last lines reach the file
        statuses = []
        for line in self.path.read_text(errors="replace").splitlines():
            if line.startswith("{") and '"status"' in line:
                statuses.append(json.loads(line)["status"])
        fresh = statuses[self.seen :]
        self.seen = len(statuses)
        return len(fresh), sum(1 for status in fresh if status >= 500)


def _cookies(browser: Browser) -> str:
    jar = next(h.cookiejar for h in browser.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor))
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _staff_cookie(base: str, email: str) -> str:
    browser = Browser(base)
    status, _, _ = browser.submit(browser.page("/inloggen"), {"email": email, "password": DEMO_PASSWORD})
    assert status == 303, status
    return _cookies(browser)


def _form(base: str, path: str, filled: dict[str, str]) -> tuple[dict, str]:
    """A visitor's form as the page gives it (with its CSRF and submission tokens), with ``filled`` typed into the
    fields it has, and the visitor's session: the token stays valid for every request of the scan."""
    browser = Browser(base)
    values = browser.page(path).form_values()
    return {**values, **{name: value for name, value in filled.items() if name in values}}, _cookies(browser)


def sqlmap_targets(base: str, database_url: str) -> list[scanners.Target]:
    reference = any_reference(database_url)
    report = report_form(reporter_email="scanner@example.nl")
    nobody = {"email": "niemand@example.nl", "password": "geen-wachtwoord"}
    staff = _staff_cookie(base, COORDINATOR)
    return [
        scanners.Target("report form", "/melden", *_form(base, "/melden", report)),
        scanners.Target("report about oneself", "/melden/over-mezelf", *_form(base, "/melden/over-mezelf", report)),
        scanners.Target("status lookup", "/status", *_form(base, "/status", {"reference": reference})),
        scanners.Target("login", "/inloggen", *_form(base, "/inloggen", nobody)),
        scanners.Target(
            "forgot password", "/wachtwoord-vergeten", *_form(base, "/wachtwoord-vergeten", {"email": nobody["email"]})
        ),
        scanners.Target(
            "board search and filters",
            "/werk/?q=teststraat&tab=open&area=1&assignee=2&partner=1&urgent=1&overdue=1&page=1",
            cookie=staff,
        ),
        scanners.Target("figures filters", "/cijfers/?van=2026-01-01&tot=2026-06-30&werkgebied=1&team=1", cookie=staff),
        scanners.Target(
            "figures CSV", "/cijfers/export.csv?van=2026-01-01&tot=2026-06-30&scheiding=puntkomma", cookie=staff
        ),
        scanners.Target(
            "API: list requests",
            f"/open311/v2/requests.json?api_key={API_KEY}&service_code=zorg-om-ander&status=open"
            "&start_date=2026-01-01T00:00:00Z&end_date=2026-12-31T00:00:00Z",
        ),
        scanners.Target(
            "API: post a request",
            "/open311/v2/requests.json",
            {
                "api_key": API_KEY,
                "service_code": "zorg-om-ander",
                "address_string": "4531 AB 12",
                "attribute[reporter_role]": "courier",
                "description": "Buurvrouw komt al weken niet buiten.",
                "email": "scanner@example.nl",
            },
            success_code=201,
        ),
        scanners.Target("API: one request", f"/open311/v2/requests/{reference}.json?api_key={API_KEY}"),
    ]


# Per link form, how many requests got through its checks to its work (a link used up, a sign-up stored): none
# would mean that no payload reached the form's own work, only its refusals.
USED = {
    "/wachtwoord-kiezen/": "SELECT count(*) FROM user_tokens t JOIN users u ON u.id = t.user_id WHERE u.email LIKE "
    ":accounts AND t.purpose = 'invite' AND u.password_hash IS NOT NULL",
    "/wachtwoord-herstellen/": "SELECT count(*) FROM user_tokens t JOIN users u ON u.id = t.user_id WHERE u.email LIKE "
    ":accounts AND t.purpose = 'reset' AND u.password_hash IS NOT NULL",
    "/initiatief/overdracht/": "SELECT count(*) FROM referrals WHERE signal_id = :signal AND answered_at IS NOT NULL",
    "/initiatief/": "SELECT count(*) FROM initiative_checks WHERE initiative_id = :initiative AND used_at IS NOT NULL",
    # A sign-up of someone who signed up before updates theirs: counted by its audit record.
    "/buren/": "SELECT count(*) FROM audit_events WHERE action = 'volunteer.signup' AND object_key LIKE :signups",
}


def _used(database_url: str, scanner: links.Scanner, form: links.LinkForm) -> int:
    query = next(sql for prefix, sql in USED.items() if form.path.startswith(prefix))
    ids = {"accounts": links.ACCOUNTS, "signal": scanner.signal_id, "initiative": scanner.initiative_id}
    with dataset.connected(database_url) as connection:
        return connection.execute(sa.text(query), {**ids, "signups": f"#{scanner.call_id} signup %"}).scalar_one()


def link_form_outcomes(log: RequestLog, base: str, database_url: str, scanner: links.Scanner, folder: Path) -> list:
    """sqlmap on each form behind a link, through the proxy that gives every request an unused link."""
    read, forms = zip(*(links.first_links(form) for form in scanner.forms), strict=True)
    outcomes = []
    with links.link_proxy(base, list(forms)) as proxy:
        for page, form in zip(read, forms, strict=True):
            # Every field filled in, the boxes and choices a page leaves unticked too.
            data, cookie = _form(base, page, {})
            log.since_last()
            target = scanners.Target(form.name, form.path, {**data, **form.filled}, cookie, proxy=proxy.url)
            outcome = _measured(log, "sqlmap", form.name, lambda t=target: scanners.sqlmap(base, t, folder))
            used = _used(database_url, scanner, form)
            outcome.target += f" ({used} done)"
            if not used:
                outcome.findings.append("no request got past the form's checks to its work")
            if form.path in proxy.ran_out:
                outcome.findings.append(f"more requests than the {len(form.tokens)} links made")
            outcomes.append(outcome)
    return outcomes


def _measured(log: RequestLog, scanner: str, target: str, run: Callable[[], scanners.Findings]) -> Outcome:
    print(f"{scanner}: {target}…", file=sys.stderr, flush=True)
    found = run()
    requests, errors = log.since_last()
    findings = [*found.findings, *([f"{errors} answers were server errors (5xx)"] if errors else [])]
    return Outcome(scanner, target, requests, findings, found.false_positives)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, help="keep the demo database and reports here (default: temporary)")
    parser.add_argument("--only", choices=("access", "sqlmap", "wapiti"), help="run one kind of check")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="signaalpunt-audit-"))
    folder.mkdir(parents=True, exist_ok=True)
    database_url = dataset.build(folder, 0)
    api_key(database_url)
    # The scanners send thousands of requests from one address: the rate limits (proven by the tests) would
    # refuse all but the first few, and the parameters behind them would go untested.
    environment = dataset.server_environment(database_url, SIGNAALPUNT_STATUS_RATE_LIMIT='"1000000 per hour"')
    log = RequestLog(folder / "server.log")
    outcomes = []
    with gunicorn_serving(database_url, log=log.path, **environment) as server:
        os.environ.update(environment)  # the app itself, for its URL map
        app = create_app()
        scanner = links.make_scanner(app)
        before = untouched.fingerprint(database_url, scanner.own_rows())
        if args.only in (None, "access"):
            outcomes.append(
                _measured(
                    log,
                    "access control",
                    "every staff route × every demo login",
                    lambda: scanners.Findings(access_control.sweep(app, server.base, database_url)),
                )
            )
        if args.only in (None, "sqlmap"):
            for target in sqlmap_targets(server.base, database_url):
                log.since_last()  # the logins that fetched the targets' pages and cookies
                outcomes.append(
                    _measured(log, "sqlmap", target.name, lambda t=target: scanners.sqlmap(server.base, t, folder))
                )
            outcomes += link_form_outcomes(log, server.base, database_url, scanner, folder)
        if args.only in (None, "wapiti"):
            outcomes.append(_measured(log, "wapiti", "public pages", lambda: scanners.wapiti(server.base, folder)))
        # The staff scan acts as a coordinator, who may change her team's signals: compared before it.
        outcomes.append(
            Outcome(
                "data untouched",
                "every table but the visitors' own reports and logins, after the checks above",
                0,
                untouched.changed(before, untouched.fingerprint(database_url, scanner.own_rows())),
                [],
            )
        )
        if args.only in (None, "wapiti"):
            login = (COORDINATOR, DEMO_PASSWORD)
            outcomes.append(
                _measured(
                    log, "wapiti", "staff pages (coordinator)", lambda: scanners.wapiti(server.base, folder, login)
                )
            )
    print("\n| scanner | target | requests | findings | false positives (SECURITY.md) |\n|---|---|---:|---:|---:|")
    for outcome in outcomes:
        print(outcome.markdown())
    for outcome in outcomes:
        for finding in outcome.findings:
            print(f"- {outcome.scanner}, {outcome.target}: {finding}")
        for finding in sorted(set(outcome.false_positives)):
            print(f"- (false positive) {outcome.scanner}, {outcome.target}: {finding}")
    sys.exit(1 if any(outcome.findings for outcome in outcomes) else 0)


if __name__ == "__main__":
    main()
