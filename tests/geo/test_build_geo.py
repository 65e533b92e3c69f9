"""The build script: a tiny package in the npm layout becomes a loadable geography file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from shared.geo import GeographyDataError, read_geography

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_geo.py"

COMMUNES: list[dict[str, Any]] = [
    {
        "code": "75056",
        "nom": "Paris",
        "zone": "metro",
        "type": "commune-actuelle",
        "departement": "75",
        "region": "11",
        "population": 2100000,
        "codesPostaux": ["75001", "75009"],
    },
    {
        "code": "75109",
        "nom": "Paris 9e Arrondissement",
        "zone": "metro",
        "type": "arrondissement-municipal",
        "commune": "75056",
        "departement": "75",
        "region": "11",
        "population": 60000,
        "codesPostaux": ["75009"],
    },
    {
        "code": "50129",
        "nom": "Cherbourg-en-Cotentin",
        "zone": "metro",
        "type": "commune-actuelle",
        "departement": "50",
        "region": "28",
        "population": 78000,
        "codesPostaux": ["50100"],
        "anciensCodes": ["50173"],
    },
    {
        "code": "50173",
        "nom": "Cherbourg-Octeville",
        "zone": "metro",
        "type": "commune-deleguee",
        "chefLieu": "50129",
        "departement": "50",
        "region": "28",
    },
    {
        "code": "97411",
        "nom": "Saint-Denis",
        "zone": "drom",
        "type": "commune-actuelle",
        "departement": "974",
        "region": "04",
        "population": 155000,
        "codesPostaux": ["97400"],
    },
    {
        "code": "97701",
        "nom": "Saint-Barthélemy",
        "zone": "com",
        "type": "commune-actuelle",
        "departement": "977",
        "region": "977",
        "population": 10000,
        "codesPostaux": ["97133"],
    },
]
DEPARTMENTS = [
    {"code": "75", "nom": "Paris", "region": "11", "zone": "metro"},
    {"code": "50", "nom": "Manche", "region": "28", "zone": "metro"},
    {"code": "974", "nom": "La Réunion", "region": "04", "zone": "drom"},
    {"code": "977", "nom": "Saint-Barthélemy", "region": "977", "zone": "com"},
]
REGIONS = [
    {"code": "11", "nom": "Île-de-France", "zone": "metro"},
    {"code": "28", "nom": "Normandie", "zone": "metro"},
    {"code": "04", "nom": "La Réunion", "zone": "drom"},
    {"code": "977", "nom": "Saint-Barthélemy", "zone": "com"},
]


@pytest.fixture(scope="module")
def build_geo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_geo", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def package_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "package"
    (folder / "data").mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"version": "9.9.9"}), encoding="utf-8")
    for name, records in (
        ("communes", COMMUNES),
        ("departements", DEPARTMENTS),
        ("regions", REGIONS),
    ):
        (folder / "data" / f"{name}.json").write_text(json.dumps(records), encoding="utf-8")
    return folder


def run_build(build_geo: ModuleType, package_dir: Path, output: Path) -> None:
    assert build_geo.main(["--package-dir", str(package_dir), "--output", str(output)]) == 0


def test_build_excludes_overseas_collectivities(
    build_geo: ModuleType, package_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "france.json.gz"
    run_build(build_geo, package_dir, output)

    geography = read_geography(output)

    assert sorted(geography.communes) == ["50129", "75056", "97411"]
    assert sorted(geography.regions) == ["04", "11", "28"]


def test_build_counts_in_metadata(build_geo: ModuleType, package_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "france.json.gz"
    run_build(build_geo, package_dir, output)

    geography = read_geography(output)

    assert geography.counts() == geography.meta["counts"]
    assert geography.meta["source"]["version"] == "9.9.9"


def test_build_maps_arrondissement_delegated_and_old_codes(
    build_geo: ModuleType, package_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "france.json.gz"
    run_build(build_geo, package_dir, output)

    geography = read_geography(output)

    assert [geography.commune(code).code for code in ("75109", "50173")] == [  # type: ignore[union-attr]
        "75056",
        "50129",
    ]
    assert geography.old_codes == {"50173": "50129"}


def test_build_rerun_gives_identical_bytes(
    build_geo: ModuleType, package_dir: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json.gz", tmp_path / "second.json.gz"
    run_build(build_geo, package_dir, first)
    run_build(build_geo, package_dir, second)

    assert first.read_bytes() == second.read_bytes()


def test_build_rejects_orphan_delegated_commune(
    build_geo: ModuleType, package_dir: Path, tmp_path: Path
) -> None:
    orphan = {**COMMUNES[3], "chefLieu": "50999"}
    (package_dir / "data" / "communes.json").write_text(
        json.dumps([*COMMUNES[:3], orphan]), encoding="utf-8"
    )
    with pytest.raises(build_geo.SourceDataError, match="'50999'"):
        run_build(build_geo, package_dir, tmp_path / "out.json.gz")


def test_read_geography_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(GeographyDataError, match=r"absent\.json\.gz"):
        read_geography(tmp_path / "absent.json.gz")
