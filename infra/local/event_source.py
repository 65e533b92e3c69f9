"""A poller that feeds an SQS queue to a Lambda handler the way Lambda's event source mapping does.

It receives up to `batch_size` messages, builds the SQS event Lambda would send,
calls the handler, deletes the messages that succeeded and leaves the ones listed
in `batchItemFailures` to come back after the visibility timeout. SQS itself moves
a message to the dead-letter queue once its receive count passes maxReceiveCount.
"""

from __future__ import annotations

import importlib
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

# Batches queued per worker process, so that no worker waits for the slowest one.
PREFETCH_PER_WORKER = 4

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any] | None]


@dataclass
class LocalLambdaContext:
    """The attributes of a Lambda context object that handlers and Powertools read."""

    function_name: str
    timeout_s: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    log_group_name: str = ""
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self._started
        return max(0, int((self.timeout_s - elapsed) * 1000))


def _attribute_value(value: dict[str, Any]) -> dict[str, Any]:
    converted = {"dataType": value["DataType"]}
    if "StringValue" in value:
        converted["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        converted["binaryValue"] = value["BinaryValue"]
    return converted


def to_lambda_record(message: dict[str, Any], *, queue_arn: str, region: str) -> dict[str, Any]:
    """Convert an SQS ReceiveMessage entry into the record shape of a Lambda SQS event."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {
            name: _attribute_value(value)
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def invoke_handler(
    handler: LambdaHandler, function_name: str, timeout_s: int, event: dict[str, Any]
) -> dict[str, Any] | None:
    """Call a handler as Lambda would; returns its response, or None when it raised.

    Like Lambda, a handler that raises fails its whole batch: every message comes
    back after the visibility timeout.
    """
    context = LocalLambdaContext(function_name=function_name, timeout_s=timeout_s)
    try:
        return handler(event, context) or {}
    except Exception:
        logger.exception("handler failed", extra={"function": function_name})
        return None


def invoke_by_path(
    handler_path: str, function_name: str, timeout_s: int, event: dict[str, Any]
) -> dict[str, Any] | None:
    """Import `module:function` and invoke it; what a worker process of a pool runs."""
    module_name, _, attribute = handler_path.partition(":")
    handler = getattr(importlib.import_module(module_name), attribute)
    return invoke_handler(handler, function_name, timeout_s, event)


@dataclass
class EventSourceMapping:
    """Feeds one queue to one handler; with an executor, several batches run at once."""

    function_name: str
    handler: LambdaHandler
    sqs: Any
    queue_url: str
    queue_arn: str
    region: str
    batch_size: int
    timeout_s: int
    recorded_events: list[dict[str, Any]] | None = None
    executor: Executor | None = None
    handler_path: str | None = None
    concurrency: int = 1

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """Call the handler with one event in this process and return its response."""
        context = LocalLambdaContext(function_name=self.function_name, timeout_s=self.timeout_s)
        return self.handler(event, context) or {}

    def _event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "Records": [
                to_lambda_record(message, queue_arn=self.queue_arn, region=self.region)
                for message in messages
            ]
        }

    def _run(self, events: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        if self.executor is None or self.handler_path is None or len(events) == 1:
            return [
                invoke_handler(self.handler, self.function_name, self.timeout_s, event)
                for event in events
            ]
        futures = [
            self.executor.submit(
                invoke_by_path, self.handler_path, self.function_name, self.timeout_s, event
            )
            for event in events
        ]
        return [future.result() for future in futures]

    def _receive_size(self) -> int:
        """Receive enough messages to keep every worker busy while others finish."""
        if self.executor is None:
            return self.batch_size
        # NOTE: SQS returns at most 10 messages per receive.
        return min(10, self.batch_size * self.concurrency * PREFETCH_PER_WORKER)

    def poll_once(self) -> int:
        """Deliver what one receive returns, in batches; returns how many messages it received."""
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self._receive_size(),
            WaitTimeSeconds=0,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0

        batches = [
            messages[start : start + self.batch_size]
            for start in range(0, len(messages), self.batch_size)
        ]
        events = [self._event(batch) for batch in batches]
        if self.recorded_events is not None:
            self.recorded_events.extend(events)

        for batch, result in zip(batches, self._run(events), strict=True):
            if result is not None:
                self._settle(batch, result)
        return len(messages)

    def _settle(self, messages: list[dict[str, Any]], result: dict[str, Any]) -> None:
        """Delete the messages that succeeded; failed ones return after the visibility timeout."""
        failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        succeeded = [message for message in messages if message["MessageId"] not in failed]
        if succeeded:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
                    for index, message in enumerate(succeeded)
                ],
            )
        if failed:
            logger.warning(
                "batch items failed", extra={"function": self.function_name, "failed": len(failed)}
            )

    def pending(self) -> int:
        """Return the messages still in the queue, visible or in flight."""
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )


class DrainTimedOut(RuntimeError):
    """The queues still held messages when the drain deadline passed."""


def drain(
    mappings: list[EventSourceMapping], *, deadline_s: float, idle_wait_s: float = 0.25
) -> int:
    """Poll every mapping until all queues are empty; returns the messages delivered.

    Messages whose handler failed stay invisible until their visibility timeout ends,
    so an idle round waits briefly before checking again.
    """
    delivered = 0
    give_up_at = time.monotonic() + deadline_s
    while True:
        round_delivered = sum(mapping.poll_once() for mapping in mappings)
        delivered += round_delivered
        if round_delivered:
            continue
        pending = {mapping.function_name: mapping.pending() for mapping in mappings}
        if not any(pending.values()):
            return delivered
        if time.monotonic() > give_up_at:
            raise DrainTimedOut(f"queues still hold messages after {deadline_s} s: {pending}")
        time.sleep(idle_wait_s)
