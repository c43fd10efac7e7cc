"""Test data: reports as a person would fill them in, stored signals, staff and areas."""

import itertools

import pyotp
import sqlalchemy as sa

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import create_user
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.areas import set_area_ranges
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.partnerapi.keys import create_key
from signaalpunt.signals.enums import ReporterRole
from signaalpunt.signals.intake import Report, submit_report
from signaalpunt.signals.models import Signal

PASSWORD = "correct horse battery staple"  # zxcvbn score 4
VALID_FORM = {
    "reporter_role": "courier",
    "postcode": "4531 AB",
    "house_number": "12",
    "description": "De brievenbus puilt al twee weken uit en de gordijnen blijven dicht.",
}
_numbers = itertools.count(1)


def report_form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """The fields a courier fills in for a quick, valid report, with ``changes`` on top."""
    return {**VALID_FORM, **changes}


def organisation() -> Organisation:
    """The installation's first team (made by the migrations; it receives what no area covers)."""
    return db.session.scalar(sa.select(Organisation).order_by(Organisation.id))


def make_organisation(
    name: str = "Signaalpunt Goeree-Overflakkee", slug: str = "goeree-overflakkee", **fields: object
) -> Organisation:
    """A second team of the region."""
    team = Organisation(name=name, slug=slug, **fields)
    db.session.add(team)
    db.session.commit()
    return team


def make_signal(**fields: object) -> Signal:
    """A stored signal, made through the same service the form uses (what the test set up before is stored
    first: the service writes in a transaction of its own)."""
    db.session.commit()
    values = {
        "reporter_role": ReporterRole.NEIGHBOUR,
        "description": "Buurvrouw komt al weken niet meer buiten.",
        "postcode": "4531 AB",
        "house_number": 7,
        **fields,
    }
    return db.session.get(Signal, submit_report(Report(**values), submission_token=None).signal_id)


def make_area(
    name: str = "Centrum", ranges: tuple[tuple[int, int], ...] = ((4531, 4532),), team: Organisation | None = None
) -> Area:
    area = Area(organisation=team or organisation(), name=name)
    set_area_ranges(area, list(ranges))
    db.session.add(area)
    db.session.commit()
    return area


def make_user(
    role: Role = Role.WORKER,
    name: str | None = None,
    areas: tuple[Area, ...] = (),
    team: Organisation | None = None,
    **fields: object,
) -> User:
    number = next(_numbers)
    user = create_user(
        None if role.is_regional else team or organisation(),
        fields.pop("email", f"medewerker{number}@example.nl"),
        name or f"Medewerker {number}",
        role,
        PASSWORD,
    )
    user.areas = list(areas)
    user.totp_secret = pyotp.random_base32()
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def make_partner(name: str = "Snelpakket", slug: str = "snelpakket") -> Partner:
    partner = Partner(name=name, slug=slug, kind=PartnerKind.PARCEL_CARRIER)
    db.session.add(partner)
    db.session.commit()
    return partner


def make_api_key(partner: Partner) -> str:
    """A key for the partner's app, made by a coordinator of the default team; the key itself."""
    _made, key = create_key(make_user(Role.COORDINATOR), partner, "app", utcnow())
    db.session.commit()
    return key
