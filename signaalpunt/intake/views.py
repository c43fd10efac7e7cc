"""Thin views for the public pages: parse the form, call the service, redirect."""

from collections.abc import Sequence

import sqlalchemy as sa
from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug import Response

from signaalpunt.core.database import RETRY_AFTER_SECONDS, discard_failed_transaction, writes_explicitly
from signaalpunt.extensions import limiter
from signaalpunt.forms.report import Offered, OfferedPartner, ReportForm, SelfReportForm
from signaalpunt.intake import bp
from signaalpunt.intake.forms import StatusLookupForm
from signaalpunt.organisations.models import Organisation, Partner
from signaalpunt.organisations.routing import municipalities_to_offer
from signaalpunt.signals.enums import Channel, ReporterRole
from signaalpunt.signals.intake import (
    Report,
    active_partners,
    new_submission_token,
    public_status_for,
    submit_report,
)
from signaalpunt.signals.reference import generate_reference

CONFIRMATION_KEY = "confirmed_report"


def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


def _status_limit() -> str:
    return current_app.config["STATUS_RATE_LIMIT"]


def _report_form(
    formdata: object = None,
    partners: Sequence[OfferedPartner] | None = None,
    municipalities: Sequence[Offered] | None = None,
) -> ReportForm:
    form = ReportForm(formdata=formdata) if formdata is not None else ReportForm()
    form.offer_municipalities(municipalities_to_offer() if municipalities is None else municipalities)
    if request.method == "GET":
        form.offer_partners(active_partners(), preselect=request.args.get("via", ""))
        form.submission_token.data = new_submission_token()
    else:
        form.offer_partners(active_partners() if partners is None else partners)
    return form


def _render_report_form(form: ReportForm, notice: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("intake/report.html", form=form, notice=notice), status


@bp.route("/")
def index() -> Response:
    return redirect(url_for("intake.report"))


@bp.route("/melden", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
@writes_explicitly
def report() -> Response | tuple[str, int]:
    form = _report_form()
    if request.method == "POST" and form.website.data:
        return _fake_confirmation()
    if not form.validate_on_submit():
        return _render_report_form(form)
    report = form.to_report(Channel.WEB, str(get_locale()))
    # "Nog een melding doen" keeps the partner the reporter came through.
    return _store_and_confirm(report, form.submission_token.data, via=form.partner.data or None)


def _store_and_confirm(report: Report, submission_token: str | None, via: str | None = None) -> Response:
    stored = submit_report(report, submission_token or None)
    session[CONFIRMATION_KEY] = {
        "reference": stored.reference,
        "urgent": stored.urgent,
        "organisation": stored.organisation_name,
        "phone": stored.organisation_phone,
        "working_days": stored.working_days,
        "via": via,
        "self": report.reporter_role == ReporterRole.SELF,
    }
    return redirect(url_for("intake.confirmation"))


def _fake_confirmation() -> Response:
    """A bot filled the hidden field: answer as if all went well, store nothing."""
    session[CONFIRMATION_KEY] = {"reference": generate_reference(), "urgent": False}
    return redirect(url_for("intake.confirmation"))


@bp.route("/melden/over-mezelf", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
@writes_explicitly
def report_self() -> Response | tuple[str, int]:
    """Someone who worries about themselves, or often feels alone: a short form of their own."""
    form = SelfReportForm()
    if request.method == "GET":
        form.submission_token.data = new_submission_token()
        form.language.data = str(get_locale())
    if request.method == "POST" and form.website.data:
        return _fake_confirmation()
    if not form.validate_on_submit():
        return render_template("intake/self_report.html", form=form), 200
    return _store_and_confirm(form.to_report(), form.submission_token.data)


@bp.errorhandler(CSRFError)
def report_form_expired(error: CSRFError) -> tuple[str, int]:
    """An expired or missing token re-shows the report form with everything typed and a fresh token."""
    notice = _("Het formulier was verlopen. Controleer uw gegevens en verstuur opnieuw.")
    if request.endpoint == "intake.report_self":
        return _self_form_again(notice, 400)
    if request.endpoint != "intake.report":
        return render_template("errors/form_expired.html"), 400
    return _render_report_form(_report_form(request.form), notice=notice, status=400)


def _self_form_again(notice: str, status: int) -> tuple[str, int]:
    """The self-report form as it was sent (with a token if it had none), and why it was not stored."""
    form = SelfReportForm(request.form)
    form.submission_token.data = form.submission_token.data or new_submission_token()
    return render_template("intake/self_report.html", form=form, notice=notice), status


@bp.errorhandler(429)
def too_many_requests(error: Exception) -> tuple[str, int]:
    """Too many reports from one address: keep what was typed and ask to try later."""
    notice = _("U heeft veel meldingen kort na elkaar verstuurd. Wacht even en verstuur dan opnieuw.")
    if request.endpoint == "intake.report":
        return _render_report_form(_report_form(request.form), notice=notice, status=429)
    if request.endpoint == "intake.report_self":
        return _self_form_again(notice, 429)
    form = StatusLookupForm(request.form)
    notice = _("U heeft vaak achter elkaar een status opgevraagd. Probeer het over een uur opnieuw.")
    return render_template("intake/status.html", form=form, notice=notice), 429


@bp.errorhandler(sa.exc.OperationalError)
@bp.errorhandler(sa.exc.InterfaceError)
def database_unavailable(error: sa.exc.DBAPIError) -> tuple[str, int, dict[str, str]]:
    """The database is down: a report being sent comes back with everything typed, to send again later."""
    discard_failed_transaction(error)
    retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    unsaved = _(
        "Uw melding is nog niet verstuurd: wij kunnen hem op dit moment niet opslaan. Alles wat u typte staat "
        "hieronder nog. Verstuur het over een paar minuten opnieuw. Is iemand in acuut gevaar? Bel 112."
    )
    if request.endpoint == "intake.report_self" and request.method == "POST":
        return *_self_form_again(unsaved, 503), retry
    if request.endpoint != "intake.report" or request.method != "POST":
        return render_template("errors/unavailable.html"), 503, retry
    # The partner and municipality lists live in the database too: keep the chosen ones, named as in the form.
    chosen = request.form.get("partner", "")
    municipality = request.form.get("municipality", "")
    form = _report_form(
        request.form,
        partners=[Partner(slug=chosen, name=chosen)] if chosen else [],
        municipalities=[Organisation(slug=municipality, name=municipality)] if municipality else [],
    )
    return *_render_report_form(form, notice=unsaved, status=503), retry


@bp.route("/melden/ontvangen")
def confirmation() -> Response | str:
    confirmed = session.get(CONFIRMATION_KEY)
    if not confirmed:
        return redirect(url_for("intake.report"))
    return render_template("intake/confirmation.html", confirmed=confirmed)


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def status() -> str:
    form = StatusLookupForm()
    if request.method == "GET":
        # The link in the reporter's mail and on the confirmation fills in the reference; looking it up stays
        # a (rate-limited) press of the button.
        form.reference.data = request.args.get("referentie", "")[:40]
    looked_up = form.validate_on_submit()
    result = public_status_for(form.reference.data) if looked_up else None
    return render_template("intake/status.html", form=form, result=result, looked_up=looked_up)


@bp.route("/privacy")
def privacy() -> str:
    return render_template("intake/privacy.html")
