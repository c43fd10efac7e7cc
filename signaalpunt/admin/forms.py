"""Forms for inviting colleagues, changing their role, and defining areas."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from signaalpunt.accounts.enums import Role
from signaalpunt.forms.base import INVALID_CHOICE, BaseForm, MultiCheckboxField, enum_choices
from signaalpunt.forms.validators import EmailAddress
from signaalpunt.organisations.enums import PartnerKind


def _role_field() -> RadioField:
    return RadioField(
        _l("Rol"),
        choices=enum_choices(Role),
        validators=[InputRequired(_l("Kies een rol"))],
        invalid_choice_message=INVALID_CHOICE,
    )


class InviteForm(BaseForm):
    name = StringField(_l("Naam"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)])
    email = EmailField(
        _l("E-mailadres"), validators=[InputRequired(_l("Vul het e-mailadres in")), Length(max=254), EmailAddress()]
    )
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


class PartnerForm(BaseForm):
    name = StringField(_l("Naam"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)])
    slug = StringField(
        _l("Korte naam voor de link"),
        validators=[InputRequired(_l("Vul een korte naam in, zoals snelpakket")), Length(max=60)],
    )
    kind = RadioField(
        _l("Soort organisatie"),
        choices=enum_choices(PartnerKind),
        validators=[InputRequired(_l("Kies de soort organisatie"))],
        invalid_choice_message=INVALID_CHOICE,
    )
    active = BooleanField(_l("Actief (staat in de lijst op het meldformulier)"))
