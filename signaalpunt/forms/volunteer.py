"""The public form a volunteer signs up with for one call for good neighbours: the rules of the report form
(errors beside the field, every value kept, no JavaScript needed), in the public pages' languages."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from signaalpunt.forms.base import BaseForm, MultiCheckboxField, at_most, choice_field, enum_choices
from signaalpunt.forms.validators import DutchPhoneNumber, DutchPostcode, EmailAddress
from signaalpunt.neighbours.enums import Availability
from signaalpunt.neighbours.signups import SignupDetails
from signaalpunt.signals.postcode import parse_house_number
from signaalpunt.socialmap.enums import SpokenLanguage

MOTIVATION_MAX = 500


class VolunteerForm(BaseForm):
    name = StringField(_l("Uw naam"), validators=[InputRequired(_l("Vul uw naam in")), Length(max=120)])
    postcode = StringField(
        _l("Uw postcode"), validators=[InputRequired(_l("Vul uw postcode in, zoals 4531 AB")), DutchPostcode()]
    )
    house_number = StringField(_l("Huisnummer"), validators=[InputRequired(_l("Vul uw huisnummer in")), Length(max=12)])
    phone = StringField(_l("Telefoonnummer"), validators=[Optional(), DutchPhoneNumber()])
    email = StringField(_l("E-mailadres"), validators=[Optional(), EmailAddress(), Length(max=254)])
    availability = choice_field(
        _l("Wanneer kunt u?"),
        enum_choices(Availability),
        required=_l("Kies wanneer u kunt"),
        field=MultiCheckboxField,
    )
    languages = choice_field(_l("Welke talen spreekt u?"), enum_choices(SpokenLanguage), field=MultiCheckboxField)
    motivation = TextAreaField(
        _l("Waarom wilt u een goede buur zijn? (niet verplicht)"),
        validators=[Optional(), at_most(MOTIVATION_MAX)],
    )
    consent = BooleanField(
        _l("Ik geef toestemming dat het Signaalpunt mijn gegevens voor deze oproep bewaart."),
        validators=[InputRequired(_l("Zonder uw toestemming kunnen wij uw aanmelding niet bewaren"))],
    )

    def validate_house_number(self, field: Any) -> None:
        if field.data and parse_house_number(field.data) is None:
            raise ValidationError(_l("Vul een huisnummer in, zoals 12 of 12a"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not self.phone.errors and not self.email.errors:
            self.phone.errors = [
                *self.phone.errors,
                _l("Vul een telefoonnummer of e-mailadres in, zodat wij u bereiken"),
            ]
            valid = False
        return valid

    def details(self, language: str) -> SignupDetails:
        number = parse_house_number(self.house_number.data)
        return SignupDetails(
            name=self.name.data,
            postcode=self.postcode.data,
            house_number=number[0],
            phone=self.phone.data or None,
            email=self.email.data or None,
            availability=tuple(Availability(value) for value in self.availability.data or ()),
            languages=tuple(SpokenLanguage(value) for value in self.languages.data or ()),
            motivation=self.motivation.data or "",
            language=language,
        )
