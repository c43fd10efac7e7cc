"""Fixed sets of choices with a translatable Dutch label: the base every domain's enums build on."""

from enum import StrEnum
from typing import Self

from flask_babel import LazyString

from signaalpunt.core.languages import translate


def _l(message: str) -> str:
    """Mark a label for translation (``make messages`` extracts ``_l``); the enum translates it when shown."""
    return message


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translatable label: ``COURIER = "courier", _l("Koerier")``.

    ``label`` translates when it is shown; ``message`` is the Dutch source text, for code that
    translates many labels at once (see ``languages.translate``).
    """

    label: str
    message: str

    def __new__(cls, value: str, message: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.message = message
        # Through the request's catalogue (``translate``) rather than Flask-Babel's ``lazy_gettext``: a figures page
        # shows some sixty labels, and Flask-Babel looks its catalogue up again for each.
        member.label = LazyString(translate, message)
        return member
