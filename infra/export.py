"""CSV export of the stored offers (`datastats export offers`)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import Offer, OfferTechnology, Technology

OFFER_COLUMNS: tuple[str, ...] = (
    "source",
    "source_offer_id",
    "url",
    "title",
    "role",
    "seniority",
    "company",
    "contract_type",
    "remote",
    "city",
    "commune_code",
    "department_code",
    "region_code",
    "region_name",
    "salary_period",
    "salary_min",
    "salary_max",
    "salary_yearly_min",
    "salary_yearly_max",
    "salary_flags",
    "technologies",
    "published_at",
    "first_seen_at",
    "last_seen_at",
)
LIST_SEPARATOR = ";"
# Spreadsheets run a cell that starts with one of these as a formula. Offer text
# comes from outside, so such a cell gets a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def format_cell(value: Any) -> str:
    """Format one value: empty when unknown, ISO 8601 datetimes, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def technologies_by_offer(
    session: Session, offer_ids: list[int] | None = None
) -> dict[int, list[str]]:
    """Return the technology names of each offer, of every offer when `offer_ids` is None."""
    query = select(OfferTechnology.offer_id, Technology.name).join(
        Technology, Technology.id == OfferTechnology.technology_id
    )
    if offer_ids is not None:
        query = query.where(OfferTechnology.offer_id.in_(offer_ids))
    rows = session.execute(query)
    names: dict[int, list[str]] = defaultdict(list)
    for offer_id, name in rows:
        names[offer_id].append(name)
    return names


def offer_rows(session: Session) -> Iterable[dict[str, str]]:
    """Yield one export row per stored offer, ordered by source and id."""
    technologies = technologies_by_offer(session)
    offers = session.scalars(select(Offer).order_by(Offer.source, Offer.source_offer_id))
    for offer in offers:
        row = {column: format_cell(getattr(offer, column, None)) for column in OFFER_COLUMNS}
        row["technologies"] = LIST_SEPARATOR.join(sorted(technologies.get(offer.id, [])))
        row["salary_flags"] = offer.salary_flags or ""
        yield row


def write_offers_csv(session: Session, output: IO[str]) -> int:
    """Write every offer as CSV (UTF-8, header row); returns the number of offers written."""
    writer = csv.DictWriter(output, fieldnames=OFFER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in offer_rows(session):
        writer.writerow(row)
        count += 1
    return count
