"""Thin views for Open311 GeoReport v2: find the key and the service, call the partner API's domain, answer in
the format the path names. Every answer about a request is the reduced public view (partnerapi.requests)."""

from datetime import UTC, datetime

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from werkzeug import Response
from werkzeug.exceptions import HTTPException

from signaalpunt.core.links import public_url
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import csrf, db, limiter
from signaalpunt.open311 import bp
from signaalpunt.open311.render import FORMATS, answer, errors
from signaalpunt.organisations.models import Organisation
from signaalpunt.organisations.routing import organisation_for_slug
from signaalpunt.partnerapi.keys import key_for
from signaalpunt.partnerapi.models import ApiKey
from signaalpunt.partnerapi.openapi import openapi_document
from signaalpunt.partnerapi.requests import ApiRefusal, public_request, report_from, requests_of, submission_token
from signaalpunt.partnerapi.services import SERVICES, definition, service_for, summary
from signaalpunt.signals.intake import submit_report
from signaalpunt.signals.queries import signal_by_reference

csrf.exempt(bp)


def _api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _rate_key() -> str:
    """Each key its own budget (shared storage, as for the web form); without a key, the address."""
    presented = request.values.get("api_key", "")
    return "key:" + hashed(presented) if presented else "ip:" + (request.remote_addr or "")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ApiRefusal(400, _("Onbekend formaat ‘%(format)s’: gebruik json of xml.", format=fmt[:20]))
    return fmt


def _key() -> ApiKey:
    key = key_for(request.values.get("api_key", ""))
    if key is None:
        raise ApiRefusal(403, _("Deze API-sleutel is onbekend."))
    if not key.active:
        raise ApiRefusal(403, _("Deze API-sleutel is ingetrokken."))
    g.api_key_id = key.id
    return key


def _jurisdiction() -> Organisation | None:
    slug = request.values.get("jurisdiction_id", "").strip()
    if not slug:
        return None
    found = organisation_for_slug(slug)
    if found is None:
        raise ApiRefusal(404, _("Onbekende jurisdiction_id ‘%(slug)s’.", slug=slug[:60]))
    return db.session.get(Organisation, found)


@bp.errorhandler(ApiRefusal)
def refused(error: ApiRefusal) -> Response:
    fmt = (request.view_args or {}).get("fmt")
    return errors(error.status, error.descriptions, fmt if fmt in FORMATS else "json")


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Not found, too large, too many: the standard's error body too."""
    fmt = (request.view_args or {}).get("fmt")
    if error.code == 415:
        message = _("Stuur het verzoek als application/x-www-form-urlencoded, zoals de standaard vraagt.")
        return errors(400, [message], fmt if fmt in FORMATS else "json")
    descriptions = {
        404: _("Niet gevonden."),
        405: _("Deze methode kan hier niet."),
        413: _("Het verzoek is te groot."),
        429: _("Te veel verzoeken met deze sleutel; probeer het straks opnieuw."),
    }
    text = descriptions.get(error.code, error.description or "")
    return errors(error.code or 500, [text], fmt if fmt in FORMATS else "json")


@bp.route("/discovery.<fmt>")
def discovery(fmt: str) -> Response:
    fmt = _format(fmt)
    body = {
        "changeset": "2026-11-24T00:00:00+00:00",
        "contact": _("Vragen over de koppeling: neem contact op met het Signaalpunt van uw gemeente."),
        "key_service": _("Een API-sleutel krijgt u van de coördinator van uw gemeente of de regiobeheerder."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": public_url("open311.services", fmt="json").rsplit("/", 1)[0],
                "changeset": "2026-11-24T00:00:00+00:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return answer("discovery", body, fmt)


@bp.route("/services.<fmt>")
def services(fmt: str) -> Response:
    fmt = _format(fmt)
    _jurisdiction()
    return answer("services", [summary(service) for service in SERVICES], fmt)


@bp.route("/services/<code>.<fmt>")
def service_definition(code: str, fmt: str) -> Response:
    fmt = _format(fmt)
    service = service_for(code)
    if service is None:
        raise ApiRefusal(404, _("Onbekende service_code ‘%(code)s’.", code=code[:40]))
    return answer("service_definition", definition(service), fmt)


@bp.route("/requests.<fmt>", methods=["POST"])
@limiter.limit(_api_limit, key_func=_rate_key)
def post_request(fmt: str) -> Response:
    fmt = _format(fmt)
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ApiRefusal(400, _("Stuur het verzoek als application/x-www-form-urlencoded, zoals de standaard vraagt."))
    key = _key()
    service = service_for(request.form.get("service_code", ""))
    if service is None:
        raise ApiRefusal(400, _("Onbekende of ontbrekende service_code."))
    report = report_from(service, request.form, key, _jurisdiction())
    token = submission_token(key, request.headers.get("Idempotency-Key") or request.form.get("idempotency_key"))
    stored = submit_report(report, token)
    notice = _("Dank u wel. Het Signaalpunt pakt de melding op; met de referentie kunt u de status volgen.")
    body = [{"service_request_id": stored.reference, "service_notice": notice, "account_id": None}]
    return answer("service_requests", body, fmt, 201)


@bp.route("/requests.<fmt>")
@limiter.limit(_api_limit, key_func=_rate_key)
def list_requests(fmt: str) -> Response:
    """Only the caller's own requests, newest first, in the public view."""
    fmt = _format(fmt)
    key = _key()
    status = request.args.get("status", "")
    if status not in ("", "open", "closed"):
        raise ApiRefusal(400, _("status is open of closed."))
    wanted = [ref.strip() for ref in request.args.get("service_request_id", "").split(",") if ref.strip()]
    found = requests_of(
        key,
        wanted,
        _date("start_date") if request.args.get("start_date") else None,
        _date("end_date") if request.args.get("end_date") else None,
        {"open": False, "closed": True}.get(status),
    )
    shown = [public_request(signal) for signal in found]
    return answer("service_requests", shown, fmt)


def _date(name: str) -> datetime:
    """A W3C date-time from the query, as the naive UTC the signals are stored in."""
    text = request.args[name].strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ApiRefusal(400, _("%(name)s is geen datum zoals 2026-11-24T10:00:00Z.", name=name)) from error
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


@bp.route("/requests/<reference>.<fmt>")
@limiter.limit(_api_limit, key_func=_rate_key)
def get_request(reference: str, fmt: str) -> Response:
    """One request in the public view; like the status page, the reference is all it takes."""
    fmt = _format(fmt)
    signal = signal_by_reference(reference)
    if signal is None:
        raise ApiRefusal(404, _("Er is geen melding met dit referentienummer."))
    return answer("service_requests", [public_request(signal)], fmt)


@bp.route("/openapi.json")
def openapi() -> Response:
    return answer("discovery", openapi_document(), "json")


@bp.route("/")
def documentation() -> str:
    return render_template("open311/documentation.html", base=public_url("open311.documentation").rstrip("/"))
