"""Forms for teams and their settings, inviting colleagues, changing their role, areas and partners."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from signaalpunt.accounts.enums import Role
from signaalpunt.forms.base import BaseForm, MultiCheckboxField, choice_field, enum_choices
from signaalpunt.forms.validators import DutchPhoneNumber, EmailAddress
from signaalpunt.organisations.enums import PartnerKind


def _role_field() -> RadioField:
    return choice_field(_l("Rol"), enum_choices(Role, Role.team_roles()), required=_l("Kies een rol"))


class WorkerInviteForm(BaseForm):
    """A coordinator invites a social worker to the team: the role is not a choice."""

    name = StringField(_l("Naam"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)])
    email = EmailField(
        _l("E-mailadres"), validators=[InputRequired(_l("Vul het e-mailadres in")), Length(max=254), EmailAddress()]
    )


class InviteForm(WorkerInviteForm):
    role = _role_field()


class UserForm(BaseForm):
    role = _role_field()
    active = BooleanField(_l("Account actief"))


class AreaForm(BaseForm):
    name = StringField(_l("Naam van het werkgebied"), validators=[InputRequired(_l("Vul een naam in")), Length(max=80)])
    ranges = TextAreaField(
        _l("Postcodes (vier cijfers)"),
        validators=[InputRequired(_l("Vul de postcodes in, zoals 4531-4536, 4538")), Length(max=2000)],
    )
    workers = MultiCheckboxField(_l("Medewerkers in dit werkgebied"), coerce=int, choices=[])


class AreaDeleteForm(BaseForm):
    """Nothing to fill in: the button removes the area (refused while it has open signals)."""


class PartnerForm(BaseForm):
    name = StringField(_l("Naam"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)])
    slug = StringField(
        _l("Korte naam voor de link"),
        validators=[InputRequired(_l("Vul een korte naam in, zoals snelpakket")), Length(max=60)],
    )
    kind = choice_field(_l("Soort organisatie"), enum_choices(PartnerKind), required=_l("Kies de soort organisatie"))
    active = BooleanField(_l("Actief (staat in de lijst op het meldformulier)"))


def _email_field(label: str, required: str | None = None) -> EmailField:
    presence = InputRequired(required) if required else Optional()
    return EmailField(label, validators=[presence, Length(max=254), EmailAddress()])


def _slug_field() -> StringField:
    return StringField(
        _l("Korte naam voor links"),
        validators=[InputRequired(_l("Vul een korte naam in, zoals terneuzen")), Length(max=60)],
    )


def _days_field(label: str, low: int, high: int) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Vul een aantal in")),
            NumberRange(min=low, max=high, message=_l("Kies een aantal van %(min)s tot %(max)s")),
        ],
    )


class PartnerContactForm(BaseForm):
    contact_name = StringField(_l("Contactpersoon (leeg: geen)"), validators=[Optional(), Length(max=120)])
    contact_phone = StringField(_l("Telefoon"), validators=[Optional(), DutchPhoneNumber()])
    contact_email = _email_field(_l("E-mailadres"))


class ApiKeyForm(BaseForm):
    """A new API key for the partner's app; the key is shown once."""

    label = StringField(
        _l("Naam van de sleutel, zoals ‘bezorg-app productie’"),
        validators=[InputRequired(_l("Geef de sleutel een naam")), Length(max=120)],
    )


class OrganisationForm(BaseForm):
    """A new team and its first administrator."""

    name = StringField(_l("Naam van het team"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)])
    slug = _slug_field()
    admin_name = StringField(
        _l("Naam van de eerste beheerder"),
        validators=[InputRequired(_l("Een team heeft een beheerder nodig: vul de naam in")), Length(max=120)],
    )
    admin_email = _email_field(
        _l("E-mailadres van de eerste beheerder"), _l("Een team heeft een beheerder nodig: vul het e-mailadres in")
    )


class SettingsForm(BaseForm):
    """What a team shows reporters and how it works."""

    name = StringField(
        _l("Naam op de pagina's en in e-mails"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)]
    )
    phone = StringField(_l("Telefoonnummer voor melders"), validators=[Optional(), DutchPhoneNumber()])
    email = _email_field(_l("E-mailadres voor melders"))
    sla_working_days = _days_field(_l("Werkdagen tot het eerste contact"), 1, 20)
    sla_urgent_working_days = _days_field(_l("Werkdagen tot het eerste contact bij urgente meldingen"), 1, 20)
    retention_months = _days_field(_l("Maanden na afronden tot persoonsgegevens worden verwijderd"), 1, 120)
    follow_up_weeks = _days_field(_l("Weken na een doorverwijzing tot het nabellen"), 1, 26)


class FallbackForm(BaseForm):
    """Nothing to fill in: the button makes this team the one that receives what no area covers."""
