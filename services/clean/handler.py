"""Lambda entry point of the clean service (SQS queue `clean`)."""

from __future__ import annotations

from services.clean.service import handle_message
from shared.consumer import consume_sqs_event
from shared.runtime import get_dependencies


def lambda_handler(event: dict, context: object) -> dict:
    deps = get_dependencies()
    return consume_sqs_event(
        event,
        context,
        service="clean",
        bus=deps.bus,
        handle=lambda message: handle_message(message, deps),
    )
