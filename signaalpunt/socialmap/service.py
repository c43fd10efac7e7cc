"""The rules for keeping a team's social map: one name per initiative in a team, the PC4s it serves (or the
whole municipality), and an address to hand a person over to when it accepts warm handovers."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString

from signaalpunt.core.clock import utcnow
from signaalpunt.core.contact import dutch_phone_number, email_address
from signaalpunt.core.errors import DomainError
from signaalpunt.core.mail import queue_mail
from signaalpunt.extensions import db
from signaalpunt.organisations.areas import AreaRangeError, parse_ranges
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage, TargetGroup
from signaalpunt.socialmap.models import Initiative, InitiativePostcode


@dataclass(frozen=True)
class InitiativeDetails:
    """What a coordinator (or an import row) says about an initiative."""

    name: str
    kind: InitiativeKind
    offer: str = ""
    postcodes: str = ""
    whole_municipality: bool = False
    languages: tuple[SpokenLanguage, ...] = (SpokenLanguage.DUTCH,)
    target_groups: tuple[TargetGroup, ...] = (TargetGroup.EVERYONE,)
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    warm_handover: bool = False
    network_partner: bool = False
    call_email: str | None = None
    active: bool = True


def team_initiatives(organisation_id: int) -> list[Initiative]:
    query = sa.select(Initiative).where(Initiative.organisation_id == organisation_id).order_by(Initiative.name)
    return list(db.session.scalars(query))


def initiative_of(organisation_id: int, initiative_id: int) -> Initiative | None:
    initiative = db.session.get(Initiative, initiative_id)
    return initiative if initiative is not None and initiative.organisation_id == organisation_id else None


def problems_with(details: InitiativeDetails) -> list[DomainError]:
    """Every reason the details cannot be stored, each naming its field."""
    problems = []
    if not details.whole_municipality:
        if not details.postcodes.strip():
            message = _("Vul de postcodes in die het initiatief bedient, of kies ‘hele gemeente’.")
            problems.append(DomainError(message, field="postcodes"))
        else:
            try:
                parse_ranges(details.postcodes)
            except AreaRangeError as error:
                message = _("‘%(part)s’ is geen postcode of reeks, zoals 4531-4536 of 4538.", part=str(error))
                problems.append(DomainError(message, field="postcodes"))
    if details.email:
        if email_address(details.email) is None:
            problems.append(DomainError(_("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."), field="email"))
    elif details.warm_handover:
        message = _("Voor een warme overdracht is een e-mailadres nodig: daar gaat de overdracht heen.")
        problems.append(DomainError(message, field="email"))
    if details.call_email and email_address(details.call_email) is None:
        message = _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
        problems.append(DomainError(message, field="call_email"))
    elif details.network_partner and not (details.call_email or details.email):
        message = _("Een netwerkpartner heeft een e-mailadres nodig: daar gaan de burenoproepen heen.")
        problems.append(DomainError(message, field="call_email"))
    if details.phone and dutch_phone_number(details.phone) is None:
        problems.append(DomainError(_("Vul een telefoonnummer in, zoals 0115 123 456."), field="phone"))
    return problems


def save_initiative(organisation_id: int, initiative: Initiative | None, details: InitiativeDetails) -> Initiative:
    """Add an initiative to the team's map, or change one; refused (nothing changed) with the first problem."""
    problems = problems_with(details)
    if problems:
        raise problems[0]
    same_name = db.session.scalar(
        sa.select(Initiative.id).where(
            Initiative.organisation_id == organisation_id,
            sa.func.lower(Initiative.name) == details.name.strip().lower(),
        )
    )
    if same_name is not None and (initiative is None or same_name != initiative.id):
        raise DomainError(_("Er staat al een initiatief met deze naam op de kaart."), field="name")
    if initiative is None:
        initiative = Initiative(organisation_id=organisation_id)
        db.session.add(initiative)
    _apply(initiative, details)
    return initiative


def _apply(initiative: Initiative, details: InitiativeDetails) -> None:
    initiative.name = details.name.strip()
    initiative.kind = details.kind
    initiative.offer = details.offer.strip()
    initiative.whole_municipality = details.whole_municipality
    ranges = [] if details.whole_municipality else parse_ranges(details.postcodes)
    wanted = {number for first, last in ranges for number in range(first, last + 1)}
    initiative.postcodes = [p for p in initiative.postcodes if p.pc4 in wanted] + [
        InitiativePostcode(pc4=number) for number in sorted(wanted - {p.pc4 for p in initiative.postcodes})
    ]
    initiative.languages = ",".join(language.value for language in SpokenLanguage if language in details.languages)
    initiative.target_groups = ",".join(group.value for group in TargetGroup if group in details.target_groups)
    initiative.contact_name = details.contact_name or None
    initiative.email = details.email or None
    initiative.phone = details.phone or None
    initiative.website = details.website or None
    initiative.address = details.address or None
    initiative.warm_handover = details.warm_handover
    initiative.network_partner = details.network_partner
    initiative.call_email = details.call_email or None
    initiative.active = details.active
    # Entered or checked by the team just now: counts as confirmed.
    initiative.confirmed_at = utcnow()


def mail_initiative(
    initiative: Initiative,
    subject: LazyString,
    template: str,
    about: object | None = None,
    recipient: str | None = None,
    **context: object,
) -> None:
    """Queue a mail to the initiative (at ``recipient`` when it keeps another address for this). Initiatives are
    local Dutch organisations: the mail and its subject (a lazy string, translated here) are Dutch, whatever
    language the worker who caused it reads."""
    with force_locale("nl"):
        queue_mail(
            recipient or initiative.email,
            str(subject),
            template,
            about=about,
            initiative=initiative,
            organisation=initiative.organisation,
            **context,
        )
