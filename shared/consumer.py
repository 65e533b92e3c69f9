"""The SQS consumer every service handler uses: partial batch responses and DLQ routing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import ValidationError

from shared.contracts.messages import Message, parse_message
from shared.errors import InvalidMessage, PermanentError
from shared.messaging import Bus

logger = Logger(service="datastats")

MessageHandler = Callable[[Message], None]


def queue_name_from_arn(arn: str, prefix: str) -> str:
    """Return the topology name of the queue behind an `eventSourceARN`."""
    physical = arn.rsplit(":", 1)[-1]
    if not physical.startswith(prefix):
        raise ValueError(f"queue {physical!r} does not start with prefix {prefix!r}")
    return physical[len(prefix) :]


def consume_sqs_event(
    event: dict[str, Any],
    context: Any,
    *,
    service: str,
    bus: Bus,
    handle: MessageHandler,
) -> dict[str, Any]:
    """Process one Lambda SQS event, one record at a time.

    A record whose handler raises `PermanentError` (or whose body matches no
    contract) is sent straight to the queue's DLQ with the reason and counts as
    processed. Any other exception fails that record alone: SQS makes it visible
    again and retries it until the queue's maxReceiveCount.
    """

    def record_handler(record: SQSRecord) -> None:
        try:
            try:
                message = parse_message(record.body)
            except ValidationError as exc:
                raise InvalidMessage(
                    f"message {record.message_id!r} matches no contract: {exc.errors()[:3]}"
                ) from exc
            handle(message)
        except PermanentError as exc:
            logger.exception(
                "permanent failure", message_id=record.message_id, error_type=type(exc).__name__
            )
            bus.send_dead_letter(
                queue_name_from_arn(record.event_source_arn, bus.settings.resource_prefix),
                body=record.body,
                service=service,
                reason=str(exc),
                error_type=type(exc).__name__,
                receive_count=record.attributes.approximate_receive_count,
            )
        except Exception as exc:
            # Retried by SQS until maxReceiveCount, then moved to the DLQ; logged
            # here because the partial batch response carries no reason.
            logger.exception(
                "record failed; SQS retries it until maxReceiveCount",
                message_id=record.message_id,
                error_type=type(exc).__name__,
                receive_count=record.attributes.approximate_receive_count,
            )
            raise

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
