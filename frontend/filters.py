"""Checking the dashboard's query parameters against the known roles, regions and months."""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontend.errors import InvalidFilter
from shared.regions import ALL_FRANCE, REGIONS
from shared.roles import ALL_ROLES, ROLE_SLUGS

MONTH_PATTERN = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")


@dataclass(frozen=True)
class DashboardFilters:
    """One role x region x month combination; `month` is None when no month has data."""

    role: str
    region: str
    month: str | None


def check_role(value: str | None) -> str:
    """Return a role slug or `all` (the default); raises `InvalidFilter`."""
    if not value:
        return ALL_ROLES
    if value != ALL_ROLES and value not in ROLE_SLUGS:
        raise InvalidFilter("role", value, f"'all' or one of {sorted(ROLE_SLUGS)}")
    return value


def check_region(value: str | None) -> str:
    """Return an INSEE region code or `FR` (the default); raises `InvalidFilter`."""
    if not value:
        return ALL_FRANCE
    if value != ALL_FRANCE and value not in REGIONS:
        raise InvalidFilter("region", value, f"'FR' or one of {sorted(REGIONS)}")
    return value


def check_month(value: str | None, months: list[str]) -> str | None:
    """Return a `YYYY-MM` month, by default the newest of `months`; raises `InvalidFilter`.

    A well-formed month without data is accepted, so the dashboard can show that it is empty.
    """
    if not value:
        return months[0] if months else None
    if not MONTH_PATTERN.fullmatch(value):
        raise InvalidFilter("mois", value, "a month written YYYY-MM, e.g. '2024-05'")
    return value


def parse_dashboard_filters(
    *, role: str | None, region: str | None, month: str | None, months: list[str]
) -> DashboardFilters:
    """Check the three dashboard parameters; `months` lists the months with data, newest first."""
    return DashboardFilters(
        role=check_role(role), region=check_region(region), month=check_month(month, months)
    )
