"""How a signal's small pieces read on every staff page: moments, status badges, the area.

Python functions rather than template macros: a board page shows 25 rows of them, and a macro call
costs several times a function call; the board's rows are made in one pass (``board_rows``), with the
reader's language and zone looked up once. The same rows are shown again and again, so the words for a
moment are remembered per language and time zone (formatting was the board's single largest cost).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import cached_property, lru_cache
from urllib.parse import quote

from babel import Locale, dates
from babel.support import NullTranslations, Translations
from flask import Flask, g, url_for
from flask_babel import get_locale, get_timezone
from markupsafe import Markup, escape
from sqlalchemy import Row

from signaalpunt.core.labels import _l
from signaalpunt.core.languages import catalogue
from signaalpunt.signals.enums import Observation, ReporterRole, SignalStatus
from signaalpunt.signals.models import Signal

RECEIVED = "d MMM yyyy, HH:mm"
DEADLINE = "EEEE d MMM yyyy"
SNIPPET_LENGTH = 90
# What was seen, in a word or two: a board row has no room for the form's full sentences.
SHORT_OBSERVATION = {
    Observation.POST_PILING_UP: _l("post stapelt op"),
    Observation.CURTAINS_CLOSED: _l("gordijnen dicht"),
    Observation.NEGLECTED_APPEARANCE: _l("verwaarloosd uiterlijk"),
    Observation.NEGLECTED_HOME: _l("huis of tuin verwaarloosd"),
    Observation.WITHDRAWN: _l("komt niet buiten"),
    Observation.NO_VISITORS: _l("geen bezoek"),
    Observation.DAY_NIGHT: _l("overdag in nachtkleding"),
    Observation.SEEKS_CONTACT: _l("zoekt contact"),
    Observation.MONEY_WORRIES: _l("geldzorgen"),
    Observation.SAYS_LONELY: _l("zegt eenzaam te zijn"),
    Observation.OTHER: _l("iets anders"),
}


@lru_cache(maxsize=16384)
def _words(moment: datetime, pattern: str, locale: Locale, zone: tzinfo) -> str:
    return dates.format_datetime(moment.replace(tzinfo=UTC), pattern, tzinfo=zone, locale=locale)


@lru_cache(maxsize=4096)
def _day_words(value: date, pattern: str, locale: Locale) -> str:
    return dates.format_date(value, pattern, locale=locale)


def _badge(kind: str, text: str) -> Markup:
    return Markup(f'<span class="badge badge--{kind}">{escape(text)}</span>')  # noqa: S704 - kind is an enum value or fixed word; text is escaped


@dataclass(frozen=True)
class Reading:
    """The reader's language, catalogue and time zone, looked up once for a page of rows rather than per piece."""

    locale: Locale
    zone: tzinfo
    catalogue: Translations | NullTranslations

    @classmethod
    def current(cls) -> "Reading":
        """Kept per request and language: a figures page writes some sixty days, each through this."""
        readings = g.setdefault("readings", {})
        locale = get_locale()
        reading = readings.get(locale)
        if reading is None:
            reading = readings[locale] = cls(locale, get_timezone(), catalogue())
        return reading

    def word(self, message: str) -> str:
        return self.catalogue.ugettext(message)

    def moment(self, moment: datetime, pattern: str) -> Markup:
        """Moments are stored as naive UTC; shown in the reader's time zone."""
        words = escape(_words(moment, pattern, self.locale, self.zone))
        return Markup(f'<time datetime="{moment.isoformat(timespec="minutes")}Z">{words}</time>')  # noqa: S704 - escaped

    def day(self, value: date | datetime, pattern: str) -> str:
        """A day; a stored moment (naive UTC) on the reader's calendar."""
        if isinstance(value, datetime):
            value = value.replace(tzinfo=UTC).astimezone(self.zone).date()
        return _day_words(value, pattern, self.locale)

    def status_badges(self, status: SignalStatus, urgent: bool, reporter_role: ReporterRole, overdue: bool) -> Markup:
        badges = [_badge(status.value, self.word(status.message))]
        if urgent:
            badges.append(_badge("urgent", self.word("Urgent")))
        if reporter_role == ReporterRole.SELF:
            badges.append(_badge("self", self.word(ReporterRole.SELF.message)))
        if overdue:
            badges.append(_badge("overdue", self.word("Te laat")))
        return Markup("\n").join(badges)

    def area_name(self, area: str | None, outside_area: bool) -> str:
        if area:
            return area
        return self.word("Buiten werkgebied") if outside_area else self.word("Onbekend")

    @cached_property
    def short_observations(self) -> dict[Observation, str]:
        return {observation: self.word(label) for observation, label in SHORT_OBSERVATION.items()}

    def what_it_is_about(self, signal: Row) -> Markup:
        """A board row's second line: the description's start, then what was seen, where, and who reported it."""
        observed = set(signal.observations.split(",")) if signal.observations else set()
        seen = ", ".join(label for observation, label in self.short_observations.items() if observation in observed)
        if signal.street:
            where = f"{signal.street} {signal.house_number or ''}{signal.house_number_suffix or ''}".strip()
        else:
            where = snippet(signal.place_description, 40)
        reporter = self.word(signal.reporter_role.message)
        if signal.partner:
            reporter = f"{reporter}, {signal.partner}"
        facts = " · ".join(part for part in (seen, where, reporter) if part)
        text, facts = escape(snippet(signal.description)), escape(facts)
        return Markup(f'<span class="row-about__text">{text}</span><span class="row-about__facts">{facts}</span>')  # noqa: S704 - escaped


def when(moment: datetime) -> Markup:
    """Date and time, such as "24 nov. 2026, 14:30"."""
    return Reading.current().moment(moment, RECEIVED)


def due(moment: datetime) -> Markup:
    """A deadline's day, such as "dinsdag 24 nov. 2026"."""
    return Reading.current().moment(moment, DEADLINE)


def day(value: date | datetime, pattern: str) -> str:
    """A day such as "24 nov. 2026", as Flask-Babel's ``dateformat`` writes it but remembered: the figures pages
    write some thirty week days each."""
    return Reading.current().day(value, pattern)


def status_badges(signal: Signal, now: datetime) -> Markup:
    """The status, and "urgent" and "overdue" when they apply."""
    return Reading.current().status_badges(signal.status, signal.urgent, signal.reporter_role, signal.is_overdue(now))


def area_name(signal: Signal) -> str:
    """The area's name; or why there is none."""
    return Reading.current().area_name(signal.area.name if signal.area else None, signal.outside_area)


def snippet(text: str | None, length: int = SNIPPET_LENGTH) -> str:
    """The start of a text, cut at a word, so a row says what it is about."""
    if not text:
        return ""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class BoardRow:
    """What one row of the board shows, each piece ready to print."""

    # The signal's columns the board reads (``signals.queries._board_columns``).
    signal: Row
    link: str
    about: Markup
    badges: Markup
    received: Markup
    due: Markup | None
    area: str
    assignee: str | None
    overdue: bool
    repeat: int | None


def board_rows(signals: list[Row], repeats: dict[int, int]) -> list[BoardRow]:
    """The board's rows, the reader's language and zone looked up once for all of them."""
    reading = Reading.current()
    return [
        BoardRow(
            signal=signal,
            link=url_for("board.signal_page", reference=signal.reference),
            about=reading.what_it_is_about(signal),
            badges=reading.status_badges(signal.status, signal.urgent, signal.reporter_role, signal.overdue),
            received=reading.moment(signal.created_at, RECEIVED),
            due=reading.moment(signal.due_at, DEADLINE) if signal.due_at else None,
            area=reading.area_name(signal.area, signal.outside_area),
            assignee=signal.assignee,
            overdue=bool(signal.overdue),
            repeat=repeats.get(signal.id),
        )
        for signal in signals
    ]


@dataclass(frozen=True)
class MapLinks:
    app: str
    web: str


def map_links(signal: Signal) -> MapLinks | None:
    """The address for the phone's own map app (a geo: URI) and for OpenStreetMap in the browser: links only,
    so our pages make no request to a third party; the worker's tap does."""
    if not signal.postcode:
        return None
    number = f"{signal.house_number or ''}{signal.house_number_suffix or ''}"
    words = " ".join(part for part in (signal.street, number, signal.postcode, signal.town) if part)
    query = quote(f"{words}, Nederland")
    return MapLinks(f"geo:0,0?q={query}", f"https://www.openstreetmap.org/search?query={query}")


def init_app(app: Flask) -> None:
    for helper in (when, due, status_badges, area_name, map_links):
        app.add_template_global(helper)
    app.add_template_filter(day)
