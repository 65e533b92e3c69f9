"""The queues, topics and subscriptions of Datastats, defined once.

Both the CDK app and the one-machine runtime build their resources from
`TOPOLOGY`, so the cloud and the local run cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Topic:
    name: str


@dataclass(frozen=True, kw_only=True)
class Queue:
    """An SQS queue with its dead-letter queue and the service that consumes it."""

    name: str
    consumer: str
    batch_size: int
    visibility_timeout_s: int
    local_visibility_timeout_s: int
    max_receive_count: int = 5
    local_max_receive_count: int = 3
    subscribed_to: str | None = None
    filter_policy: dict[str, list[str]] | None = None

    @property
    def dlq_name(self) -> str:
        return f"{self.name}-dlq"


@dataclass(frozen=True, kw_only=True)
class Topology:
    topics: tuple[Topic, ...]
    queues: tuple[Queue, ...] = field(default_factory=tuple)

    def queue(self, name: str) -> Queue:
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(f"unknown queue {name!r}; expected one of {[q.name for q in self.queues]}")

    def topic(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(f"unknown topic {name!r}; expected one of {[t.name for t in self.topics]}")


OFFERS_RAW = "offers-raw"
OFFERS_CLEANED = "offers-cleaned"
OFFERS_LOCATED = "offers-located"
OFFERS_INGESTED = "offers-ingested"
ALARMS = "alarms"

SCRAPE_REQUESTS = "scrape-requests"
CLEAN = "clean"
GEO_MATCH = "geo-match"
INGEST = "ingest"
CHART_REQUESTS = "chart-requests"
REPORT_REQUESTS = "report-requests"

TOPOLOGY = Topology(
    topics=(
        Topic(name=OFFERS_RAW),
        Topic(name=OFFERS_CLEANED),
        Topic(name=OFFERS_LOCATED),
        Topic(name=OFFERS_INGESTED),
        Topic(name=ALARMS),
    ),
    queues=(
        # NOTE: one scrape request may page through the France Travail API for
        # minutes, so its visibility timeout is the longest.
        Queue(
            name=SCRAPE_REQUESTS,
            consumer="scrape",
            batch_size=1,
            visibility_timeout_s=900,
            local_visibility_timeout_s=120,
        ),
        Queue(
            name=CLEAN,
            consumer="clean",
            batch_size=5,
            visibility_timeout_s=300,
            local_visibility_timeout_s=30,
            subscribed_to=OFFERS_RAW,
        ),
        Queue(
            name=GEO_MATCH,
            consumer="geo_match",
            batch_size=5,
            visibility_timeout_s=300,
            local_visibility_timeout_s=30,
            subscribed_to=OFFERS_CLEANED,
        ),
        Queue(
            name=INGEST,
            consumer="ingest",
            batch_size=1,
            visibility_timeout_s=300,
            local_visibility_timeout_s=30,
            subscribed_to=OFFERS_LOCATED,
        ),
        Queue(
            name=CHART_REQUESTS,
            consumer="chart",
            batch_size=1,
            visibility_timeout_s=600,
            local_visibility_timeout_s=120,
        ),
        Queue(
            name=REPORT_REQUESTS,
            consumer="report",
            batch_size=1,
            visibility_timeout_s=300,
            local_visibility_timeout_s=60,
        ),
    ),
)
