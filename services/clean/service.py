"""Clean one raw batch: normalise each offer or reject it with a reason, then pass it on."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import ValidationError
from sqlalchemy.orm import Session

from services.clean.dedup import dedup_key, normalise_url
from services.clean.remote import detect_remote
from services.clean.roles import classify_title
from services.clean.seniority import detect_seniority
from services.clean.sources import ExtractedOffer, OfferUnreadable, extract_offer
from shared.blobs import decode_batch, encode_batch
from shared.contracts.messages import BatchReady, Message
from shared.contracts.records import CleanOffer, RawOffer, Rejection
from shared.db.catalogue import load_catalogue_from_db
from shared.errors import PermanentError
from shared.ledger import record_stage_batch
from shared.runtime import Dependencies
from shared.technologies import TechnologyEntry, TechnologyMatcher, load_catalogue
from shared.topology import OFFERS_CLEANED

logger = logging.getLogger(__name__)

STAGE = "clean"
INPUT_STAGE = "offers_raw"
# Stored offers sent back by a maintenance job after the technology catalogue changed:
# their technologies are matched again, every other field is kept.
REPLAY_STAGE = "offers_stored"
OUTPUT_STAGE = "offers_cleaned"
REASON_NOT_A_DATA_ROLE = "not_a_data_role"
REASON_INVALID_RECORD = "invalid_record"
REASON_DUPLICATE_IN_BATCH = "duplicate_in_batch"


class UnexpectedMessage(PermanentError):
    """The clean service received a message that is not a raw batch."""


@dataclass(frozen=True)
class CleanedBatch:
    offers: list[CleanOffer]
    rejections: list[Rejection]


def default_matcher() -> TechnologyMatcher:
    """Return the matcher of the catalogue packaged with `shared.technologies`."""
    return matcher_for(tuple(load_catalogue()))


@lru_cache(maxsize=4)
def matcher_for(entries: tuple[TechnologyEntry, ...]) -> TechnologyMatcher:
    """Return a matcher for `entries`, built once per distinct catalogue in this process."""
    return TechnologyMatcher(entries)


def current_matcher(session: Session) -> TechnologyMatcher:
    """Return the matcher of the catalogue stored in the database, or the packaged one if empty."""
    entries = load_catalogue_from_db(session)
    return matcher_for(tuple(entries)) if entries else default_matcher()


def handle_message(
    message: Message, deps: Dependencies, *, matcher: TechnologyMatcher | None = None
) -> None:
    """Clean the batch a `BatchReady` message of stage `offers_raw` or `offers_stored` points to.

    Writes the clean batch at a key derived from the input URI, records the ledger and
    the rejections in one transaction, then publishes `offers_cleaned`. Running the
    same message twice writes the same bytes and the same ledger rows.
    """
    if not isinstance(message, BatchReady) or message.stage not in (INPUT_STAGE, REPLAY_STAGE):
        raise UnexpectedMessage(
            f"clean received {_describe(message)}; expected a batch_ready message "
            f"with stage {INPUT_STAGE!r} or {REPLAY_STAGE!r}"
        )
    if matcher is None:
        with deps.sessions() as session:
            matcher = current_matcher(session)

    data = deps.blobs.get(message.blob)
    if message.stage == REPLAY_STAGE:
        stored = decode_batch(data, CleanOffer, uri=message.blob)
        offers_in = len(stored)
        cleaned = CleanedBatch(offers=rescan_technologies(stored, matcher), rejections=[])
    else:
        raw_offers = decode_batch(data, RawOffer, uri=message.blob)
        offers_in = len(raw_offers)
        cleaned = clean_batch(raw_offers, matcher)

    output_uri = deps.blobs.put(
        output_key(message.run_id, message.blob),
        encode_batch(cleaned.offers),
        content_type="application/gzip",
    )
    with deps.sessions.begin() as session:
        record_stage_batch(
            session,
            run_id=message.run_id,
            stage=STAGE,
            source=message.source,
            input_blob=message.blob,
            output_blob=output_uri,
            offers_in=offers_in,
            offers_out=len(cleaned.offers),
            rejections=cleaned.rejections,
        )
    deps.bus.publish(
        OFFERS_CLEANED,
        BatchReady(
            run_id=message.run_id,
            stage=OUTPUT_STAGE,
            source=message.source,
            blob=output_uri,
            count=len(cleaned.offers),
        ),
    )
    logger.info(
        "clean batch done",
        extra={
            "run_id": message.run_id,
            "input_blob": message.blob,
            "offers_in": offers_in,
            "offers_out": len(cleaned.offers),
            "rejected": len(cleaned.rejections),
        },
    )


def output_key(run_id: str, input_uri: str) -> str:
    """Return the blob key of the clean batch made from `input_uri` (same input, same key)."""
    digest = hashlib.sha256(input_uri.encode("utf-8")).hexdigest()[:16]
    return f"cleaned/{run_id}/{digest}.jsonl.gz"


def rescan_technologies(
    offers: Iterable[CleanOffer], matcher: TechnologyMatcher
) -> list[CleanOffer]:
    """Return the offers with their technologies matched again in their title and description."""
    return [
        offer.model_copy(
            update={"technologies": matcher.find(f"{offer.title}\n{offer.description}")}
        )
        for offer in offers
    ]


def clean_batch(raw_offers: Iterable[RawOffer], matcher: TechnologyMatcher) -> CleanedBatch:
    """Clean every offer of a batch; a repeat of an offer within the batch is rejected."""
    offers: list[CleanOffer] = []
    rejections: list[Rejection] = []
    seen: set[tuple[str, str]] = set()
    for raw in raw_offers:
        identity = (raw.source, raw.source_offer_id)
        if identity in seen:
            rejections.append(_reject(raw, REASON_DUPLICATE_IN_BATCH, "offer repeated in batch"))
            continue
        seen.add(identity)
        result = clean_offer(raw, matcher)
        if isinstance(result, Rejection):
            rejections.append(result)
        else:
            offers.append(result)
    return CleanedBatch(offers=offers, rejections=rejections)


def clean_offer(raw: RawOffer, matcher: TechnologyMatcher) -> CleanOffer | Rejection:
    """Normalise one raw offer, or return a `Rejection` with the reason it is not passed on."""
    try:
        extracted = extract_offer(raw)
    except OfferUnreadable as exc:
        return _reject(raw, exc.reason, exc.detail)

    role = classify_title(extracted.title)
    if role is None:
        return _reject(raw, REASON_NOT_A_DATA_ROLE, extracted.title[:200])

    try:
        return _build_clean_offer(raw, extracted, role.role, role.mixed, matcher)
    except ValidationError as exc:
        logger.warning(
            "offer rejected as invalid",
            extra={"source": raw.source, "source_offer_id": raw.source_offer_id},
        )
        return _reject(raw, REASON_INVALID_RECORD, str(exc)[:500])


def _build_clean_offer(
    raw: RawOffer,
    extracted: ExtractedOffer,
    role: str,
    role_mixed: bool,
    matcher: TechnologyMatcher,
) -> CleanOffer:
    contract = extracted.contract
    technologies = matcher.find(
        "\n".join((extracted.title, extracted.description, extracted.skills_text))
    )
    return CleanOffer(
        source=raw.source,
        source_offer_id=raw.source_offer_id,
        url=normalise_url(extracted.url or raw.url),
        title=extracted.title,
        description=extracted.description,
        role=role,
        role_mixed=role_mixed,
        seniority=detect_seniority(
            extracted.title, contract.contract_type, extracted.experience_years_min
        ),
        company=extracted.company,
        contract_type=contract.contract_type,
        contract_duration_months=contract.duration_months,
        remote=detect_remote(
            *extracted.remote_texts,
            job_location_type=extracted.job_location_type,
            place_label=extracted.place.label,
        ),
        experience_years_min=extracted.experience_years_min,
        salary=extracted.salary.salary,
        salary_unreadable=extracted.salary.salary is None and extracted.salary.unreadable,
        technologies=technologies,
        place=extracted.place,
        published_at=extracted.published_at,
        collected_at=raw.collected_at,
        dedup_key=dedup_key(
            company=extracted.company,
            title=extracted.title,
            place=extracted.place,
            description=extracted.description,
        ),
    )


def _reject(raw: RawOffer, reason: str, detail: str | None) -> Rejection:
    return Rejection(
        source=raw.source,
        source_offer_id=raw.source_offer_id,
        stage=STAGE,
        reason=reason,
        detail=detail,
    )


def _describe(message: object) -> str:
    kind = getattr(message, "type", type(message).__name__)
    stage = getattr(message, "stage", None)
    return f"{kind!r} (stage {stage!r})" if stage else repr(kind)
