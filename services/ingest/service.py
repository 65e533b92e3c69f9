"""Ingest one located batch: offers, technologies, sightings and statistics in one transaction."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from services.ingest.offers import (
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


# Any 64-bit number works as long as no other code takes the same advisory lock.
INGEST_LOCK_KEY = 0x44415441_494E4753


class UnexpectedMessage(PermanentError):
    """The ingest queue received a message that is not a located batch."""


class BatchRejectedByDatabase(PermanentError):
    """The database refused a value of the batch (too long, out of range); retrying cannot help."""


def serialise_ingest(session: Session) -> None:
    """Make concurrent ingest transactions run one after the other.

    NOTE: ingest reads before it writes (duplicate detection, monthly statistics
    recounted from the stored offers), so two batches committed side by side on
    PostgreSQL could both miss each other's offers. A transaction-scoped advisory
    lock orders them; SQLite already allows one writer at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK_KEY})


def ingest_batch(session: Session, offers: list[LocatedOffer], *, run_id: str) -> set[str]:
    """Store `offers` in `session`; returns the months whose statistics were refreshed."""
    serialise_ingest(session)
    names = {name for offer in offers for name in offer.technologies}
    ids = technology_ids(session, names)
    unknown = names - set(ids)
    if unknown:
        # The catalogue changed after this batch was cleaned; the re-scan that the
        # change started brings the offers in line with it.
        logger.warning("technologies not in the catalogue skipped: %s", sorted(unknown))
    months: set[str] = set()
    for offer in offers:
        row, touched, own = upsert_offer(session, offer, run_id=run_id)
        if own:
            wanted = {ids[name] for name in offer.technologies if name in ids}
            replace_offer_technologies(session, row.id, wanted)
        months |= touched
    refresh_monthly_statistics(session, months)
    return months


def handle_message(message: Message, deps: Dependencies) -> None:
    """Handle one message of the ingest queue: store the located batch it refers to."""
    if not isinstance(message, BatchReady) or message.stage != "offers_located":
        raise UnexpectedMessage(
            f"ingest expected a batch_ready message of stage 'offers_located', got {message.type!r}"
            + (f" of stage {message.stage!r}" if isinstance(message, BatchReady) else "")
        )
    offers = decode_batch(deps.blobs.get(message.blob), LocatedOffer, uri=message.blob)

    try:
        with deps.sessions.begin() as session:
            months = ingest_batch(session, offers, run_id=message.run_id)
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
    except DataError as exc:
        raise BatchRejectedByDatabase(
            f"batch {message.blob!r} contains a value the database rejects: {exc.orig}"
        ) from exc
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
