"""The technology catalogue: one entry per technology, read from `catalogue.json`."""

from __future__ import annotations

import json
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CATALOGUE_FILE = "catalogue.json"


class CatalogueInvalid(ValueError):
    """The catalogue file is not a list of valid technology entries."""


class TechnologyEntry(BaseModel):
    """One technology: its canonical name, category and the spellings that name it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    category: str = Field(min_length=1, max_length=40)
    aliases: tuple[str, ...] = ()

    @field_validator("aliases")
    @classmethod
    def _non_empty_aliases(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        blank = [alias for alias in aliases if not alias.strip()]
        if blank:
            raise ValueError(f"aliases {blank!r} are blank; expected non-empty spellings")
        return aliases

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical name followed by every alias, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


def parse_catalogue(text: str) -> list[TechnologyEntry]:
    """Parse catalogue JSON (a list of entries); raises `CatalogueInvalid`."""
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueInvalid(f"technology catalogue is not valid JSON: {exc}") from exc
    if not isinstance(rows, list):
        raise CatalogueInvalid(f"technology catalogue is a {type(rows).__name__}; expected a list")
    try:
        entries = [TechnologyEntry.model_validate(row) for row in rows]
    except ValidationError as exc:
        raise CatalogueInvalid(f"technology catalogue has an invalid entry: {exc}") from exc

    names = [entry.name for entry in entries]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise CatalogueInvalid(f"technology names {repeated!r} appear more than once")
    return entries


def load_catalogue() -> list[TechnologyEntry]:
    """Load the catalogue shipped with this package."""
    text = resources.files(__package__).joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    return parse_catalogue(text)
