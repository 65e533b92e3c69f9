"""The shared SQS consumer: partial batch failures and permanent errors sent to the DLQ with why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.emulator import provision
from shared.consumer import consume_sqs_event
from shared.contracts.messages import Message
from shared.errors import BatchUnreadable
from shared.messaging import Bus
from shared.settings import Settings
from tests.events import load_sample, sqs_event

PREFIX = "datastats-"


@pytest.fixture()
def bus(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bus]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        session = boto3.session.Session(region_name=settings.aws_region)
        sns, sqs = session.client("sns"), session.client("sqs")
        provision(sns=sns, sqs=sqs, prefix=PREFIX)
        yield Bus(settings=settings, sns=sns, sqs=sqs)


def _ingest_arn(bus: Bus) -> str:
    return bus.sqs.get_queue_attributes(
        QueueUrl=bus.queue_url("ingest"), AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]


def _dead_letters(bus: Bus) -> list[dict[str, Any]]:
    response = bus.sqs.receive_message(
        QueueUrl=bus.queue_url("ingest-dlq"), MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )
    return response.get("Messages", [])


def test_successful_record_reports_no_failure(bus: Bus) -> None:
    handled: list[Message] = []
    body = json.dumps(load_sample("batch_ready_offers_located.json"))

    response = consume_sqs_event(
        sqs_event(body, queue_arn=_ingest_arn(bus)),
        None,
        service="ingest",
        bus=bus,
        handle=handled.append,
    )

    assert response == {"batchItemFailures": []}
    assert [message.type for message in handled] == ["batch_ready"]


def test_transient_error_fails_only_that_record(bus: Bus) -> None:
    body = json.dumps(load_sample("batch_ready_offers_located.json"))

    def handle(_message: Message) -> None:
        raise TimeoutError("database did not answer")

    response = consume_sqs_event(
        sqs_event(body, queue_arn=_ingest_arn(bus), message_id="m-7"),
        None,
        service="ingest",
        bus=bus,
        handle=handle,
    )

    assert response == {"batchItemFailures": [{"itemIdentifier": "m-7"}]}
    assert _dead_letters(bus) == []


def test_permanent_error_goes_to_dlq_with_reason(bus: Bus) -> None:
    body = json.dumps(load_sample("batch_ready_offers_located.json"))

    def handle(_message: Message) -> None:
        raise BatchUnreadable("batch 's3://b/k' line 3 is not a valid LocatedOffer")

    response = consume_sqs_event(
        sqs_event(body, queue_arn=_ingest_arn(bus)), None, service="ingest", bus=bus, handle=handle
    )

    dead = _dead_letters(bus)
    attributes = {
        name: value["StringValue"] for name, value in dead[0]["MessageAttributes"].items()
    }
    assert response == {"batchItemFailures": []}
    assert dead[0]["Body"] == body
    assert attributes["service"] == "ingest"
    assert attributes["error_type"] == "BatchUnreadable"
    assert "line 3" in attributes["reason"]


def test_body_matching_no_contract_goes_to_dlq(bus: Bus) -> None:
    response = consume_sqs_event(
        sqs_event('{"type": "mystery"}', queue_arn=_ingest_arn(bus)),
        None,
        service="ingest",
        bus=bus,
        handle=lambda _message: None,
    )

    dead = _dead_letters(bus)
    assert response == {"batchItemFailures": []}
    assert dead[0]["MessageAttributes"]["error_type"]["StringValue"] == "InvalidMessage"
