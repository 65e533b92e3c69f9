"""Builders of committed site data: offers, monthly statistics, chart manifests, PNG images."""

from __future__ import annotations

import datetime as dt
import itertools
import struct
import zlib
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from shared.db.models import ChartManifest, MonthlyStat, MonthlyTechnologyStat, Offer

_offer_numbers = itertools.count(1)


def tiny_png() -> bytes:
    """Return a valid 1x1 white PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def offer(**overrides: Any) -> Offer:
    number = next(_offer_numbers)
    seen_at = dt.datetime(2024, 5, 6, 8, 0, tzinfo=dt.UTC)
    values: dict[str, Any] = {
        "source": "france_travail",
        "source_offer_id": f"170{number:04d}X",
        "dedup_key": f"dk-{number}",
        "url": f"https://candidat.francetravail.fr/offres/recherche/detail/170{number:04d}X",
        "title": "Data engineer H/F",
        "description": "Pipelines Spark et Airflow.",
        "role": "data_engineer",
        "company": "Lumen Analytique",
        "contract_type": "cdi",
        "remote": "partial",
        "geo_method": "commune_code",
        "commune_code": "75056",
        "city": "Paris",
        "department_code": "75",
        "region_code": "11",
        "region_name": "Île-de-France",
        "month": "2024-05",
        "published_at": seen_at,
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
    }
    values.update(overrides)
    return Offer(**values)


def monthly_stat(**overrides: Any) -> MonthlyStat:
    values: dict[str, Any] = {
        "month": "2024-05",
        "role": "all",
        "region_code": "FR",
        "offers": 0,
        "with_salary": 0,
        "salary_yearly_median": None,
        "day_rate_median": None,
        "contract_counts": {},
        "remote_counts": {},
    }
    values.update(overrides)
    return MonthlyStat(**values)


def technology_stat(technology: str, offers: int, **overrides: Any) -> MonthlyTechnologyStat:
    values: dict[str, Any] = {"month": "2024-05", "role": "all", "region_code": "FR"}
    values.update(overrides)
    return MonthlyTechnologyStat(technology=technology, offers=offers, **values)


def chart_keys(month: str, role: str, version: str, regions: list[str]) -> dict[str, Any]:
    """Return a manifest `charts` JSON with one key per region and chart kind."""
    kinds = ("offers_per_month", "top_technologies", "contract_types")
    return {
        region: {kind: f"charts/{month}/{role}/{version}/{region}/{kind}.png" for kind in kinds}
        for region in regions
    }


def manifest(
    *,
    month: str = "2024-05",
    role: str = "all",
    version: str = "v1",
    regions: list[str] | None = None,
    created_at: dt.datetime | None = None,
) -> ChartManifest:
    charts = chart_keys(month, role, version, regions or ["FR", "11"])
    return ChartManifest(
        month=month,
        role=role,
        version=version,
        manifest_blob=f"file:///blobs/charts/{month}/{role}/{version}/manifest.json",
        charts=charts,
        created_at=created_at or dt.datetime(2024, 6, 1, 3, 0, tzinfo=dt.UTC),
    )


def commit_rows(engine: Engine, *rows: object) -> None:
    """Insert rows and commit, because the site reads through its own sessions."""
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()
