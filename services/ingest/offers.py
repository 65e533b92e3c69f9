"""Upsert located offers, their technologies and their sightings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.contracts.records import LocatedOffer
from shared.db.models import Offer, OfferTechnology, Sighting, Technology, as_utc
from shared.db.upsert import insert_ignoring_conflicts

# A re-post is the same company, title and place (the clean stage's dedup key) seen
# again within this window with a near-identical description.
REPOST_WINDOW = dt.timedelta(days=30)
REPOST_MIN_WORD_OVERLAP = 0.9


def offer_month(offer: LocatedOffer) -> str:
    """Return the month an offer counts in, in UTC: when it was published, else collected."""
    return as_utc(offer.published_at or offer.collected_at).strftime("%Y-%m")


def _offer_columns(offer: LocatedOffer) -> dict[str, object]:
    salary = offer.salary
    location = offer.location
    return {
        "dedup_key": offer.dedup_key,
        "url": offer.url,
        "title": offer.title,
        "description": offer.description,
        "role": offer.role,
        "role_mixed": offer.role_mixed,
        "seniority": offer.seniority,
        "company": offer.company,
        "contract_type": offer.contract_type,
        "contract_duration_months": offer.contract_duration_months,
        "remote": offer.remote,
        "experience_years_min": offer.experience_years_min,
        "place_label": offer.place.label,
        "place_commune_code": offer.place.commune_code,
        "postal_code": offer.place.postal_code,
        "geo_method": location.method,
        "commune_code": location.commune_code,
        "city": location.commune_name,
        "department_code": location.department_code,
        "region_code": location.region_code,
        "region_name": location.region_name,
        "salary_period": salary.period if salary else None,
        "salary_min": salary.min if salary else None,
        "salary_max": salary.max if salary else None,
        "salary_currency": salary.currency if salary else None,
        "salary_months_paid": salary.months_paid if salary else None,
        "salary_yearly_min": salary.yearly_min if salary else None,
        "salary_yearly_max": salary.yearly_max if salary else None,
        "salary_origin": salary.origin if salary else None,
        "salary_flags": ";".join(sorted(salary.flags)) if salary else "",
        "salary_unreadable": offer.salary_unreadable,
        "published_at": as_utc(offer.published_at) if offer.published_at else None,
        "month": offer_month(offer),
    }


def word_overlap(first: str, second: str) -> float:
    """Jaccard similarity of the two texts' sets of lower-case words (1.0 when both are empty)."""
    first_words, second_words = set(first.lower().split()), set(second.lower().split())
    if not first_words and not second_words:
        return 1.0
    return len(first_words & second_words) / len(first_words | second_words)


def find_same_offer(session: Session, offer: LocatedOffer) -> Offer | None:
    """Return the stored offer that `offer` is, by id, earlier sighting, URL, or as a re-post."""
    row = session.scalar(
        select(Offer).where(
            Offer.source == offer.source, Offer.source_offer_id == offer.source_offer_id
        )
    )
    if row is not None:
        return row
    sighted = session.scalar(
        select(Sighting.offer_id)
        .where(Sighting.source == offer.source, Sighting.source_offer_id == offer.source_offer_id)
        .limit(1)
    )
    if sighted is not None:
        return session.get(Offer, sighted)
    if offer.url:
        # A URL shared by offers of other titles or places (a careers page) is not
        # the same offer, so the dedup key must agree as well.
        row = session.scalar(
            select(Offer)
            .where(Offer.url == offer.url, Offer.dedup_key == offer.dedup_key)
            .order_by(Offer.id)
            .limit(1)
        )
        if row is not None:
            return row

    seen_at = as_utc(offer.collected_at)
    for candidate in session.scalars(
        select(Offer).where(Offer.dedup_key == offer.dedup_key).order_by(Offer.id)
    ):
        recent = abs(seen_at - as_utc(candidate.last_seen_at)) <= REPOST_WINDOW
        if (
            recent
            and word_overlap(candidate.description, offer.description) >= REPOST_MIN_WORD_OVERLAP
        ):
            return candidate
    return None


def upsert_offer(
    session: Session, offer: LocatedOffer, *, run_id: str
) -> tuple[Offer, set[str], bool]:
    """Insert or update one offer.

    Returns the row, the months whose statistics changed, and whether the row's
    fields now come from this offer. They do not when the offer is a duplicate or
    re-post of another, or older than what is stored: then only its sighting is
    recorded.
    """
    row = find_same_offer(session, offer)
    seen_at = as_utc(offer.collected_at)
    columns = _offer_columns(offer)
    touched_months = {str(columns["month"])}
    own = row is None or (row.source, row.source_offer_id) == (offer.source, offer.source_offer_id)

    if row is None:
        row = Offer(
            source=offer.source,
            source_offer_id=offer.source_offer_id,
            first_seen_at=seen_at,
            last_seen_at=seen_at,
            **columns,
        )
        session.add(row)
        session.flush()
    else:
        touched_months.add(row.month)
        # A batch older than what is stored (a redriven or replayed message) only
        # records its sighting; the newer fields stay.
        own = own and seen_at >= as_utc(row.last_seen_at)
        if own:
            for name, value in columns.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        first_seen = min(as_utc(row.first_seen_at), seen_at)
        last_seen = max(as_utc(row.last_seen_at), seen_at)
        if as_utc(row.first_seen_at) != first_seen:
            row.first_seen_at = first_seen
        if as_utc(row.last_seen_at) != last_seen:
            row.last_seen_at = last_seen

    insert_ignoring_conflicts(
        session,
        Sighting,
        [
            {
                "offer_id": row.id,
                "source": offer.source,
                "source_offer_id": offer.source_offer_id,
                "url": offer.url,
                "run_id": run_id,
                "seen_at": seen_at,
            }
        ],
        conflict_columns=["source", "source_offer_id", "run_id"],
    )
    return row, touched_months, own


def technology_ids(session: Session, names: set[str]) -> dict[str, int]:
    """Return the id of each name that the stored catalogue holds; other names are left out."""
    if not names:
        return {}
    rows = session.execute(select(Technology.name, Technology.id).where(Technology.name.in_(names)))
    return {name: technology_id for name, technology_id in rows}


def replace_offer_technologies(session: Session, offer_id: int, wanted_ids: set[int]) -> None:
    """Make the offer's technology links exactly `wanted_ids`, touching only the difference."""
    current = set(
        session.scalars(
            select(OfferTechnology.technology_id).where(OfferTechnology.offer_id == offer_id)
        )
    )
    removed = current - wanted_ids
    if removed:
        session.execute(
            delete(OfferTechnology).where(
                OfferTechnology.offer_id == offer_id,
                OfferTechnology.technology_id.in_(removed),
            )
        )
    insert_ignoring_conflicts(
        session,
        OfferTechnology,
        [{"offer_id": offer_id, "technology_id": tid} for tid in sorted(wanted_ids - current)],
        conflict_columns=["offer_id", "technology_id"],
    )
