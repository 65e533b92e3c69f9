"""One full cycle of the pipeline on one machine: emulator, pollers, every real handler."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
import multiprocessing
import secrets
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from infra.local.emulator import Emulator, ProvisionedQueue, provision, use_emulator_credentials
from infra.local.event_source import EventSourceMapping, drain
from shared.blobs import BlobStore, decode_batch
from shared.contracts.messages import ChartRequest, ReportRequest
from shared.contracts.records import RawOffer
from shared.db.migrate import upgrade
from shared.db.models import Offer, OfferRejection, ScrapeResult, Sighting, StageBatch
from shared.roles import ALL_ROLES
from shared.runtime import Dependencies, build_dependencies, set_dependencies
from shared.settings import Settings
from shared.topology import CHART_REQUESTS, REPORT_REQUESTS, SCRAPE_REQUESTS, TOPOLOGY

logger = logging.getLogger(__name__)

DEMO_OFFERS_DIR = Path(__file__).resolve().parent / "demo_offers"
STAGES = ("scrape", "clean", "geo_match", "ingest")


@dataclass
class StageFigures:
    offers_in: int = 0
    offers_out: int = 0
    rejected: Counter[str] = field(default_factory=Counter)


@dataclass
class Reconciliation:
    """Distinct offers of one run: each collected offer is stored or rejected with a reason."""

    collected: int
    stored: int
    stored_distinct: int
    rejected: Counter[str]
    unaccounted: list[str]


@dataclass
class RunSummary:
    run_id: str
    stages: dict[str, StageFigures]
    scrape_statuses: Counter[str]
    dead_letters: dict[str, int]
    charts_requested: int
    offers_in_database: int
    reconciliation: Reconciliation

    @property
    def dead_lettered(self) -> int:
        return sum(self.dead_letters.values())


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"run-{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def _handler(consumer: str) -> Any:
    return importlib.import_module(f"services.{consumer}.handler").lambda_handler


# Consumers whose batches may run in several worker processes at once, as Lambda
# runs concurrent invocations; drawing charts is CPU-bound and independent per request.
CONCURRENT_CONSUMERS = frozenset({"chart"})


def _start_worker(settings: Settings) -> None:
    """Build the dependencies of a worker process; it shares nothing with its parent."""
    set_dependencies(build_dependencies(settings))


def event_source_mappings(
    deps: Dependencies,
    queues: dict[str, ProvisionedQueue],
    *,
    executor: Executor | None = None,
    concurrency: int = 1,
) -> list[EventSourceMapping]:
    """Build one mapping per queue of the topology, in pipeline order."""
    mappings = []
    for queue in TOPOLOGY.queues:
        concurrent = executor is not None and queue.consumer in CONCURRENT_CONSUMERS
        mappings.append(
            EventSourceMapping(
                function_name=queue.consumer,
                handler=_handler(queue.consumer),
                sqs=deps.bus.sqs,
                queue_url=queues[queue.name].url,
                queue_arn=queues[queue.name].arn,
                region=deps.settings.aws_region,
                batch_size=queue.batch_size,
                timeout_s=queue.local_visibility_timeout_s,
                executor=executor if concurrent else None,
                handler_path=f"services.{queue.consumer}.handler:lambda_handler",
                concurrency=concurrency if concurrent else 1,
            )
        )
    return mappings


def dead_letter_depths(deps: Dependencies, queues: dict[str, ProvisionedQueue]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for name, queue in queues.items():
        attributes = deps.bus.sqs.get_queue_attributes(
            QueueUrl=queue.dlq_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        depths[name] = int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )
    return depths


def summarise(session: Session, run_id: str) -> tuple[dict[str, StageFigures], Counter[str]]:
    """Per-stage figures of one run, read from the ledger and the scrape results."""
    stages = {stage: StageFigures() for stage in STAGES}
    statuses: Counter[str] = Counter()
    for result in session.scalars(select(ScrapeResult).where(ScrapeResult.run_id == run_id)):
        statuses[result.status] += 1
        stages["scrape"].offers_out += result.offers
    stages["scrape"].offers_in = stages["scrape"].offers_out
    for batch in session.scalars(select(StageBatch).where(StageBatch.run_id == run_id)):
        figures = stages.setdefault(batch.stage, StageFigures())
        figures.offers_in += batch.offers_in
        figures.offers_out += batch.offers_out
        figures.rejected.update(batch.rejected or {})
    return stages, statuses


def reconcile(session: Session, blobs: BlobStore, run_id: str) -> Reconciliation:
    """Follow every distinct offer the run collected to its row or its rejection.

    Stage figures count an offer once per batch, and one offer is often found by
    several search queries; this counts each offer once.
    """
    collected: set[tuple[str, str]] = set()
    for uri in session.scalars(
        select(ScrapeResult.output_blob).where(
            ScrapeResult.run_id == run_id, ScrapeResult.output_blob.is_not(None)
        )
    ):
        for offer in decode_batch(blobs.get(uri), RawOffer, uri=uri):
            collected.add((offer.source, offer.source_offer_id))

    offer_of = {
        (source, offer_id): row_id
        for source, offer_id, row_id in session.execute(
            select(Sighting.source, Sighting.source_offer_id, Sighting.offer_id).where(
                Sighting.run_id == run_id
            )
        ).tuples()
    }
    stored = set(offer_of)
    reasons: dict[tuple[str, str], str] = {
        (row.source, row.source_offer_id): row.reason
        for row in session.scalars(select(OfferRejection).where(OfferRejection.run_id == run_id))
    }
    rejected = {key for key in collected - stored if key in reasons}
    unaccounted = sorted(
        f"{source}:{offer_id}" for source, offer_id in collected - stored - rejected
    )
    return Reconciliation(
        collected=len(collected),
        stored=len(collected & stored),
        stored_distinct=len({offer_of[key] for key in collected & stored}),
        rejected=Counter(reasons[key] for key in rejected),
        unaccounted=unaccounted,
    )


def chart_requests(session: Session, run_id: str) -> list[ChartRequest]:
    """Build one request per month present and per role present that month, plus all roles."""
    requests: list[ChartRequest] = []
    for month in session.scalars(select(distinct(Offer.month)).order_by(Offer.month)):
        roles = session.scalars(
            select(distinct(Offer.role)).where(Offer.month == month).order_by(Offer.role)
        )
        for role in [ALL_ROLES, *roles]:
            requests.append(ChartRequest(run_id=run_id, month=month, role=role))
    return requests


@contextlib.contextmanager
def local_france_travail(settings: Settings, offers_dir: Path) -> Iterator[Settings]:
    """Serve `offers_dir` on the local France Travail server unless credentials are set."""
    if settings.france_travail_client_id and settings.france_travail_client_secret:
        yield settings
        return
    from infra.local.france_travail_server import FranceTravailServer

    client_id = "datastats-local"
    client_secret = secrets.token_urlsafe(24)
    with FranceTravailServer(
        offers_dir, client_id=client_id, client_secret=client_secret
    ) as server:
        yield settings.model_copy(
            update={
                "france_travail_api_url": server.api_url,
                "france_travail_token_url": server.token_url,
                "france_travail_client_id": client_id,
                "france_travail_client_secret": SecretStr(client_secret),
            }
        )


class LocalRuntime:
    """The embedded runtime: emulator, resources, France Travail server and pollers.

    Use it as a context manager; the handlers find their dependencies through
    `shared.runtime` while it is open.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        offers_dir: Path | None = None,
        drain_deadline_s: float = 1800,
        record_events: bool = False,
        serve_france_travail: bool = True,
        workers: int = 0,
    ) -> None:
        self.base_settings = settings
        self.offers_dir = offers_dir or DEMO_OFFERS_DIR
        self.drain_deadline_s = drain_deadline_s
        self.record_events = record_events
        self.serve_france_travail = serve_france_travail
        self.workers = workers
        self._stack = contextlib.ExitStack()
        self.deps: Dependencies | None = None
        self.queues: dict[str, ProvisionedQueue] = {}
        self.mappings: list[EventSourceMapping] = []

    def __enter__(self) -> LocalRuntime:
        settings = self.base_settings
        settings.home.mkdir(parents=True, exist_ok=True)
        upgrade(settings.effective_database_url)
        use_emulator_credentials()
        try:
            emulator = self._stack.enter_context(Emulator())
            settings = settings.model_copy(update={"aws_endpoint_url": emulator.endpoint_url})
            if self.serve_france_travail:
                settings = self._stack.enter_context(
                    local_france_travail(settings, self.offers_dir)
                )
            self.deps = build_dependencies(settings)
            self._stack.callback(self.deps.engine.dispose)
            set_dependencies(self.deps)
            self._stack.callback(set_dependencies, None)
            self.queues = provision(
                sns=self.deps.bus.sns, sqs=self.deps.bus.sqs, prefix=settings.resource_prefix
            )
            executor = None
            if self.workers > 1:
                executor = self._stack.enter_context(
                    ProcessPoolExecutor(
                        max_workers=self.workers,
                        mp_context=multiprocessing.get_context("spawn"),
                        initializer=_start_worker,
                        initargs=(settings,),
                    )
                )
            self.mappings = event_source_mappings(
                self.deps, self.queues, executor=executor, concurrency=self.workers
            )
            if self.record_events:
                for mapping in self.mappings:
                    mapping.recorded_events = []
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stack.close()

    @property
    def dependencies(self) -> Dependencies:
        if self.deps is None:
            raise RuntimeError("the local runtime is not started; use it in a `with` block")
        return self.deps

    def drain(self) -> int:
        return drain(self.mappings, deadline_s=self.drain_deadline_s)

    def collect(self, run_id: str) -> None:
        """Plan the collection, then scrape, clean, place and ingest until the queues are empty."""
        from services.scrape.plan import plan_requests

        for request in plan_requests(run_id):
            self.dependencies.bus.send(SCRAPE_REQUESTS, request)
        self.drain()

    def chart_and_report(self, run_id: str, report_date: dt.date) -> int:
        """Draw the charts of every month present and build the daily report."""
        deps = self.dependencies
        with deps.sessions() as session:
            charts = chart_requests(session, run_id)
        for chart in charts:
            deps.bus.send(CHART_REQUESTS, chart)
        deps.bus.send(REPORT_REQUESTS, ReportRequest(run_id=run_id, date=report_date))
        self.drain()
        return len(charts)

    def redeliver(self, *, skip: frozenset[str] = frozenset()) -> int:
        """Deliver every recorded event once more, as at-least-once SQS delivery may."""
        count = 0
        for mapping in self.mappings:
            if mapping.function_name in skip or not mapping.recorded_events:
                continue
            for event in list(mapping.recorded_events):
                mapping.invoke(event)
                count += 1
        self.drain()
        return count

    def summary(self, run_id: str, charts_requested: int) -> RunSummary:
        deps = self.dependencies
        with deps.sessions() as session:
            stages, statuses = summarise(session, run_id)
            offers_total = session.scalar(select(func.count(Offer.id))) or 0
            reconciliation = reconcile(session, deps.blobs, run_id)
        return RunSummary(
            reconciliation=reconciliation,
            run_id=run_id,
            stages=stages,
            scrape_statuses=statuses,
            dead_letters=dead_letter_depths(deps, self.queues),
            charts_requested=charts_requested,
            offers_in_database=offers_total,
        )


def run_cycle(
    settings: Settings,
    *,
    offers_dir: Path | None = None,
    drain_deadline_s: float = 1800,
    report_date: dt.date | None = None,
    run_id: str | None = None,
    progress: Callable[[str], None] = lambda _message: None,
    workers: int = 0,
) -> RunSummary:
    """Run scrape -> clean -> geo_match -> ingest, then the charts and the daily report.

    `workers` above 1 draws charts in that many worker processes.
    """
    run_id = run_id or new_run_id()
    runtime = LocalRuntime(
        settings, offers_dir=offers_dir, drain_deadline_s=drain_deadline_s, workers=workers
    )
    with runtime:
        progress(f"Run {run_id}: collecting, cleaning, placing and storing offers")
        runtime.collect(run_id)
        progress("Drawing the charts of every month and building the daily report")
        charts = runtime.chart_and_report(run_id, report_date or dt.datetime.now(dt.UTC).date())
        return runtime.summary(run_id, charts)
