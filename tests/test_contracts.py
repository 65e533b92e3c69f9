"""Every sample message parses into its contract; invalid ones are rejected, naming the field."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from shared.contracts.messages import (
    BatchReady,
    ChartRequest,
    ReportRequest,
    ScrapeRequest,
    parse_message,
)
from shared.contracts.records import PlaceEvidence, Salary
from tests.events import load_sample, sample_names

EXPECTED_TYPES = {
    "scrape_request": ScrapeRequest,
    "batch_ready": BatchReady,
    "chart_request": ChartRequest,
    "report_request": ReportRequest,
}


@pytest.mark.parametrize("name", sample_names())
def test_sample_parses_into_its_contract(name: str) -> None:
    sample = load_sample(name)

    message = parse_message(json.dumps(sample))

    assert isinstance(message, EXPECTED_TYPES[sample["type"]])


@pytest.mark.parametrize("name", sample_names())
def test_sample_round_trips_unchanged(name: str) -> None:
    sample = load_sample(name)

    message = parse_message(json.dumps(sample))

    assert json.loads(message.model_dump_json()) == sample


def test_every_message_type_has_a_sample() -> None:
    types = {load_sample(name)["type"] for name in sample_names()}

    assert types == set(EXPECTED_TYPES)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"month": "2026-13"}, "month", id="month-out-of-range"),
        pytest.param({"version": 2}, "version", id="unknown-version"),
        pytest.param({"run_id": ""}, "run_id", id="empty-run-id"),
        pytest.param({"extra": 1}, "extra", id="unknown-field"),
    ],
)
def test_invalid_chart_request_names_field(change: dict[str, object], field: str) -> None:
    sample = load_sample("chart_request.json") | change

    with pytest.raises(ValidationError) as error:
        parse_message(json.dumps(sample))

    assert field in str(error.value)


def test_batch_stage_must_be_known() -> None:
    sample = load_sample("batch_ready_offers_raw.json") | {"stage": "offers_cooked"}

    with pytest.raises(ValidationError):
        parse_message(json.dumps(sample))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("69002", "69002", id="postal-code"),
        pytest.param("75008 Paris", "75008", id="inside-address"),
        pytest.param("6560", "06560", id="lost-leading-zero"),
        pytest.param("F-75008", "75008", id="country-prefix"),
        pytest.param("Paris", None, id="no-digits"),
        pytest.param("", None, id="empty"),
    ],
)
def test_place_postal_code_normalised(raw: str, expected: str | None) -> None:
    assert PlaceEvidence(postal_code=raw).postal_code == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("69382", "69382", id="commune"),
        pytest.param("2a004", "2A004", id="corsica-lower-case"),
        pytest.param("6152", "06152", id="lost-leading-zero"),
        pytest.param("Lyon", None, id="not-a-code"),
    ],
)
def test_place_commune_code_normalised(raw: str, expected: str | None) -> None:
    assert PlaceEvidence(commune_code=raw).commune_code == expected


def test_salary_currency_must_be_iso_code() -> None:
    with pytest.raises(ValidationError):
        Salary(period="year", min=1, currency="euros", origin="jsonld.baseSalary")
