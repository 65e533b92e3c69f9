"""Measure place labels matched per second, with and without the label cache, in one process.

The 100 000 labels are drawn (fixed seed) from the communes of the shipped geography,
weighted by population, and written the ways offers write them: "DD - NAME",
"Name - DD", "06560 Valbonne", "Paris 8e", bare names, départements and regions.
Weighting by population makes big cities repeat, as they do in real offers, and the
repeats are what the cache saves.

Usage:
    python bench/bench_geo.py [--labels 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from services.geo_match.matching import PlaceMatcher
from shared.contracts.records import PlaceEvidence
from shared.geo import Commune, Geography, fold, load_geography


def offer_style_label(commune: Commune, rng: random.Random) -> str:
    """Write a commune's place label in one of the forms offers use."""
    upper = fold(commune.name).upper().replace("-", " ").replace("'", " ")
    upper = upper.replace("SAINT ", "ST ")
    forms = [
        f"{commune.department_code} - {upper}",
        f"{commune.name} - {commune.department_code}",
        f"{commune.postal_codes[0]} {commune.name}",
        commune.name,
        f"{commune.name} Cedex",
    ]
    return rng.choice(forms)


def make_labels(geography: Geography, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    communes = list(geography.communes.values())
    weights = [commune.population or 1 for commune in communes]
    areas = [department.name for department in geography.departments.values()]
    areas += [region.name for region in geography.regions.values()]
    areas += ["Paris 8e", "Lyon 3ème Arrondissement", "MARSEILLE 13EME", "Télétravail", "France"]

    labels = []
    for commune in rng.choices(communes, weights=weights, k=count):
        if rng.random() < 0.1:
            labels.append(rng.choice(areas))
        else:
            labels.append(offer_style_label(commune, rng))
    return labels


def labels_per_second(matcher: PlaceMatcher, evidences: list[PlaceEvidence]) -> float:
    started = time.perf_counter()
    for evidence in evidences:
        matcher.locate(evidence)
    return len(evidences) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=100_000, help="number of labels to match")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the label draw")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)

    geography = load_geography()
    labels = make_labels(geography, arguments.labels, arguments.seed)
    evidences = [PlaceEvidence(label=label) for label in labels]
    print(f"{len(labels)} labels, {len(set(labels))} distinct")

    uncached = labels_per_second(PlaceMatcher(geography, cache_size=0), evidences)
    matcher = PlaceMatcher(geography)
    cached = labels_per_second(matcher, evidences)
    warm = labels_per_second(matcher, evidences)
    print(f"without cache:            {uncached:,.0f} labels/s")
    print(f"with cache, first pass:   {cached:,.0f} labels/s ({cached / uncached:.1f}x)")
    print(f"with cache, second pass:  {warm:,.0f} labels/s ({warm / uncached:.1f}x, all hits)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
