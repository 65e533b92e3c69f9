"""Each consumer accepts the producer samples meant for it and sends every other one to its DLQ."""

from __future__ import annotations

import importlib
import json

import pytest

from shared.contracts.messages import parse_message
from shared.errors import PermanentError
from tests.events import load_sample, sample_names

# The samples each consumer's queue receives from its producers.
ACCEPTED: dict[str, set[str]] = {
    "scrape": {"scrape_request.json", "scrape_request_department.json"},
    "clean": {"batch_ready_offers_raw.json"},
    "geo_match": {"batch_ready_offers_cleaned.json"},
    "ingest": {"batch_ready_offers_located.json"},
    "chart": {"chart_request.json", "chart_request_all_roles.json"},
    "report": {"report_request.json"},
}


class UnusedDependencies:
    """Stands for the dependencies; any use means the message was not rejected first."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"dependency {name!r} used before the message type was checked")


def _cases() -> list[object]:
    return [
        pytest.param(consumer, name, id=f"{consumer}-{name.removesuffix('.json')}")
        for consumer, accepted in ACCEPTED.items()
        for name in sample_names()
        if name not in accepted
    ]


def test_every_sample_has_a_consumer() -> None:
    consumed = set().union(*ACCEPTED.values())

    assert set(sample_names()) - consumed == {"batch_ready_offers_ingested.json"}


@pytest.mark.parametrize(("consumer", "name"), _cases())
def test_consumer_rejects_foreign_message(consumer: str, name: str) -> None:
    service = importlib.import_module(f"services.{consumer}.service")
    message = parse_message(json.dumps(load_sample(name)))

    with pytest.raises(PermanentError):
        service.handle_message(message, UnusedDependencies())
