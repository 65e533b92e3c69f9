"""The local event source mapping behaves like Lambda's: partial failures, redrive, raw SNS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from infra.local.emulator import EMULATOR_CREDENTIALS, Emulator, provision
from infra.local.event_source import EventSourceMapping, drain
from shared.topology import Queue, Topic, Topology

TEST_TOPOLOGY = Topology(
    topics=(Topic(name="events"),),
    queues=(
        Queue(
            name="work",
            consumer="worker",
            batch_size=5,
            visibility_timeout_s=30,
            local_visibility_timeout_s=1,
            local_max_receive_count=2,
            subscribed_to="events",
        ),
    ),
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in EMULATOR_CREDENTIALS.items():
            patch.setenv(name, value)
        with Emulator() as running:
            yield running


@pytest.fixture()
def clients(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    for name, value in EMULATOR_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    session = boto3.session.Session(region_name="eu-west-3")
    return (
        session.client("sns", endpoint_url=emulator.endpoint_url),
        session.client("sqs", endpoint_url=emulator.endpoint_url),
    )


def _mapping(sqs: Any, queue: Any, handler: Any) -> EventSourceMapping:
    return EventSourceMapping(
        function_name="worker",
        handler=handler,
        sqs=sqs,
        queue_url=queue.url,
        queue_arn=queue.arn,
        region="eu-west-3",
        batch_size=5,
        timeout_s=30,
    )


def test_published_message_reaches_handler_raw(clients: tuple[Any, Any]) -> None:
    sns, sqs = clients
    queues = provision(sns=sns, sqs=sqs, prefix="raw-", topology=TEST_TOPOLOGY)
    topic_arn = sns.create_topic(Name="raw-events")["TopicArn"]
    bodies: list[str] = []

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        bodies.extend(record["body"] for record in event["Records"])
        return {"batchItemFailures": []}

    sns.publish(TopicArn=topic_arn, Message=json.dumps({"n": 1}))
    drain([_mapping(sqs, queues["work"], handler)], deadline_s=10)

    assert bodies == ['{"n": 1}']


def test_failed_item_is_redriven_to_dlq(clients: tuple[Any, Any]) -> None:
    sns, sqs = clients
    queues = provision(sns=sns, sqs=sqs, prefix="redrive-", topology=TEST_TOPOLOGY)
    attempts: dict[str, int] = {}

    def handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            attempts[record["body"]] = attempts.get(record["body"], 0) + 1
            if record["body"] == "bad":
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    sqs.send_message(QueueUrl=queues["work"].url, MessageBody="good")
    sqs.send_message(QueueUrl=queues["work"].url, MessageBody="bad")
    drain([_mapping(sqs, queues["work"], handler)], deadline_s=20, idle_wait_s=0.2)

    dead = sqs.receive_message(QueueUrl=queues["work"].dlq_url, MaxNumberOfMessages=10)
    assert [message["Body"] for message in dead["Messages"]] == ["bad"]
    assert attempts == {"good": 1, "bad": 2}
