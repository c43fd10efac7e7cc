"""How strong a staff password must be: long, not guessable, not known from breaches, not about the person."""

import re
from functools import cache

from flask_babel import gettext as _
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3
# Words people here pick: greetings, seasons, months, days, holidays, clubs, places, the job itself.
# zxcvbn knows English lists; these make the Dutch favourites count as guessable too.
COMMON_DUTCH_WORDS = frozenset(
    [
        "wachtwoord",
        "welkom",
        "geheim",
        "signaalpunt",
        "eenzaamheid",
        "gemeente",
        "hallo",
        "hoi",
        "hey",
        "doei",
        "dag",
        "goedemorgen",
        "goedemiddag",
        "goedenavond",
        "groetjes",
        "lente",
        "zomer",
        "herfst",
        "winter",
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "kerst",
        "kerstmis",
        "pasen",
        "sinterklaas",
        "oranje",
        "koning",
        "vakantie",
        "voetbal",
        "ajax",
        "feyenoord",
        "psv",
        "nederland",
        "holland",
        "amsterdam",
        "rotterdam",
        "utrecht",
        "liefde",
        "schatje",
        "qwerty",
        "azerty",
        "wachtwoorden",
        "zorg",
        "werk",
        "kantoor",
    ]
)
# Two known words at most, with digits and signs around them ("Welkom2024!!", "Zomer2025!!!"): a pattern
# that guessing tools try first, whatever score the letters and signs add up to.
MAX_KNOWN_WORDS_IN_A_PATTERN = 2
_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def breached_passwords() -> frozenset[str]:
    """The 30,000 passwords seen most often in published breaches, as zxcvbn ships them (no network call)."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def _personal_words(name: str, email: str) -> set[str]:
    local, _at, domain = email.lower().partition("@")
    return {word for word in _LETTERS.findall(f"{name} {local} {domain.split('.')[0]}".lower()) if len(word) > 1}


def password_problem(password: str, name: str = "", email: str = "") -> str | None:
    """Why this password will not do, in Dutch, or ``None`` when it is long and hard enough to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Kies een wachtwoord van minstens %(count)s tekens.", count=MIN_PASSWORD_LENGTH)
    personal = _personal_words(name, email)
    words = _LETTERS.findall(password.lower())
    known = COMMON_DUTCH_WORDS | personal
    if password.lower() in breached_passwords() or (
        words
        and len(words) <= MAX_KNOWN_WORDS_IN_A_PATTERN
        and all(word in known or word in breached_passwords() for word in words)
    ):
        return _("Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld een zin van vier of meer woorden.")
    user_inputs = [*COMMON_DUTCH_WORDS, *personal, name, email]
    if zxcvbn(password[:100], user_inputs=user_inputs)["score"] < MIN_PASSWORD_SCORE:
        return _("Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld een zin van vier of meer woorden.")
    return None
