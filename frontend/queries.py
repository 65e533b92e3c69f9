"""Read-only queries behind the pages; each takes the request's session and never commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from shared.db.models import ChartManifest, MonthlyStat, MonthlyTechnologyStat, Offer
from shared.regions import ALL_FRANCE, REGIONS
from shared.roles import ALL_ROLES, ROLE_SLUGS


@dataclass(frozen=True)
class TechnologyCount:
    """A technology and the number of offers that name it."""

    name: str
    offers: int


@dataclass(frozen=True)
class OfferSummary:
    """The public fields of one offer, as listed on the dashboard."""

    title: str
    company: str | None
    city: str | None
    url: str | None
    published_at: dt.datetime | None


@dataclass(frozen=True)
class HomeFigures:
    """Headline figures of the home page; the salary figures are for `latest_month`."""

    total_offers: int
    latest_month: str | None
    latest_month_offers: int
    roles_covered: int
    regions_covered: int
    salary_share: float | None
    salary_median: float | None
    top_technology: str | None


def count_offers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Offer)) or 0


def complete_month(months: list[str], current_month: str) -> str | None:
    """Return the newest of `months` (newest first) before the calendar month still running.

    The running month contains only its first days of offers, so headline figures
    and the default dashboard month use the month before it. When no earlier month
    has data, the newest month is used.
    """
    for month in months:
        if month < current_month:
            return month
    return months[0] if months else None


def latest_stat_month(session: Session, *, current_month: str) -> str | None:
    """Return the newest complete month with national all-roles statistics, or None."""
    query = (
        select(MonthlyStat.month)
        .where(MonthlyStat.role == ALL_ROLES, MonthlyStat.region_code == ALL_FRANCE)
        .order_by(MonthlyStat.month.desc())
    )
    return complete_month(list(session.scalars(query)), current_month)


def available_months(session: Session) -> list[str]:
    """Return every month that has statistics or charts, newest first."""
    months = union(select(MonthlyStat.month), select(ChartManifest.month)).subquery()
    rows = session.execute(select(months.c.month).order_by(months.c.month.desc()))
    return [month for (month,) in rows]


def monthly_stat(session: Session, *, month: str, role: str, region: str) -> MonthlyStat | None:
    query = select(MonthlyStat).where(
        MonthlyStat.month == month, MonthlyStat.role == role, MonthlyStat.region_code == region
    )
    return session.scalars(query).first()


def top_technologies(
    session: Session, *, month: str, role: str, region: str, limit: int = 10
) -> list[TechnologyCount]:
    """Return the technologies named by the most offers, ties broken by name."""
    query = (
        select(MonthlyTechnologyStat.technology, MonthlyTechnologyStat.offers)
        .where(
            MonthlyTechnologyStat.month == month,
            MonthlyTechnologyStat.role == role,
            MonthlyTechnologyStat.region_code == region,
            MonthlyTechnologyStat.offers > 0,
        )
        .order_by(MonthlyTechnologyStat.offers.desc(), MonthlyTechnologyStat.technology)
        .limit(limit)
    )
    return [TechnologyCount(name, offers) for name, offers in session.execute(query)]


def count_covered_roles(session: Session) -> int:
    """Count the role families that have had at least one offer in any month."""
    query = select(func.count(func.distinct(MonthlyStat.role))).where(
        MonthlyStat.role.in_(sorted(ROLE_SLUGS)), MonthlyStat.offers > 0
    )
    return session.scalar(query) or 0


def count_covered_regions(session: Session) -> int:
    """Count the regions that have had at least one offer in any month."""
    query = select(func.count(func.distinct(MonthlyStat.region_code))).where(
        MonthlyStat.region_code.in_(sorted(REGIONS)), MonthlyStat.offers > 0
    )
    return session.scalar(query) or 0


def newest_manifest(session: Session, *, month: str, role: str) -> ChartManifest | None:
    """Return the most recently created chart manifest of a month and role, or None."""
    query = (
        select(ChartManifest)
        .where(ChartManifest.month == month, ChartManifest.role == role)
        .order_by(ChartManifest.created_at.desc(), ChartManifest.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def latest_manifest_month(session: Session, *, role: str) -> str | None:
    """Return the newest month that has charts for a role, or None."""
    query = select(func.max(ChartManifest.month)).where(ChartManifest.role == role)
    return session.scalar(query)


def recent_offers(
    session: Session, *, month: str, role: str, region: str, limit: int = 10
) -> list[OfferSummary]:
    """Return the newest offers of a month, role and region (`all` and `FR` select every one)."""
    published = func.coalesce(Offer.published_at, Offer.first_seen_at)
    query = select(Offer).where(Offer.month == month)
    if role != ALL_ROLES:
        query = query.where(Offer.role == role)
    if region != ALL_FRANCE:
        query = query.where(Offer.region_code == region)
    query = query.order_by(published.desc(), Offer.id.desc()).limit(limit)

    return [
        OfferSummary(
            title=offer.title,
            company=offer.company,
            city=offer.city,
            url=offer.url,
            published_at=offer.published_at or offer.first_seen_at,
        )
        for offer in session.scalars(query)
    ]


def home_figures(session: Session, *, current_month: str) -> HomeFigures:
    """Gather the home page figures; every figure is zero or None on an empty database."""
    latest_month = latest_stat_month(session, current_month=current_month)
    national = None
    top = []
    if latest_month is not None:
        national = monthly_stat(session, month=latest_month, role=ALL_ROLES, region=ALL_FRANCE)
        top = top_technologies(
            session, month=latest_month, role=ALL_ROLES, region=ALL_FRANCE, limit=1
        )

    latest_offers = national.offers if national else 0
    salary_share = national.with_salary / national.offers if national and national.offers else None
    return HomeFigures(
        total_offers=count_offers(session),
        latest_month=latest_month,
        latest_month_offers=latest_offers,
        roles_covered=count_covered_roles(session),
        regions_covered=count_covered_regions(session),
        salary_share=salary_share,
        salary_median=national.salary_yearly_median if national else None,
        top_technology=top[0].name if top else None,
    )
