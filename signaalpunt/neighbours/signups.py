"""A volunteer signs up for one call through a partner's link, without an account; a second sign-up by the same
person for the same call updates the first. A closed or expired call keeps nothing. A link in the confirmation
withdraws the sign-up."""

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale, lazy_gettext
from flask_babel import gettext as _

from signaalpunt.accounts import audit
from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import queue_mail
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import Availability
from signaalpunt.neighbours.models import CallInvite, NeighbourCall, VolunteerSignup
from signaalpunt.signals.enums import EventKind
from signaalpunt.signals.workflow import log_event
from signaalpunt.socialmap.enums import SpokenLanguage


@dataclass(frozen=True)
class SignupDetails:
    """What a volunteer typed, already checked and normalised by the form."""

    name: str
    postcode: str
    house_number: int
    phone: str | None
    email: str | None
    availability: tuple[Availability, ...]
    languages: tuple[SpokenLanguage, ...]
    motivation: str
    # The page's language: their mail is written in it.
    language: str = "nl"


def invite_for(token: str) -> CallInvite | None:
    return db.session.scalar(sa.select(CallInvite).where(CallInvite.token == token))


def closed_message() -> str:
    return _("Deze oproep is gesloten: er zijn genoeg buren gevonden, of de oproep is verlopen. Dank u wel!")


def _same_person(call: NeighbourCall, details: SignupDetails) -> VolunteerSignup | None:
    for signup in call.signups:
        if (details.email and signup.email == details.email) or (details.phone and signup.phone == details.phone):
            return signup
    return None


def sign_up(invite: CallInvite, details: SignupDetails, now: datetime) -> tuple[VolunteerSignup, bool]:
    """Store the sign-up (or update the same person's earlier one) and mail a confirmation with a link to
    withdraw; returns it and whether it was an update. A closed call stores nothing."""
    call = invite.call
    # Read again and held until the commit (PostgreSQL; SQLite's writing request holds the whole database): two
    # volunteers at the same moment would otherwise each add one to the same count and lose one, in the call and in
    # the figures' running totals, and the same person twice would make two sign-ups.
    db.session.refresh(call, with_for_update=True)
    if not call.is_open(now):
        raise DomainError(closed_message())
    signup = _same_person(call, details)
    merged = signup is not None
    if signup is None:
        signup = VolunteerSignup(invite=invite, created_at=now)
        call.signups.append(signup)
        call.signups_received += 1
    token = secrets.token_urlsafe(32)
    signup.name, signup.postcode, signup.house_number = details.name, details.postcode, details.house_number
    signup.phone, signup.email = details.phone, details.email
    signup.availability = ",".join(item.value for item in Availability if item in details.availability)
    signup.languages = ",".join(item.value for item in SpokenLanguage if item in details.languages)
    signup.motivation, signup.language = details.motivation or None, details.language
    signup.withdraw_token_hash = hashed(token)
    mail_volunteer(signup, "volunteer_confirmation", link=public_url("volunteers.withdraw", token=token))
    db.session.flush()
    audit.record("volunteer.signup", object_type="call", object_key=f"#{call.id} signup {signup.id}")
    return signup, merged


SUBJECTS = {
    "volunteer_confirmation": lazy_gettext("Uw aanmelding als goede buur"),
    "volunteer_picked": lazy_gettext("U bent gekozen als goede buur"),
    "volunteer_thanks": lazy_gettext("Dank u wel voor uw aanmelding"),
}


def mail_volunteer(signup: VolunteerSignup, template: str, **context: object) -> None:
    """Mail to a volunteer (who left an address), in the language they signed up in; it says nothing about the
    person but what the template says."""
    if not signup.email:
        return
    with force_locale(signup.language):
        queue_mail(
            signup.email,
            str(SUBJECTS[template]),
            template,
            about=signup.call.signal,
            signup=signup,
            organisation=signup.call.signal.organisation,
            **context,
        )


def signup_for_withdrawal(token: str) -> VolunteerSignup | None:
    return db.session.scalar(sa.select(VolunteerSignup).where(VolunteerSignup.withdraw_token_hash == hashed(token)))


def withdraw(signup: VolunteerSignup) -> None:
    """The volunteer withdraws: their details are deleted at once; the signal's timeline says someone did."""
    call = signup.call
    log_event(call.signal, EventKind.VOLUNTEER_WITHDRAWN, None, {"picked": signup.picked_at is not None})
    audit.record("volunteer.withdraw", object_type="call", object_key=f"#{call.id} signup {signup.id}")
    call.signups.remove(signup)
    db.session.delete(signup)
