"""``flask signaalpunt …`` commands."""

import time

import click
from flask import Blueprint, current_app

from signaalpunt.demo import load_demo_partners
from signaalpunt.extensions import db
from signaalpunt.mail import deliver_due_messages

bp = Blueprint("cli", __name__, cli_group="signaalpunt")


@bp.cli.command("send-mail")
@click.option("--watch", type=click.IntRange(min=1), help="Keep running, looking for due mail every N seconds.")
def send_mail(watch: int | None) -> None:
    """Deliver the queued e-mail that is due; failed messages are retried later with growing pauses."""
    while True:
        report = deliver_due_messages()
        if not watch or report.sent or report.retrying or report.given_up:
            click.echo(f"Sent {report.sent}, retrying later {report.retrying}, given up {report.given_up}.")
        if not watch:
            return
        db.session.remove()
        time.sleep(watch)


@bp.cli.command("load-demo")
def load_demo() -> None:
    """Add the demo partners (safe to run again; refused in production)."""
    if current_app.config["ENVIRONMENT"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    added = load_demo_partners()
    db.session.commit()
    click.echo(f"Demo data loaded ({added} partners added).")
