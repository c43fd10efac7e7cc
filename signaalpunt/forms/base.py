"""The base form every form in the app extends."""

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, RadioField, SelectChoice, SelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from signaalpunt.core.labels import LabelledEnum

INVALID_CHOICE = _l("Kies een van de mogelijkheden")
YES_NO = [SelectChoice("no", _l("Nee")), SelectChoice("yes", _l("Ja"))]


def choice_field(
    label: str,
    choices: list[SelectChoice],
    required: str | None = None,
    field: type[Field] = RadioField,
    **options: Any,
) -> Any:
    """A field with fixed choices (radio buttons unless ``field`` says otherwise): a value that was not offered
    gets the plain Dutch ``INVALID_CHOICE``, and ``required`` (its message) makes a choice necessary."""
    validators = [InputRequired(required)] if required else []
    return field(label, choices=choices, validators=validators, invalid_choice_message=INVALID_CHOICE, **options)


def at_most(count: int) -> Length:
    """A text no longer than ``count`` characters, said plainly when it is."""
    return Length(max=count, message=_l("Gebruik hoogstens %(count)s tekens", count=count))


def enum_choices(enum_class: type[LabelledEnum], members: Iterable[LabelledEnum] | None = None) -> list[SelectChoice]:
    """The members of an enum (or only ``members``) as form choices, in definition order, in the user's language."""
    return [SelectChoice(member.value, member.label) for member in (enum_class if members is None else members)]


# Control characters no keyboard types (tab and line breaks stay); PostgreSQL cannot even store a NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip(value: Any) -> Any:
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


@lru_cache(maxsize=16)
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    """Strips surrounding whitespace and control characters from every text field but passwords, so validators
    see what was meant."""

    class Meta:
        def get_translations(self, form: Any) -> support.Translations:
            """WTForms' own messages in the user's language; Flask-WTF reads the catalogue from disk per request."""
            return _wtforms_catalogue(str(get_locale()))

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = [] if issubclass(unbound_field.field_class, PasswordField) else [_strip]
            filters += unbound_field.kwargs.get("filters", [])
            return unbound_field.bind(form=form, **{**options, "filters": filters})


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, each ticked one submitted as a value."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
