"""Which language a page is shown in: an explicit choice, else the browser's wish, else Dutch.

Dutch and English cover every page. The public pages (form, confirmation, status, privacy) and the
mail to reporters also come in Polish, Turkish and Arabic, for the many couriers and shop staff who
read those better than Dutch.
"""

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_translations

ALL_PAGES = ("nl", "en")
PUBLIC_ONLY = ("pl", "tr", "ar")
PUBLIC_LANGUAGES = (*ALL_PAGES, *PUBLIC_ONLY)
RIGHT_TO_LEFT = frozenset({"ar"})
NAMES = {"nl": "Nederlands", "en": "English", "pl": "Polski", "tr": "Türkçe", "ar": "العربية"}
SESSION_KEY = "language"
# Pages offered in every public language; the rest in Dutch and English.
MULTILINGUAL_BLUEPRINTS = frozenset({"intake", "volunteers"})
# One object per language for the whole process: Flask-Babel parses a new one per request otherwise, and every
# cache keyed by the locale (a page's dates, its catalogue) then compares them field by field.
LOCALES = {language: Locale.parse(language) for language in PUBLIC_LANGUAGES}


def _offered() -> tuple[str, ...]:
    return PUBLIC_LANGUAGES if request.blueprint in MULTILINGUAL_BLUEPRINTS else ALL_PAGES


def select_locale() -> Locale | None:
    """The explicit choice kept for the visit, else the best match for Accept-Language, else Dutch."""
    if not has_request_context():
        return None  # commands and workers: the default language, unless a caller forces one
    offered = _offered()
    chosen = session.get(SESSION_KEY)
    if chosen not in offered:
        chosen = request.accept_languages.best_match(offered) or "nl"
    return LOCALES[chosen]


def is_right_to_left(language: str) -> bool:
    return language in RIGHT_TO_LEFT


def remember_choice() -> None:
    """``?taal=pl`` on any page shows it in that language and keeps the choice for the rest of the visit.

    The page itself answers, not a redirect to it: on a phone that round trip cost more than half a second.
    forms.js then shows the address without ``?taal=``, so Reload and a shared link stay clean.
    """
    wanted = request.args.get("taal")
    if request.method == "GET" and wanted in PUBLIC_LANGUAGES:
        session[SESSION_KEY] = wanted


def catalogue() -> Translations | NullTranslations:
    """The catalogue of the language in force: Flask-Babel's lookup is slow for a board page with hundreds of strings.

    Kept per request and per language, because mail to a reporter is rendered in their language mid-request.
    """
    if not has_app_context():
        return get_translations()  # a label shown outside the app, in a shell: as written
    catalogues = g.setdefault("catalogues", {})
    locale = get_locale()
    catalogue = catalogues.get(locale)
    if catalogue is None:
        catalogue = catalogues[locale] = get_translations()
    return catalogue


def translate(message: str) -> str:
    """``gettext`` through the per-request catalogue, for code that translates many strings per page."""
    return catalogue().ugettext(message)


def init_app(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=translate,
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, message: catalogue().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    app.before_request(remember_choice)
