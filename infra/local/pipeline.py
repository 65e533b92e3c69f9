"""One full cycle of the pipeline on one machine: emulator, pollers, every real handler."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
import secrets
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from infra.local.emulator import Emulator, ProvisionedQueue, provision
from infra.local.event_source import EventSourceMapping, drain
from shared.contracts.messages import ChartRequest, ReportRequest
from shared.db.migrate import upgrade
from shared.db.models import Offer, ScrapeResult, StageBatch
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
class RunSummary:
    run_id: str
    stages: dict[str, StageFigures]
    scrape_statuses: Counter[str]
    dead_letters: dict[str, int]
    charts_requested: int
    offers_in_database: int

    @property
    def dead_lettered(self) -> int:
        return sum(self.dead_letters.values())


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"run-{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def _handler(consumer: str) -> Any:
    return importlib.import_module(f"services.{consumer}.handler").lambda_handler


def event_source_mappings(
    deps: Dependencies, queues: dict[str, ProvisionedQueue]
) -> list[EventSourceMapping]:
    """One mapping per queue of the topology, in pipeline order."""
    return [
        EventSourceMapping(
            function_name=queue.consumer,
            handler=_handler(queue.consumer),
            sqs=deps.bus.sqs,
            queue_url=queues[queue.name].url,
            queue_arn=queues[queue.name].arn,
            region=deps.settings.aws_region,
            batch_size=queue.batch_size,
            timeout_s=queue.local_visibility_timeout_s,
        )
        for queue in TOPOLOGY.queues
    ]


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


def chart_requests(session: Session, run_id: str) -> list[ChartRequest]:
    """One request per month present and per role present that month, plus all roles."""
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


def run_cycle(
    settings: Settings,
    *,
    offers_dir: Path | None = None,
    drain_deadline_s: float = 1800,
    report_date: dt.date | None = None,
) -> RunSummary:
    """Run scrape -> clean -> geo_match -> ingest, then charts and the daily report."""
    from services.scrape.plan import plan_requests

    settings.home.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url)
    run_id = new_run_id()

    with (
        Emulator() as emulator,
        local_france_travail(
            settings.model_copy(update={"aws_endpoint_url": emulator.endpoint_url}),
            offers_dir or DEMO_OFFERS_DIR,
        ) as run_settings,
    ):
        deps = build_dependencies(run_settings)
        set_dependencies(deps)
        try:
            queues = provision(
                sns=deps.bus.sns, sqs=deps.bus.sqs, prefix=run_settings.resource_prefix
            )
            mappings = event_source_mappings(deps, queues)

            for request in plan_requests(run_id):
                deps.bus.send(SCRAPE_REQUESTS, request)
            drain(mappings, deadline_s=drain_deadline_s)

            with deps.sessions() as session:
                charts = chart_requests(session, run_id)
            for chart in charts:
                deps.bus.send(CHART_REQUESTS, chart)
            deps.bus.send(
                REPORT_REQUESTS,
                ReportRequest(run_id=run_id, date=report_date or dt.datetime.now(dt.UTC).date()),
            )
            drain(mappings, deadline_s=drain_deadline_s)

            with deps.sessions() as session:
                stages, statuses = summarise(session, run_id)
                offers_total = session.scalar(select(func.count(Offer.id))) or 0
            return RunSummary(
                run_id=run_id,
                stages=stages,
                scrape_statuses=statuses,
                dead_letters=dead_letter_depths(deps, queues),
                charts_requested=len(charts),
                offers_in_database=offers_total,
            )
        finally:
            set_dependencies(None)
            deps.engine.dispose()
