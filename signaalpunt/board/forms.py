"""Forms for the actions on a signal. Each carries the signal's version, so a stale page is noticed."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from signaalpunt.forms.base import INVALID_CHOICE, YES_NO, BaseForm, enum_choices
from signaalpunt.signals.enums import ContactMethod, Outcome, ReferralTarget, RejectionReason
from signaalpunt.signals.sla import AMSTERDAM

NOTE_MAX = 5000


def _note_field(label: str) -> TextAreaField:
    return TextAreaField(
        label, validators=[Optional(), Length(max=NOTE_MAX, message=_l("Gebruik hoogstens 5000 tekens"))]
    )


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
    method = RadioField(
        _l("Hoe?"),
        choices=enum_choices(ContactMethod),
        validators=[InputRequired(_l("Kies hoe u contact zocht"))],
        invalid_choice_message=INVALID_CHOICE,
    )
    attempted_at = DateTimeLocalField(
        _l("Wanneer?"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Vul datum en tijd in, zoals 24-11-2026 14:30"))],
    )
    reached = RadioField(
        _l("Persoon bereikt?"),
        choices=YES_NO,
        validators=[InputRequired(_l("Kies of u de persoon heeft bereikt"))],
        invalid_choice_message=INVALID_CHOICE,
    )
    note = _note_field(_l("Notitie (niet verplicht)"))

    def attempted_at_utc(self) -> datetime:
        """The typed local (Dutch) time as naive UTC, as stored."""
        local = self.attempted_at.data.replace(tzinfo=AMSTERDAM)
        return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


class NoteForm(BaseForm):
    text = TextAreaField(
        _l("Notitie"),
        validators=[
            InputRequired(_l("Schrijf eerst een notitie")),
            Length(max=NOTE_MAX, message=_l("Gebruik hoogstens 5000 tekens")),
        ],
    )


class CloseForm(SignalActionForm):
    outcome = RadioField(
        _l("Uitkomst"),
        choices=enum_choices(Outcome),
        validators=[InputRequired(_l("Kies de uitkomst"))],
        invalid_choice_message=INVALID_CHOICE,
    )
    referral_target = SelectField(
        _l("Doorverwezen naar (alleen bij ‘doorverwezen’)"),
        choices=[SelectChoice("", _l("Niet van toepassing")), *enum_choices(ReferralTarget)],
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )
    note = _note_field(_l("Toelichting (niet verplicht)"))


class ReopenForm(SignalActionForm):
    note = _note_field(_l("Waarom heropent u de melding? (niet verplicht)"))


class DuplicateForm(SignalActionForm):
    primary_reference = StringField(
        _l("Referentienummer van de oorspronkelijke melding"),
        validators=[InputRequired(_l("Vul het referentienummer in, zoals SP-7K3M-Q9XA")), Length(max=40)],
    )


class RejectForm(SignalActionForm):
    reason = RadioField(
        _l("Reden"),
        choices=enum_choices(RejectionReason),
        validators=[InputRequired(_l("Kies een reden"))],
        invalid_choice_message=INVALID_CHOICE,
    )
    note = _note_field(_l("Toelichting (niet verplicht)"))
