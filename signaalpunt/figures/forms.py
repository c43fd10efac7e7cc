"""The period filter of the figures pages (a GET form: no CSRF token, so the address can be shared)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from signaalpunt.forms.base import BaseForm
from signaalpunt.signals.figures import EARLIEST_DAY, MAX_PERIOD_YEARS, Period, is_too_long


class PeriodForm(BaseForm):
    class Meta:
        csrf = False

    van = StringField(_l("Van"))
    tot = StringField(_l("Tot en met"))

    def checked_period(self, default: Period) -> Period:
        """The period asked for (a date left out comes from ``default``); ``default`` itself when a date is
        refused, with the reason next to the field. Bounded, so no one can make a page count for centuries."""
        days = {}
        for field, fallback in ((self.van, default.first), (self.tot, default.last)):
            days[field.name] = _day(field.data) if field.data else fallback
            if days[field.name] is None:
                field.errors = [_l("Vul een datum in, zoals 2026-01-31")]
            elif days[field.name] < EARLIEST_DAY:
                field.errors = [_l("Kies een datum vanaf 1 januari %(year)s", year=EARLIEST_DAY.year)]
        if self.errors:
            return default
        period = Period(*sorted((days["van"], days["tot"])))
        if is_too_long(period):
            self.tot.errors = [_l("Kies een periode van hoogstens %(years)s jaar", years=MAX_PERIOD_YEARS)]
            return default
        return period


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 and text.isascii() else None
    except ValueError:
        return None
