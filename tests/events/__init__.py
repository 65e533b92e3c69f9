"""Sample messages of every producer, as JSON files, and a loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parent


def sample_names() -> list[str]:
    return sorted(path.name for path in EVENTS_DIR.glob("*.json"))


def load_sample(name: str) -> dict[str, Any]:
    return json.loads((EVENTS_DIR / name).read_text(encoding="utf-8"))


def sqs_event(
    body: str, *, queue_arn: str, message_id: str = "m-1", receive_count: int = 1
) -> dict[str, Any]:
    """Build the Lambda SQS event carrying one message body."""
    return {
        "Records": [
            {
                "messageId": message_id,
                "receiptHandle": f"rh-{message_id}",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": str(receive_count),
                    "SentTimestamp": "1764828000000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1764828000001",
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "eu-west-3",
            }
        ]
    }
