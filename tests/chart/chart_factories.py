"""Rows of monthly statistics for the chart tests."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.db.models import MonthlyStat, MonthlyTechnologyStat


def add_stat(
    session: Session,
    *,
    month: str,
    region_code: str,
    offers: int,
    role: str = "data_engineer",
    contracts: dict[str, int] | None = None,
) -> None:
    session.add(
        MonthlyStat(
            month=month,
            role=role,
            region_code=region_code,
            offers=offers,
            contract_counts=contracts or {},
            remote_counts={},
        )
    )


def add_technology(
    session: Session,
    *,
    month: str,
    region_code: str,
    technology: str,
    offers: int,
    role: str = "data_engineer",
) -> None:
    session.add(
        MonthlyTechnologyStat(
            month=month, role=role, region_code=region_code, technology=technology, offers=offers
        )
    )
