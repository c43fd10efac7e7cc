import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from signaalpunt.forms.base import BaseForm
from signaalpunt.forms.validators import DutchPhoneNumber, DutchPostcode, EmailAddress


class ContactForm(BaseForm):
    class Meta:
        csrf = False

    postcode = StringField(validators=[DutchPostcode()])
    phone = StringField(validators=[DutchPhoneNumber()])
    email = StringField(validators=[EmailAddress()])


def validated(**typed: str) -> ContactForm:
    form = ContactForm(formdata=MultiDict(typed))
    form.validate()
    return form


@pytest.fixture(autouse=True)
def request_context(app: Flask):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("0031 6 12345678", "+31612345678"),
        ("020 123 4567", "+31201234567"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_phone_number_is_stored_in_international_form(typed: str, stored: str) -> None:
    form = validated(phone=typed)
    assert not form.phone.errors
    assert form.phone.data == stored


@pytest.mark.parametrize("typed", ["12345", "06 1234", "bel me maar", "+31 6 1234567890123"])
def test_impossible_phone_number_is_refused_in_dutch(typed: str) -> None:
    form = validated(phone=typed)
    assert form.phone.errors == ["Vul een geldig telefoonnummer in, zoals 06 12345678"]


def test_email_syntax_is_checked_without_dns() -> None:
    assert not validated(email="bezorger@nergens-bestaand-domein.nl").email.errors
    assert validated(email="bezorger@").email.errors == ["Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl"]
    assert validated(email="geen adres").email.errors


def test_whitespace_around_values_is_stripped_before_validation() -> None:
    form = validated(postcode="  4531ab  ", email="  jan@example.nl ")
    assert form.postcode.data == "4531 AB"
    assert form.email.data == "jan@example.nl"


def test_empty_optional_values_pass() -> None:
    form = validated(postcode="", phone="", email="")
    assert not form.errors
