"""Stage ledger: what each stage did with each batch, and every rejected offer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.contracts.records import Rejection
from shared.db.models import OfferRejection, StageBatch, utcnow


def record_stage_batch(
    session: Session,
    *,
    run_id: str,
    stage: str,
    source: str,
    input_blob: str,
    output_blob: str | None,
    offers_in: int,
    offers_out: int,
    rejections: Iterable[Rejection],
) -> None:
    """Record one processed batch and its rejections; recording the same batch twice is a no-op.

    The caller owns the transaction.
    """
    rejections = list(rejections)
    existing = session.scalar(
        select(StageBatch).where(StageBatch.stage == stage, StageBatch.input_blob == input_blob)
    )
    reasons = dict(Counter(rejection.reason for rejection in rejections))
    if existing is None:
        session.add(
            StageBatch(
                run_id=run_id,
                stage=stage,
                source=source,
                input_blob=input_blob,
                output_blob=output_blob,
                offers_in=offers_in,
                offers_out=offers_out,
                rejected=reasons,
            )
        )
    else:
        existing.output_blob = output_blob
        existing.offers_in = offers_in
        existing.offers_out = offers_out
        existing.rejected = reasons

    for rejection in rejections:
        row = session.scalar(
            select(OfferRejection).where(
                OfferRejection.stage == rejection.stage,
                OfferRejection.source == rejection.source,
                OfferRejection.source_offer_id == rejection.source_offer_id,
            )
        )
        if row is None:
            session.add(
                OfferRejection(
                    run_id=run_id,
                    stage=rejection.stage,
                    source=rejection.source,
                    source_offer_id=rejection.source_offer_id,
                    reason=rejection.reason,
                    detail=rejection.detail,
                )
            )
        elif row.run_id != run_id:
            # The latest run that rejected the offer owns the row, with its time.
            row.run_id = run_id
            row.reason = rejection.reason
            row.detail = rejection.detail
            row.rejected_at = utcnow()
    session.flush()
