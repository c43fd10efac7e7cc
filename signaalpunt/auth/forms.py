"""Login, second-factor and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from signaalpunt.forms.base import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(_l("Vul uw e-mailadres in")), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired(_l("Vul uw wachtwoord in"))])


class CodeForm(BaseForm):
    code = StringField(
        _l("Code uit uw authenticator-app, of een herstelcode"),
        validators=[InputRequired(_l("Vul de code in")), Length(max=20)],
    )


class EnrolCodeForm(BaseForm):
    """The first code, while setting up the app: there are no recovery codes yet to mention."""

    code = StringField(
        _l("Code uit uw authenticator-app"), validators=[InputRequired(_l("Vul de code in")), Length(max=20)]
    )


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(_l("Vul uw e-mailadres in")), Length(max=254)])


class SetPasswordForm(BaseForm):
    password = PasswordField(_l("Nieuw wachtwoord"), validators=[InputRequired(_l("Kies een wachtwoord"))])
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            InputRequired(_l("Herhaal het wachtwoord")),
            EqualTo("password", _l("De wachtwoorden verschillen")),
        ],
    )
