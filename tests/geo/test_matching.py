"""Matching place evidence to a commune, département, region, the country or remote work."""

from __future__ import annotations

import pytest

from services.geo_match.matching import (
    AliasTarget,
    PlaceMatcher,
    locate,
    parse_label,
    postal_department_codes,
)
from shared.contracts.records import Location, PlaceEvidence
from shared.geo import Geography, label_key, load_geography


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography()


def locate_label(label: str, geography: Geography, **evidence: str) -> Location:
    return locate(PlaceEvidence(label=label, **evidence), geography)


# (label, method, commune code, département code, region code)
LABEL_CASES = [
    ("75 - PARIS 09", "label", "75056", "75", "11"),
    ("69 - LYON 02", "label", "69123", "69", "84"),
    ("Paris 8e", "label", "75056", "75", "11"),
    ("Lyon 3ème Arrondissement", "label", "69123", "69", "84"),
    ("MARSEILLE 13EME", "label", "13055", "13", "93"),
    ("Marseille 1er", "label", "13055", "13", "93"),
    ("Val-de-Reuil - 27", "label", "27701", "27", "28"),
    ("06560 Valbonne", "postal_code", "06152", "06", "93"),
    ("Nanterre Cedex", "label", "92050", "92", "11"),
    ("PARIS CEDEX 08", "label", "75056", "75", "11"),
    ("La Défense", "department", None, "92", "11"),
    ("Ile-de-France", "region", None, None, "11"),
    ("Île de France", "region", None, None, "11"),
    # The Paris département contains one commune, so a département-level label names it too.
    ("75 - Paris (Dept.)", "department", "75056", "75", "11"),
    ("75", "department", "75056", "75", "11"),
    ("92 - Hauts de Seine", "department", None, "92", "11"),
    ("Hauts-de-Seine", "department", None, "92", "11"),
    ("42 - Loire", "department", None, "42", "84"),
    ("Bretagne", "region", None, None, "53"),
    ("Rhône-Alpes", "region", None, None, "84"),
    ("PACA", "region", None, None, "93"),
    ("Télétravail", "remote", None, None, None),
    ("100% télétravail", "remote", None, None, None),
    ("France", "country", None, None, None),
    ("Saint-Denis - 974", "label", "97411", "974", "04"),
    ("Saint-Denis, La Réunion", "label", "97411", "974", "04"),
    ("93 - ST DENIS", "label", "93066", "93", "11"),
    ("Ajaccio - 2A", "label", "2A004", "2A", "94"),
    ("2B - BASTIA", "label", "2B033", "2B", "94"),
    ("ST MALO", "label", "35288", "35", "53"),
    ("35 - ST MALO", "label", "35288", "35", "53"),
    ("LE PUY STE REPARADE", "label", "13080", "13", "93"),
    ("Les Mureaux", "label", "78440", "78", "11"),
    ("78 - MUREAUX", "label", "78440", "78", "11"),
    ("VILLENEUVE D ASCQ", "label", "59009", "59", "32"),
    ("Boulogne s/ Mer", "label", "62160", "62", "32"),
    ("Château-Chinon (Ville) - 58", "label", "58062", "58", "27"),
    ("38 - VIENNE", "label", "38544", "38", "84"),
    ("86 - Vienne", "department", None, "86", "75"),
    ("Paris", "label", "75056", "75", "11"),
    ("Paris / Télétravail", "label", "75056", "75", "11"),
    ("Cherbourg-Octeville", "label", "50129", "50", "28"),
    ("92 - Nowhere Land", "department", None, "92", "11"),
    ("Nowhere Land", "unmatched", None, None, None),
]


@pytest.mark.parametrize(
    ("label", "method", "commune", "department", "region"),
    LABEL_CASES,
    ids=[case[0] for case in LABEL_CASES],
)
def test_locate_label(
    geography: Geography,
    label: str,
    method: str,
    commune: str | None,
    department: str | None,
    region: str | None,
) -> None:
    location = locate_label(label, geography)
    assert location.method == method
    assert location.commune_code == commune
    assert location.department_code == department
    assert location.region_code == region


def test_locate_fills_names(geography: Geography) -> None:
    location = locate_label("69 - LYON 02", geography)
    assert location.commune_name == "Lyon"
    assert location.region_name == "Auvergne-Rhône-Alpes"


def test_locate_region_only_has_region_name(geography: Geography) -> None:
    location = locate_label("Ile-de-France", geography)
    assert location.region_name == "Île-de-France"
    assert location.commune_name is None


# Saint-Denis is a commune in 93, 974, 11 and 30: only a code or a département decides.
def test_saint_denis_alone_is_ambiguous(geography: Geography) -> None:
    location = locate_label("Saint-Denis", geography)
    assert location.method == "ambiguous"
    assert location.region_code is None
    assert location.commune_code is None
    assert {"93066", "97411"} <= set(location.candidates)


def test_saint_denis_postal_code_decides(geography: Geography) -> None:
    location = locate_label("Saint-Denis", geography, postal_code="97400")
    assert location.method == "postal_code"
    assert location.commune_code == "97411"
    assert location.region_name == "La Réunion"


def test_saint_denis_974_is_la_reunion(geography: Geography) -> None:
    location = locate_label("Saint-Denis - 974", geography)
    assert location.region_name == "La Réunion"


def test_ajaccio_2a_is_corse(geography: Geography) -> None:
    location = locate_label("Ajaccio - 2A", geography)
    assert location.region_name == "Corse"


def test_teletravail_has_no_city(geography: Geography) -> None:
    location = locate_label("Télétravail", geography)
    assert location.method == "remote"
    assert location.commune_code is None
    assert location.region_code is None


def test_france_is_country_level(geography: Geography) -> None:
    location = locate_label("France", geography)
    assert location.method == "country"
    assert location.region_code is None


@pytest.mark.parametrize("label", ["", "   ", " - "])
def test_locate_without_evidence_is_missing(geography: Geography, label: str) -> None:
    location = locate_label(label, geography)
    assert location.method == "missing"
    assert location.commune_code is None


def test_locate_never_defaults_to_paris(geography: Geography) -> None:
    for label in ["", "France", "Télétravail", "Nowhere Land", "Saint-Denis"]:
        assert locate_label(label, geography).commune_code != "75056", label


# Postal codes 20xxx are in 2A or 2B, and 97xxx use three digits: the first two
# digits are not the département for either.
@pytest.mark.parametrize(
    ("postal_code", "department", "region"),
    [("20000", "2A", "94"), ("20200", "2B", "94"), ("97400", "974", "04"), ("97200", "972", "02")],
)
def test_postal_code_department_corsica_overseas(
    geography: Geography, postal_code: str, department: str, region: str
) -> None:
    location = locate(PlaceEvidence(postal_code=postal_code), geography)
    assert location.department_code == department
    assert location.region_code == region


def test_unknown_corsican_postal_code_gives_corse(geography: Geography) -> None:
    location = locate(PlaceEvidence(postal_code="20999"), geography)
    assert location.method == "region"
    assert location.region_code == "94"


@pytest.mark.parametrize(
    ("postal_code", "departments"),
    [("20090", ("2A", "2B")), ("97411", ("974",)), ("44042", ("44",)), ("97133", ())],
)
def test_postal_department_codes(
    geography: Geography, postal_code: str, departments: tuple[str, ...]
) -> None:
    assert postal_department_codes(postal_code, geography) == departments


# An offer in Nantes with postal code 44000 is in Loire-Atlantique, Pays de la Loire.
def test_nantes_44000_loire_atlantique(geography: Geography) -> None:
    location = locate(PlaceEvidence(postal_code="44000", label="Nantes"), geography)
    assert location.commune_name == "Nantes"
    assert location.department_code == "44"
    assert location.region_name == "Pays de la Loire"


def test_commune_code_beats_label(geography: Geography) -> None:
    evidence = PlaceEvidence(commune_code="44109", postal_code="75009", label="Paris 9e")
    location = locate(evidence, geography)
    assert location.method == "commune_code"
    assert location.commune_code == "44109"


def test_commune_code_arrondissement_gives_city(geography: Geography) -> None:
    location = locate(PlaceEvidence(commune_code="69382"), geography)
    assert location.commune_code == "69123"
    assert location.commune_name == "Lyon"


def test_commune_code_lost_leading_zero(geography: Geography) -> None:
    location = locate(PlaceEvidence(commune_code="6152"), geography)
    assert location.commune_code == "06152"


def test_unknown_commune_code_falls_back_to_label(geography: Geography) -> None:
    location = locate(PlaceEvidence(commune_code="99999", label="35 - RENNES"), geography)
    assert location.method == "label"
    assert location.commune_code == "35238"


def test_postal_code_shared_label_decides(geography: Geography) -> None:
    communes = geography.communes_with_postal_code("01400")
    target = communes[-1]
    location = locate(PlaceEvidence(postal_code="01400", label=target.name), geography)
    assert location.method == "postal_code"
    assert location.commune_code == target.code


def test_postal_code_shared_without_label_is_ambiguous(geography: Geography) -> None:
    location = locate(PlaceEvidence(postal_code="01400"), geography)
    assert location.method == "ambiguous"
    assert location.department_code == "01"
    assert len(location.candidates) > 1


def test_postal_code_across_departments_keeps_no_department(geography: Geography) -> None:
    location = locate(PlaceEvidence(postal_code="05110"), geography)
    assert location.method == "ambiguous"
    assert location.department_code is None


def test_cedex_postal_code_uses_label(geography: Geography) -> None:
    location = locate(PlaceEvidence(postal_code="92042", label="Nanterre Cedex"), geography)
    assert location.commune_code == "92050"


def test_homonyms_in_one_department_keep_department(geography: Geography) -> None:
    location = locate_label("Œuilly", geography, postal_code="02160")
    assert location.commune_code == "02565"


def test_alias_commune_applies_before_label(geography: Geography) -> None:
    aliases = {label_key("Saint-Denis"): AliasTarget(commune_code="93066")}
    location = locate(PlaceEvidence(label="SAINT DENIS"), geography, aliases)
    assert location.method == "alias"
    assert location.commune_code == "93066"


def test_alias_department_only(geography: Geography) -> None:
    aliases = {label_key("Plateau de Gravelle"): AliasTarget(department_code="94")}
    location = locate(PlaceEvidence(label="Plateau de Gravelle"), geography, aliases)
    assert location.method == "alias"
    assert location.department_code == "94"
    assert location.region_code == "11"
    assert location.commune_code is None


def test_alias_ignored_has_no_place(geography: Geography) -> None:
    aliases = {label_key("Plusieurs sites"): AliasTarget(ignored=True)}
    location = locate(PlaceEvidence(label="Plusieurs sites"), geography, aliases)
    assert location.method == "alias"
    assert location.region_code is None


def test_alias_does_not_beat_commune_code(geography: Geography) -> None:
    aliases = {label_key("Rennes"): AliasTarget(commune_code="44109")}
    location = locate(PlaceEvidence(commune_code="35238", label="Rennes"), geography, aliases)
    assert location.commune_code == "35238"


def test_review_kind_unmatched(geography: Geography) -> None:
    placement = PlaceMatcher(geography).place(PlaceEvidence(label="Nowhere Land"))
    assert placement.review == "unmatched"


def test_review_kind_partial_for_unknown_name_with_department(geography: Geography) -> None:
    placement = PlaceMatcher(geography).place(PlaceEvidence(label="92 - Nowhere Land"))
    assert placement.review == "partial"


def test_review_kind_none_for_department_label(geography: Geography) -> None:
    placement = PlaceMatcher(geography).place(PlaceEvidence(label="75 - Paris (Dept.)"))
    assert placement.review is None


def test_parse_label_splits_codes_and_names() -> None:
    parsed = parse_label("06560 Valbonne - 06")
    assert parsed.postal_codes == ("06560",)
    assert parsed.department_codes == ("06",)
    assert parsed.names == ("valbonne",)


def test_cache_gives_same_locations(geography: Geography) -> None:
    labels = [case[0] for case in LABEL_CASES] + ["Saint-Denis"]
    cached = PlaceMatcher(geography)
    uncached = PlaceMatcher(geography, cache_size=0)
    for label in labels * 2:
        evidence = PlaceEvidence(label=label)
        assert cached.locate(evidence) == uncached.locate(evidence), label
