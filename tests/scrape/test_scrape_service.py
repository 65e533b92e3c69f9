"""Scrape service with moto (SNS, SQS), a local blob folder, both databases and the local API."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from moto import mock_aws
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from infra.local.france_travail_server import FranceTravailServer
from services.scrape import handler
from services.scrape.france_travail import Credentials, FranceTravailClient
from services.scrape.plan import DEPARTMENTS
from services.scrape.service import batch_key, scrape
from shared.blobs import LocalBlobStore, decode_batch
from shared.contracts.messages import BatchReady, ScrapeRequest, parse_message
from shared.contracts.records import RawOffer
from shared.db.models import ScrapeResult
from shared.messaging import Bus
from shared.runtime import Dependencies, set_dependencies
from shared.settings import Settings
from shared.topology import OFFERS_RAW, SCRAPE_REQUESTS, TOPOLOGY
from tests.events import load_sample, sqs_event
from tests.scrape.factories import (
    FakeApi,
    FakeClock,
    make_client,
    make_record,
    numbered_records,
    page_response,
    write_offers,
)

REGION = "eu-west-3"
CLIENT_ID = "scrape-test"
CLIENT_SECRET = "scrape-test-secret"
RUN_ID = "run-20261204T060000Z-a1b2c3"


class TestSessions:
    """Stands in for the session factory: every session is the test's own, never committed.

    The test's transaction is rolled back at the end, on SQLite as on PostgreSQL.
    """

    __test__ = False

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        yield self.session
        self.session.flush()

    def __call__(self) -> contextlib.nullcontext[Session]:
        return contextlib.nullcontext(self.session)


@dataclass
class Harness:
    deps: Dependencies
    server: FranceTravailServer
    raw_queue_url: str
    scrape_queue_url: str
    dlq_url: str

    def client(self) -> FranceTravailClient:
        return FranceTravailClient(
            api_url=self.server.api_url,
            token_url=self.server.token_url,
            credentials=Credentials(CLIENT_ID, SecretStr(CLIENT_SECRET)),
            min_interval_s=0.0,
        )

    def published(self) -> list[BatchReady]:
        return [message for message in self._drain(self.raw_queue_url)]  # type: ignore[misc]

    def scrape_requests(self) -> list[ScrapeRequest]:
        return [message for message in self._drain(self.scrape_queue_url)]  # type: ignore[misc]

    def dead_letters(self) -> list[dict[str, Any]]:
        response = self.deps.bus.sqs.receive_message(
            QueueUrl=self.dlq_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        )
        return response.get("Messages", [])

    def results(self) -> list[ScrapeResult]:
        with self.deps.sessions() as session:
            return list(session.scalars(select(ScrapeResult).order_by(ScrapeResult.id)))

    def _drain(self, queue_url: str) -> list[Any]:
        messages: list[Any] = []
        while True:
            response = self.deps.bus.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
            batch = response.get("Messages", [])
            if not batch:
                return messages
            for item in batch:
                messages.append(parse_message(item["Body"]))
                self.deps.bus.sqs.delete_message(
                    QueueUrl=queue_url, ReceiptHandle=item["ReceiptHandle"]
                )


@pytest.fixture()
def offers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "offers"
    write_offers(
        folder,
        [
            make_record("S1", "Data Engineer (H/F)"),
            make_record("S2", "Data engineer senior", commune="2A004", label="2A - AJACCIO"),
            make_record("S3", "Comptable", description="Clôtures mensuelles."),
        ],
    )
    return folder


@pytest.fixture()
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture()
def harness(
    aws_environment: None,
    tmp_path: Path,
    offers_dir: Path,
    engine: Engine,
    db_session: Session,
) -> Iterator[Harness]:
    with FranceTravailServer(
        offers_dir, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    ) as server:
        settings = Settings(
            home=tmp_path / "home",
            aws_region=REGION,
            france_travail_api_url=server.api_url,
            france_travail_token_url=server.token_url,
            france_travail_client_id=CLIENT_ID,
            france_travail_client_secret=SecretStr(CLIENT_SECRET),
        )
        boto_session = boto3.session.Session(region_name=REGION)
        sns = boto_session.client("sns")
        sqs = boto_session.client("sqs")
        prefix = settings.resource_prefix
        scrape_queue_url = sqs.create_queue(QueueName=f"{prefix}{SCRAPE_REQUESTS}")["QueueUrl"]
        dlq_name = TOPOLOGY.queue(SCRAPE_REQUESTS).dlq_name
        dlq_url = sqs.create_queue(QueueName=f"{prefix}{dlq_name}")["QueueUrl"]
        topic_arn = sns.create_topic(Name=f"{prefix}{OFFERS_RAW}")["TopicArn"]
        raw_queue_url = sqs.create_queue(QueueName="captured-offers-raw")["QueueUrl"]
        raw_queue_arn = sqs.get_queue_attributes(
            QueueUrl=raw_queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=raw_queue_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        deps = Dependencies(
            settings=settings,
            bus=Bus(settings=settings, sns=sns, sqs=sqs),
            blobs=LocalBlobStore(tmp_path / "blobs"),
            engine=engine,
            sessions=TestSessions(db_session),  # type: ignore[arg-type]
            boto_session=boto_session,
        )
        set_dependencies(deps)
        try:
            yield Harness(deps, server, raw_queue_url, scrape_queue_url, dlq_url)
        finally:
            set_dependencies(None)


def request(query: str = "data engineer", department: str | None = None) -> ScrapeRequest:
    return ScrapeRequest(run_id=RUN_ID, source="france_travail", query=query, department=department)


def test_scrape_writes_batch_of_raw_offers(harness: Harness) -> None:
    outcome = scrape(request(), harness.deps, client=harness.client())

    assert outcome.output_blob is not None
    offers = decode_batch(harness.deps.blobs.get(outcome.output_blob), RawOffer)
    assert sorted(offer.source_offer_id for offer in offers) == ["S1", "S2"]
    assert {offer.query for offer in offers} == {"data engineer"}
    assert (
        offers[0].url
        == f"https://candidat.francetravail.fr/offres/recherche/detail/{offers[0].source_offer_id}"
    )
    assert offers[0].payload["id"] == offers[0].source_offer_id


def test_scrape_records_ok_result(harness: Harness) -> None:
    outcome = scrape(request(), harness.deps, client=harness.client())

    [result] = harness.results()
    assert result.status == "ok"
    assert result.offers == 2
    assert result.pages == 1
    assert result.department == ""
    assert result.output_blob == outcome.output_blob


def test_scrape_publishes_batch_ready(harness: Harness) -> None:
    outcome = scrape(request(), harness.deps, client=harness.client())

    [message] = harness.published()
    assert isinstance(message, BatchReady)
    assert message.stage == "offers_raw"
    assert message.source == "france_travail"
    assert message.blob == outcome.output_blob
    assert message.count == 2
    assert message.run_id == RUN_ID


def test_scrape_by_department_narrows_search(harness: Harness) -> None:
    outcome = scrape(request(department="2A"), harness.deps, client=harness.client())

    offers = decode_batch(harness.deps.blobs.get(outcome.output_blob or ""), RawOffer)
    assert [offer.source_offer_id for offer in offers] == ["S2"]
    assert harness.results()[0].department == "2A"


def test_empty_search_records_empty_and_publishes_nothing(harness: Harness) -> None:
    outcome = scrape(request("boulanger"), harness.deps, client=harness.client())

    assert outcome.status == "empty"
    assert outcome.output_blob is None
    assert harness.published() == []
    assert harness.results()[0].offers == 0


def test_repeated_request_overwrites_row_and_blob(harness: Harness) -> None:
    first = scrape(request(), harness.deps, client=harness.client())
    second = scrape(request(), harness.deps, client=harness.client())

    assert first.output_blob == second.output_blob
    assert len(harness.results()) == 1
    assert harness.results()[0].offers == 2


def test_duplicate_ids_within_request_are_dropped(harness: Harness) -> None:
    records = [*numbered_records(3), *numbered_records(2)]
    api = FakeApi(search=lambda _request: page_response(records, status=200))

    outcome = scrape(request(), harness.deps, client=make_client(api))

    assert outcome.offers == 3


def test_records_without_id_are_skipped_and_counted(harness: Harness) -> None:
    records = [*numbered_records(2), {"intitule": "sans identifiant"}]
    api = FakeApi(search=lambda _request: page_response(records, status=200))

    outcome = scrape(request(), harness.deps, client=make_client(api))

    assert outcome.offers == 2
    assert outcome.detail == "1 records without an id were skipped"


def test_rate_limited_source_is_recorded_not_raised(harness: Harness) -> None:
    api = FakeApi(search=lambda _request: httpx.Response(429, headers={"Retry-After": "120"}))

    outcome = scrape(request(), harness.deps, client=make_client(api))

    [result] = harness.results()
    assert outcome.status == "rate_limited"
    assert result.status == "rate_limited"
    assert "120" in (result.detail or "")
    assert harness.published() == []


def test_rate_limit_mid_search_keeps_partial_batch(harness: Harness) -> None:
    answers = iter(
        [
            page_response(numbered_records(150), total=353),
            httpx.Response(429, headers={"Retry-After": "600"}),
        ]
    )
    api = FakeApi(search=lambda _request: next(answers))

    outcome = scrape(request(), harness.deps, client=make_client(api))

    assert outcome.status == "rate_limited"
    assert outcome.offers == 150
    assert [message.count for message in harness.published()] == [150]


def test_blocked_source_is_recorded_as_blocked(harness: Harness) -> None:
    api = FakeApi(
        search=lambda _request: httpx.Response(
            200,
            text="<html><title>Just a moment...</title></html>",
            headers={"Content-Type": "text/html"},
        )
    )

    outcome = scrape(request(), harness.deps, client=make_client(api))

    assert outcome.status == "blocked"
    assert harness.results()[0].offers == 0


def test_timed_out_source_is_recorded_as_timed_out(harness: Harness) -> None:
    clock = FakeClock()

    def never_answers(request: httpx.Request) -> httpx.Response:
        clock.now += 60
        raise httpx.ReadTimeout("no answer", request=request)

    outcome = scrape(
        request(),
        harness.deps,
        client=make_client(FakeApi(search=never_answers), clock, deadline_s=100),
    )

    assert outcome.status == "timed_out"


def test_too_broad_search_is_split_by_department(harness: Harness) -> None:
    api = FakeApi(search=lambda _request: page_response(numbered_records(150), total=5000))

    outcome = scrape(request("data"), harness.deps, client=make_client(api))

    sent = harness.scrape_requests()
    assert outcome.status == "split"
    assert sorted(item.department or "" for item in sent) == sorted(DEPARTMENTS)
    assert {item.query for item in sent} == {"data"}
    assert harness.published() == []


def test_too_broad_within_department_is_failed(harness: Harness) -> None:
    api = FakeApi(search=lambda _request: page_response(numbered_records(150), total=5000))

    outcome = scrape(request("data", department="75"), harness.deps, client=make_client(api))

    assert outcome.status == "failed"
    assert harness.scrape_requests() == []


def test_batch_key_is_deterministic_and_readable() -> None:
    key = batch_key(request("analyste décisionnel", department="2A"))

    assert key.startswith(f"raw/{RUN_ID}/france_travail/analyste-decisionnel-")
    assert key.endswith("-2A.jsonl.gz")
    assert key == batch_key(request("analyste décisionnel", department="2A"))


def test_batch_key_separates_queries_with_same_slug() -> None:
    assert batch_key(request("Data Engineer")) != batch_key(request("data engineer"))


@pytest.mark.parametrize(
    "sample", ["scrape_request.json", "scrape_request_department.json"], ids=["nationwide", "2A"]
)
def test_handler_consumes_producer_samples(harness: Harness, sample: str) -> None:
    body = json.dumps(load_sample(sample))
    arn = f"arn:aws:sqs:{REGION}:123456789012:datastats-{SCRAPE_REQUESTS}"

    response = handler.lambda_handler(sqs_event(body, queue_arn=arn), None)

    assert response == {"batchItemFailures": []}
    assert len(harness.results()) == 1


def test_handler_sends_other_message_types_to_dlq(harness: Harness) -> None:
    body = json.dumps(load_sample("report_request.json"))
    arn = f"arn:aws:sqs:{REGION}:123456789012:datastats-{SCRAPE_REQUESTS}"

    response = handler.lambda_handler(sqs_event(body, queue_arn=arn), None)

    [dead] = harness.dead_letters()
    assert response == {"batchItemFailures": []}
    assert dead["MessageAttributes"]["error_type"]["StringValue"] == "UnexpectedMessage"
    assert harness.results() == []
