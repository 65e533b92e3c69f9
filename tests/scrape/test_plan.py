"""Scrape plan: one request per query, and the per-département split of a broad search."""

from __future__ import annotations

import pytest

from services.scrape.plan import DEFAULT_QUERIES, DEPARTMENTS, plan_requests, split_by_department
from shared.geo import load_geography


def test_plan_has_one_request_per_default_query() -> None:
    requests = plan_requests("run-1")

    assert [request.query for request in requests] == list(DEFAULT_QUERIES)
    assert {request.source for request in requests} == {"france_travail"}
    assert {request.run_id for request in requests} == {"run-1"}
    assert {request.department for request in requests} == {None}


def test_plan_drops_duplicate_and_blank_queries() -> None:
    requests = plan_requests("run-1", ["data analyst", " ", "data analyst", "mlops"])

    assert [request.query for request in requests] == ["data analyst", "mlops"]


def test_default_queries_are_distinct() -> None:
    assert len(set(DEFAULT_QUERIES)) == len(DEFAULT_QUERIES)


def test_departments_match_official_geography() -> None:
    assert set(DEPARTMENTS) == set(load_geography().departments)


def test_split_gives_one_request_per_department() -> None:
    [request] = plan_requests("run-1", ["data"])

    narrowed = split_by_department(request)

    assert [item.department for item in narrowed] == list(DEPARTMENTS)
    assert {item.query for item in narrowed} == {"data"}
    assert {item.run_id for item in narrowed} == {"run-1"}


def test_split_of_narrowed_request_raises() -> None:
    [request] = split_by_department(plan_requests("run-1", ["data"])[0])[:1]

    with pytest.raises(ValueError, match="already narrowed"):
        split_by_department(request)
