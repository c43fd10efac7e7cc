"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from signaalpunt.accounts import MIN_PASSWORD_LENGTH
from signaalpunt.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(_l("Vul uw e-mailadres in")), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired(_l("Vul uw wachtwoord in"))])


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[
            InputRequired(_l("Kies een wachtwoord")),
            Length(min=MIN_PASSWORD_LENGTH, message=_l("Kies een wachtwoord van minstens 12 tekens")),
        ],
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            InputRequired(_l("Herhaal het wachtwoord")),
            EqualTo("password", _l("De wachtwoorden verschillen")),
        ],
    )
