"""Reading a phone number or an e-mail address as a person types it: the one check that forms and imports share."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email


def dutch_phone_number(text: str) -> str | None:
    """The number read as Dutch (international ones with ``+`` too) in E.164; ``None`` when it is not one."""
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(text: str) -> str | None:
    """The address normalised, if its syntax is right (no DNS look-up: that fails offline and leaks the address)."""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None
