"""Tables of Datastats. Every schema change goes through an Alembic migration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` as an aware UTC datetime; SQLite gives stored UTC times back naive."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Offer(Base):
    """One distinct offer with its normalised fields and provenance."""

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("source", "source_offer_id"),
        Index("ix_offers_role_region_month", "role", "region_code", "month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    source_offer_id: Mapped[str] = mapped_column(String(120))
    dedup_key: Mapped[str] = mapped_column(String(128), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(40))
    role_mixed: Mapped[bool] = mapped_column(Boolean, default=False)
    seniority: Mapped[str | None] = mapped_column(String(20))
    company: Mapped[str | None] = mapped_column(Text)
    contract_type: Mapped[str | None] = mapped_column(String(20))
    contract_duration_months: Mapped[float | None] = mapped_column(Float)
    remote: Mapped[str] = mapped_column(String(10), default="unknown")
    experience_years_min: Mapped[float | None] = mapped_column(Float)

    place_label: Mapped[str | None] = mapped_column(Text)
    place_commune_code: Mapped[str | None] = mapped_column(String(5))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    geo_method: Mapped[str] = mapped_column(String(20))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(Text)
    department_code: Mapped[str | None] = mapped_column(String(3))
    region_code: Mapped[str | None] = mapped_column(String(2))
    region_name: Mapped[str | None] = mapped_column(Text)

    salary_period: Mapped[str | None] = mapped_column(String(5))
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_months_paid: Mapped[float | None] = mapped_column(Float)
    salary_yearly_min: Mapped[float | None] = mapped_column(Float)
    salary_yearly_max: Mapped[float | None] = mapped_column(Float)
    salary_origin: Mapped[str | None] = mapped_column(String(60))
    salary_flags: Mapped[str] = mapped_column(Text, default="")
    salary_unreadable: Mapped[bool] = mapped_column(Boolean, default=False)

    published_at: Mapped[dt.datetime | None]
    month: Mapped[str] = mapped_column(String(7), index=True)
    first_seen_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]

    technologies: Mapped[list[OfferTechnology]] = relationship(
        back_populates="offer", cascade="all, delete-orphan"
    )


class Technology(Base):
    __tablename__ = "technologies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    category: Mapped[str] = mapped_column(String(40))


class TechnologyAlias(Base):
    """A spelling that names a technology in offer text (matched on word boundaries)."""

    __tablename__ = "technology_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    technology_id: Mapped[int] = mapped_column(
        ForeignKey("technologies.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(120), unique=True)


class OfferTechnology(Base):
    __tablename__ = "offer_technologies"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True
    )
    technology_id: Mapped[int] = mapped_column(
        ForeignKey("technologies.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    offer: Mapped[Offer] = relationship(back_populates="technologies")
    technology: Mapped[Technology] = relationship()


class Sighting(Base):
    """One time a source showed an offer; one row per offer and run at most."""

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("source", "source_offer_id", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    source_offer_id: Mapped[str] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[dt.datetime]


class StageBatch(Base):
    """Ledger entry of one stage for one input batch: offers in, out and rejected."""

    __tablename__ = "stage_batches"
    __table_args__ = (UniqueConstraint("stage", "input_blob"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(40))
    input_blob: Mapped[str] = mapped_column(String(500))
    output_blob: Mapped[str | None] = mapped_column(String(500))
    offers_in: Mapped[int] = mapped_column(Integer)
    offers_out: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OfferRejection(Base):
    """An offer a stage rejected, with the reason; one row per offer and stage."""

    __tablename__ = "offer_rejections"
    __table_args__ = (UniqueConstraint("stage", "source", "source_offer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(40))
    source_offer_id: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(60), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    rejected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScrapeResult(Base):
    """The outcome of one scrape request: how many offers, pages, and the status."""

    __tablename__ = "scrape_results"
    __table_args__ = (UniqueConstraint("run_id", "source", "query", "department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(3), default="")
    status: Mapped[str] = mapped_column(String(20))
    offers: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    output_blob: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class UnmatchedPlace(Base):
    """A place label that matched no commune, or several; admins resolve these."""

    __tablename__ = "unmatched_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_key: Mapped[str] = mapped_column(String(200), unique=True)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    candidates: Mapped[str] = mapped_column(Text, default="")
    occurrences: Mapped[int] = mapped_column(Integer, default=0)
    sample_source: Mapped[str | None] = mapped_column(String(40))
    sample_offer_id: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="open")
    first_seen_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]


class UnmatchedPlaceOffer(Base):
    """Links an unmatched label to each offer that carried it, so counts stay idempotent."""

    __tablename__ = "unmatched_place_offers"
    __table_args__ = (UniqueConstraint("place_id", "source", "source_offer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("unmatched_places.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40))
    source_offer_id: Mapped[str] = mapped_column(String(120))


class MonthlyStat(Base):
    """Offers and salary figures per role x region x month; 'all' and 'FR' are the totals."""

    __tablename__ = "monthly_stats"
    __table_args__ = (UniqueConstraint("month", "role", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    role: Mapped[str] = mapped_column(String(40))
    region_code: Mapped[str] = mapped_column(String(3))
    offers: Mapped[int] = mapped_column(Integer)
    with_salary: Mapped[int] = mapped_column(Integer, default=0)
    salary_yearly_median: Mapped[float | None] = mapped_column(Float)
    day_rate_median: Mapped[float | None] = mapped_column(Float)
    contract_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    remote_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MonthlyTechnologyStat(Base):
    """Offers naming each technology per role x region x month."""

    __tablename__ = "monthly_technology_stats"
    __table_args__ = (UniqueConstraint("month", "role", "region_code", "technology"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    role: Mapped[str] = mapped_column(String(40))
    region_code: Mapped[str] = mapped_column(String(3))
    technology: Mapped[str] = mapped_column(String(80))
    offers: Mapped[int] = mapped_column(Integer)


class ChartManifest(Base):
    """The chart set drawn for one role and month: image keys per region and chart kind."""

    __tablename__ = "chart_manifests"
    __table_args__ = (UniqueConstraint("month", "role", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    role: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(40))
    manifest_blob: Mapped[str] = mapped_column(String(500))
    charts: Mapped[dict[str, Any]] = mapped_column(JSON)
    languages: Mapped[str] = mapped_column(
        String(20), default="fr", server_default="fr", doc="Comma-separated languages drawn."
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DailyReport(Base):
    __tablename__ = "daily_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    subject: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlaceAlias(Base):
    """Admin resolution of a place label: a commune, a département, a region, or ignore."""

    __tablename__ = "place_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label_key: Mapped[str] = mapped_column(String(200), unique=True)
    label: Mapped[str] = mapped_column(Text)
    commune_code: Mapped[str | None] = mapped_column(String(5))
    department_code: Mapped[str | None] = mapped_column(String(3))
    region_code: Mapped[str | None] = mapped_column(String(2))
    ignored: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
