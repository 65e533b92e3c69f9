"""Publishing to SNS topics and sending to SQS queues by their topology names."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel

from shared.errors import TransientError
from shared.settings import Settings
from shared.topology import TOPOLOGY, Topology

logger = logging.getLogger(__name__)

MAX_ATTRIBUTE_LENGTH = 1000


class Bus:
    """Sends messages to the topics and queues of one topology, by name."""

    def __init__(
        self,
        *,
        settings: Settings,
        sns: Any,
        sqs: Any,
        topology: Topology = TOPOLOGY,
    ) -> None:
        self.settings = settings
        self.sns = sns
        self.sqs = sqs
        self.topology = topology
        self._queue_urls: dict[str, str] = {}
        self._account_id = settings.aws_account_id

    def physical_name(self, name: str) -> str:
        return f"{self.settings.resource_prefix}{name}"

    def topic_arn(self, name: str) -> str:
        self.topology.topic(name)
        if self._account_id is None:
            # NOTE: the account id is read from the queue URL of a known queue, so
            # that no STS permission is needed.
            url = self.queue_url(self.topology.queues[0].name)
            self._account_id = url.rstrip("/").split("/")[-2]
        return (
            f"arn:aws:sns:{self.settings.aws_region}:{self._account_id}:{self.physical_name(name)}"
        )

    def queue_url(self, name: str) -> str:
        if name not in self._queue_urls:
            try:
                response = self.sqs.get_queue_url(QueueName=self.physical_name(name))
            except (BotoCoreError, ClientError) as exc:
                raise TransientError(f"failed to find queue {self.physical_name(name)!r}") from exc
            self._queue_urls[name] = response["QueueUrl"]
        return self._queue_urls[name]

    def publish(self, topic: str, message: BaseModel) -> str:
        """Publish `message` on `topic`; returns the SNS message id."""
        body = message.model_dump_json()
        attributes = {"type": {"DataType": "String", "StringValue": getattr(message, "type", "")}}
        try:
            response = self.sns.publish(
                TopicArn=self.topic_arn(topic), Message=body, MessageAttributes=attributes
            )
        except (BotoCoreError, ClientError) as exc:
            raise TransientError(f"failed to publish on topic {topic!r}") from exc
        return response["MessageId"]

    def send(self, queue: str, message: BaseModel) -> str:
        """Send `message` to `queue`; returns the SQS message id."""
        try:
            response = self.sqs.send_message(
                QueueUrl=self.queue_url(queue), MessageBody=message.model_dump_json()
            )
        except (BotoCoreError, ClientError) as exc:
            raise TransientError(f"failed to send to queue {queue!r}") from exc
        return response["MessageId"]

    def send_dead_letter(
        self,
        queue: str,
        *,
        body: str,
        service: str,
        reason: str,
        error_type: str,
        receive_count: str | None = None,
    ) -> str:
        """Send a message that can never succeed straight to the DLQ of `queue`, with why."""
        failed_at = dt.datetime.now(dt.UTC).isoformat()
        attributes = {
            "service": service,
            "error_type": error_type,
            "reason": reason[:MAX_ATTRIBUTE_LENGTH] or "(empty)",
            "failed_at": failed_at,
        }
        if receive_count:
            attributes["receive_count"] = receive_count
        try:
            response = self.sqs.send_message(
                QueueUrl=self.queue_url(self.topology.queue(queue).dlq_name),
                MessageBody=body,
                MessageAttributes={
                    key: {"DataType": "String", "StringValue": value}
                    for key, value in attributes.items()
                },
            )
        except (BotoCoreError, ClientError) as exc:
            # The record then fails and SQS retries it, up to the DLQ after maxReceiveCount.
            raise TransientError(f"failed to send to the dead-letter queue of {queue!r}") from exc
        logger.warning(
            "message sent to dead-letter queue",
            extra={"queue": queue, "service": service, "error_type": error_type},
        )
        return response["MessageId"]
