"""France Travail client against a scripted API (httpx.MockTransport): paging, limits, failures."""

from __future__ import annotations

import httpx
import pytest

from services.scrape.france_travail import (
    AuthenticationFailed,
    InvalidResponse,
    RateLimited,
    RequestRejected,
    SearchTooBroad,
    SourceBlocked,
    SourceTimedOut,
    SourceUnavailable,
    parse_content_range,
    parse_retry_after,
)
from shared.errors import TransientError
from tests.scrape.factories import (
    CLIENT_SECRET,
    FakeApi,
    FakeClock,
    make_client,
    numbered_records,
    page_response,
)

BLOCK_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    "<body>Checking your browser</body></html>"
)


def ranged_api(records: list[dict], *, last_status: int = 206) -> FakeApi:
    """Build an API that serves `records` by range and returns `last_status` on the last page."""

    def search(request: httpx.Request) -> httpx.Response:
        first, last = (int(part) for part in request.url.params["range"].split("-"))
        chunk = records[first : last + 1]
        if not chunk:
            return httpx.Response(204)
        status = last_status if first + len(chunk) >= len(records) else 206
        return page_response(chunk, first=first, total=len(records), status=status)

    return FakeApi(search=search)


def test_search_pages_353_offers_in_three_ranges() -> None:
    api = ranged_api(numbered_records(353))

    result = make_client(api).search("data engineer")

    assert len(result.offers) == 353
    assert api.ranges == ["0-149", "150-299", "300-449"]
    assert result.pages == 3
    assert result.total == 353


def test_search_stops_on_200_last_page() -> None:
    api = ranged_api(numbered_records(200), last_status=200)

    result = make_client(api).search("data engineer")

    assert len(result.offers) == 200
    assert api.ranges == ["0-149", "150-299"]


def test_search_returns_nothing_on_204() -> None:
    api = FakeApi(search=lambda request: httpx.Response(204))

    result = make_client(api).search("data steward")

    assert result.offers == []
    assert result.pages == 0
    assert len(api.search_requests) == 1


def test_search_single_page_200_without_content_range() -> None:
    api = FakeApi(
        search=lambda request: httpx.Response(200, json={"resultats": numbered_records(3)})
    )

    result = make_client(api).search("mlops")

    assert len(result.offers) == 3
    assert result.total == 3


def test_search_sends_query_department_and_bearer_token() -> None:
    api = ranged_api(numbered_records(2))

    make_client(api).search("analyste décisionnel", department="2A")

    request = api.search_requests[0]
    assert request.url.params["motsCles"] == "analyste decisionnel"
    assert request.url.params["departement"] == "2A"
    assert request.headers["Authorization"] == "Bearer token-1"
    assert request.url.path == "/partenaire/offresdemploi/v2/offres/search"


def test_token_request_is_client_credentials_form() -> None:
    api = ranged_api(numbered_records(1))

    make_client(api).search("data analyst")

    token_request = api.requests[0]
    form = dict(httpx.QueryParams(token_request.content.decode()))
    assert token_request.method == "POST"
    assert token_request.url.params["realm"] == "/partenaire"
    assert form["grant_type"] == "client_credentials"
    assert form["client_secret"] == CLIENT_SECRET
    assert form["scope"] == "api_offresdemploiv2 o2dsoffre"


def test_token_is_cached_between_searches() -> None:
    api = ranged_api(numbered_records(1))
    client = make_client(api)

    client.search("data analyst")
    client.search("data engineer")

    assert api.issued == 1


def test_token_is_renewed_after_expiry() -> None:
    api = ranged_api(numbered_records(1))
    clock = FakeClock()
    client = make_client(api, clock)

    client.search("data analyst")
    clock.now += 1499
    client.search("data engineer")

    assert api.issued == 2
    assert api.search_requests[-1].headers["Authorization"] == "Bearer token-2"


def test_rejected_token_is_refreshed_once() -> None:
    answers = iter([httpx.Response(401), page_response(numbered_records(1), status=200)])
    api = FakeApi(search=lambda request: next(answers))

    result = make_client(api).search("data analyst")

    assert len(result.offers) == 1
    assert api.issued == 2


def test_token_rejected_twice_raises_authentication_failed() -> None:
    api = FakeApi(search=lambda request: httpx.Response(401))

    with pytest.raises(AuthenticationFailed):
        make_client(api).search("data analyst")
    assert api.issued == 2


def test_bad_credentials_raise_authentication_failed() -> None:
    api = FakeApi(search=lambda request: httpx.Response(204), token_status=401)

    with pytest.raises(AuthenticationFailed) as caught:
        make_client(api).search("data analyst")
    assert CLIENT_SECRET not in str(caught.value)
    assert api.search_requests == []


def test_too_broad_search_raises_before_collecting() -> None:
    api = FakeApi(search=lambda request: page_response(numbered_records(150), total=4821))

    with pytest.raises(SearchTooBroad) as caught:
        make_client(api).search("data")
    assert caught.value.total == 4821
    assert api.ranges == ["0-149"]


def test_1150_offers_never_start_beyond_1000() -> None:
    api = ranged_api(numbered_records(1150))

    result = make_client(api).search("data analyst")

    starts = [int(requested.split("-")[0]) for requested in api.ranges]
    assert max(starts) == 1000
    assert api.ranges[-1] == "1000-1149"
    assert len(result.offers) == 1150
    assert len({offer["id"] for offer in result.offers}) == 1150


def test_retry_after_is_honoured_then_search_goes_on() -> None:
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "2"}),
            page_response(numbered_records(5), status=200),
        ]
    )
    api = FakeApi(search=lambda request: next(answers))
    clock = FakeClock()

    result = make_client(api, clock).search("data analyst")

    assert clock.sleeps == [2.0]
    assert len(result.offers) == 5


def test_retry_after_beyond_cap_gives_up() -> None:
    api = FakeApi(search=lambda request: httpx.Response(429, headers={"Retry-After": "120"}))
    clock = FakeClock()

    with pytest.raises(RateLimited) as caught:
        make_client(api, clock, max_retry_after_s=30).search("data analyst")
    assert caught.value.retry_after_s == 120
    assert len(api.search_requests) == 1
    assert clock.sleeps == []


def test_persistent_429_gives_up_after_retries() -> None:
    api = FakeApi(search=lambda request: httpx.Response(429, headers={"Retry-After": "1"}))
    clock = FakeClock()

    with pytest.raises(RateLimited):
        make_client(api, clock, max_rate_limit_retries=3).search("data analyst")
    assert len(api.search_requests) == 4
    assert clock.sleeps == [1.0, 1.0, 1.0]


def test_rate_limit_mid_search_keeps_collected_offers() -> None:
    answers = iter(
        [
            page_response(numbered_records(150), total=353),
            httpx.Response(429, headers={"Retry-After": "600"}),
        ]
    )
    api = FakeApi(search=lambda request: next(answers))

    with pytest.raises(RateLimited) as caught:
        make_client(api).search("data analyst")
    assert len(caught.value.offers) == 150
    assert caught.value.pages == 1


def test_html_challenge_page_is_blocked_not_empty() -> None:
    api = FakeApi(
        search=lambda request: httpx.Response(
            200, text=BLOCK_PAGE, headers={"Content-Type": "text/html; charset=UTF-8"}
        )
    )

    with pytest.raises(SourceBlocked) as caught:
        make_client(api).search("data analyst")
    assert "Just a moment..." in str(caught.value)


def test_403_is_blocked() -> None:
    api = FakeApi(search=lambda request: httpx.Response(403, text="denied"))

    with pytest.raises(SourceBlocked):
        make_client(api).search("data analyst")


def test_400_raises_request_rejected() -> None:
    api = FakeApi(search=lambda request: httpx.Response(400, json={"message": "motsCles"}))

    with pytest.raises(RequestRejected):
        make_client(api).search("x")


def test_body_without_resultats_is_invalid() -> None:
    api = FakeApi(search=lambda request: httpx.Response(200, json={"offres": []}))

    with pytest.raises(InvalidResponse):
        make_client(api).search("data analyst")


def test_persistent_5xx_raises_transient_source_unavailable() -> None:
    api = FakeApi(search=lambda request: httpx.Response(503, text="maintenance"))
    clock = FakeClock()

    with pytest.raises(SourceUnavailable) as caught:
        make_client(api, clock, max_transient_retries=2).search("data analyst")
    assert isinstance(caught.value, TransientError)
    assert len(api.search_requests) == 3
    assert clock.sleeps == [1.0, 2.0]


def test_one_5xx_is_retried() -> None:
    answers = iter([httpx.Response(502), page_response(numbered_records(2), status=200)])
    api = FakeApi(search=lambda request: next(answers))

    result = make_client(api).search("data analyst")

    assert len(result.offers) == 2


def test_timeouts_until_deadline_raise_timed_out() -> None:
    clock = FakeClock()

    def search(request: httpx.Request) -> httpx.Response:
        clock.now += 40
        raise httpx.ReadTimeout("no answer", request=request)

    api = FakeApi(search=search)

    with pytest.raises(SourceTimedOut):
        make_client(api, clock, deadline_s=100, max_transient_retries=5).search("data analyst")
    assert len(api.search_requests) == 3


def test_search_calls_are_spaced_by_min_interval() -> None:
    api = ranged_api(numbered_records(353))
    clock = FakeClock()

    make_client(api, clock, min_interval_s=0.5).search("data analyst")

    assert clock.sleeps == [0.5, 0.5]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("offres 0-149/353", (0, 149, 353)),
        ("offres 300-352/353", (300, 352, 353)),
    ],
    ids=["first-page", "last-page"],
)
def test_parse_content_range_reads_bounds(header: str, expected: tuple[int, int, int]) -> None:
    assert parse_content_range(header) == expected


@pytest.mark.parametrize(
    "header",
    ["0-149/353", "offres 10-5/353", "offres 0-400/353"],
    ids=["no-unit", "reversed", "past-total"],
)
def test_parse_content_range_rejects_invalid(header: str) -> None:
    with pytest.raises(InvalidResponse):
        parse_content_range(header)


def test_parse_retry_after_reads_seconds() -> None:
    assert parse_retry_after("120") == 120.0


def test_parse_retry_after_ignores_garbage() -> None:
    assert parse_retry_after("soon") is None
