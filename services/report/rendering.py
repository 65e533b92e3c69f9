"""Render the daily report as HTML and plain text, in French or English, with gettext catalogues."""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.report.figures import REPORT_TIMEZONE, ReportFigures
from shared.i18n import catalogue_path, compile_catalogue

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LOCALES_DIR = PACKAGE_DIR / "locales"
DOMAIN = "report"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


class UnsupportedLanguage(ValueError):
    """The report was requested in a language it has no catalogue for."""


def N_(message: str) -> str:
    """Mark `message` for extraction; the template translates it when it is shown."""
    return message


STAGE_LABELS = {
    "scrape": N_("Collection"),
    "clean": N_("Cleaning"),
    "geo_match": N_("Geographic matching"),
    "ingest": N_("Storage"),
}

STATUS_LABELS = {
    "ok": N_("ok"),
    "empty": N_("empty"),
    "partial": N_("partial"),
    "blocked": N_("blocked"),
    "rate_limited": N_("rate limited"),
    "timed_out": N_("timed out"),
    "error": N_("error"),
    "failed": N_("failed"),
}

PLACE_KIND_LABELS = {
    "unmatched": N_("no match"),
    "ambiguous": N_("ambiguous"),
}


@dataclass(frozen=True, kw_only=True)
class RenderedReport:
    language: str
    subject: str
    html: str
    text: str


@lru_cache(maxsize=len(LANGUAGES))
def load_translations(language: str) -> gettext.GNUTranslations:
    """Compile the `.po` catalogue of `language` in memory and return its translations."""
    if language not in LANGUAGES:
        raise UnsupportedLanguage(
            f"unsupported report language {language!r}; expected one of {LANGUAGES}"
        )
    return compile_catalogue(catalogue_path(LOCALES_DIR, language, DOMAIN), domain=DOMAIN)


def _label(labels: dict[str, str], translations: gettext.GNUTranslations, value: str) -> str:
    """Translate a known code; unknown codes are shown as they are."""
    return translations.gettext(labels[value]) if value in labels else value


@lru_cache(maxsize=len(LANGUAGES))
def _environment(language: str) -> Environment:
    translations = load_translations(language)
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(
        number=lambda value: format_decimal(value, locale=language),
        percent=lambda value: format_percent(value, format="#,##0.0 %", locale=language),
        date=lambda value: format_date(value, format="long", locale=language),
        datetime=lambda value: format_datetime(
            value, format="short", tzinfo=REPORT_TIMEZONE, locale=language
        ),
        stage=lambda value: _label(STAGE_LABELS, translations, value),
        status=lambda value: _label(STATUS_LABELS, translations, value),
        place_kind=lambda value: _label(PLACE_KIND_LABELS, translations, value),
    )
    return environment


def report_subject(report_date: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    translations = load_translations(language)
    return translations.gettext("Datastats daily report for %(date)s") % {
        "date": format_date(report_date, format="long", locale=language)
    }


def render_report(figures: ReportFigures, *, language: str = DEFAULT_LANGUAGE) -> RenderedReport:
    """Render `figures` as an e-mail subject, an HTML page and a plain-text version.

    Every value from the database is escaped in the HTML by Jinja's autoescape.
    """
    environment = _environment(language)
    subject = report_subject(figures.report_date, language)
    context = {"figures": figures, "subject": subject, "language": language}
    return RenderedReport(
        language=language,
        subject=subject,
        html=environment.get_template("report.html").render(context),
        text=environment.get_template("report.txt").render(context),
    )
