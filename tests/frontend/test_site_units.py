"""Dashboard filter checks, language choice, formatting and the gettext catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from frontend.errors import InvalidFilter
from frontend.filters import check_month, check_region, check_role
from frontend.i18n import (
    LANGUAGES,
    LOCALES_DIR,
    choose_language,
    format_count,
    format_euros,
    format_month,
    format_share,
)

FRONTEND_DIR = LOCALES_DIR.parent


# Filters


def test_check_role_defaults_to_all() -> None:
    assert check_role(None) == "all"


def test_check_role_accepts_slug() -> None:
    assert check_role("data_engineer") == "data_engineer"


def test_check_role_unknown_names_value() -> None:
    with pytest.raises(InvalidFilter) as caught:
        check_role("plombier")

    assert caught.value.value == "plombier"
    assert caught.value.parameter == "role"


def test_check_region_defaults_to_france() -> None:
    assert check_region("") == "FR"


def test_check_region_unknown_raises() -> None:
    with pytest.raises(InvalidFilter):
        check_region("2A")


def test_check_month_defaults_to_newest() -> None:
    assert check_month(None, ["2024-05", "2024-04"]) == "2024-05"


def test_check_month_without_months_is_none() -> None:
    assert check_month(None, []) is None


def test_check_month_accepts_month_without_data() -> None:
    assert check_month("2023-01", ["2024-05"]) == "2023-01"


@pytest.mark.parametrize("value", ["2024-13", "2024-00", "2024-5", "24-05", "2024-05-01", "mai"])
def test_check_month_malformed_raises(value: str) -> None:
    with pytest.raises(InvalidFilter):
        check_month(value, ["2024-05"])


# Language and formatting


@pytest.mark.parametrize(
    ("requested", "remembered", "expected"),
    [
        pytest.param(None, None, "fr", id="default"),
        pytest.param("en", None, "en", id="parameter"),
        pytest.param(None, "en", "en", id="cookie"),
        pytest.param("fr", "en", "fr", id="parameter-wins"),
        pytest.param("de", "xx", "fr", id="unknown-ignored"),
    ],
)
def test_choose_language(requested: str | None, remembered: str | None, expected: str) -> None:
    assert choose_language(requested, remembered) == expected


def test_format_count_french_grouping() -> None:
    assert format_count(12345, "fr") == "12\u202f345"


def test_format_count_english_grouping() -> None:
    assert format_count(12345, "en") == "12,345"


def test_format_euros_rounds_to_whole_euros() -> None:
    assert format_euros(48000.6, "fr") == "48\u202f001\xa0€"


def test_format_euros_english() -> None:
    assert format_euros(48000, "en") == "€48,000"


def test_format_share_french() -> None:
    assert format_share(0.25, "fr") == "25\xa0%"


def test_format_month_french() -> None:
    assert format_month("2024-05", "fr") == "mai 2024"


def test_format_month_english() -> None:
    assert format_month("2024-05", "en") == "May 2024"


# Catalogues


def _catalogue(language: str) -> dict[str, str]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return {message.id: message.string for message in read_po(po_file) if message.id}


def _extracted_messages() -> set[str]:
    with (FRONTEND_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        message[2]
        for message in extract_from_dir(str(FRONTEND_DIR), method_map, options_map)
        if isinstance(message[2], str)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_message(language: str) -> None:
    catalogue = _catalogue(language)

    untranslated = sorted(message for message, string in catalogue.items() if not string)

    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_covers_every_source_message(language: str) -> None:
    missing = sorted(_extracted_messages() - set(_catalogue(language)))

    assert missing == []


def test_catalogue_files_exist_for_every_language() -> None:
    paths = [LOCALES_DIR / language / "LC_MESSAGES" / "messages.po" for language in LANGUAGES]

    assert all(Path(path).is_file() for path in paths)
