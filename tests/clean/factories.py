"""Builders of raw offers for the clean tests: a France Travail record and a JSON-LD page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.contracts.records import RawOffer

COLLECTED_AT = dt.datetime(2025, 3, 4, 6, 0, tzinfo=dt.UTC)


def france_travail_record(**overrides: Any) -> dict[str, Any]:
    """Return an invented France Travail v2 record with the keys the API returns."""
    record: dict[str, Any] = {
        "id": "190ABCD",
        "intitule": "Data Engineer (H/F)",
        "description": "Vous construirez nos pipelines en Python et SQL sur AWS.\n"
        "Télétravail partiel possible (2 jours par semaine).",
        "dateCreation": "2025-03-03T10:15:00.000Z",
        "dateActualisation": "2025-03-03T12:00:00.000Z",
        "lieuTravail": {
            "libelle": "59 - LILLE",
            "latitude": 50.63,
            "longitude": 3.06,
            "codePostal": "59000",
            "commune": "59350",
        },
        "entreprise": {"nom": "Exemple Données"},
        "typeContrat": "CDI",
        "typeContratLibelle": "Contrat à durée indéterminée",
        "natureContrat": "Contrat travail",
        "experienceExige": "E",
        "experienceLibelle": "3 An(s)",
        "salaire": {"libelle": "Annuel de 45000.0 Euros à 55000.0 Euros sur 12.0 mois"},
        "alternance": False,
        "competences": [{"code": "1", "libelle": "Utiliser Apache Airflow", "exigence": "S"}],
        "origineOffre": {
            "origine": "1",
            "urlOrigine": "https://candidat.francetravail.fr/offres/recherche/detail/190ABCD",
        },
    }
    record.update(overrides)
    return record


def job_posting(**overrides: Any) -> dict[str, Any]:
    """Return an invented schema.org JobPosting object."""
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Data Analyst",
        "description": "<p>Analyses avec SQL et Power BI.</p>",
        "datePosted": "2025-03-03",
        "hiringOrganization": {"@type": "Organization", "name": "Exemple SAS"},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Nantes",
                "postalCode": "44000",
                "addressCountry": "FR",
            },
        },
        "employmentType": "FULL_TIME",
    }
    posting.update(overrides)
    return posting


def raw_france_travail(offer_id: str = "190ABCD", **overrides: Any) -> RawOffer:
    return RawOffer(
        source="france_travail",
        source_offer_id=offer_id,
        url=None,
        query="data engineer",
        collected_at=COLLECTED_AT,
        payload=france_travail_record(id=offer_id, **overrides),
    )


def raw_jsonld(
    jsonld: object, *, offer_id: str = "board-1", url: str = "https://jobs.example.fr/o/1"
) -> RawOffer:
    return RawOffer(
        source="example_board",
        source_offer_id=offer_id,
        url=url,
        query="data",
        collected_at=COLLECTED_AT,
        payload={"jsonld": jsonld, "url": url},
    )
