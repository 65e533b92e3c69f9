"""Scrape one request: search France Travail, store the raw batch, record and announce it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.scrape.france_travail import (
    AuthenticationFailed,
    FranceTravailClient,
    InvalidResponse,
    RateLimited,
    RequestRejected,
    SearchInterrupted,
    SearchTooBroad,
    SourceBlocked,
    SourceTimedOut,
    build_client,
    fold_accents,
)
from services.scrape.plan import SOURCE, split_by_department
from shared.blobs import encode_batch
from shared.contracts.messages import BatchReady, Message, ScrapeRequest
from shared.contracts.records import RawOffer
from shared.db.models import ScrapeResult
from shared.errors import InvalidMessage
from shared.runtime import Dependencies
from shared.settings import Settings
from shared.topology import OFFERS_RAW, SCRAPE_REQUESTS

logger = Logger(service="scrape")

Record = dict[str, Any]

INTERRUPTED_STATUSES: dict[type[SearchInterrupted], str] = {
    RateLimited: "rate_limited",
    SourceBlocked: "blocked",
    SourceTimedOut: "timed_out",
}


class UnexpectedMessage(InvalidMessage):
    """The scrape service received a message that is not a scrape request."""


@dataclass(frozen=True)
class Collection:
    """The records, pages and status of one search, before they are stored."""

    status: str
    records: list[Record] = field(default_factory=list)
    pages: int = 0
    detail: str | None = None
    split: bool = False


@dataclass(frozen=True)
class ScrapeOutcome:
    status: str
    offers: int
    pages: int
    output_blob: str | None
    detail: str | None


def handle_message(message: Message, deps: Dependencies) -> None:
    """Scrape the request in `message` with this process's France Travail client."""
    if not isinstance(message, ScrapeRequest):
        raise UnexpectedMessage(
            f"the scrape service received a {message.type!r} message; expected 'scrape_request'"
        )
    scrape(message, deps, client=client_for(deps.settings, deps.boto_session))


def scrape(
    request: ScrapeRequest,
    deps: Dependencies,
    *,
    client: FranceTravailClient,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> ScrapeOutcome:
    """Collect one request into a raw batch, record its result, then publish or split it.

    Doing the same request twice in a run writes the same blob key and updates
    the same result row. Transient errors (`SourceUnavailable`, storage, bus)
    raise so that SQS retries the message.
    """
    collection = collect(request, client)
    offers, skipped = to_raw_offers(request, collection.records, collected_at=now())
    detail = _join_details(collection.detail, _skipped_detail(skipped))

    output_blob = None
    if offers:
        output_blob = deps.blobs.put(
            batch_key(request), encode_batch(offers), content_type="application/gzip"
        )

    outcome = ScrapeOutcome(
        status=collection.status,
        offers=len(offers),
        pages=collection.pages,
        output_blob=output_blob,
        detail=detail,
    )
    with deps.sessions.begin() as session:
        record_scrape_result(session, request, outcome, finished_at=now())

    if collection.split:
        for narrowed in split_by_department(request):
            deps.bus.send(SCRAPE_REQUESTS, narrowed)
    if output_blob is not None:
        deps.bus.publish(
            OFFERS_RAW,
            BatchReady(
                run_id=request.run_id,
                stage="offers_raw",
                source=SOURCE,
                blob=output_blob,
                count=len(offers),
            ),
        )
    logger.info(
        "scrape request done",
        run_id=request.run_id,
        query=request.query,
        department=request.department,
        status=outcome.status,
        offers=outcome.offers,
        pages=outcome.pages,
    )
    return outcome


def collect(request: ScrapeRequest, client: FranceTravailClient) -> Collection:
    """Run the search; a source that limits, blocks or times out is a status, not an exception."""
    try:
        result = client.search(request.query, department=request.department)
    except SearchTooBroad as exc:
        if request.department is None:
            return Collection(status="split", pages=1, detail=str(exc), split=True)
        # NOTE: one département is the narrowest split this service makes; a
        # narrower one (by creation date) is not implemented, so this is a failure.
        logger.error("search too broad within one département", error=str(exc))
        return Collection(status="failed", pages=1, detail=str(exc))
    except SearchInterrupted as exc:
        status = INTERRUPTED_STATUSES.get(type(exc), "failed")
        logger.warning(
            "source stopped the search", status=status, error=str(exc), offers=len(exc.offers)
        )
        detail = str(exc)
        if exc.offers:
            detail = f"{detail} (kept {len(exc.offers)} offers from {exc.pages} pages)"
        return Collection(status=status, records=exc.offers, pages=exc.pages, detail=detail)
    except (AuthenticationFailed, RequestRejected, InvalidResponse) as exc:
        logger.exception("search failed", query=request.query, department=request.department)
        return Collection(status="failed", detail=str(exc))
    status = "ok" if result.offers else "empty"
    return Collection(status=status, records=result.offers, pages=result.pages)


def to_raw_offers(
    request: ScrapeRequest, records: list[Record], *, collected_at: dt.datetime
) -> tuple[list[RawOffer], int]:
    """Wrap API records as `RawOffer`s, first occurrence of each id kept; returns (offers, skipped).

    A record without a usable `id` is skipped and counted.
    """
    offers: dict[str, RawOffer] = {}
    skipped = 0
    for record in records:
        offer_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(offer_id, str) or not offer_id.strip():
            skipped += 1
            continue
        if offer_id in offers:
            continue
        offers[offer_id] = RawOffer(
            source=SOURCE,
            source_offer_id=offer_id,
            url=_origin_url(record),
            query=request.query,
            collected_at=collected_at,
            payload=record,
        )
    return list(offers.values()), skipped


def _origin_url(record: Record) -> str | None:
    origin = record.get("origineOffre")
    url = origin.get("urlOrigine") if isinstance(origin, dict) else None
    return url if isinstance(url, str) and url else None


def _skipped_detail(skipped: int) -> str | None:
    return f"{skipped} records without an id were skipped" if skipped else None


def _join_details(*details: str | None) -> str | None:
    present = [detail for detail in details if detail]
    return "; ".join(present) if present else None


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug: "Analyste décisionnel" -> "analyste-decisionnel"."""
    return re.sub(r"[^a-z0-9]+", "-", fold_accents(text).lower()).strip("-")


def batch_key(request: ScrapeRequest) -> str:
    """Return the blob key of the request's raw batch; the same request always gets the same key.

    The digest of the exact query keeps apart queries that share a slug
    ("Data engineer" and "data-engineer").
    """
    run = re.sub(r"[^A-Za-z0-9._-]+", "-", request.run_id)
    digest = hashlib.sha256(request.query.encode()).hexdigest()[:8]
    name = f"{slugify(request.query) or 'query'}-{digest}"
    if request.department:
        name = f"{name}-{request.department}"
    return f"raw/{run}/{SOURCE}/{name}.jsonl.gz"


def record_scrape_result(
    session: Session, request: ScrapeRequest, outcome: ScrapeOutcome, *, finished_at: dt.datetime
) -> ScrapeResult:
    """Insert or update the result row of the request; the caller owns the transaction."""
    department = request.department or ""
    row = session.scalar(
        select(ScrapeResult).where(
            ScrapeResult.run_id == request.run_id,
            ScrapeResult.source == request.source,
            ScrapeResult.query == request.query,
            ScrapeResult.department == department,
        )
    )
    if row is None:
        row = ScrapeResult(
            run_id=request.run_id, source=request.source, query=request.query, department=department
        )
        session.add(row)
    row.status = outcome.status
    row.offers = outcome.offers
    row.pages = outcome.pages
    row.detail = outcome.detail
    row.output_blob = outcome.output_blob
    row.finished_at = finished_at
    session.flush()
    return row


_clients: dict[tuple[str, ...], FranceTravailClient] = {}
_clients_lock = threading.Lock()


def client_for(settings: Settings, boto_session: Any) -> FranceTravailClient:
    """Return this process's client for the API and credentials named in `settings`.

    The client is built on first use and kept, so its access token is reused
    across messages.
    """
    secret = settings.france_travail_client_secret
    key = (
        settings.france_travail_api_url,
        settings.france_travail_token_url,
        settings.france_travail_client_id or "",
        hashlib.sha256(secret.get_secret_value().encode()).hexdigest() if secret else "",
        settings.france_travail_secret_name or "",
    )
    with _clients_lock:
        if key not in _clients:
            _clients[key] = build_client(settings, boto_session)
        return _clients[key]
