"""The outside scanners, run from their own virtualenv (``.venv-audit``, made by ``make audit``): sqlmap on every
parameter of the forms and filters that reach the database, wapiti over the public and the staff side."""

import json
import os
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".venv-audit" / "bin"
# Each scanner stops by itself; these bound a hung one.
SQLMAP_SECONDS = 900
WAPITI_SCAN_SECONDS = 240
WAPITI_SECONDS = 1800


@dataclass(frozen=True)
class Target:
    """One request sqlmap varies, parameter by parameter: a form's POST (with the CSRF token of ``cookie``'s
    session, valid for every request of the scan) or a GET with a query."""

    name: str
    path: str
    data: dict[str, str] | None = None
    cookie: str | None = None
    # For an answer that differs every time (a new reference): the status that means "taken", to compare by.
    success_code: int | None = None
    # Sent through this proxy (the forms behind a single-use link: links.LinkProxy gives each request a fresh one).
    proxy: str | None = None

    def url(self, base: str) -> str:
        return base + self.path


@dataclass
class Findings:
    findings: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)


# Findings that are not weaknesses of the app as it is deployed, each with why (listed in SECURITY.md too).
FALSE_POSITIVES = {
    "Secure flag is not set in the cookie": "the audit serves plain HTTP on loopback, so the session cookie cannot "
    "be Secure there; in production it is __Host-session, Secure, HttpOnly, SameSite=Lax "
    "(test_production_cookies_are_secure_host_only_httponly_lax)",
}


def _classified(found: Findings, finding: str) -> None:
    if any(pattern in finding for pattern in FALSE_POSITIVES):
        found.false_positives.append(finding)
    else:
        found.findings.append(finding)


def sqlmap(base: str, target: Target, folder: Path) -> Findings:
    """sqlmap at level 1 and risk 1 (no payload that could change data it did not create), every technique."""
    command = [
        str(TOOLS / "sqlmap"),
        "-u",
        target.url(base),
        "--batch",
        "--flush-session",
        "--output-dir",
        str(folder / "sqlmap"),
        "--threads",
        "2",
        "--timeout",
        "15",
        "--retries",
        "1",
        "--time-sec",
        "2",
        # The app answers a refused value with 422 and the form again: not an error page to learn from.
        "--ignore-code",
        "400,403,404,422",
        # A stored report answers with a redirect to its confirmation: the answer itself is what differs.
        "--ignore-redirects",
    ]
    if target.data is not None:
        data = target.data
        command += ["--data", urllib.parse.urlencode(data, doseq=True), "--method", "POST"]
        if "csrf_token" in data:
            command += ["--skip", "csrf_token"]
        if "submission_token" in data:
            # A new report for every request: with the form's one token, all but the first would be recognised
            # as the same report sent again, and the payloads would never reach the insert.
            command += ["--eval", "import secrets; submission_token = secrets.token_urlsafe(24)"]
    if target.cookie:
        command += ["--cookie", target.cookie]
    if target.success_code:
        command += ["--code", str(target.success_code)]
    if target.proxy:
        # The visitor's first session stays (its CSRF token holds); choosing a password starts a login, for one.
        command += ["--proxy", target.proxy, "--drop-set-cookie"]
    # --eval is code of our own (a fresh submission token), which sqlmap runs only when told so.
    environment = {**os.environ, "SQLMAP_UNSAFE_EVAL": "1"}
    run = subprocess.run(command, capture_output=True, text=True, timeout=SQLMAP_SECONDS, check=False, env=environment)
    output = run.stdout + run.stderr
    found = Findings()
    if "identified the following injection point" in output:
        found.findings += [f"{target.name}: {line.strip()}" for line in output.splitlines() if "Parameter:" in line]
    # sqlmap ends with 0 even when it could not test anything: a critical message other than its verdict that no
    # parameter is injectable means it did not.
    stopped = [
        line.strip()
        for line in output.splitlines()
        if "[CRITICAL]" in line and "do not appear to be injectable" not in line
    ]
    if stopped or (run.returncode != 0 and not found.findings):
        found.findings.append(f"{target.name}: sqlmap did not finish ({run.returncode}): {' '.join(stopped)[-300:]}")
    return found


def wapiti(base: str, folder: Path, login: tuple[str, str] | None = None) -> Findings:
    """wapiti's default attack modules, crawling from the home page (and, with ``login``, as that staff member).

    Left out: ``ssl`` (loopback speaks plain HTTP; TLS is the reverse proxy's, see docs/nginx) and ``ssrf`` (it
    needs wapiti's endpoint on the internet, which this machine cannot reach)."""
    name = "staff" if login else "public"
    report = folder / f"wapiti-{name}.json"
    command = [
        str(TOOLS / "wapiti"),
        "-u",
        base + "/",
        "--scope",
        "folder",
        "-m",
        "cookieflags,csp,exec,file,http_headers,permanentxss,redirect,sql,upload,xss",
        "--flush-session",
        "--store-session",
        str(folder / f"wapiti-session-{name}"),
        "--max-scan-time",
        str(WAPITI_SCAN_SECONDS),
        # Per module; ten modules.
        "--max-attack-time",
        "60",
        # The staff side has a page per signal (with a form per step), call and referral: a few of each kind show
        # every form; attacking all 96 demo signals' forms would take hours and find nothing more.
        "--depth",
        "3",
        "--max-files-per-dir",
        "8",
        "--max-links-per-page",
        "40",
        "-f",
        "json",
        "-o",
        str(report),
        # Logging out would end the crawl's session.
        "-x",
        base + "/uitloggen",
    ]
    if login:
        command += ["--form-url", base + "/inloggen", "--form-user", login[0], "--form-password", login[1]]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=WAPITI_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return Findings([f"wapiti ({name}) did not finish within {WAPITI_SECONDS} s"])
    found = Findings()
    if not report.exists():
        found.findings.append(f"wapiti ({name}) wrote no report: {(run.stdout + run.stderr).strip()[-300:]}")
        return found
    results = json.loads(report.read_text())
    for section in ("vulnerabilities", "anomalies"):
        for category, items in results.get(section, {}).items():
            for item in items:
                _classified(found, f"{category}: {item.get('method')} {item.get('path')} {item.get('info')}")
    return found
