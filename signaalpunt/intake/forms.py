"""The status lookup form (the report form is shared with the phone intake: ``signaalpunt.forms.report``)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from signaalpunt.forms.base import BaseForm


class StatusLookupForm(BaseForm):
    reference = StringField(
        _l("Referentienummer"),
        validators=[InputRequired(_l("Vul het referentienummer in, zoals SP-7K3M-Q9XA")), Length(max=40)],
    )
