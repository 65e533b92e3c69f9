"""The shipped geography file: counts against its source, sanity ranges and lookups."""

from __future__ import annotations

import pytest

from shared.geo import Geography, load_geography
from shared.regions import REGIONS


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography()


def test_load_geography_is_cached() -> None:
    assert load_geography() is load_geography()


@pytest.mark.parametrize(
    "name",
    [
        "regions",
        "departments",
        "communes",
        "delegated_communes",
        "associated_communes",
        "municipal_arrondissements",
        "old_codes",
        "postal_codes",
    ],
)
def test_counts_match_source_metadata(geography: Geography, name: str) -> None:
    assert geography.counts()[name] == geography.meta["counts"][name]


def test_metadata_names_source_package(geography: Geography) -> None:
    assert geography.meta["source"]["package"] == "@etalab/decoupage-administratif"


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("communes", 34_500, 35_500),
        ("departments", 101, 101),
        ("regions", 18, 18),
        ("municipal_arrondissements", 45, 45),
        ("delegated_communes", 1_000, 5_000),
        ("postal_codes", 5_500, 7_000),
    ],
)
def test_counts_within_sanity_ranges(geography: Geography, name: str, low: int, high: int) -> None:
    assert low <= geography.counts()[name] <= high


def test_region_names_match_shared_regions(geography: Geography) -> None:
    assert {code: region.name for code, region in geography.regions.items()} == REGIONS


@pytest.mark.parametrize("code", ["2A", "2B", "971", "972", "973", "974", "976"])
def test_corsica_and_overseas_departments_present(geography: Geography, code: str) -> None:
    assert geography.department(code) is not None


def test_overseas_collectivities_excluded(geography: Geography) -> None:
    assert geography.department("975") is None


@pytest.mark.parametrize(
    ("arrondissement", "city"),
    [("75109", "75056"), ("69382", "69123"), ("13213", "13055")],
)
def test_commune_arrondissement_code_gives_city(
    geography: Geography, arrondissement: str, city: str
) -> None:
    commune = geography.commune(arrondissement)
    assert commune is not None
    assert commune.code == city


def test_arrondissement_keeps_its_own_record(geography: Geography) -> None:
    assert geography.arrondissements["75109"].name == "Paris 9e Arrondissement"


def test_commune_delegated_code_gives_current_commune(geography: Geography) -> None:
    delegated = next(
        place for place in geography.former_communes.values() if place.code != place.commune_code
    )
    commune = geography.commune(delegated.code)
    assert commune is not None
    assert commune.code == delegated.commune_code


def test_commune_unknown_code_gives_none(geography: Geography) -> None:
    assert geography.commune("00000") is None


def test_commune_region_follows_department(geography: Geography) -> None:
    nantes = geography.commune("44109")
    assert nantes is not None
    assert (nantes.name, nantes.department_code, nantes.region_code) == ("Nantes", "44", "52")


def test_postal_code_lookup_single_commune(geography: Geography) -> None:
    assert [commune.code for commune in geography.communes_with_postal_code("44000")] == ["44109"]


def test_postal_code_lookup_paris_arrondissement(geography: Geography) -> None:
    assert [commune.code for commune in geography.communes_with_postal_code("75009")] == ["75056"]


def test_postal_code_lookup_corsica(geography: Geography) -> None:
    departments = {c.department_code for c in geography.communes_with_postal_code("20000")}
    assert departments == {"2A"}


def test_department_lookup_by_name(geography: Geography) -> None:
    department = geography.department_named("hauts de seine")
    assert department is not None
    assert department.code == "92"


def test_region_lookup_by_name(geography: Geography) -> None:
    region = geography.region_named("ile de france")
    assert region is not None
    assert region.code == "11"


def test_communes_named_includes_every_homonym(geography: Geography) -> None:
    departments = {commune.department_code for commune in geography.communes_named("saint denis")}
    assert {"93", "974"} <= departments
