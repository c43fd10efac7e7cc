"""Forms for inviting colleagues, changing their role, and defining areas."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from signaalpunt.accounts.enums import Role
from signaalpunt.forms.base import BaseForm, MultiCheckboxField, choice_field, enum_choices
from signaalpunt.forms.validators import EmailAddress
from signaalpunt.organisations.enums import PartnerKind


def _role_field() -> RadioField:
    return choice_field(_l("Rol"), enum_choices(Role), required=_l("Kies een rol"))


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
    kind = choice_field(_l("Soort organisatie"), enum_choices(PartnerKind), required=_l("Kies de soort organisatie"))
    active = BooleanField(_l("Actief (staat in de lijst op het meldformulier)"))
