"""Read the monthly statistics a chart set is drawn from, and derive the chart set's version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from aws_lambda_powertools import Logger
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db.models import MonthlyStat, MonthlyTechnologyStat
from shared.regions import ALL_FRANCE, REGIONS

logger = Logger(service="chart", child=True)

WINDOW_MONTHS = 12
TOP_TECHNOLOGIES = 15
VERSION_LENGTH = 12

# NOTE: part of the version hash, so that a change in how charts look gives new blob
# keys (and no stale image behind the CDN). Increase it whenever drawing.py changes
# the images.
DRAWING_REVISION = 3


@dataclass(frozen=True, kw_only=True)
class RegionStats:
    """The figures of one region (or `FR`) that its three charts show."""

    region_code: str
    offers_per_month: tuple[tuple[str, int], ...]
    month_offers: int
    top_technologies: tuple[tuple[str, int], ...]
    contract_counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, kw_only=True)
class ChartData:
    """Everything one chart set is drawn from: one role, one month, `FR` first then regions."""

    role: str
    month: str
    regions: tuple[RegionStats, ...]


def parse_month(month: str) -> tuple[int, int]:
    """Split `YYYY-MM` into (year, month); raises ValueError on another format."""
    year_text, _, month_text = month.partition("-")
    if len(year_text) != 4 or len(month_text) != 2 or not (year_text + month_text).isdigit():
        raise ValueError(f"invalid month {month!r}; expected YYYY-MM")
    number = int(month_text)
    if not 1 <= number <= 12:
        raise ValueError(f"invalid month {month!r}; expected a month number from 01 to 12")
    return int(year_text), number


def month_window(month: str, length: int = WINDOW_MONTHS) -> tuple[str, ...]:
    """Return the `length` months ending at `month`, oldest first."""
    year, number = parse_month(month)
    index = year * 12 + number - 1
    return tuple(
        f"{position // 12:04d}-{position % 12 + 1:02d}"
        for position in range(index - length + 1, index + 1)
    )


def regions_with_offers(session: Session, *, role: str, month: str) -> list[str]:
    """Return the region codes (never `FR`) with at least one offer of `role` up to `month`."""
    rows = session.execute(
        select(MonthlyStat.region_code)
        .where(
            MonthlyStat.role == role,
            MonthlyStat.month <= month,
            MonthlyStat.region_code != ALL_FRANCE,
        )
        .group_by(MonthlyStat.region_code)
        .having(func.sum(MonthlyStat.offers) > 0)
    )
    codes = sorted(row.region_code for row in rows)
    unknown = [code for code in codes if code not in REGIONS]
    if unknown:
        logger.warning("statistics contain unknown region codes", codes=unknown)
    return [code for code in codes if code in REGIONS]


def _monthly_rows(
    session: Session, *, role: str, months: tuple[str, ...], region_codes: list[str]
) -> dict[tuple[str, str], MonthlyStat]:
    rows = session.scalars(
        select(MonthlyStat).where(
            MonthlyStat.role == role,
            MonthlyStat.month.in_(months),
            MonthlyStat.region_code.in_(region_codes),
        )
    )
    return {(row.region_code, row.month): row for row in rows}


def _technology_counts(
    session: Session, *, role: str, month: str, region_codes: list[str]
) -> dict[str, dict[str, int]]:
    rows = session.execute(
        select(
            MonthlyTechnologyStat.region_code,
            MonthlyTechnologyStat.technology,
            MonthlyTechnologyStat.offers,
        ).where(
            MonthlyTechnologyStat.role == role,
            MonthlyTechnologyStat.month == month,
            MonthlyTechnologyStat.region_code.in_(region_codes),
        )
    )
    counts: dict[str, dict[str, int]] = {code: {} for code in region_codes}
    for row in rows:
        counts[row.region_code][row.technology] = row.offers
    return counts


def _top(counts: dict[str, int], limit: int) -> tuple[tuple[str, int], ...]:
    """Return the `limit` largest counts; ties are broken by name so the order is stable."""
    ranked = sorted(
        ((name, int(count)) for name, count in counts.items() if count > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(ranked[:limit])


def _contract_counts(row: MonthlyStat | None) -> dict[str, int]:
    if row is None or not row.contract_counts:
        return {}
    return {str(contract): int(count) for contract, count in row.contract_counts.items()}


def load_chart_data(session: Session, *, role: str, month: str) -> ChartData:
    """Read the statistics of `role` for the 12 months ending at `month`, per region.

    `FR` always comes first, even without offers, followed by every region with at
    least one offer of `role` up to `month`. Months without a row count as zero.
    """
    months = month_window(month)
    region_codes = [ALL_FRANCE, *regions_with_offers(session, role=role, month=month)]
    monthly = _monthly_rows(session, role=role, months=months, region_codes=region_codes)
    technologies = _technology_counts(session, role=role, month=month, region_codes=region_codes)

    regions = []
    for code in region_codes:
        current = monthly.get((code, month))
        contracts = _contract_counts(current)
        regions.append(
            RegionStats(
                region_code=code,
                offers_per_month=tuple(
                    (item, monthly[(code, item)].offers if (code, item) in monthly else 0)
                    for item in months
                ),
                month_offers=current.offers if current else 0,
                top_technologies=_top(technologies[code], TOP_TECHNOLOGIES),
                contract_counts=_top(contracts, len(contracts)),
            )
        )
    return ChartData(role=role, month=month, regions=tuple(regions))


def chart_version(data: ChartData) -> str:
    """Return a short sha256 of `data` and the drawing revision: same statistics, same version."""
    canonical = json.dumps(
        {"drawing_revision": DRAWING_REVISION, "data": asdict(data)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:VERSION_LENGTH]
