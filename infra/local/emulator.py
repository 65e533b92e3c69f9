"""The in-process AWS emulator (moto server on 127.0.0.1) and the resources of the topology."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from moto.server import ThreadedMotoServer

from shared.topology import TOPOLOGY, Topology

logger = logging.getLogger(__name__)

EMULATOR_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "emulator",
    "AWS_SECRET_ACCESS_KEY": "emulator",
    "AWS_SESSION_TOKEN": "emulator",
}


def use_emulator_credentials() -> None:
    """Give boto3 placeholder credentials for the emulator unless real ones are set.

    Only the embedded runtime calls this, so cloud commands keep the credentials of
    their profile or instance role.
    """
    if not os.environ.get("AWS_ACCESS_KEY_ID"):
        for name, value in EMULATOR_CREDENTIALS.items():
            os.environ.setdefault(name, value)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Emulator:
    """A moto server on a free port of 127.0.0.1, for the lifetime of a `with` block."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._server = ThreadedMotoServer(ip_address=host, port=self.port, verbose=False)

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> Emulator:
        self._server.start()
        logger.info("AWS emulator started", extra={"endpoint": self.endpoint_url})
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.stop()
        logger.info("AWS emulator stopped")


@dataclass(frozen=True)
class ProvisionedQueue:
    name: str
    url: str
    arn: str
    dlq_url: str


def provision(
    *,
    sns: Any,
    sqs: Any,
    prefix: str,
    topology: Topology = TOPOLOGY,
    local: bool = True,
) -> dict[str, ProvisionedQueue]:
    """Create the topics, queues, dead-letter queues and subscriptions of `topology`.

    `local` picks the short local visibility timeouts and receive counts.
    Creating what already exists is a no-op, so provisioning twice is safe.
    """
    topic_arns = {
        topic.name: sns.create_topic(Name=f"{prefix}{topic.name}")["TopicArn"]
        for topic in topology.topics
    }
    queues: dict[str, ProvisionedQueue] = {}
    for queue in topology.queues:
        dlq_url = sqs.create_queue(QueueName=f"{prefix}{queue.dlq_name}")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        visibility = queue.local_visibility_timeout_s if local else queue.visibility_timeout_s
        receive_count = queue.local_max_receive_count if local else queue.max_receive_count
        url = sqs.create_queue(
            QueueName=f"{prefix}{queue.name}",
            Attributes={
                "VisibilityTimeout": str(visibility),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": receive_count}
                ),
            },
        )["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        if queue.subscribed_to:
            attributes = {"RawMessageDelivery": "true"}
            if queue.filter_policy:
                attributes["FilterPolicy"] = json.dumps(queue.filter_policy)
            sns.subscribe(
                TopicArn=topic_arns[queue.subscribed_to],
                Protocol="sqs",
                Endpoint=arn,
                Attributes=attributes,
                ReturnSubscriptionArn=True,
            )
        queues[queue.name] = ProvisionedQueue(name=queue.name, url=url, arn=arn, dlq_url=dlq_url)
    return queues
