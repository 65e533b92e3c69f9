"""The geography of France in memory: regions, départements, communes and their lookups."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from shared.geo.normalize import name_key, normalize_text

DATA_FILE_NAME = "france.json.gz"
SUPPORTED_FORMAT = 1


class GeographyDataError(Exception):
    """The geography data file is missing, unreadable or of an unsupported format."""


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True, slots=True)
class Commune:
    """A current commune (INSEE code) with its postal codes and legal population."""

    code: str
    name: str
    department_code: str
    region_code: str
    population: int | None
    postal_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormerCommune:
    """A delegated or associated commune, or a municipal arrondissement of a current commune."""

    code: str
    name: str
    commune_code: str
    kind: str


@dataclass(slots=True)
class Geography:
    """Lookups by code, postal code and normalised name over one geography data file."""

    meta: dict[str, Any]
    regions: dict[str, Region]
    departments: dict[str, Department]
    communes: dict[str, Commune]
    former_communes: dict[str, FormerCommune]
    arrondissements: dict[str, FormerCommune]
    old_codes: dict[str, str]
    _by_postal_code: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_former_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_exact_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_exact_former_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _department_by_name: dict[str, str] = field(default_factory=dict)
    _region_by_name: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._build_indexes()

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def _build_indexes(self) -> None:
        postal: dict[str, list[str]] = {}
        for commune in self.communes.values():
            for postal_code in commune.postal_codes:
                postal.setdefault(postal_code, []).append(commune.code)
        self._by_postal_code = {key: tuple(codes) for key, codes in postal.items()}

        names = [(commune.name, commune.code) for commune in self.communes.values()] + [
            (place.name, place.commune_code) for place in self.arrondissements.values()
        ]
        former_names = [(place.name, place.commune_code) for place in self.former_communes.values()]
        self._by_name = _index_by_name(names, name_key)
        self._by_former_name = _index_by_name(former_names, name_key)
        self._by_exact_name = _index_by_name(names, normalize_text)
        self._by_exact_former_name = _index_by_name(former_names, normalize_text)
        self._department_by_name = {
            name_key(department.name): department.code for department in self.departments.values()
        }
        self._region_by_name = {
            name_key(region.name): region.code for region in self.regions.values()
        }

    def commune(self, code: str) -> Commune | None:
        """Return the current commune behind any known code, or None.

        A municipal arrondissement code (75109) gives its city (75056). A delegated or
        associated commune code, or the former code of a merged commune, gives the
        current commune it belongs to.
        """
        if code in self.communes:
            return self.communes[code]
        for places in (self.arrondissements, self.former_communes):
            if code in places:
                return self.communes[places[code].commune_code]
        if code in self.old_codes:
            return self.communes[self.old_codes[code]]
        return None

    def communes_with_postal_code(self, postal_code: str) -> tuple[Commune, ...]:
        """Return the current communes that use `postal_code` (an empty tuple if none)."""
        return tuple(self.communes[code] for code in self._by_postal_code.get(postal_code, ()))

    def communes_named(self, key: str, *, exact: bool = False) -> tuple[Commune, ...]:
        """Return current communes (and cities of arrondissements) whose `name_key` is `key`.

        With `exact`, `key` is compared with `normalize_text` of the names instead, so
        leading articles count ("la vergne" is not "vergne").
        """
        index = self._by_exact_name if exact else self._by_name
        return tuple(self.communes[code] for code in index.get(key, ()))

    def communes_formerly_named(self, key: str, *, exact: bool = False) -> tuple[Commune, ...]:
        """Return current communes with a delegated or associated commune named `key`.

        `key` and `exact` work as in `communes_named`.
        """
        index = self._by_exact_former_name if exact else self._by_former_name
        return tuple(self.communes[code] for code in index.get(key, ()))

    def department(self, code: str) -> Department | None:
        return self.departments.get(code)

    def department_named(self, key: str) -> Department | None:
        """Return the département whose `name_key` is `key`, or None."""
        code = self._department_by_name.get(key)
        return None if code is None else self.departments[code]

    def region(self, code: str) -> Region | None:
        return self.regions.get(code)

    def region_named(self, key: str) -> Region | None:
        """Return the region whose `name_key` is `key`, or None."""
        code = self._region_by_name.get(key)
        return None if code is None else self.regions[code]

    def region_of_department(self, department_code: str) -> Region:
        return self.regions[self.departments[department_code].region_code]

    def counts(self) -> dict[str, int]:
        """Count the loaded records under the names the build script uses in `meta.counts`."""
        kinds = [place.kind for place in self.former_communes.values()]
        return {
            "regions": len(self.regions),
            "departments": len(self.departments),
            "communes": len(self.communes),
            "delegated_communes": kinds.count("delegated"),
            "associated_communes": kinds.count("associated"),
            "municipal_arrondissements": len(self.arrondissements),
            "old_codes": len(self.old_codes),
            "postal_codes": len(self._by_postal_code),
        }


def _index_by_name(
    pairs: Iterable[tuple[str, str]], key: Callable[[str], str]
) -> dict[str, tuple[str, ...]]:
    """Group commune codes by the key of a name, without duplicates, in first-seen order."""
    index: dict[str, dict[str, None]] = {}
    for name, code in pairs:
        index.setdefault(key(name), {})[code] = None
    return {key: tuple(codes) for key, codes in index.items()}


def geography_from_document(document: dict[str, Any]) -> Geography:
    """Build a `Geography` from the document `scripts/build_geo.py` writes."""
    if document.get("format") != SUPPORTED_FORMAT:
        raise GeographyDataError(
            f"geography data format {document.get('format')!r} is not supported; "
            f"expected {SUPPORTED_FORMAT}, rebuild it with `make geo-data`"
        )
    regions = {code: Region(code, name) for code, name in document["regions"]}
    departments = {
        code: Department(code, name, region) for code, name, region in document["departments"]
    }
    communes = {
        code: Commune(
            code=code,
            name=name,
            department_code=department,
            region_code=departments[department].region_code,
            population=population,
            postal_codes=tuple(postal_codes),
        )
        for code, name, department, population, postal_codes in document["communes"]
    }
    former = {
        code: FormerCommune(code, name, parent, kind)
        for code, name, parent, kind in document["former_communes"]
    }
    arrondissements = {
        code: FormerCommune(code, name, city, "municipal_arrondissement")
        for code, name, city, _population, _postal_codes in document["municipal_arrondissements"]
    }
    return Geography(
        meta=document["meta"],
        regions=regions,
        departments=departments,
        communes=communes,
        former_communes=former,
        arrondissements=arrondissements,
        old_codes=dict(document["old_codes"]),
    )


def read_geography(path: Path | None = None) -> Geography:
    """Read a geography data file; the file shipped in this package when `path` is None."""
    try:
        if path is None:
            raw = resources.files("shared.geo").joinpath(DATA_FILE_NAME).read_bytes()
        else:
            raw = path.read_bytes()
        document = json.loads(gzip.decompress(raw))
    except FileNotFoundError as exc:
        raise GeographyDataError(
            f"geography data file {str(path or DATA_FILE_NAME)!r} not found; "
            "build it with `make geo-data`"
        ) from exc
    except (OSError, EOFError, ValueError) as exc:
        raise GeographyDataError(
            f"geography data file {str(path or DATA_FILE_NAME)!r} is not valid gzip JSON: {exc}"
        ) from exc
    return geography_from_document(document)
