"""Monthly statistics per role x region x month, recomputed from the offers of a month."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db.models import MonthlyStat, MonthlyTechnologyStat, Offer, OfferTechnology, Technology
from shared.regions import ALL_FRANCE
from shared.roles import ALL_ROLES

YEARLY_PERIODS = frozenset({"hour", "month", "year"})
EXCLUDED_SALARY_FLAGS = frozenset({"implausible"})
MEDIAN_CURRENCY = "EUR"

GroupKey = tuple[str, str]  # (role, region_code)


@dataclass
class _Group:
    offers: int = 0
    with_salary: int = 0
    yearly_salaries: list[float] = field(default_factory=list)
    day_rates: list[float] = field(default_factory=list)
    contracts: Counter[str] = field(default_factory=Counter)
    remote: Counter[str] = field(default_factory=Counter)
    technologies: Counter[str] = field(default_factory=Counter)


def _midpoint(low: float | None, high: float | None) -> float | None:
    values = [value for value in (low, high) if value is not None]
    return sum(values) / len(values) if values else None


def _group_keys(role: str, region_code: str | None) -> list[GroupKey]:
    keys = [(role, ALL_FRANCE), (ALL_ROLES, ALL_FRANCE)]
    if region_code:
        keys += [(role, region_code), (ALL_ROLES, region_code)]
    return keys


def _usable_salary(flags: str, currency: str | None) -> bool:
    """Say whether a salary enters the medians: euros only, and no excluding flag."""
    if currency not in (None, MEDIAN_CURRENCY):
        return False
    return not (set(filter(None, flags.split(";"))) & EXCLUDED_SALARY_FLAGS)


def _collect(session: Session, month: str) -> dict[GroupKey, _Group]:
    groups: dict[GroupKey, _Group] = defaultdict(_Group)
    offer_keys: dict[int, list[GroupKey]] = {}
    rows = session.execute(
        select(
            Offer.id,
            Offer.role,
            Offer.region_code,
            Offer.contract_type,
            Offer.remote,
            Offer.salary_period,
            Offer.salary_min,
            Offer.salary_max,
            Offer.salary_yearly_min,
            Offer.salary_yearly_max,
            Offer.salary_flags,
            Offer.salary_currency,
        ).where(Offer.month == month)
    )
    for row in rows:
        keys = _group_keys(row.role, row.region_code)
        offer_keys[row.id] = keys
        yearly = _midpoint(row.salary_yearly_min, row.salary_yearly_max)
        day_rate = _midpoint(row.salary_min, row.salary_max) if row.salary_period == "day" else None
        usable = _usable_salary(row.salary_flags or "", row.salary_currency)
        for key in keys:
            group = groups[key]
            group.offers += 1
            group.contracts[row.contract_type or "unknown"] += 1
            group.remote[row.remote or "unknown"] += 1
            # Any published pay counts here, day rates and flagged amounts included;
            # the medians below use only the usable yearly figures.
            group.with_salary += row.salary_period is not None
            if usable and row.salary_period in YEARLY_PERIODS and yearly is not None:
                group.yearly_salaries.append(yearly)
            if usable and day_rate is not None:
                group.day_rates.append(day_rate)

    links = session.execute(
        select(OfferTechnology.offer_id, Technology.name)
        .join(Technology, Technology.id == OfferTechnology.technology_id)
        .join(Offer, Offer.id == OfferTechnology.offer_id)
        .where(Offer.month == month)
    )
    for offer_id, technology in links:
        for key in offer_keys.get(offer_id, []):
            groups[key].technologies[technology] += 1
    return groups


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _sync_rows(
    session: Session,
    model: type[Any],
    existing: Iterable[Any],
    wanted: dict[tuple, dict[str, Any]],
    key_columns: tuple[str, ...],
) -> None:
    """Update, insert and delete rows so that the table contains exactly `wanted` for these keys."""
    current = {tuple(getattr(row, column) for column in key_columns): row for row in existing}
    for key, values in wanted.items():
        row = current.pop(key, None)
        if row is None:
            session.add(model(**dict(zip(key_columns, key, strict=True)), **values))
            continue
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    if current:
        session.execute(delete(model).where(model.id.in_([row.id for row in current.values()])))


def refresh_monthly_statistics(session: Session, months: Iterable[str]) -> None:
    """Recompute the statistics of `months` from the stored offers; the result is deterministic."""
    for month in sorted(set(months)):
        groups = _collect(session, month)

        wanted_stats = {
            (month, role, region): {
                "offers": group.offers,
                "with_salary": group.with_salary,
                "salary_yearly_median": _median(group.yearly_salaries),
                "day_rate_median": _median(group.day_rates),
                "contract_counts": dict(sorted(group.contracts.items())),
                "remote_counts": dict(sorted(group.remote.items())),
            }
            for (role, region), group in groups.items()
        }
        existing_stats = session.scalars(select(MonthlyStat).where(MonthlyStat.month == month))
        _sync_rows(
            session, MonthlyStat, existing_stats, wanted_stats, ("month", "role", "region_code")
        )

        wanted_technologies = {
            (month, role, region, technology): {"offers": count}
            for (role, region), group in groups.items()
            for technology, count in group.technologies.items()
        }
        existing_technologies = session.scalars(
            select(MonthlyTechnologyStat).where(MonthlyTechnologyStat.month == month)
        )
        _sync_rows(
            session,
            MonthlyTechnologyStat,
            existing_technologies,
            wanted_technologies,
            ("month", "role", "region_code", "technology"),
        )
    session.flush()
