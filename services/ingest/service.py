"""Ingest one located batch: offers, technologies, sightings and statistics in one transaction."""

from __future__ import annotations

import logging

from services.ingest.offers import (
    CategoryLookup,
    replace_offer_technologies,
    technology_ids,
    upsert_offer,
)
from services.ingest.statistics import refresh_monthly_statistics
from shared.blobs import decode_batch
from shared.contracts.messages import BatchReady, Message
from shared.contracts.records import LocatedOffer
from shared.errors import PermanentError
from shared.ledger import record_stage_batch
from shared.runtime import Dependencies
from shared.topology import OFFERS_INGESTED

logger = logging.getLogger(__name__)

STAGE = "ingest"


class UnexpectedMessage(PermanentError):
    """The ingest queue received a message that is not a located batch."""


def _default_category(_name: str) -> str:
    return "other"


def ingest_batch(
    session, offers: list[LocatedOffer], *, run_id: str, category_of: CategoryLookup
) -> set[str]:
    """Store `offers` in `session`; returns the months whose statistics were refreshed."""
    names = {name for offer in offers for name in offer.technologies}
    ids = technology_ids(session, names, category_of)
    months: set[str] = set()
    for offer in offers:
        row, touched, own = upsert_offer(session, offer, run_id=run_id)
        if own:
            replace_offer_technologies(session, row.id, {ids[name] for name in offer.technologies})
        months |= touched
    refresh_monthly_statistics(session, months)
    return months


def handle_message(
    message: Message, deps: Dependencies, *, category_of: CategoryLookup = _default_category
) -> None:
    if not isinstance(message, BatchReady) or message.stage != "offers_located":
        raise UnexpectedMessage(
            f"ingest expected a batch_ready message of stage 'offers_located', got {message.type!r}"
            + (f" of stage {message.stage!r}" if isinstance(message, BatchReady) else "")
        )
    offers = decode_batch(deps.blobs.get(message.blob), LocatedOffer, uri=message.blob)

    with deps.sessions.begin() as session:
        months = ingest_batch(session, offers, run_id=message.run_id, category_of=category_of)
        record_stage_batch(
            session,
            run_id=message.run_id,
            stage=STAGE,
            source=message.source,
            input_blob=message.blob,
            output_blob=message.blob,
            offers_in=len(offers),
            offers_out=len(offers),
            rejections=[],
        )
    logger.info(
        "batch ingested",
        extra={"blob": message.blob, "offers": len(offers), "months": sorted(months)},
    )
    deps.bus.publish(
        OFFERS_INGESTED,
        BatchReady(
            run_id=message.run_id,
            stage="offers_ingested",
            source=message.source,
            blob=message.blob,
            count=len(offers),
        ),
    )
