"""Builders of realistic located offers for ingest tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.contracts.records import LocatedOffer, Location, PlaceEvidence, Salary


def located_offer(**overrides: Any) -> LocatedOffer:
    values: dict[str, Any] = {
        "source": "france_travail",
        "source_offer_id": "100AAAA",
        "url": "https://offres.example/100AAAA",
        "title": "Data Engineer H/F",
        "description": "Pipelines Spark et Airflow, SQL.",
        "role": "data_engineer",
        "seniority": "confirmed",
        "company": "Lumen Analytique",
        "contract_type": "cdi",
        "remote": "partial",
        "salary": Salary(
            period="year",
            min=45000,
            max=55000,
            yearly_min=45000,
            yearly_max=55000,
            months_paid=12,
            origin="salaire.libelle",
        ),
        "technologies": ["Airflow", "SQL", "Spark"],
        "place": PlaceEvidence(commune_code="69382", postal_code="69002", label="69 - LYON 02"),
        "published_at": dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC),
        "collected_at": dt.datetime(2026, 11, 4, 6, 0, tzinfo=dt.UTC),
        "dedup_key": "dk-100AAAA",
        "location": Location(
            method="commune_code",
            commune_code="69123",
            commune_name="Lyon",
            department_code="69",
            region_code="84",
            region_name="Auvergne-Rhône-Alpes",
        ),
    }
    values.update(overrides)
    if "url" not in overrides:
        values["url"] = f"https://offres.example/{values['source_offer_id']}"
    return LocatedOffer(**values)
