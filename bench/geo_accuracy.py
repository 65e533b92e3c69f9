"""Measure how well place labels alone locate France Travail offers.

For every offer whose `lieuTravail` carries an INSEE commune code, the label is
matched with the commune and postal codes removed, and the result is compared with
the commune, département and region of the recorded code.

Usage:
    python bench/geo_accuracy.py FOLDER   # FOLDER contains France Travail JSON files
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.geo_match.matching import PlaceMatcher
from shared.contracts.records import PlaceEvidence
from shared.geo import Geography, load_geography


@dataclass
class Tally:
    offers: int = 0
    commune_agrees: int = 0
    department_agrees: int = 0
    region_agrees: int = 0
    area_only: int = 0
    wrong_region: list[str] = field(default_factory=list)
    not_commune: list[str] = field(default_factory=list)


def read_offers(folder: Path) -> Iterator[dict[str, Any]]:
    """Yield the offers of each `*.json` in `folder`: a list, or an API page with `resultats`."""
    for path in sorted(folder.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        yield from content["resultats"] if isinstance(content, dict) else content


def measure(offers: Iterator[dict[str, Any]], geography: Geography) -> Tally:
    matcher = PlaceMatcher(geography)
    tally = Tally()
    for offer in offers:
        place = offer.get("lieuTravail") or {}
        expected = geography.commune(place.get("commune") or "")
        if expected is None:
            continue

        label = place.get("libelle") or ""
        location = matcher.locate(PlaceEvidence(label=label))
        tally.offers += 1
        tally.commune_agrees += location.commune_code == expected.code
        tally.department_agrees += location.department_code == expected.department_code
        tally.region_agrees += location.region_code == expected.region_code
        tally.area_only += location.commune_code is None

        line = (
            f"{offer.get('id')}: {label!r} -> {location.method} {location.commune_code} "
            f"{location.department_code} {location.region_code}, expected {expected.code}"
        )
        if location.region_code is not None and location.region_code != expected.region_code:
            tally.wrong_region.append(line)
        if location.commune_code != expected.code:
            tally.not_commune.append(line)
    return tally


def share(count: int, total: int) -> str:
    return f"{count}/{total} = {100 * count / total:.2f} %" if total else "n/a (no offers)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of France Travail JSON files")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)

    tally = measure(read_offers(arguments.folder), load_geography())
    print(f"offers with a commune code: {tally.offers}")
    print(f"commune agrees:     {share(tally.commune_agrees, tally.offers)}")
    print(f"placed without a commune (label names only an area): {tally.area_only}")
    print(f"département agrees: {share(tally.department_agrees, tally.offers)}")
    print(f"region agrees:      {share(tally.region_agrees, tally.offers)}")
    print(f"wrong region:       {len(tally.wrong_region)}")
    for line in tally.wrong_region:
        print(f"  WRONG REGION {line}")
    for line in tally.not_commune:
        print(f"  other commune or none {line}")
    return 1 if tally.wrong_region else 0


if __name__ == "__main__":
    raise SystemExit(main())
