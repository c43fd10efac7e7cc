"""Forms for the actions on a signal. Each carries the signal's version, so a stale page is noticed."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.core.clock import from_dutch
from signaalpunt.forms.base import YES_NO, BaseForm, MultiCheckboxField, at_most, choice_field, enum_choices
from signaalpunt.neighbours.enums import NeighbourHelp
from signaalpunt.neighbours.service import MAX_WANTED
from signaalpunt.referrals.enums import Landed
from signaalpunt.signals.enums import ContactMethod, Outcome, ReferralTarget, RejectionReason
from signaalpunt.socialmap.enums import SpokenLanguage

NOTE_MAX = 5000


def _note_field(label: str, required: str | None = None) -> TextAreaField:
    """Free text up to NOTE_MAX; ``required`` (its message) makes it necessary."""
    presence = InputRequired(required) if required else Optional()
    return TextAreaField(
        label,
        validators=[presence, at_most(NOTE_MAX)],
    )


class CallForm(BaseForm):
    """A call for good neighbours: a situation without name, address, age or health, and who is sought."""

    text = TextAreaField(
        _l("De situatie, zonder naam, adres, leeftijd of gezondheid"),
        validators=[
            InputRequired(_l("Beschrijf kort wie u zoekt en waarom")),
            Length(min=20, max=800, message=_l("Gebruik %(min)s tot %(max)s tekens", min=20, max=800)),
        ],
    )
    kinds = choice_field(
        _l("Wat voor buur zoekt u?"),
        enum_choices(NeighbourHelp),
        required=_l("Kies wat voor buur u zoekt"),
        field=MultiCheckboxField,
    )
    wanted = IntegerField(
        _l("Hoeveel buren?"),
        default=3,
        validators=[
            InputRequired(_l("Vul een aantal in")),
            NumberRange(min=1, max=MAX_WANTED, message=_l("Kies 1 tot %(max)s", max=MAX_WANTED)),
        ],
    )


class PickForm(BaseForm):
    """The volunteers the worker picks, and her word that the person agreed they get the address."""

    picked = SelectMultipleField(_l("Vrijwilligers"), coerce=int, validate_choice=False)
    person_agreed = BooleanField(_l("De persoon stemt ermee in dat deze vrijwilligers het adres krijgen"))


class NetworkFollowUpForm(BaseForm):
    landed = choice_field(_l("Werkt het burennetwerk?"), enum_choices(Landed), required=_l("Kies een antwoord"))
    reason = _note_field(_l("Toelichting (verplicht bij ‘nee’)"))


def _optional_id(value: object) -> int | None:
    """A chosen id, or ``None`` for the list's "choose someone" line."""
    return int(value) if value not in (None, "") else None


class SignalActionForm(BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class AssignForm(SignalActionForm):
    assignee = SelectField(
        _l("Toewijzen aan"),
        coerce=int,
        validators=[InputRequired(_l("Kies een medewerker"))],
        invalid_choice_message=_l("Kies een medewerker uit de lijst"),
    )


class TakeForm(SignalActionForm):
    pass


class ContactAttemptForm(SignalActionForm):
    method = choice_field(_l("Hoe?"), enum_choices(ContactMethod), required=_l("Kies hoe u contact zocht"))
    attempted_at = DateTimeLocalField(
        _l("Wanneer?"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Vul datum en tijd in, zoals 24-11-2026 14:30"))],
    )
    reached = choice_field(_l("Persoon bereikt?"), YES_NO, required=_l("Kies of u de persoon heeft bereikt"))
    note = _note_field(_l("Notitie (niet verplicht)"))

    def attempted_at_utc(self) -> datetime:
        """The typed local (Dutch) time as naive UTC, as stored."""
        return from_dutch(self.attempted_at.data)


class NoteForm(BaseForm):
    text = _note_field(_l("Notitie"), required=_l("Schrijf eerst een notitie"))


class CloseForm(SignalActionForm):
    # A referral closes through its own page, where the initiative is chosen.
    outcome = choice_field(
        _l("Uitkomst"),
        enum_choices(Outcome, [outcome for outcome in Outcome if outcome != Outcome.REFERRED]),
        required=_l("Kies de uitkomst"),
    )
    note = _note_field(_l("Toelichting (niet verplicht)"))
    # "yes" once the worker has seen the outcome and what the reporter will be told, and confirmed.
    confirmed = HiddenField()


class ReopenForm(SignalActionForm):
    note = _note_field(_l("Waarom heropent u de melding? (niet verplicht)"))


class DuplicateForm(SignalActionForm):
    primary_reference = StringField(
        _l("Referentienummer van de oorspronkelijke melding"),
        validators=[InputRequired(_l("Vul het referentienummer in, zoals SP-7K3M-Q9XA")), Length(max=40)],
    )


class RejectForm(SignalActionForm):
    reason = choice_field(_l("Reden"), enum_choices(RejectionReason), required=_l("Kies een reden"))
    note = _note_field(_l("Toelichting (niet verplicht)"))


class TransferForm(SignalActionForm):
    organisation = SelectField(
        _l("Naar welk team?"),
        coerce=int,
        validators=[InputRequired(_l("Kies het team van de gemeente"))],
        invalid_choice_message=_l("Kies een team uit de lijst"),
    )
    reason = _note_field(
        _l("Waarom? (bijvoorbeeld: adres ligt in een andere gemeente, persoon is verhuisd)"),
        required=_l("Schrijf waarom de melding naar een ander team gaat"),
    )


class UnlinkDuplicateForm(SignalActionForm):
    pass


class UrgentForm(SignalActionForm):
    note = _note_field(_l("Waarom is het urgent? (niet verplicht)"))


class RecordConsentForm(BaseForm):
    """What the person agreed to; several at once, each stored as its own consent."""

    kinds = choice_field(
        _l("De persoon stemt ermee in om…"),
        enum_choices(ConsentKind),
        required=_l("Kies waarmee de persoon instemt"),
        field=MultiCheckboxField,
    )
    initiative = SelectField(
        _l("Gegevens delen met (alleen bij ‘gegevens delen’)"),
        coerce=_optional_id,
        invalid_choice_message=_l("Kies een initiatief uit de lijst"),
    )
    details = choice_field(
        _l("Welke gegevens mag dat initiatief krijgen?"), enum_choices(SharedDetail), field=MultiCheckboxField
    )
    method = choice_field(
        _l("Hoe gaf de persoon toestemming?"), enum_choices(ConsentMethod), required=_l("Kies hoe de persoon instemde")
    )

    def offer_initiatives(self, initiatives: list) -> None:
        self.initiative.choices = [
            SelectChoice("", _l("Geen (niet delen)")),
            *(SelectChoice(initiative.id, initiative.name) for initiative in initiatives),
        ]


class WithdrawConsentForm(BaseForm):
    """One click: the button of the consent to end."""

    consent = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReferForm(SignalActionForm):
    need = choice_field(
        _l("Welke hulp zoekt de persoon?"),
        enum_choices(ReferralTarget),
        required=_l("Kies welke hulp de persoon zoekt"),
        field=SelectField,
    )
    language = choice_field(_l("Taal van de persoon"), enum_choices(SpokenLanguage), default="nl", field=SelectField)
    # Refreshes the suggestions for the need and language chosen, without referring: works without JavaScript.
    refresh = SubmitField(_l("Suggesties bijwerken"))
    initiatives = SelectMultipleField(_l("Initiatieven"), coerce=int)
    elsewhere = StringField(
        _l("Of elders, niet op de sociale kaart (naam)"),
        validators=[Optional(), at_most(120)],
    )
    message = _note_field(_l("Bericht aan het initiatief bij een warme overdracht (niet verplicht)"))
    note = _note_field(_l("Toelichting voor de tijdlijn (niet verplicht)"))

    def offer_initiatives(self, initiatives: list) -> None:
        self.initiatives.choices = [SelectChoice(initiative.id, initiative.name) for initiative in initiatives]


class FollowUpForm(BaseForm):
    """Six weeks on, for one referral: did help land?"""

    referral = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    landed = choice_field(
        _l("Heeft de persoon de hulp gekregen?"), enum_choices(Landed), required=_l("Kies een antwoord")
    )
    reason = _note_field(_l("Toelichting (verplicht bij ‘nee’)"))
    # "yes" from the second button: help did not land, and the signal goes back to work.
    reopen = HiddenField()


class BulkAssignForm(BaseForm):
    """The board's ticked rows, each as "reference:version", to one colleague."""

    picked = SelectMultipleField(
        _l("Meldingen"), validators=[InputRequired(_l("Kies eerst een of meer meldingen"))], validate_choice=False
    )
    assignee = SelectField(
        _l("Toewijzen aan"),
        coerce=_optional_id,
        validators=[InputRequired(_l("Kies een medewerker"))],
        invalid_choice_message=_l("Kies een medewerker uit de lijst"),
    )

    def offer_colleagues(self, colleagues: list) -> None:
        """The team's assignable colleagues (id, name), after a line that asks to choose one."""
        self.assignee.choices = [
            SelectChoice("", _l("Kies een medewerker")),
            *(SelectChoice(colleague.id, colleague.name) for colleague in colleagues),
        ]

    def picked_signals(self) -> list[tuple[str, int]]:
        """(reference, version the coordinator saw) for every well-formed ticked row."""
        found = []
        for value in self.picked.data or []:
            reference, _colon, version = value.partition(":")
            if version.isdigit():
                found.append((reference, int(version)))
        return found


class PlaceInAreasForm(BaseForm):
    """Nothing to fill in: the button places every listed signal in the area its PC4 now lies in."""
