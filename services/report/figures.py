"""Figures of the daily report, read from the database and from the dead-letter queues."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db.models import Offer, OfferRejection, ScrapeResult, StageBatch, UnmatchedPlace, as_utc
from shared.errors import TransientError
from shared.messaging import Bus
from shared.topology import TOPOLOGY, Topology

logger = Logger(service="report", child=True)

REPORT_TIMEZONE = ZoneInfo("Europe/Paris")
STAGES = ("scrape", "clean", "geo_match", "ingest")
UNMATCHED_PLACES_LISTED = 50
RATE_BASELINE_DAYS = 7
# A source's rejection rate counts as a jump when it is at least this many points
# (as a fraction) above its rate over the previous RATE_BASELINE_DAYS days.
RATE_JUMP = 0.15


@dataclass(frozen=True, kw_only=True)
class QueryFigures:
    """The scrape requests of one (source, query) on the report day."""

    source: str
    query: str
    requests: int
    offers: int
    pages: int
    statuses: tuple[tuple[str, int], ...]


@dataclass(frozen=True, kw_only=True)
class SourceFigures:
    source: str
    requests: int
    offers: int
    pages: int
    statuses: tuple[tuple[str, int], ...]
    queries: tuple[QueryFigures, ...]


@dataclass(frozen=True, kw_only=True)
class StageFigures:
    """Offers in and out of one stage over the batches it recorded on the report day."""

    stage: str
    batches: int
    offers_in: int
    offers_out: int
    rejected: int

    @property
    def unaccounted(self) -> int:
        """Offers that entered and neither left nor were rejected (negative: too many out)."""
        return self.offers_in - self.offers_out - self.rejected

    @property
    def balanced(self) -> bool:
        return self.unaccounted == 0


@dataclass(frozen=True, kw_only=True)
class StageLink:
    """The hand-over between two consecutive stages: what one sent, what the next received."""

    upstream: str
    downstream: str
    sent: int
    received: int

    @property
    def gap(self) -> int:
        return self.sent - self.received

    @property
    def balanced(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True, kw_only=True)
class RejectionFigures:
    """Rejections of one reason at one stage: ledger count, recorded rows and one example."""

    stage: str
    reason: str
    count: int
    recorded: int
    example: str | None


@dataclass(frozen=True, kw_only=True)
class SourceRejectionRate:
    source: str
    offers_in: int
    rejected: int
    rate: float
    baseline_rate: float | None

    @property
    def jumped(self) -> bool:
        return self.baseline_rate is not None and self.rate - self.baseline_rate >= RATE_JUMP


@dataclass(frozen=True, kw_only=True)
class UnmatchedPlaceFigures:
    label: str
    kind: str
    occurrences: int
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    sample_source: str | None
    is_new: bool


@dataclass(frozen=True, kw_only=True)
class DlqDepth:
    """Messages waiting in the dead-letter queue of `queue`; None when it could not be read."""

    queue: str
    dlq: str
    depth: int | None


@dataclass(frozen=True, kw_only=True)
class ReportFigures:
    report_date: dt.date
    sources: tuple[SourceFigures, ...]
    stages: tuple[StageFigures, ...]
    links: tuple[StageLink, ...]
    rejections: tuple[RejectionFigures, ...]
    rejection_rates: tuple[SourceRejectionRate, ...]
    unmatched_places: tuple[UnmatchedPlaceFigures, ...]
    unmatched_open: int
    unmatched_new: int
    dlq_depths: tuple[DlqDepth, ...]
    offers_ingested: int
    offers_total: int


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the UTC start and end of `day` in Paris time, end excluded."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=REPORT_TIMEZONE)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=REPORT_TIMEZONE)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _sorted_counts(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def collection_figures(
    session: Session, *, start: dt.datetime, end: dt.datetime
) -> tuple[SourceFigures, ...]:
    """Sum the scrape results finished in [start, end) per source and per query."""
    rows = session.execute(
        select(
            ScrapeResult.source,
            ScrapeResult.query,
            ScrapeResult.status,
            func.count().label("requests"),
            func.sum(ScrapeResult.offers).label("offers"),
            func.sum(ScrapeResult.pages).label("pages"),
        )
        .where(ScrapeResult.finished_at >= start, ScrapeResult.finished_at < end)
        .group_by(ScrapeResult.source, ScrapeResult.query, ScrapeResult.status)
    )
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    statuses: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        key = (row.source, row.query)
        totals[key][0] += row.requests
        totals[key][1] += int(row.offers or 0)
        totals[key][2] += int(row.pages or 0)
        statuses[key][row.status] += row.requests

    by_source: dict[str, list[QueryFigures]] = defaultdict(list)
    for (source, query), (requests, offers, pages) in sorted(totals.items()):
        by_source[source].append(
            QueryFigures(
                source=source,
                query=query,
                requests=requests,
                offers=offers,
                pages=pages,
                statuses=_sorted_counts(statuses[(source, query)]),
            )
        )
    return tuple(_source_total(source, queries) for source, queries in sorted(by_source.items()))


def _source_total(source: str, queries: list[QueryFigures]) -> SourceFigures:
    statuses: Counter[str] = Counter()
    for query in queries:
        statuses.update(dict(query.statuses))
    return SourceFigures(
        source=source,
        requests=sum(query.requests for query in queries),
        offers=sum(query.offers for query in queries),
        pages=sum(query.pages for query in queries),
        statuses=_sorted_counts(statuses),
        queries=tuple(queries),
    )


def _stage_batches(session: Session, *, start: dt.datetime, end: dt.datetime) -> list[StageBatch]:
    return list(
        session.scalars(
            select(StageBatch).where(StageBatch.created_at >= start, StageBatch.created_at < end)
        )
    )


def _rejected_total(batch: StageBatch) -> int:
    return sum(int(count) for count in (batch.rejected or {}).values())


def stage_figures(
    batches: Iterable[StageBatch], sources: tuple[SourceFigures, ...]
) -> tuple[StageFigures, ...]:
    """Sum offers in, out and rejected per stage, in pipeline order.

    NOTE: when no scrape batch was recorded, the scrape stage is taken from the
    scrape results (offers collected, none rejected), because collection may
    record its figures there only.
    """
    grouped: dict[str, list[StageBatch]] = defaultdict(list)
    for batch in batches:
        grouped[batch.stage].append(batch)

    figures = []
    for stage in STAGES:
        rows = grouped.get(stage, [])
        if stage == "scrape" and not rows:
            collected = sum(source.offers for source in sources)
            figures.append(
                StageFigures(
                    stage=stage,
                    # One raw batch per scrape request that returned offers.
                    batches=sum(
                        query.requests
                        for source in sources
                        for query in source.queries
                        if query.offers
                    ),
                    offers_in=collected,
                    offers_out=collected,
                    rejected=0,
                )
            )
            continue
        figures.append(
            StageFigures(
                stage=stage,
                batches=len(rows),
                offers_in=sum(row.offers_in for row in rows),
                offers_out=sum(row.offers_out for row in rows),
                rejected=sum(_rejected_total(row) for row in rows),
            )
        )
    return tuple(figures)


def stage_links(stages: tuple[StageFigures, ...]) -> tuple[StageLink, ...]:
    return tuple(
        StageLink(
            upstream=upstream.stage,
            downstream=downstream.stage,
            sent=upstream.offers_out,
            received=downstream.offers_in,
        )
        for upstream, downstream in itertools.pairwise(stages)
    )


def rejection_figures(
    session: Session, batches: Iterable[StageBatch], *, start: dt.datetime, end: dt.datetime
) -> tuple[RejectionFigures, ...]:
    """Count rejections per (stage, reason) from the ledger and from the recorded rows."""
    counts: Counter[tuple[str, str]] = Counter()
    for batch in batches:
        for reason, count in (batch.rejected or {}).items():
            counts[(batch.stage, reason)] += int(count)

    recorded: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    rows = session.execute(
        select(OfferRejection.stage, OfferRejection.reason, OfferRejection.detail)
        .where(OfferRejection.rejected_at >= start, OfferRejection.rejected_at < end)
        .order_by(OfferRejection.id)
    )
    for row in rows:
        key = (row.stage, row.reason)
        recorded[key] += 1
        if row.detail and key not in examples:
            examples[key] = row.detail

    keys = sorted(
        set(counts) | set(recorded), key=lambda key: (_stage_rank(key[0]), -counts[key], key[1])
    )
    return tuple(
        RejectionFigures(
            stage=stage,
            reason=reason,
            count=counts[(stage, reason)],
            recorded=recorded[(stage, reason)],
            example=examples.get((stage, reason)),
        )
        for stage, reason in keys
    )


def _stage_rank(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def _rates_by_source(batches: Iterable[StageBatch]) -> dict[str, tuple[int, int]]:
    """Return (offers entering the source's first recorded stage, offers rejected) per source."""
    entered: dict[str, tuple[int, int]] = {}
    rejected: Counter[str] = Counter()
    for batch in batches:
        rank = _stage_rank(batch.stage)
        first_rank, offers = entered.get(batch.source, (rank, 0))
        if rank < first_rank:
            first_rank, offers = rank, 0
        if rank == first_rank:
            offers += batch.offers_in
        entered[batch.source] = (first_rank, offers)
        rejected[batch.source] += _rejected_total(batch)
    return {source: (offers, rejected[source]) for source, (_, offers) in entered.items()}


def rejection_rates(
    day_batches: Iterable[StageBatch], baseline_batches: Iterable[StageBatch]
) -> tuple[SourceRejectionRate, ...]:
    """Compare each source's rejection rate of the day with its rate over the previous days."""
    today = _rates_by_source(day_batches)
    baseline = _rates_by_source(baseline_batches)
    rates = []
    for source, (offers_in, rejected) in sorted(today.items()):
        if offers_in <= 0:
            continue
        before_in, before_rejected = baseline.get(source, (0, 0))
        rates.append(
            SourceRejectionRate(
                source=source,
                offers_in=offers_in,
                rejected=rejected,
                rate=rejected / offers_in,
                baseline_rate=before_rejected / before_in if before_in > 0 else None,
            )
        )
    return tuple(rates)


def unmatched_place_figures(
    session: Session, *, start: dt.datetime, end: dt.datetime
) -> tuple[tuple[UnmatchedPlaceFigures, ...], int, int]:
    """Return the most frequent open unmatched places, the open count and the new count."""
    is_open = (UnmatchedPlace.status == "open") & (UnmatchedPlace.first_seen_at < end)
    is_new = is_open & (UnmatchedPlace.first_seen_at >= start)
    open_count = session.scalar(select(func.count()).select_from(UnmatchedPlace).where(is_open))
    new_count = session.scalar(select(func.count()).select_from(UnmatchedPlace).where(is_new))
    rows = session.scalars(
        select(UnmatchedPlace)
        .where(is_open)
        .order_by(UnmatchedPlace.occurrences.desc(), UnmatchedPlace.label_key)
        .limit(UNMATCHED_PLACES_LISTED)
    )
    places = tuple(
        UnmatchedPlaceFigures(
            label=row.label,
            kind=row.kind,
            occurrences=row.occurrences,
            first_seen_at=as_utc(row.first_seen_at),
            last_seen_at=as_utc(row.last_seen_at),
            sample_source=row.sample_source,
            is_new=start <= as_utc(row.first_seen_at) < end,
        )
        for row in rows
    )
    return places, int(open_count or 0), int(new_count or 0)


def offer_counts(session: Session, *, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
    """Count the offers first seen in [start, end) and all offers first seen before `end`."""
    ingested = session.scalar(
        select(func.count())
        .select_from(Offer)
        .where(Offer.first_seen_at >= start, Offer.first_seen_at < end)
    )
    total = session.scalar(select(func.count()).select_from(Offer).where(Offer.first_seen_at < end))
    return int(ingested or 0), int(total or 0)


def read_dlq_depths(bus: Bus, topology: Topology = TOPOLOGY) -> tuple[DlqDepth, ...]:
    """Read ApproximateNumberOfMessages of every dead-letter queue; unreadable ones give None."""
    depths = []
    for queue in topology.queues:
        depths.append(
            DlqDepth(queue=queue.name, dlq=queue.dlq_name, depth=_dlq_depth(bus, queue.dlq_name))
        )
    return tuple(depths)


def _dlq_depth(bus: Bus, dlq_name: str) -> int | None:
    try:
        url = bus.queue_url(dlq_name)
        response = bus.sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
        )
    except (TransientError, BotoCoreError, ClientError) as exc:
        # NOTE: an unreachable queue is reported as unknown, never as empty, so that
        # the report cannot hide a full dead-letter queue.
        logger.warning("failed to read dead-letter queue depth", queue=dlq_name, error=str(exc))
        return None
    return int(response["Attributes"]["ApproximateNumberOfMessages"])


def collect_report_figures(
    session: Session, *, report_date: dt.date, dlq_depths: tuple[DlqDepth, ...]
) -> ReportFigures:
    """Read every figure of the report of `report_date` (a Paris day) from `session`."""
    start, end = day_bounds(report_date)
    sources = collection_figures(session, start=start, end=end)
    batches = _stage_batches(session, start=start, end=end)
    baseline = _stage_batches(
        session, start=start - dt.timedelta(days=RATE_BASELINE_DAYS), end=start
    )
    stages = stage_figures(batches, sources)
    places, open_count, new_count = unmatched_place_figures(session, start=start, end=end)
    ingested, total = offer_counts(session, start=start, end=end)
    return ReportFigures(
        report_date=report_date,
        sources=sources,
        stages=stages,
        links=stage_links(stages),
        rejections=rejection_figures(session, batches, start=start, end=end),
        rejection_rates=rejection_rates(batches, baseline),
        unmatched_places=places,
        unmatched_open=open_count,
        unmatched_new=new_count,
        dlq_depths=dlq_depths,
        offers_ingested=ingested,
        offers_total=total,
    )
