"""Lambda entry point of the scrape service."""

from __future__ import annotations

from typing import Any

from services.scrape.service import handle_message
from shared.consumer import consume_sqs_event
from shared.runtime import get_dependencies


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    deps = get_dependencies()
    return consume_sqs_event(
        event,
        context,
        service="scrape",
        bus=deps.bus,
        handle=lambda message: handle_message(message, deps),
    )
