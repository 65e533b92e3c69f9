"""Locate one cleaned batch: every offer gets a `Location`, unplaced labels go to admins."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from aws_lambda_powertools import Logger
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.geo_match.admin import label_key, load_aliases
from services.geo_match.matching import AliasTarget, PlaceMatcher, matcher_for
from shared.blobs import decode_batch, encode_batch
from shared.contracts.messages import BatchReady, Message
from shared.contracts.records import CleanOffer, LocatedOffer
from shared.db.models import UnmatchedPlace, UnmatchedPlaceOffer, as_utc
from shared.errors import PermanentError
from shared.geo import Geography, load_geography
from shared.ledger import record_stage_batch
from shared.runtime import Dependencies
from shared.topology import OFFERS_LOCATED

logger = Logger(service="geo_match")

STAGE = "geo_match"
INPUT_STAGE = "offers_cleaned"
OUTPUT_STAGE = "offers_located"
MAX_CANDIDATES_STORED = 50


class UnexpectedMessage(PermanentError):
    """The geo-match queue received a message that is not a cleaned batch."""


@dataclass(frozen=True, slots=True)
class ReviewedPlace:
    """One offer whose place an admin should look at, and why."""

    offer: CleanOffer
    label: str
    kind: str
    candidates: tuple[str, ...]


def located_batch_key(run_id: str, input_blob: str) -> str:
    """Return the blob key of the located batch made from `input_blob`; equal inputs, equal keys."""
    digest = hashlib.sha256(input_blob.encode("utf-8")).hexdigest()[:16]
    return f"located/{run_id}/{digest}.jsonl.gz"


def locate_offers(
    offers: Iterable[CleanOffer], matcher: PlaceMatcher, aliases: Mapping[str, AliasTarget]
) -> tuple[list[LocatedOffer], list[ReviewedPlace]]:
    """Locate every offer; none is dropped, an unplaced one gets method `unmatched`."""
    located: list[LocatedOffer] = []
    reviews: list[ReviewedPlace] = []
    for offer in offers:
        placement = matcher.place(offer.place, aliases)
        located.append(LocatedOffer(**offer.model_dump(), location=placement.location))
        if placement.review is not None:
            reviews.append(
                ReviewedPlace(
                    offer=offer,
                    label=_review_label(offer),
                    kind=placement.review,
                    candidates=tuple(placement.location.candidates),
                )
            )
    return located, reviews


def _review_label(offer: CleanOffer) -> str:
    """Return the text shown to admins for an offer's place: its label, else its codes."""
    place = offer.place
    if place.label and label_key(place.label):
        return place.label
    codes = [code for code in (place.postal_code, place.commune_code) if code]
    return " ".join(codes)


def record_unmatched_places(session: Session, reviews: Sequence[ReviewedPlace]) -> None:
    """Record each label to review once, linked to every distinct offer that carried it.

    `occurrences` counts the linked offers, and first/last seen come from the offers'
    collection times, so recording the same batch twice changes nothing.
    NOTE: two batches that add the same new label at the same time race on the unique
    `label_key`. The loser fails with an integrity error, and SQS retries its message.
    """
    by_key: dict[str, list[ReviewedPlace]] = {}
    for review in reviews:
        key = label_key(review.label)
        if key:
            by_key.setdefault(key, []).append(review)

    for key, group in sorted(by_key.items()):
        place = _get_or_create_place(session, key, group[0])
        latest = group[-1]
        place.kind = latest.kind
        place.candidates = ",".join(latest.candidates[:MAX_CANDIDATES_STORED])
        if place.status == "resolved":
            # An alias was stored for this label, yet it still fails: show it again.
            place.status = "open"
        _link_offers(session, place, group)
        _update_seen_times(place, group)
    session.flush()


def _get_or_create_place(session: Session, key: str, first: ReviewedPlace) -> UnmatchedPlace:
    place = session.scalar(select(UnmatchedPlace).where(UnmatchedPlace.label_key == key))
    if place is not None:
        return place
    seen_at = as_utc(first.offer.collected_at)
    place = UnmatchedPlace(
        label_key=key,
        label=first.label,
        kind=first.kind,
        occurrences=0,
        sample_source=first.offer.source,
        sample_offer_id=first.offer.source_offer_id,
        status="open",
        first_seen_at=seen_at,
        last_seen_at=seen_at,
    )
    session.add(place)
    session.flush()
    return place


def _link_offers(session: Session, place: UnmatchedPlace, group: Sequence[ReviewedPlace]) -> None:
    """Link the place to the offers not linked yet, then count the links."""
    linked = set(
        session.execute(
            select(UnmatchedPlaceOffer.source, UnmatchedPlaceOffer.source_offer_id).where(
                UnmatchedPlaceOffer.place_id == place.id
            )
        ).tuples()
    )
    for review in group:
        identity = (review.offer.source, review.offer.source_offer_id)
        if identity not in linked:
            linked.add(identity)
            session.add(
                UnmatchedPlaceOffer(
                    place_id=place.id, source=identity[0], source_offer_id=identity[1]
                )
            )
    session.flush()
    place.occurrences = (
        session.scalar(
            select(func.count())
            .select_from(UnmatchedPlaceOffer)
            .where(UnmatchedPlaceOffer.place_id == place.id)
        )
        or 0
    )


def _update_seen_times(place: UnmatchedPlace, group: Sequence[ReviewedPlace]) -> None:
    times = [as_utc(review.offer.collected_at) for review in group]
    place.first_seen_at = min([as_utc(place.first_seen_at), *times])
    place.last_seen_at = max([as_utc(place.last_seen_at), *times])


def handle_message(
    message: Message, deps: Dependencies, *, geography: Geography | None = None
) -> None:
    """Locate the cleaned batch of `message`, store the located batch and announce it."""
    if not isinstance(message, BatchReady) or message.stage != INPUT_STAGE:
        stage = f" of stage {message.stage!r}" if isinstance(message, BatchReady) else ""
        raise UnexpectedMessage(
            f"geo_match expected a batch_ready message of stage {INPUT_STAGE!r}, "
            f"got {message.type!r}{stage}"
        )
    offers = decode_batch(deps.blobs.get(message.blob), CleanOffer, uri=message.blob)
    matcher = matcher_for(geography or load_geography())

    with deps.sessions.begin() as session:
        located, reviews = locate_offers(offers, matcher, load_aliases(session))
        uri = deps.blobs.put(
            located_batch_key(message.run_id, message.blob),
            encode_batch(located),
            content_type="application/gzip",
        )
        record_unmatched_places(session, reviews)
        record_stage_batch(
            session,
            run_id=message.run_id,
            stage=STAGE,
            source=message.source,
            input_blob=message.blob,
            output_blob=uri,
            offers_in=len(offers),
            offers_out=len(located),
            rejections=[],
        )

    logger.info(
        "batch located",
        run_id=message.run_id,
        blob=message.blob,
        offers=len(located),
        to_review=len(reviews),
    )
    deps.bus.publish(
        OFFERS_LOCATED,
        BatchReady(
            run_id=message.run_id,
            stage=OUTPUT_STAGE,
            source=message.source,
            blob=uri,
            count=len(located),
        ),
    )
