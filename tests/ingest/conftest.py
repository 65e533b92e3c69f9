"""Ingest tests run against a stored catalogue, as after the seeding migration."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from shared.db.models import Technology

CATALOGUE = {
    "Airflow": "orchestration",
    "Power BI": "bi",
    "Python": "language",
    "SQL": "language",
    "Spark": "big_data",
}


@pytest.fixture(autouse=True)
def catalogue(db_session: Session) -> None:
    db_session.add_all(
        Technology(name=name, category=category) for name, category in CATALOGUE.items()
    )
    db_session.flush()
