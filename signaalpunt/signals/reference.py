"""Public reference numbers such as ``SP-7K3M-Q9XA``: 40 random bits in Crockford base32."""

import re
import secrets

# Crockford's alphabet leaves out I, L, O and U, so a number read aloud or typed over is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "SP"
_GROUPS = 2
_GROUP_LENGTH = 4
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Spaces, dots, underscores and every dash a keyboard or a word processor makes (hyphen, en and em dash, minus).
_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212]+")
_CANONICAL = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def generate_reference() -> str:
    """A new cryptographically random reference; uniqueness is enforced by the database."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH))
    return f"{PREFIX}-{chars[:_GROUP_LENGTH]}-{chars[_GROUP_LENGTH:]}"


def compact(raw: str) -> str:
    """A typed reference (or part of one) without its spaces and dashes, in capitals."""
    return _SEPARATORS.sub("", raw).upper()


def normalise_reference(raw: str) -> str | None:
    """Read a reference as a person may type it (``sp 7k3m q9xa``, ``7K3MQ9XA``); ``None`` when malformed."""
    characters = compact(raw)
    if characters.startswith(PREFIX) and len(characters) == len(PREFIX) + _GROUPS * _GROUP_LENGTH:
        characters = characters[len(PREFIX) :]
    characters = characters.translate(_TYPO_MAP)
    candidate = f"{PREFIX}-{characters[:_GROUP_LENGTH]}-{characters[_GROUP_LENGTH:]}"
    return candidate if _CANONICAL.match(candidate) else None
