"""Language choice, gettext catalogues and locale-aware number and month formatting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from shared.i18n import DEFAULT_LANGUAGE, LANGUAGES
from shared.i18n import compile_catalogue as shared_compile_catalogue

LANGUAGE_PARAMETER = "lang"
LANGUAGE_COOKIE = "lang"
LOCALES_DIR = Path(__file__).parent / "locales"
CATALOGUE_DOMAIN = "messages"

_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


class CatalogueMissing(FileNotFoundError):
    """A language has no `<locales>/<lang>/LC_MESSAGES/messages.po` file."""


def choose_language(requested: str | None, remembered: str | None) -> str:
    """Pick the page language: the `?lang=` value, then the cookie, then French.

    Unknown values are ignored rather than rejected, so a stale cookie never breaks a page.
    """
    for candidate in (requested, remembered):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def compile_catalogue(po_path: Path) -> Translations:
    """Compile one `.po` file of the site's domain in memory."""
    return shared_compile_catalogue(po_path, domain=CATALOGUE_DOMAIN)


def load_translations(locales_dir: Path = LOCALES_DIR) -> dict[str, Translations]:
    """Compile the catalogue of every supported language; raises `CatalogueMissing`."""
    translations: dict[str, Translations] = {}
    for language in LANGUAGES:
        po_path = locales_dir / language / "LC_MESSAGES" / f"{CATALOGUE_DOMAIN}.po"
        if not po_path.is_file():
            raise CatalogueMissing(f"no catalogue for language {language!r} at {str(po_path)!r}")
        translations[language] = compile_catalogue(po_path)
    return translations


def format_count(value: int | float, language: str) -> str:
    """Format a whole number with the language's digit grouping, e.g. `12 345` in French."""
    return format_decimal(round(value), locale=_BABEL_LOCALES[language])


def format_euros(value: float, language: str) -> str:
    """Format an amount in whole euros: `48 000 €` in French, `€48,000` in English."""
    amount = format_count(value, language)
    if language == "fr":
        return f"{amount}\N{NO-BREAK SPACE}€"
    return f"€{amount}"


def format_share(value: float, language: str) -> str:
    """Format a share between 0 and 1 as a whole percentage, e.g. `42 %` in French."""
    return format_percent(value, locale=_BABEL_LOCALES[language])


def format_month(month: str, language: str) -> str:
    """Format a `YYYY-MM` month as `mai 2024` or `May 2024`."""
    year, month_number = (int(part) for part in month.split("-"))
    first_day = dt.date(year, month_number, 1)
    return format_date(first_day, "LLLL y", locale=_BABEL_LOCALES[language])
