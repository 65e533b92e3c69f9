"""Demo offers: generated deterministically, valid places, and all found by the default queries."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from infra.local.france_travail_server import FranceTravailServer
from services.scrape.plan import DEFAULT_QUERIES
from shared.geo import load_geography

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "infra" / "local" / "demo_offers"
SCRIPT = ROOT / "scripts" / "make_demo_offers.py"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo_offers", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo_records() -> list[dict[str, Any]]:
    return [
        record
        for path in sorted(DEMO_DIR.glob("*.json"))
        for record in json.loads(path.read_text(encoding="utf-8"))
    ]


def non_data_titles(generator: ModuleType) -> set[str]:
    return {title for title, _code, _label in generator.NON_DATA_TITLES}


def is_non_data(record: dict[str, Any], titles: set[str]) -> bool:
    return any(record["intitule"].startswith(f"{title} ") for title in titles)


def test_generator_is_deterministic(generator: ModuleType) -> None:
    assert generator.generate_offers() == generator.generate_offers()


def test_committed_files_match_generator(generator: ModuleType, tmp_path: Path) -> None:
    generator.write_offers(tmp_path)

    expected = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.json")}
    committed = {path.name: path.read_text(encoding="utf-8") for path in DEMO_DIR.glob("*.json")}
    assert committed == expected


def test_demo_has_about_400_unique_offers(demo_records: list[dict[str, Any]]) -> None:
    ids = [record["id"] for record in demo_records]

    assert 380 <= len(ids) <= 420
    assert len(set(ids)) == len(ids)


def test_demo_spans_may_to_december_2026(demo_records: list[dict[str, Any]]) -> None:
    months = {record["dateCreation"][:7] for record in demo_records}

    assert months == {f"2026-{month:02d}" for month in range(5, 13)}


def test_demo_has_about_10_percent_non_data(
    generator: ModuleType, demo_records: list[dict[str, Any]]
) -> None:
    titles = non_data_titles(generator)
    share = sum(is_non_data(record, titles) for record in demo_records) / len(demo_records)

    assert 0.05 <= share <= 0.15


def test_demo_covers_every_role_family(generator: ModuleType) -> None:
    from shared.roles import ROLE_SLUGS

    assert set(generator.ROLES) == ROLE_SLUGS


def test_demo_contract_codes(demo_records: list[dict[str, Any]]) -> None:
    codes = Counter(record["typeContrat"] for record in demo_records)

    assert set(codes) == {"CDI", "CDD", "MIS", "LIB", "SAI"}


def test_demo_communes_have_their_postal_codes(demo_records: list[dict[str, Any]]) -> None:
    geography = load_geography()
    wrong = []
    for record in demo_records:
        place = record["lieuTravail"]
        if "commune" not in place:
            continue
        commune = geography.commune(place["commune"])
        if commune is None or place["codePostal"] not in commune.postal_codes:
            wrong.append((place["commune"], place["codePostal"]))

    assert wrong == []


def test_demo_covers_all_18_regions(demo_records: list[dict[str, Any]]) -> None:
    geography = load_geography()
    regions = {
        geography.commune(record["lieuTravail"]["commune"]).region_code
        for record in demo_records
        if "commune" in record["lieuTravail"]
    }

    assert regions == set(geography.regions)


def test_default_queries_find_every_data_offer(
    generator: ModuleType, demo_records: list[dict[str, Any]]
) -> None:
    server = FranceTravailServer(DEMO_DIR, client_id="demo", client_secret="demo")
    found = {record["id"] for query in DEFAULT_QUERIES for record in server.search_all(query)}
    titles = non_data_titles(generator)

    missed = [
        record["intitule"]
        for record in demo_records
        if not is_non_data(record, titles) and record["id"] not in found
    ]
    assert missed == []


def test_default_queries_also_bring_non_data_offers(
    generator: ModuleType, demo_records: list[dict[str, Any]]
) -> None:
    server = FranceTravailServer(DEMO_DIR, client_id="demo", client_secret="demo")
    found = {record["id"] for query in DEFAULT_QUERIES for record in server.search_all(query)}
    titles = non_data_titles(generator)

    non_data = [record["id"] for record in demo_records if is_non_data(record, titles)]
    assert set(non_data) <= found
