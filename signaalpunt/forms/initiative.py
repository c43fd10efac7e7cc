"""Forms for the social map: one initiative (kept by its team, or checked by the initiative itself through its
link), a spreadsheet to import, and an initiative's answer to a warm handover."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from signaalpunt.forms.base import BaseForm, MultiCheckboxField, at_most, choice_field, enum_choices
from signaalpunt.referrals.enums import HandoverAnswer
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage, TargetGroup
from signaalpunt.socialmap.models import Initiative
from signaalpunt.socialmap.service import InitiativeDetails


class InitiativeForm(BaseForm):
    name = StringField(_l("Naam"), validators=[InputRequired(_l("Vul de naam in")), Length(max=120)])
    kind = choice_field(
        _l("Soort"), enum_choices(InitiativeKind), required=_l("Kies de soort initiatief"), field=SelectField
    )
    offer = TextAreaField(
        _l("Wat biedt het? (kort)"),
        validators=[Optional(), at_most(500)],
    )
    whole_municipality = BooleanField(_l("Voor de hele gemeente"))
    postcodes = StringField(
        _l("Of voor deze postcodes (PC4)"), validators=[Optional(), Length(max=400)], description="4531-4536, 4538"
    )
    languages = choice_field(_l("Talen"), enum_choices(SpokenLanguage), field=MultiCheckboxField)
    target_groups = choice_field(_l("Voor wie"), enum_choices(TargetGroup), field=MultiCheckboxField)
    contact_name = StringField(_l("Contactpersoon (niet verplicht)"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("E-mailadres (niet verplicht)"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Telefoon (niet verplicht)"), validators=[Optional(), Length(max=20)])
    website = StringField(_l("Website (niet verplicht)"), validators=[Optional(), Length(max=200)])
    address = StringField(_l("Adres (niet verplicht)"), validators=[Optional(), Length(max=200)])
    warm_handover = BooleanField(_l("Neemt warme overdrachten aan (per e-mail)"))
    network_partner = BooleanField(_l("Netwerkpartner: stuurt burenoproepen door aan mensen die het vertrouwt"))
    call_email = StringField(
        _l("E-mailadres voor burenoproepen (niet verplicht; anders het adres hierboven)"),
        validators=[Optional(), Length(max=254)],
    )
    active = BooleanField(_l("Actief (wordt voorgesteld bij doorverwijzen)"))

    def fill_from(self, initiative: Initiative) -> None:
        """The stored lists and ranges, which ``obj=`` cannot read from the model's own columns."""
        self.postcodes.data = initiative.ranges_text
        self.languages.data = [language.value for language in initiative.spoken]
        self.target_groups.data = [group.value for group in initiative.groups]

    def details(self) -> InitiativeDetails:
        return InitiativeDetails(
            name=self.name.data,
            kind=InitiativeKind(self.kind.data),
            offer=self.offer.data or "",
            postcodes=self.postcodes.data or "",
            whole_municipality=bool(self.whole_municipality.data),
            languages=tuple(SpokenLanguage(code) for code in self.languages.data or ()),
            target_groups=tuple(TargetGroup(value) for value in self.target_groups.data or ()),
            contact_name=self.contact_name.data or None,
            email=self.email.data or None,
            phone=self.phone.data or None,
            website=self.website.data or None,
            address=self.address.data or None,
            warm_handover=bool(self.warm_handover.data),
            network_partner=bool(self.network_partner.data),
            call_email=self.call_email.data or None,
            active=bool(self.active.data),
        )


class ImportForm(BaseForm):
    sheet = FileField(_l("Spreadsheet (CSV)"), validators=[FileRequired(_l("Kies een bestand"))])


class HandoverAnswerForm(BaseForm):
    """An initiative answers a warm handover: contact made, or could not help and why."""

    answer = choice_field(_l("Hoe is het gegaan?"), enum_choices(HandoverAnswer), required=_l("Kies wat er is gebeurd"))
    reason = TextAreaField(
        _l("Waarom kon u niet helpen? (verplicht bij ‘kon niet helpen’)"),
        validators=[Optional(), at_most(2000)],
    )
