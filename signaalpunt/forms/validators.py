"""WTForms validators with plain Dutch messages; each also normalises what it accepts."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, ValidationError

from signaalpunt.core.contact import dutch_phone_number, email_address
from signaalpunt.signals.postcode import normalise_postcode


class DutchPostcode:
    """Accepts ``1234AB`` in any spacing or case and stores it as ``1234 AB``."""

    message = _l("Vul een geldige postcode in, zoals 4531 AB")

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            return
        normalised = normalise_postcode(field.data)
        if normalised is None:
            raise ValidationError(self.message)
        field.data = normalised


class DutchPhoneNumber:
    """Parses the number as Dutch (international numbers with ``+`` also work) and stores it as E.164."""

    message = _l("Vul een geldig telefoonnummer in, zoals 06 12345678")

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            return
        number = dutch_phone_number(field.data)
        if number is None:
            raise ValidationError(self.message)
        field.data = number


class EmailAddress:
    """Checks the syntax only (no DNS look-up, which would fail offline and leak the address)."""

    message = _l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl")

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            return
        address = email_address(field.data)
        if address is None:
            raise ValidationError(self.message)
        field.data = address
