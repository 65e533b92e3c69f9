"""Messages sent through SQS and SNS. Each is versioned and carries its `type`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    run_id: str = Field(min_length=1, max_length=64)
    created_at: dt.datetime = Field(default_factory=_now)


class ScrapeRequest(_Message):
    """Collect the offers of one source for one search query."""

    type: Literal["scrape_request"] = "scrape_request"
    source: Literal["france_travail"]
    query: str = Field(min_length=1, max_length=200)
    department: str | None = Field(
        default=None, pattern=r"^(\d{2}|2A|2B|97\d)$", description="Narrows the search."
    )


# NOTE: "offers_stored" batches hold CleanOffer records rebuilt from the database;
# the clean stage re-scans them when the technology catalogue changes.
BatchStage = Literal[
    "offers_raw", "offers_stored", "offers_cleaned", "offers_located", "offers_ingested"
]


class BatchReady(_Message):
    """A stage wrote a batch file; `blob` is its URI (claim check)."""

    type: Literal["batch_ready"] = "batch_ready"
    stage: BatchStage
    source: str
    blob: str = Field(min_length=1)
    count: int = Field(ge=0)


class ChartRequest(_Message):
    """Draw the chart set of one role (or `all`) for one month, across every region."""

    type: Literal["chart_request"] = "chart_request"
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    role: str = Field(min_length=1, max_length=64)


class ReportRequest(_Message):
    """Build the daily report of one day."""

    type: Literal["report_request"] = "report_request"
    date: dt.date


Message = Annotated[
    ScrapeRequest | BatchReady | ChartRequest | ReportRequest, Field(discriminator="type")
]
MESSAGE_ADAPTER: TypeAdapter[Message] = TypeAdapter(Message)


def parse_message(body: str) -> Message:
    """Parse a JSON message body into its contract; raises `pydantic.ValidationError`."""
    return MESSAGE_ADAPTER.validate_json(body)
