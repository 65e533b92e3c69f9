"""The official geography of France (communes, départements, regions) and label normalisation.

The data file `france.json.gz` is built by `scripts/build_geo.py` from the npm
package `@etalab/decoupage-administratif` (Licence Ouverte). It covers metropolitan
France and the five overseas départements, but not the overseas collectivities.
"""

from __future__ import annotations

from functools import lru_cache

from shared.geo.geography import (
    Commune,
    Department,
    FormerCommune,
    Geography,
    GeographyDataError,
    Region,
    read_geography,
)
from shared.geo.normalize import fold, label_key, name_key, normalize_text, tokens

__all__ = [
    "Commune",
    "Department",
    "FormerCommune",
    "Geography",
    "GeographyDataError",
    "Region",
    "fold",
    "label_key",
    "load_geography",
    "name_key",
    "normalize_text",
    "read_geography",
    "tokens",
]


@lru_cache(maxsize=1)
def load_geography() -> Geography:
    """Return the shipped geography, read on first call and shared by the process afterwards."""
    return read_geography()
