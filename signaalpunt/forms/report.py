"""The report forms: about someone else (the public page, and the same form for staff taking a report by
phone), and the short one for someone who worries about themselves."""

from collections.abc import Sequence
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from signaalpunt.core.languages import NAMES
from signaalpunt.forms.base import YES_NO, BaseForm, MultiCheckboxField, choice_field, enum_choices
from signaalpunt.forms.validators import DutchPhoneNumber, DutchPostcode, EmailAddress
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.signals.enums import AgeBand, CallTime, Channel, Observation, PersonAwareness, ReporterRole
from signaalpunt.signals.intake import REPORTER_ROLE_OF_PARTNER, Report
from signaalpunt.signals.postcode import normalise_house_number_suffix, parse_house_number

DESCRIPTION_MIN = 10
# With at least one observation ticked, a few words say enough ("al weken").
DESCRIPTION_MIN_WITH_OBSERVATION = 3
DESCRIPTION_MAX = 2000
# The sections a reporter may skip: folded until they hold a value or an error.
OPTIONAL_SECTIONS = {
    "person": ("person_name", "age_band", "person_aware"),
    "contact": ("reporter_name", "reporter_phone", "reporter_email", "keep_informed"),
    "place": ("street", "town", "place_description", "municipality"),
}


class Offered(Protocol):
    """A team or partner as a form lists it: a row of the query that offers them, or the object itself."""

    slug: str
    name: str


class OfferedPartner(Offered, Protocol):
    kind: PartnerKind


class SentOnceForm(BaseForm):
    """A form that becomes a signal: sent twice, it is stored once; filled in by a bot, it is not stored."""

    # Honeypot: hidden from people by CSS, filled in by bots that fill in every field.
    website = StringField(_l("Laat dit veld leeg"))
    submission_token = HiddenField()


class ReportForm(SentOnceForm):
    reporter_role = choice_field(
        _l("Wie bent u?"),
        enum_choices(ReporterRole, ReporterRole.about_someone_else()),
        required=_l("Kies wie u bent"),
    )
    partner = choice_field(_l("Meldt u namens een organisatie? (niet verplicht)"), [], field=SelectField)

    postcode = StringField(_l("Postcode"), validators=[Optional(), DutchPostcode()])
    house_number = StringField(_l("Huisnummer"), validators=[Optional(), Length(max=12)])
    house_number_suffix = StringField(_l("Toevoeging (niet verplicht)"), validators=[Optional(), Length(max=10)])
    street = StringField(_l("Straat (niet verplicht)"), validators=[Optional(), Length(max=120)])
    town = StringField(_l("Plaats (niet verplicht)"), validators=[Optional(), Length(max=80)])
    place_description = TextAreaField(
        _l("Weet u het adres niet? Beschrijf waar de persoon te vinden is"),
        validators=[Optional(), Length(max=500, message=_l("Gebruik voor de plek hoogstens 500 tekens"))],
    )
    # Offered only in a region of several municipalities; without a postcode it says which team follows up.
    municipality = choice_field(
        _l("In welke gemeente? (als u de postcode niet weet)"), [], default="", field=SelectField
    )

    observations = choice_field(
        _l("Kies wat u zag (niet verplicht)"), enum_choices(Observation), field=MultiCheckboxField
    )
    description = TextAreaField(
        _l("Beschrijf wat u zag of hoorde"),
        validators=[
            InputRequired(_l("Beschrijf kort wat u zag of hoorde")),
            # The shortest allowed depends on the observations: checked in validate().
            Length(
                max=DESCRIPTION_MAX,
                message=_l(
                    "Gebruik voor de beschrijving %(min)s tot %(max)s tekens", min=DESCRIPTION_MIN, max=DESCRIPTION_MAX
                ),
            ),
        ],
    )

    person_name = StringField(_l("Naam van de persoon (niet verplicht)"), validators=[Optional(), Length(max=120)])
    age_band = choice_field(
        _l("Leeftijd, ongeveer (niet verplicht)"),
        [SelectChoice("", _l("Weet ik niet")), *enum_choices(AgeBand)],
        default="",
        field=SelectField,
    )
    person_aware = choice_field(
        _l("Weet de persoon dat u dit meldt?"), enum_choices(PersonAwareness), default=PersonAwareness.UNKNOWN.value
    )
    acute_danger = choice_field(_l("Is de persoon nu in acuut gevaar?"), YES_NO, default="no")

    reporter_name = StringField(_l("Uw naam (niet verplicht)"), validators=[Optional(), Length(max=120)])
    reporter_phone = StringField(_l("Uw telefoonnummer (niet verplicht)"), validators=[Optional(), DutchPhoneNumber()])
    reporter_email = StringField(
        _l("Uw e-mailadres (niet verplicht)"), validators=[Optional(), Length(max=254), EmailAddress()]
    )
    keep_informed = BooleanField(_l("Laat mij per e-mail weten wanneer mijn melding is opgepakt en afgerond"))

    def offer_partners(self, partners: Sequence[OfferedPartner], preselect: str = "") -> None:
        """Fill the partner list; ``preselect`` (a ``?via=`` slug) is chosen only when it is one of them."""
        self.partner.choices = [
            SelectChoice("", _l("Geen of weet ik niet")),
            *(SelectChoice(p.slug, p.name) for p in partners),
        ]
        chosen = next((p for p in partners if preselect and p.slug == preselect), None)
        if chosen is not None:
            self.partner.data = preselect
            implied = REPORTER_ROLE_OF_PARTNER.get(chosen.kind)
            if implied is not None and not self.reporter_role.data:
                self.reporter_role.data = implied.value

    def offer_municipalities(self, organisations: Sequence[Offered]) -> None:
        """Fill the municipality list; without any to offer (one team only) the list is not shown."""
        self.municipality.choices = [
            SelectChoice("", _l("Weet ik niet")),
            *(SelectChoice(o.slug, o.name) for o in organisations),
        ]

    def holds_something(self, section: str) -> bool:
        """Whether an optional section has a value or an error in it, so it is shown unfolded."""
        fields = [self[name] for name in OPTIONAL_SECTIONS[section]]
        return any(field.errors or (field.data and field.data != field.default) for field in fields)

    @property
    def asks_municipality(self) -> bool:
        return len(self.municipality.choices or []) > 1

    def to_report(self, channel: Channel, language: str) -> Report:
        """The validated answers as a Report for the intake service."""
        return Report(
            language=language,
            reporter_role=ReporterRole(self.reporter_role.data),
            partner_slug=self.partner.data or None,
            municipality_slug=self.municipality.data or None,
            postcode=self.postcode.data or None,
            house_number=int(self.house_number.data) if self.house_number.data else None,
            house_number_suffix=self.house_number_suffix.data or None,
            street=self.street.data or None,
            town=self.town.data or None,
            place_description=self.place_description.data or None,
            observations=tuple(Observation(value) for value in self.observations.data or ()),
            description=self.description.data,
            person_name=self.person_name.data or None,
            age_band=AgeBand(self.age_band.data) if self.age_band.data else None,
            person_aware=PersonAwareness(self.person_aware.data or PersonAwareness.UNKNOWN.value),
            urgent=self.acute_danger.data == "yes",
            reporter_name=self.reporter_name.data or None,
            reporter_phone=self.reporter_phone.data or None,
            reporter_email=self.reporter_email.data or None,
            keep_informed=bool(self.keep_informed.data),
            channel=channel,
        )

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks first, then the rules that span fields: where, and how to keep the reporter informed."""
        fields_valid = super().validate(extra_validators)
        location_valid = self._validate_location()
        contact_valid = self._validate_keep_informed()
        description_valid = self._validate_description()
        return fields_valid and location_valid and contact_valid and description_valid

    def _validate_description(self) -> bool:
        if self.description.errors or not self.description.data:
            return True
        shortest = DESCRIPTION_MIN_WITH_OBSERVATION if self.observations.data else DESCRIPTION_MIN
        if len(self.description.data.strip()) < shortest:
            self.description.errors.append(
                _l("Gebruik voor de beschrijving %(min)s tot %(max)s tekens", min=shortest, max=DESCRIPTION_MAX)
            )
            return False
        return True

    def _validate_location(self) -> bool:
        if self.house_number.data and not self.house_number.errors:
            parsed = parse_house_number(self.house_number.data)
            if parsed is None:
                self.house_number.errors.append(_l("Vul een huisnummer in met cijfers, zoals 12 of 12a"))
                return False
            number, suffix = parsed
            self.house_number.data = str(number)
            if suffix and not self.house_number_suffix.data:
                self.house_number_suffix.data = suffix
        if self.house_number_suffix.data and not self.house_number_suffix.errors:
            suffix = normalise_house_number_suffix(self.house_number_suffix.data)
            if suffix is None:
                self.house_number_suffix.errors.append(_l("Gebruik voor de toevoeging alleen letters en cijfers"))
                return False
            self.house_number_suffix.data = suffix
        if self.postcode.errors or self.house_number.errors or self.place_description.data:
            return True
        if not self.postcode.data and not self.house_number.data:
            self.postcode.errors.append(_l("Vul een postcode en huisnummer in, of beschrijf de plek"))
            return False
        if not self.postcode.data:
            self.postcode.errors.append(_l("Vul ook de postcode in, zoals 4531 AB"))
            return False
        if not self.house_number.data:
            self.house_number.errors.append(_l("Vul ook het huisnummer in, of beschrijf de plek"))
            return False
        return True

    def _validate_keep_informed(self) -> bool:
        if self.keep_informed.data and not self.reporter_email.data and not self.reporter_email.errors:
            self.reporter_email.errors.append(_l("Vul uw e-mailadres in, dan kunnen wij u op de hoogte houden"))
            return False
        return True


# What the worker reads as the description of a self-report: the form asks nothing more.
SELF_REPORT_DESCRIPTION = "Zelfmelding: deze persoon maakt zich zorgen om zichzelf of voelt zich vaak alleen."


class SelfReportForm(SentOnceForm):
    """Someone who worries about themselves, or often feels alone: only what is needed to reach them."""

    name = StringField(_l("Uw naam"), validators=[InputRequired(_l("Vul uw naam in")), Length(max=120)])
    phone = StringField(_l("Uw telefoonnummer"), validators=[Optional(), DutchPhoneNumber()])
    email = StringField(_l("Uw e-mailadres (niet verplicht)"), validators=[Optional(), Length(max=254), EmailAddress()])
    postcode = StringField(
        _l("Uw postcode"), validators=[InputRequired(_l("Vul uw postcode in, zoals 4531 AB")), DutchPostcode()]
    )
    call_time = choice_field(
        _l("Wanneer kunnen wij u het best bellen?"), enum_choices(CallTime), default=CallTime.ANY.value
    )
    language = choice_field(
        _l("In welke taal wilt u het liefst praten?"),
        [SelectChoice(code, name) for code, name in NAMES.items()],
        default="nl",
        field=SelectField,
    )

    def validate(self, extra_validators: Any = None) -> bool:
        fields_valid = super().validate(extra_validators)
        if not self.phone.data and not self.email.data and not self.phone.errors and not self.email.errors:
            self.phone.errors.append(_l("Vul uw telefoonnummer of e-mailadres in, zodat wij u kunnen bereiken"))
            return False
        return fields_valid

    def to_report(self) -> Report:
        return Report(
            reporter_role=ReporterRole.SELF,
            description=SELF_REPORT_DESCRIPTION,
            postcode=self.postcode.data,
            person_name=self.name.data,
            person_aware=PersonAwareness.YES,
            reporter_name=self.name.data,
            reporter_phone=self.phone.data or None,
            reporter_email=self.email.data or None,
            call_time=CallTime(self.call_time.data),
            language=self.language.data,
            channel=Channel.WEB,
        )
