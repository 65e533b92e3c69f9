"""Tests of the daily report text: French first, English through gettext, HTML escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from report_factories import make_figures

import services.report
from services.report.rendering import (
    LOCALES_DIR,
    UnsupportedLanguage,
    render_report,
)

MALICIOUS = '<script>alert("x")</script>'
BABEL_METHODS = [
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]


def source_messages() -> set[str]:
    package_dir = Path(services.report.__file__).parent
    extracted = extract_from_dir(
        package_dir,
        method_map=BABEL_METHODS,
        options_map={"**/templates/**": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "gettext": None, "N_": None},
    )
    return {message for _, _, message, _, _ in extracted}


def catalogue(language: str) -> dict[str, str]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "report.po").open("rb") as source:
        return {message.id: message.string for message in read_po(source) if message.id}


def test_render_report_subject_in_french() -> None:
    report = render_report(make_figures())

    assert report.subject == "Rapport quotidien Datastats du 3 mars 2025"


@pytest.mark.parametrize(
    "wording",
    ["Rapprochement des étapes", "Rejets par motif", "Lieux non reconnus en attente", "nouveau"],
)
def test_render_report_html_in_french(wording: str) -> None:
    report = render_report(make_figures())

    assert wording in report.html


def test_render_report_text_in_french() -> None:
    report = render_report(make_figures())

    assert "Collecte par source et par requête" in report.text
    assert "offres non justifiées : 1" in report.text


def test_render_report_in_english() -> None:
    report = render_report(make_figures(), language="en")

    assert report.subject == "Datastats daily report for March 3, 2025"
    assert "Stage reconciliation" in report.html
    assert "Rapprochement" not in report.html


def test_render_report_formats_numbers_in_french() -> None:
    report = render_report(make_figures())

    assert "Offres enregistrées au total : 1\u202f234" in report.text


@pytest.mark.parametrize(
    "field", ["query", "place_label", "reason"], ids=["query", "place", "reason"]
)
def test_render_report_html_escapes_data(field: str) -> None:
    report = render_report(make_figures(**{field: MALICIOUS}))

    assert MALICIOUS not in report.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in report.html


def test_render_report_text_keeps_data_verbatim() -> None:
    report = render_report(make_figures(query=MALICIOUS))

    assert MALICIOUS in report.text


def test_render_report_unknown_dlq_depth_is_not_zero() -> None:
    report = render_report(make_figures(dlq_depth=None))

    assert "clean-dlq: inconnu" in report.text


def test_render_report_rejects_unsupported_language() -> None:
    with pytest.raises(UnsupportedLanguage, match="'de'"):
        render_report(make_figures(), language="de")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_translates_every_message(language: str) -> None:
    translations = catalogue(language)

    missing = sorted(message for message in source_messages() if not translations.get(message))

    assert missing == []


def test_source_messages_include_templates_and_labels() -> None:
    messages = source_messages()

    assert "Stage reconciliation" in messages
    assert "Geographic matching" in messages


def test_catalogue_french_differs_from_source() -> None:
    translations = catalogue("fr")

    assert translations["Stage reconciliation"] == "Rapprochement des étapes"
