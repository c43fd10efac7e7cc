"""``flask signaalpunt …`` commands."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Blueprint, current_app

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.service import create_user
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import checkpoint_wal, write_transaction
from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import DeliveryReport, requeue_given_up_messages
from signaalpunt.extensions import db
from signaalpunt.neighbours.centroids import check_centroids, import_centroids
from signaalpunt.ops import mail_worker
from signaalpunt.ops.backup import BackupError, backup_sqlite
from signaalpunt.ops.demo import DEMO_PASSWORD, load_demo_casework, load_demo_partners
from signaalpunt.ops.demo_api import load_demo_api_key
from signaalpunt.ops.demo_neighbours import load_demo_neighbours
from signaalpunt.ops.demo_referrals import load_demo_referrals
from signaalpunt.ops.demo_socialmap import load_demo_social_map
from signaalpunt.ops.generate import generate_signals, generated_teams
from signaalpunt.ops.jobs import apply_retention, ask_initiatives_job, queue_digests, run_logged
from signaalpunt.ops.progress import progress
from signaalpunt.organisations.models import Organisation
from signaalpunt.organisations.teams import create_organisation
from signaalpunt.signals import tallies
from signaalpunt.signals.retention import anonymise

bp = Blueprint("cli", __name__, cli_group="signaalpunt")


@bp.cli.command("send-mail")
@click.option("--watch", type=click.IntRange(min=1), help="Keep running, looking for due mail every N seconds.")
def send_mail(watch: int | None) -> None:
    """Send the requested password-reset links and deliver the queued e-mail that is due; failed messages are
    retried later with growing pauses. On SQLite it also empties the write-ahead log now and then."""

    def say(report: DeliveryReport) -> None:
        click.echo(f"Sent {report.sent}, retrying later {report.retrying}, given up {report.given_up}.")

    if watch:
        mail_worker.watch(watch, say)
        return
    say(mail_worker.deliver_once())
    checkpoint_wal()


@bp.cli.command("retry-mail")
def retry_mail() -> None:
    """Queue every given-up message again (after a long mail outage is over); send-mail then delivers them."""
    with write_transaction():
        count = requeue_given_up_messages(utcnow())
    click.echo(f"{count} messages queued again.")


@bp.cli.command("load-demo")
def load_demo() -> None:
    """Add demo partners, areas, staff and signals (safe to run again; refused in production)."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    added = load_demo_partners()
    db.session.commit()
    logins = load_demo_casework()
    initiatives = load_demo_social_map()
    db.session.commit()
    referrals = load_demo_referrals()
    db.session.commit()
    calls = load_demo_neighbours()
    db.session.commit()
    api_key = load_demo_api_key()
    db.session.commit()
    click.echo(
        f"Demo data loaded ({added} partners, {initiatives} initiatives, {referrals} referrals"
        f" and {calls} calls for neighbours added)."
    )
    if logins:
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for team in dict.fromkeys(team for team, _email, _role in logins):
            click.echo(f"  {team}")
            for email, role in ((email, role) for name, email, role in logins if name == team):
                click.echo(f"    {role.value:<14} {email}")
    if api_key:
        click.echo(f"Demo API key of the parcel carrier's app (shown once): {api_key}")
        click.echo(f"  Open311 base URL: {public_url('open311.documentation').rstrip('/')}  (try: services.json)")


def _organisation(slug: str | None) -> Organisation:
    """The team named by ``--organisation``; without it, the only team there is."""
    if slug is not None:
        found = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if found is None:
            raise click.ClickException(f"No organisation with the short name {slug!r}.")
        return found
    teams = db.session.scalars(sa.select(Organisation).limit(2)).all()
    if len(teams) != 1:
        raise click.ClickException("Name the team with --organisation (its short name).")
    return teams[0]


@bp.cli.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADMIN.value, show_default=True)
@click.option("--organisation", "slug", help="The team's short name (needed when there are several teams).")
@click.password_option(help="At least 12 characters.")
def create_user_command(email: str, name: str, role: str, slug: str | None, password: str) -> None:
    """Create a staff account with a password: a team's first admin, or a region administrator or viewer."""
    chosen = Role(role)
    organisation = None if chosen.is_regional else _organisation(slug)
    try:
        create_user(organisation, email, name, chosen, password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Account created for {email} ({role}).")


@bp.cli.command("create-organisation")
@click.option("--name", prompt=True, help="Shown on the team's pages and mail, e.g. 'Signaalpunt Terneuzen'.")
@click.option("--slug", prompt=True, help="Short name in links, e.g. 'terneuzen'.")
@click.option("--admin-email", prompt=True)
@click.option("--admin-name", prompt=True)
@click.password_option("--admin-password", help="The first administrator's password (at least 12 characters).")
def create_organisation_command(name: str, slug: str, admin_email: str, admin_name: str, admin_password: str) -> None:
    """Add a municipal team to the region, with its first administrator."""
    try:
        create_organisation(name, slug, admin_name, admin_email, admin_password=admin_password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Team {name} ({slug}) created; {admin_email} can log in as its administrator.")


def _run_jobs(*jobs: Callable[[], str]) -> None:
    """Run each job, also after one fails, then exit with an error if any did."""
    failed = False
    for job in jobs:
        summary = run_logged(job)
        failed = failed or summary is None
        if summary is not None:
            click.echo(summary)
    if failed:
        raise SystemExit(1)


@bp.cli.command("digest")
def digest() -> None:
    """E-mail each coordinator the list of overdue signals of their team."""
    _run_jobs(queue_digests)


@bp.cli.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised.")
def anonymise_command(dry_run: bool) -> None:
    """Remove personal data of signals ended longer ago than their team's retention period (idempotent)."""
    if dry_run:
        report = anonymise(utcnow(), dry_run=True)
        click.echo(f"Would anonymise {report.signals} signals and remove {report.outbox_messages} e-mails.")
        return
    _run_jobs(apply_retention)


@bp.cli.command("rebuild-figures")
def rebuild_figures_command() -> None:
    """Recompute the figures' running totals from the signals (with their referrals and calls): a team's day per
    short transaction, then the week's rows from its days, the region's rows with each (reports keep being stored
    while it runs; a day changed meanwhile counts exactly)."""
    weeks = tallies.weeks_to_rebuild(db.session.connection())
    counted = 0
    with progress("Cijfers herberekenen", len(weeks)) as advance:
        for organisation_id, monday in weeks:
            for step in tallies.rebuild_steps(organisation_id, monday):
                with write_transaction():
                    counted += step(db.session.connection())
            advance(1)
    click.echo(f"Recounted {counted} signals in {len(weeks)} weeks of teams.")


@bp.cli.command("ask-initiatives")
def ask_initiatives_command() -> None:
    """E-mail each initiative due for its half-yearly check a link to confirm or correct its details."""
    _run_jobs(ask_initiatives_job)


@bp.cli.command("daily")
def daily() -> None:
    """The daily jobs: the overdue digest, retention (volunteers not picked too), asking initiatives; each runs even
    when one before failed."""
    _run_jobs(queue_digests, apply_retention, ask_initiatives_job)


@bp.cli.command("import-postcode-centroids")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_postcode_centroids(source: Path) -> None:
    """Read postcode centroids (CSV: postcode, latitude, longitude) to rank volunteers by distance; nothing is
    stored unless every row is right."""
    report = check_centroids(source.read_bytes())
    if not report.clean:
        for line, problem in report.problems:
            click.echo(f"line {line}: {problem}", err=True)
        raise click.ClickException(report.file_problem or f"{len(report.problems)} rows refused; nothing imported.")
    with write_transaction():
        count = import_centroids(report.rows)
    click.echo(f"Imported {count} postcode centroids.")


@bp.cli.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path), required=False)
def backup_command(destination: Path | None) -> None:
    """Copy the SQLite database to DESTINATION while the app runs (default: instance/backups/<time>.db)."""
    if destination is None:
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        destination = Path(current_app.instance_path) / "backups" / f"signaalpunt-{stamp}.db"
    try:
        signals = backup_sqlite(db.engine, destination)
    except (BackupError, sqlite3.Error) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {signals} signals to {destination}.")


@bp.cli.command("generate")
@click.option("--signals", "count", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--teams", type=click.IntRange(min=1), default=1, show_default=True, help="Spread over this many teams.")
@click.option(
    "--years", type=click.IntRange(min=1), default=1, show_default=True, help="Spread over this many years back."
)
def generate_command(count: int, teams: int, years: int) -> None:
    """Add synthetic signals for benchmarks, evenly over the first teams (made up to ``--teams``) and the last
    ``--years``; refused in production."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("Generated data is never added in production.")
    with progress("Genereren", count) as advance:
        made = sum(
            generate_signals(share, team_id, advance=advance, years=years)
            for team_id, share in generated_teams(count, teams)
        )
    click.echo(f"Generated {made} signals over {teams} teams and {years} years.")
