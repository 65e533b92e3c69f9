"""Gettext catalogues shipped as `.po` files and compiled in memory when first needed."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


class CatalogueMissing(FileNotFoundError):
    """No `.po` catalogue exists for a language and domain."""


def compile_catalogue(po_path: Path, *, domain: str) -> Translations:
    """Compile one `.po` file in memory, skipping fuzzy entries as `msgfmt` does."""
    if not po_path.is_file():
        raise CatalogueMissing(f"no catalogue at {str(po_path)!r}")
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def catalogue_path(locales_dir: Path, language: str, domain: str) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{domain}.po"
