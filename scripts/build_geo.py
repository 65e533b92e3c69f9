"""Build `shared/geo/france.json.gz` from the npm package `@etalab/decoupage-administratif`.

The package (data under Licence Ouverte, code under MIT) publishes the official
geography (INSEE Code officiel géographique, La Poste postal codes, INSEE legal
populations) as JSON. This script keeps metropolitan France and the five overseas
départements (DROM), drops the overseas collectivities (COM: 975, 977, 978, 984-989),
and writes one compact gzip JSON file that `shared.geo.load_geography` reads.

Usage:
    python scripts/build_geo.py                          # runs `npm pack` in a temporary folder
    python scripts/build_geo.py --package-dir ./package  # an already unpacked package

The output is byte-identical for the same input, so rerunning it changes nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_VERSION = "6.0.0"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "shared" / "geo" / "france.json.gz"
FORMAT_VERSION = 1
KEPT_ZONES = frozenset({"metro", "drom"})
DATA_FILES = ("communes", "departements", "regions")

CURRENT = "commune-actuelle"
DELEGATED = "commune-deleguee"
ASSOCIATED = "commune-associee"
MUNICIPAL_ARRONDISSEMENT = "arrondissement-municipal"


class SourceDataError(Exception):
    """The package's data does not have the shape this script expects."""


def read_package_dir(package_dir: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Read `package.json` and the data files of an unpacked package folder."""
    manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    data = {
        name: json.loads((package_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))
        for name in DATA_FILES
    }
    return manifest, data


def read_tarball(tarball: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Read `package.json` and the data files straight from an npm tarball, without extracting."""
    with tarfile.open(tarball, "r:gz") as archive:

        def load(member: str) -> Any:
            extracted = archive.extractfile(member)
            if extracted is None:
                raise SourceDataError(f"{member!r} in {str(tarball)!r} is not a regular file")
            return json.loads(extracted.read().decode("utf-8"))

        manifest = load("package/package.json")
        data = {name: load(f"package/data/{name}.json") for name in DATA_FILES}
    return manifest, data


def fetch_tarball(version: str, destination: Path) -> Path:
    """Download the package tarball with `npm pack` into `destination` and return its path."""
    command = ["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", str(destination)]
    try:
        completed = subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise SystemExit("npm is not installed; install it or pass --package-dir") from exc
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"`{' '.join(command)}` failed: {exc.stderr.strip()}") from exc
    name = completed.stdout.strip().splitlines()[-1]
    return destination / name


def convert(manifest: dict[str, Any], data: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Convert the package's records into the compact document `shared.geo` loads."""
    regions = [r for r in data["regions"] if r["zone"] in KEPT_ZONES]
    departments = [d for d in data["departements"] if d["zone"] in KEPT_ZONES]
    communes = [c for c in data["communes"] if c["zone"] in KEPT_ZONES]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for commune in communes:
        by_type.setdefault(commune["type"], []).append(commune)

    unknown_types = set(by_type) - {CURRENT, DELEGATED, ASSOCIATED, MUNICIPAL_ARRONDISSEMENT}
    if unknown_types:
        raise SourceDataError(f"unexpected commune types {sorted(unknown_types)!r}")

    current = sorted(by_type.get(CURRENT, []), key=lambda c: c["code"])
    current_codes = {c["code"] for c in current}
    former = _former_communes(by_type, current_codes)
    arrondissements = _arrondissements(by_type.get(MUNICIPAL_ARRONDISSEMENT, []), current_codes)
    old_codes = _old_codes(current, current_codes)

    return {
        "format": FORMAT_VERSION,
        "meta": {
            "source": {
                "package": PACKAGE,
                "version": manifest["version"],
                "licence": "Licence Ouverte (data), MIT (code)",
                "zones": sorted(KEPT_ZONES),
            },
            "counts": {
                "regions": len(regions),
                "departments": len(departments),
                "communes": len(current),
                "delegated_communes": len(by_type.get(DELEGATED, [])),
                "associated_communes": len(by_type.get(ASSOCIATED, [])),
                "municipal_arrondissements": len(arrondissements),
                "old_codes": len(old_codes),
                "postal_codes": len({p for c in current for p in c["codesPostaux"]}),
            },
            "source_counts_all_zones": dict(
                sorted(Counter(c["type"] for c in data["communes"]).items())
            ),
        },
        "regions": [[r["code"], r["nom"]] for r in sorted(regions, key=lambda r: r["code"])],
        "departments": [
            [d["code"], d["nom"], d["region"]] for d in sorted(departments, key=lambda d: d["code"])
        ],
        "communes": [
            [c["code"], c["nom"], c["departement"], c.get("population"), c["codesPostaux"]]
            for c in current
        ],
        "former_communes": former,
        "municipal_arrondissements": arrondissements,
        "old_codes": old_codes,
    }


def _former_communes(
    by_type: dict[str, list[dict[str, Any]]], current_codes: set[str]
) -> list[list[str]]:
    """Return `[code, name, current commune code, kind]` for delegated and associated communes."""
    rows = []
    for kind, source_type in (("delegated", DELEGATED), ("associated", ASSOCIATED)):
        for commune in by_type.get(source_type, []):
            parent = commune.get("chefLieu")
            if parent not in current_codes:
                raise SourceDataError(
                    f"{source_type} {commune['code']!r} points to {parent!r}, not a current commune"
                )
            rows.append([commune["code"], commune["nom"], parent, kind])
    return sorted(rows)


def _arrondissements(records: list[dict[str, Any]], current_codes: set[str]) -> list[list[Any]]:
    """Return `[code, name, city code, population, postal codes]` per municipal arrondissement."""
    rows = []
    for record in records:
        if record.get("commune") not in current_codes:
            raise SourceDataError(
                f"arrondissement {record['code']!r} points to {record.get('commune')!r}, "
                "not a current commune"
            )
        rows.append(
            [
                record["code"],
                record["nom"],
                record["commune"],
                record.get("population"),
                record.get("codesPostaux", []),
            ]
        )
    return sorted(rows)


def _old_codes(current: list[dict[str, Any]], current_codes: set[str]) -> dict[str, str]:
    """Map the former codes of merged communes to the code of the commune that replaced them."""
    mapping: dict[str, str] = {}
    for commune in current:
        for old in commune.get("anciensCodes", []):
            if old not in current_codes:
                mapping[old] = commune["code"]
    return dict(sorted(mapping.items()))


def write_document(document: dict[str, Any], output: Path) -> int:
    """Write the document as gzip JSON with `mtime=0`, so equal data gives equal bytes."""
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    compressed = gzip.compress(payload, compresslevel=9, mtime=0)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(compressed)
    return len(compressed)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--version",
        default=DEFAULT_VERSION,
        help=f"package version to fetch (default {DEFAULT_VERSION})",
    )
    parser.add_argument(
        "--package-dir", type=Path, help="unpacked package folder to read instead of running npm"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="gzip JSON file to write"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if arguments.package_dir is not None:
        manifest, data = read_package_dir(arguments.package_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="decoupage-") as folder:
            manifest, data = read_tarball(fetch_tarball(arguments.version, Path(folder)))

    document = convert(manifest, data)
    size = write_document(document, arguments.output)
    counts = document["meta"]["counts"]
    print(
        f"wrote {arguments.output} ({size} bytes) from {PACKAGE}@{manifest['version']}: "
        + ", ".join(f"{name} {value}" for name, value in counts.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
