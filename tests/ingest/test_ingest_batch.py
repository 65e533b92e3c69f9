"""Ingest stores offers, technologies and statistics, and a second delivery changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.ingest.service import ingest_batch
from shared.contracts.records import Location, Salary
from shared.db.models import (
    MonthlyStat,
    MonthlyTechnologyStat,
    Offer,
    OfferTechnology,
    Sighting,
    Technology,
)
from tests.ingest.factories import located_offer


def _snapshot(session: Session) -> dict[str, Any]:
    def rows(model: type[Any]) -> list[tuple[Any, ...]]:
        columns = [column.name for column in model.__table__.columns]
        result = session.execute(select(*[getattr(model, c) for c in columns])).all()
        return sorted(tuple(row) for row in result)

    return {
        model.__tablename__: rows(model)
        for model in (
            Offer,
            Technology,
            OfferTechnology,
            Sighting,
            MonthlyStat,
            MonthlyTechnologyStat,
        )
    }


def _batch() -> list:
    return [
        located_offer(),
        located_offer(
            source_offer_id="100BBBB",
            title="Data Analyst",
            role="data_analyst",
            technologies=["Power BI", "SQL"],
            salary=Salary(
                period="month",
                min=3000,
                max=3500,
                months_paid=12,
                yearly_min=36000,
                yearly_max=42000,
                origin="salaire.libelle",
            ),
            location=Location(
                method="commune_code",
                commune_code="33063",
                commune_name="Bordeaux",
                department_code="33",
                region_code="75",
                region_name="Nouvelle-Aquitaine",
            ),
            dedup_key="dk-100BBBB",
        ),
        located_offer(
            source_offer_id="100CCCC",
            title="Data Engineer freelance",
            salary=Salary(period="day", min=500, max=600, origin="salaire.commentaire"),
            technologies=["Spark"],
            dedup_key="dk-100CCCC",
        ),
    ]


def test_ingest_twice_leaves_database_unchanged(db_session: Session) -> None:
    ingest_batch(db_session, _batch(), run_id="run-1")
    db_session.flush()
    first = _snapshot(db_session)

    ingest_batch(db_session, _batch(), run_id="run-1")
    db_session.flush()

    assert _snapshot(db_session) == first


def test_ingest_links_each_technology_once(db_session: Session) -> None:
    ingest_batch(db_session, _batch(), run_id="run-1")

    linked = db_session.scalars(
        select(Technology.name)
        .join(OfferTechnology, OfferTechnology.technology_id == Technology.id)
        .distinct()
        .order_by(Technology.name)
    ).all()
    assert linked == ["Airflow", "Power BI", "SQL", "Spark"]
    assert len(db_session.scalars(select(OfferTechnology)).all()) == 6


def test_technology_outside_catalogue_is_skipped(db_session: Session) -> None:
    offer = located_offer(technologies=["Airflow", "Removed Tech"])

    ingest_batch(db_session, [offer], run_id="run-1")

    names = db_session.scalars(select(Technology.name)).all()
    assert "Removed Tech" not in names
    assert len(db_session.scalars(select(OfferTechnology)).all()) == 1


def test_older_batch_does_not_overwrite_newer_fields(db_session: Session) -> None:
    newer = located_offer(
        collected_at=dt.datetime(2026, 11, 10, 6, 0, tzinfo=dt.UTC),
        title="Data Engineer senior",
        technologies=["Python"],
    )
    older = located_offer()
    ingest_batch(db_session, [newer], run_id="run-2")

    ingest_batch(db_session, [older], run_id="run-1")

    offer = db_session.scalar(select(Offer))
    linked = db_session.scalars(
        select(Technology.name).join(
            OfferTechnology, OfferTechnology.technology_id == Technology.id
        )
    ).all()
    assert offer.title == "Data Engineer senior"
    assert linked == ["Python"]
    assert offer.first_seen_at.replace(tzinfo=dt.UTC) == older.collected_at


def test_monthly_statistics_keep_day_rates_apart(db_session: Session) -> None:
    ingest_batch(db_session, _batch(), run_id="run-1")

    lyon_engineers = db_session.scalar(
        select(MonthlyStat).where(
            MonthlyStat.month == "2026-11",
            MonthlyStat.role == "data_engineer",
            MonthlyStat.region_code == "84",
        )
    )
    assert lyon_engineers.offers == 2
    assert lyon_engineers.with_salary == 2
    assert lyon_engineers.salary_yearly_median == 50000
    assert lyon_engineers.day_rate_median == 550


def test_monthly_statistics_totals_cover_all_roles(db_session: Session) -> None:
    ingest_batch(db_session, _batch(), run_id="run-1")

    france = db_session.scalar(
        select(MonthlyStat).where(
            MonthlyStat.month == "2026-11",
            MonthlyStat.role == "all",
            MonthlyStat.region_code == "FR",
        )
    )
    sql_france = db_session.scalar(
        select(MonthlyTechnologyStat.offers).where(
            MonthlyTechnologyStat.role == "all",
            MonthlyTechnologyStat.region_code == "FR",
            MonthlyTechnologyStat.technology == "SQL",
        )
    )
    assert france.offers == 3
    assert france.salary_yearly_median == 44500
    assert sql_france == 2


def test_moved_offer_leaves_old_month_statistics(db_session: Session) -> None:
    ingest_batch(db_session, [located_offer()], run_id="run-1")
    moved = located_offer(published_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))

    ingest_batch(db_session, [moved], run_id="run-2")

    november = db_session.scalars(select(MonthlyStat).where(MonthlyStat.month == "2026-11")).all()
    december = db_session.scalars(select(MonthlyStat).where(MonthlyStat.month == "2026-12")).all()
    assert november == []
    assert len(december) == 4


def test_sightings_keep_first_and_last_seen(db_session: Session) -> None:
    later = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
    ingest_batch(db_session, [located_offer()], run_id="run-1")
    ingest_batch(db_session, [located_offer(collected_at=later)], run_id="run-2")

    offer = db_session.scalar(select(Offer))
    sightings = db_session.scalars(select(Sighting.run_id).order_by(Sighting.run_id)).all()
    assert offer.first_seen_at.replace(tzinfo=dt.UTC) == dt.datetime(
        2026, 11, 4, 6, 0, tzinfo=dt.UTC
    )
    assert offer.last_seen_at.replace(tzinfo=dt.UTC) == later
    assert sightings == ["run-1", "run-2"]


def test_medians_use_euro_salaries_only(db_session: Session) -> None:
    swiss = located_offer(
        source_offer_id="CH1",
        dedup_key="ch1",
        salary=Salary(
            period="year",
            min=150000,
            max=150000,
            currency="CHF",
            yearly_min=150000,
            yearly_max=150000,
            origin="jsonld.baseSalary",
        ),
    )

    ingest_batch(db_session, [located_offer(), swiss], run_id="run-1")

    france = db_session.scalar(
        select(MonthlyStat).where(MonthlyStat.role == "all", MonthlyStat.region_code == "FR")
    )
    assert france.with_salary == 2
    assert france.salary_yearly_median == 50000
