from __future__ import annotations

import pytest

from services.clean.contract import (
    contract_duration_months,
    contract_from_employment_type,
    contract_from_france_travail,
    contract_from_text,
)
from services.clean.dedup import dedup_key, normalise_url
from services.clean.experience import experience_from_france_travail, experience_from_text
from services.clean.remote import detect_remote
from services.clean.text import clean_line, clean_text
from shared.contracts.records import PlaceEvidence


@pytest.mark.parametrize(
    ("code", "label", "expected"),
    [
        ("CDI", "Contrat à durée indéterminée", "cdi"),
        ("CDD", "CDD - 10 Mois", "cdd"),
        ("MIS", "Mission intérimaire - 3 Mois", "interim"),
        ("LIB", "Profession libérale", "freelance"),
        ("FRA", "Franchise", "other"),
        ("SAI", "Saisonnier - 2 Mois", "cdd"),
    ],
)
def test_contract_from_france_travail_codes(code: str, label: str, expected: str) -> None:
    payload = {"typeContrat": code, "typeContratLibelle": label, "alternance": False}
    assert contract_from_france_travail(payload, "Data Analyst").contract_type == expected


def test_contract_duration_from_label() -> None:
    payload = {"typeContrat": "CDD", "typeContratLibelle": "CDD - 10 Mois"}
    assert contract_from_france_travail(payload, "Data Analyst").duration_months == 10


def test_contract_alternance_flag_wins_over_code() -> None:
    payload = {"typeContrat": "CDD", "typeContratLibelle": "CDD - 24 Mois", "alternance": True}
    assert contract_from_france_travail(payload, "Data Analyst").contract_type == "apprenticeship"


def test_contract_professionnalisation_nature() -> None:
    payload = {"typeContrat": "CDD", "natureContrat": "Contrat de professionnalisation"}
    assert contract_from_france_travail(payload, "Data Analyst").contract_type == "apprenticeship"


def test_contract_internship_from_title() -> None:
    payload = {"typeContrat": "CDD", "typeContratLibelle": "CDD - 6 Mois"}
    assert (
        contract_from_france_travail(payload, "Stage - Data Engineer").contract_type == "internship"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("FULL_TIME", None),
        ("Full-time", None),
        (["FULL_TIME", "CONTRACTOR"], "freelance"),
        ("INTERN", "internship"),
        ("TEMPORARY", "cdd"),
        ("CDI", "cdi"),
        (None, None),
        (42, None),
    ],
)
def test_contract_from_employment_type(value: object, expected: str | None) -> None:
    assert contract_from_employment_type(value) == expected


def test_contract_from_text_two_types_is_unknown() -> None:
    assert contract_from_text("Stage de 6 mois puis CDI ou CDD") is None


def test_contract_duration_in_days() -> None:
    assert contract_duration_months("Intérim - 61 Jour(s)") == pytest.approx(2, abs=0.01)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pas de télétravail possible sur ce poste", "none"),
        ("Poste 100% présentiel", "none"),
        ("Migration vers un cloud hybride Azure", "unknown"),
        ("Télétravail partiel : 2 jours par semaine", "partial"),
        ("Organisation en mode hybride", "partial"),
        ("Paris · Hybride", "partial"),
        ("Poste en full remote", "full"),
        ("100% télétravail", "full"),
        ("Rien à signaler", "unknown"),
    ],
)
def test_detect_remote(text: str, expected: str) -> None:
    assert detect_remote(text) == expected


def test_detect_remote_telecommute_location_type() -> None:
    assert detect_remote("Data Analyst", job_location_type="TELECOMMUTE") == "full"


@pytest.mark.parametrize(
    ("label", "code", "expected"),
    [
        ("5 An(s)", "E", 5),
        ("Expérience exigée de 3 An(s)", "E", 3),
        ("Débutant accepté", "D", 0),
        ("3 Mois", "E", 0.25),
        ("Expérience exigée", "E", None),
        (None, "D", 0),
    ],
)
def test_experience_from_france_travail(
    label: str | None, code: str, expected: float | None
) -> None:
    assert experience_from_france_travail(label, code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vous avez > 5 ans d'expérience en data", 5),
        ("Expérience de 3 à 5 ans sur un poste similaire", 3),
        ("5+ years of experience with Spark", 5),
        ("Entreprise fondée il y a 20 ans", None),
        ("Débutant accepté", 0),
    ],
)
def test_experience_from_text(text: str, expected: float | None) -> None:
    assert experience_from_text(text) == expected


def test_clean_line_decodes_double_escaped_entities() -> None:
    assert clean_line("Data &amp;#038; BI Analyst") == "Data & BI Analyst"


def test_clean_text_removes_escaped_tags() -> None:
    text = "&lt;p&gt;Stack : Power BI, dbt &amp;amp; Snowflake&lt;/p&gt;"
    assert clean_text(text) == "Stack : Power BI, dbt & Snowflake"


def test_clean_text_keeps_paragraphs_and_normalises_spaces() -> None:
    assert clean_text("<p>Un\u00a0 deux</p><p>trois</p>") == "Un deux\ntrois"


def test_clean_text_non_string_is_empty() -> None:
    assert clean_text(None) == ""


def test_normalise_url_removes_tracking_parameters() -> None:
    with_tracking = "https://Jobs.example.fr/offre/12?utm_source=mail&utm_medium=x&id=7#top"
    assert normalise_url(with_tracking) == "https://jobs.example.fr/offre/12?id=7"


def test_normalise_url_same_offer_with_and_without_tracking() -> None:
    plain = "https://jobs.example.fr/offre/12"
    assert normalise_url(plain + "?utm_source=mail") == normalise_url(plain)


def _key(company: str | None, title: str, commune: str | None, label: str = "") -> str:
    place = PlaceEvidence(commune_code=commune, label=label)
    return dedup_key(company=company, title=title, place=place, description="Texte")


def test_dedup_key_repost_matches() -> None:
    assert _key("ACME SAS", "Data Engineer (H/F)", "59350") == _key(
        "Acme", "DATA ENGINEER F/H", "59350"
    )


def test_dedup_key_two_cities_differ() -> None:
    assert _key("Acme", "Data Engineer", "59350") != _key("Acme", "Data Engineer", "69123")


def test_dedup_key_label_when_no_code() -> None:
    assert _key("Acme", "Data Engineer", None, "Lille") != _key(
        "Acme", "Data Engineer", None, "Lyon"
    )


def test_dedup_key_anonymous_offers_use_description() -> None:
    place = PlaceEvidence(commune_code="59350")
    first = dedup_key(company=None, title="Data Analyst", place=place, description="Offre A")
    second = dedup_key(company=None, title="Data Analyst", place=place, description="Offre B")
    assert first != second


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        pytest.param("Télétravail", "full", id="telework"),
        pytest.param("100% télétravail", "full", id="full-telework"),
        pytest.param("Remote", "full", id="remote"),
        pytest.param("69 - LYON 02", "unknown", id="city"),
        pytest.param("Télétravail partiel - Lyon", "partial", id="city-with-telework"),
    ],
)
def test_remote_from_place_label(label: str, expected: str) -> None:
    assert detect_remote(label, place_label=label) == expected
