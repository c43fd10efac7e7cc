"""A request posted by a partner app becomes a report by the web form's own rules, and a stored signal shows a
partner only what the standard's public view may: reference, coarse status, service, dates and the PC4."""

import re
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.organisations.routing import all_organisations
from signaalpunt.partnerapi.models import ApiKey
from signaalpunt.partnerapi.services import Service
from signaalpunt.signals.enums import Channel, PublicStatus, ReporterRole, SignalStatus
from signaalpunt.signals.intake import Report
from signaalpunt.signals.models import Signal
from signaalpunt.signals.workflow import public_status

_ATTRIBUTE = re.compile(r"attribute\[(\w+)\](?:\[\])?")
_HTML = re.compile(r"<\s*[a-zA-Z!/?]")
_POSTCODE_AND_NUMBER = re.compile(r"\b([1-9][0-9]{3}\s?[A-Za-z]{2})\b(?:\s*,?\s*(\d{1,5})\s*([A-Za-z]{0,2})\b)?")
_NUMBER_BEFORE_POSTCODE = re.compile(r"\b(\d{1,5})\s*([A-Za-z]?)\s*,\s*[1-9][0-9]{3}\s?[A-Za-z]{2}\b")
STATUS_NOTES = {
    PublicStatus.RECEIVED: "ontvangen",
    PublicStatus.PICKED_UP: "opgepakt",
    PublicStatus.COMPLETED: "afgerond",
}


class ApiRefusal(Exception):
    """A request the API refuses: the standard's error body, with its HTTP status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions)
        self.status = status
        self.descriptions = descriptions


def _form_data(service: Service, posted: MultiDict, key: ApiKey) -> MultiDict:
    """The posted request in the form's own field names."""
    data = MultiDict()
    for name, value in posted.items(multi=True):
        match = _ATTRIBUTE.fullmatch(name)
        if match and match.group(1) in service.attributes:
            data.add(match.group(1), value)
    contact_name = " ".join(part for part in (posted.get("first_name", ""), posted.get("last_name", "")) if part)
    if service.code == "zorg-om-mezelf":
        data.update({"name": contact_name, "phone": posted.get("phone", ""), "email": posted.get("email", "")})
        data.setdefault("language", "nl")
    else:
        data.update(
            {
                "description": posted.get("description", ""),
                "partner": key.partner.slug,
                "reporter_name": contact_name,
                "reporter_phone": posted.get("phone", ""),
                "reporter_email": posted.get("email", ""),
            }
        )
    if not data.get("postcode") and posted.get("address_string"):
        _read_address(posted["address_string"], data)
    if data.get("keep_informed") in ("false", "0"):
        data.pop("keep_informed")
    return data


def _read_address(text: str, data: MultiDict) -> None:
    """``"Dorpsstraat 7, 4531 AB Terneuzen"`` or ``"4531AB 7"``: the postcode and house number in it."""
    found = _POSTCODE_AND_NUMBER.search(text)
    if found is None:
        return
    data["postcode"] = found.group(1)
    before = _NUMBER_BEFORE_POSTCODE.search(text)
    number, suffix = (before.group(1), before.group(2)) if before else (found.group(2), found.group(3))
    if number:
        data.setdefault("house_number", number)
        if suffix:
            data.setdefault("house_number_suffix", suffix)


def report_from(service: Service, posted: MultiDict, key: ApiKey, jurisdiction: Organisation | None) -> Report:
    """The request as a Report, checked exactly as the web form checks; refused (400) with every reason."""
    texts = [value for name, value in posted.items(multi=True) if name != "api_key"]
    if any(_HTML.search(value) for value in texts):
        raise ApiRefusal(400, _("Tekst mag geen HTML bevatten."))
    form = service.form_class(formdata=_form_data(service, posted, key), meta={"csrf": False})
    if hasattr(form, "offer_partners"):
        form.offer_partners([key.partner])
        form.offer_municipalities(all_organisations())
    if not form.validate():
        problems = [f"{name}: {errors[0]}" for name, errors in form.errors.items() if errors]
        raise ApiRefusal(400, *problems)
    report = form.to_report(Channel.API, "nl") if service.code == "zorg-om-ander" else form.to_report()
    if report.postcode is None and jurisdiction is None and report.reporter_role != ReporterRole.SELF:
        raise ApiRefusal(400, _("Geef een postcode (attribute[postcode] of address_string) of jurisdiction_id."))
    return replace(
        report,
        channel=Channel.API,
        partner_slug=key.partner.slug,
        api_key_id=key.id,
        municipality_slug=jurisdiction.slug if jurisdiction else report.municipality_slug,
    )


def submission_token(key: ApiKey, idempotency_key: str | None) -> str | None:
    """A retried POST with the same ``Idempotency-Key`` finds the first request, and only for the same key."""
    if not idempotency_key:
        return None
    return hashed(f"{key.id}:{idempotency_key}")


MAX_LISTED = 1000


def _completed() -> sa.ColumnElement[bool]:
    """In SQL what ``public_status`` says in Python: ended, or a duplicate of a signal that ended."""
    primary = sa.orm.aliased(Signal)
    primary_ended = sa.exists().where(
        primary.id == Signal.duplicate_of_id, primary.status.in_(SignalStatus.ended_statuses())
    )
    return sa.or_(
        Signal.status.in_(SignalStatus.ended_statuses()),
        sa.and_(Signal.status == SignalStatus.DUPLICATE, primary_ended),
    )


def requests_of(
    key: ApiKey,
    references: list[str],
    start: datetime | None,
    end: datetime | None,
    closed: bool | None,
) -> list[Signal]:
    """The requests sent with this key (never another's), newest first, at most ``MAX_LISTED``."""
    query = sa.select(Signal).where(Signal.api_key_id == key.id)
    if references:
        query = query.where(Signal.reference.in_([reference.upper() for reference in references[:MAX_LISTED]]))
    if start is not None:
        query = query.where(Signal.created_at >= start)
    if end is not None:
        query = query.where(Signal.created_at <= end)
    if closed is not None:
        query = query.where(_completed() if closed else ~_completed())
    return list(db.session.scalars(query.order_by(Signal.created_at.desc()).limit(MAX_LISTED)))


def _moment(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat() + "+00:00"


def public_request(signal: Signal) -> dict:
    """Only what a partner may see of a request: never a name, street, house number, description or outcome."""
    status = public_status(signal)
    self_report = signal.reporter_role == ReporterRole.SELF
    return {
        "service_request_id": signal.reference,
        "status": "closed" if status == PublicStatus.COMPLETED else "open",
        "status_notes": STATUS_NOTES[status],
        "service_name": "Zorg om uzelf" if self_report else "Zorg om iemand anders",
        "service_code": "zorg-om-mezelf" if self_report else "zorg-om-ander",
        "requested_datetime": _moment(signal.created_at),
        "updated_datetime": _moment(signal.updated_at),
        "zipcode": signal.pc4 or "",
    }
