"""Every string a person reads is in the catalogues; English is complete; the public pages are in all five languages."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from signaalpunt.core.languages import PUBLIC_ONLY
from signaalpunt.neighbours.enums import Availability, NeighbourHelp
from signaalpunt.signals.enums import AgeBand, CallTime, Observation, PersonAwareness, PublicStatus, ReporterRole
from signaalpunt.socialmap.enums import SpokenLanguage

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "signaalpunt" / "translations"
PUBLIC_SOURCES = (
    "templates/intake/",
    "templates/base.html",
    "templates/components/forms.html",
    "templates/components/language_switch.html",
    "templates/components/draft_note.html",
    "templates/errors/",
    "templates/email/acknowledgement",
    "templates/email/reporter_closed",
    "templates/email/reporter_picked_up",
    "templates/email/base.html",
    # The card a worker gives a person referred to an initiative, in their language.
    "templates/board/_card.html",
    # Volunteers who sign up for a call for good neighbours, and their mail.
    "templates/volunteers/",
    "templates/email/volunteer_",
    "signaalpunt/forms/volunteer.py",
    "signaalpunt/neighbours/signups.py",
    "signaalpunt/volunteers/",
    "signaalpunt/intake/",
    # The forms the public pages use (forms/initiative.py is for staff and initiatives, in Dutch and English).
    "signaalpunt/forms/base.py",
    "signaalpunt/forms/report.py",
    "signaalpunt/forms/validators.py",
)
PUBLIC_ENUMS = (
    PublicStatus,
    ReporterRole,
    Observation,
    AgeBand,
    PersonAwareness,
    CallTime,
    Availability,
    NeighbourHelp,
    SpokenLanguage,
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """The strings in the code and templates today, extracted afresh."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return read_po(handle)


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def public_ids(extracted) -> set:
    ids = {m.id for m in extracted if m.id and any(loc.startswith(PUBLIC_SOURCES) for loc, _ in m.locations)}
    for enum_class in PUBLIC_ENUMS:
        ids |= {member.label._args[0] for member in enum_class}
    return ids


@pytest.mark.parametrize("language", ["en", *PUBLIC_ONLY])
def test_every_string_in_the_code_is_in_the_catalogue(extracted, language: str) -> None:
    known = {m.id for m in catalogue(language)}
    missing = [m.id for m in extracted if m.id and m.id not in known]
    assert not missing, f"{language}: run 'make messages' and translate: {missing[:5]}"


def test_english_is_complete(extracted) -> None:
    english = catalogue("en")
    untranslated = [m.id for m in english if m.id and not translated(m)]
    assert not untranslated, untranslated[:5]


@pytest.mark.parametrize("language", PUBLIC_ONLY)
def test_public_pages_and_reporter_mail_are_fully_translated(extracted, language: str) -> None:
    wanted = public_ids(extracted)
    assert len(wanted) > 150
    entries = {m.id: m for m in catalogue(language)}
    untranslated = [message_id for message_id in wanted if not translated(entries[message_id])]
    assert not untranslated, untranslated[:5]


@pytest.mark.parametrize("language", ["en", *PUBLIC_ONLY])
def test_placeholders_survive_translation(language: str) -> None:
    for message in catalogue(language):
        if not message.id or not translated(message):
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        target = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"%\(\w+\)s", source[-1]))
        for text in target:
            assert set(re.findall(r"%\(\w+\)s", text)) <= expected | {"%(num)s"}, (language, message.id)
            assert expected - {"%(num)s"} <= set(re.findall(r"%\(\w+\)s", text)), (language, message.id)


def test_no_message_has_a_bare_percent_sign(extracted) -> None:
    """Jinja formats every message with %, so a lone % (as in "90% of") would garble the text."""
    for message in extracted:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            assert not re.search(r"%(?!\(\w+\)s)", text or ""), text
