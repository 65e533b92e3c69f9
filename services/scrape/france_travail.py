"""Client of the France Travail "Offres d'emploi v2" search API.

The client gets an OAuth2 token with the client-credentials grant, caches it
until it expires, and pages through `GET {api_url}/v2/offres/search` with the
`range` parameter. The API returns at most 150 offers per call, and no range may
start beyond index 1000 or end beyond 1149, so a search can reach 1150 offers.

Error tree (all subclasses of `FranceTravailError`):

- `AuthenticationFailed`: the token endpoint rejected the credentials, or the
  API rejected a freshly issued token.
- `SearchTooBroad`: more offers match than the API can page through; the
  caller must split the search (by département, for instance).
- `RequestRejected`: the API returned 400 Bad Request for the search parameters.
- `InvalidResponse`: a status or body this client does not understand.
- `SearchInterrupted` and its subclasses `RateLimited`, `SourceBlocked` and
  `SourceTimedOut`: the search stopped early; `offers` contains what
  was collected before.
- `SourceUnavailable` (also a `shared.errors.TransientError`): connection
  errors or 5xx responses that persisted through the retries; retry later.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import SecretStr

from shared.errors import ConfigurationError, DatastatsError, TransientError
from shared.secrets import read_secret
from shared.settings import Settings

logger = logging.getLogger(__name__)

SCOPE = "api_offresdemploiv2 o2dsoffre"
SEARCH_PATH = "/v2/offres/search"
PAGE_SIZE = 150
MAX_RANGE_START = 1000
MAX_RANGE_END = 1149
MAX_RESULTS = MAX_RANGE_END + 1

# NOTE: the whole search must end before the scrape queue's local visibility
# timeout (120 s), or the local poller would hand the same request out again.
DEFAULT_DEADLINE_S = 100.0
DEFAULT_REQUEST_TIMEOUT_S = 30.0
DEFAULT_MAX_RETRY_AFTER_S = 30.0
# NOTE: a third-party analysis of the API reports a limit of 3 calls per second,
# so search calls are spaced by at least this interval. We have not measured it.
DEFAULT_MIN_INTERVAL_S = 0.34
TOKEN_EXPIRY_MARGIN_S = 60.0

CONTENT_RANGE_PATTERN = re.compile(r"^\s*offres\s+(\d+)-(\d+)/(\d+)\s*$")
HTML_TITLE_PATTERN = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
BODY_EXCERPT_LENGTH = 200

Offer = dict[str, Any]


class FranceTravailError(DatastatsError):
    """Base class of the errors of the France Travail client."""


class AuthenticationFailed(FranceTravailError):
    """The token endpoint rejected the credentials, or the API rejected a fresh token."""


class SearchTooBroad(FranceTravailError):
    """More offers match than the API can page through (`MAX_RESULTS`)."""

    def __init__(self, message: str, *, total: int) -> None:
        super().__init__(message)
        self.total = total


class RequestRejected(FranceTravailError):
    """The API returned 400 Bad Request for the search parameters."""


class InvalidResponse(FranceTravailError):
    """The API returned a status, header or body this client does not understand."""


class SourceUnavailable(FranceTravailError, TransientError):
    """Connection errors or 5xx responses persisted through the retries; a later try may succeed."""


class SearchInterrupted(FranceTravailError):
    """A search stopped before its last page; `offers` and `pages` contain what was collected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.offers: list[Offer] = []
        self.pages = 0


class RateLimited(SearchInterrupted):
    """The API kept returning 429 Too Many Requests, or requested a longer wait than allowed."""

    def __init__(self, message: str, *, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class SourceBlocked(SearchInterrupted):
    """The API returned a block or challenge page (HTML, 403) instead of offers."""


class SourceTimedOut(SearchInterrupted):
    """The search did not finish before its overall deadline."""


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: SecretStr


@dataclass(frozen=True)
class SearchResult:
    """The offers of one search, in API order, with the number of pages fetched."""

    offers: list[Offer]
    pages: int
    total: int


@dataclass(frozen=True)
class _Page:
    offers: list[Offer]
    first: int
    last: int
    total: int
    is_last: bool


def fold_accents(text: str) -> str:
    """Return `text` without diacritics ("décisionnel" -> "decisionnel")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def parse_content_range(value: str) -> tuple[int, int, int]:
    """Parse `offres 0-149/353` into (first, last, total); raises `InvalidResponse`."""
    match = CONTENT_RANGE_PATTERN.match(value)
    if match is None:
        raise InvalidResponse(
            f"Content-Range {value!r} is invalid; expected 'offres <first>-<last>/<total>'"
        )
    first, last, total = (int(group) for group in match.groups())
    if last < first or last >= total:
        raise InvalidResponse(
            f"Content-Range {value!r} is inconsistent; expected first <= last < total"
        )
    return first, last, total


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Return the wait in seconds from a Retry-After header (seconds or HTTP date), or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max((moment - now).total_seconds(), 0.0)


def block_page_title(response: httpx.Response) -> str | None:
    """Return the page title when the response is an HTML page, else None."""
    content_type = response.headers.get("content-type", "").lower()
    text = response.text.lstrip()[:4096]
    if "html" not in content_type and not text.startswith("<"):
        return None
    match = HTML_TITLE_PATTERN.search(text)
    return " ".join(match.group(1).split()) if match else "(no title)"


def _describe(query: str, department: str | None) -> str:
    return f"{query!r} in département {department!r}" if department else repr(query)


def _excerpt(response: httpx.Response) -> str:
    return response.text[:BODY_EXCERPT_LENGTH]


class FranceTravailClient:
    """Searches France Travail job offers; one instance per process, safe to share between threads.

    `http`, `sleep` and `clock` are injectable so tests drive the client with an
    `httpx.MockTransport`, record the waits and move time forward themselves.
    """

    def __init__(
        self,
        *,
        api_url: str,
        token_url: str,
        credentials: Credentials,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        deadline_s: float = DEFAULT_DEADLINE_S,
        request_timeout_s: float = DEFAULT_REQUEST_TIMEOUT_S,
        max_retry_after_s: float = DEFAULT_MAX_RETRY_AFTER_S,
        max_rate_limit_retries: int = 3,
        max_transient_retries: int = 2,
        min_interval_s: float = DEFAULT_MIN_INTERVAL_S,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.token_url = token_url
        self._credentials = credentials
        self._http = http or httpx.Client(headers={"Accept": "application/json"})
        self._sleep = sleep
        self._clock = clock
        self.deadline_s = deadline_s
        self.request_timeout_s = request_timeout_s
        self.max_retry_after_s = max_retry_after_s
        self.max_rate_limit_retries = max_rate_limit_retries
        self.max_transient_retries = max_transient_retries
        self.min_interval_s = min_interval_s
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = threading.Lock()
        self._pace_lock = threading.Lock()
        self._last_search_at: float | None = None

    def close(self) -> None:
        self._http.close()

    # -- search -------------------------------------------------------------

    def search(self, query: str, *, department: str | None = None) -> SearchResult:
        """Return every offer matching `query` (and `department`), paging until the last range.

        Raises `SearchTooBroad` when more than `MAX_RESULTS` offers match, before
        collecting them, so that nothing is cut silently.
        """
        deadline = self._clock() + self.deadline_s
        offers: list[Offer] = []
        pages = 0
        total = 0
        start = 0
        try:
            while True:
                page = self._fetch_page(query, department, start, deadline)
                if page is None:
                    break
                pages += 1
                total = page.total
                if total > MAX_RESULTS:
                    raise SearchTooBroad(
                        f"search {_describe(query, department)} matches {total} offers, more "
                        f"than the {MAX_RESULTS} the API can page through; split the search, "
                        "by département for instance",
                        total=total,
                    )
                offers.extend(page.offers[max(start - page.first, 0) :])
                if page.is_last:
                    break
                start = page.last + 1
        except SearchInterrupted as exc:
            exc.offers = offers
            exc.pages = pages
            raise
        logger.info(
            "search finished",
            extra={"query": query, "department": department, "offers": len(offers), "pages": pages},
        )
        return SearchResult(offers=offers, pages=pages, total=max(total, len(offers)))

    def _fetch_page(
        self, query: str, department: str | None, start: int, deadline: float
    ) -> _Page | None:
        """Fetch the range that begins at `start`; returns None on 204 No Content."""
        # The API rejects a range starting beyond 1000, so the last range of a
        # 1150-offer search overlaps the previous one; `search` drops the overlap.
        first = min(start, MAX_RANGE_START)
        last = min(first + PAGE_SIZE - 1, MAX_RANGE_END)
        params = {"motsCles": fold_accents(query), "range": f"{first}-{last}"}
        if department:
            params["departement"] = department

        response = self._search_with_retries(params, query, department, deadline)
        if response.status_code == 204:
            return None
        return self._read_page(response, query, department, start)

    def _read_page(
        self, response: httpx.Response, query: str, department: str | None, start: int
    ) -> _Page:
        offers = self._read_offers(response, query, department)
        header = response.headers.get("content-range")
        if header is None:
            if response.status_code == 206:
                raise InvalidResponse(
                    f"search {_describe(query, department)} returned 206 without Content-Range; "
                    "expected 'offres <first>-<last>/<total>'"
                )
            return _Page(
                offers,
                first=start,
                last=start + len(offers) - 1,
                total=start + len(offers),
                is_last=True,
            )

        first, last, total = parse_content_range(header)
        if last < start:
            raise InvalidResponse(
                f"search {_describe(query, department)} returned range {header!r} for a request "
                f"starting at {start}; expected a range ending at or after {start}"
            )
        is_last = response.status_code == 200 or last + 1 >= total or not offers
        return _Page(offers, first=first, last=last, total=total, is_last=is_last)

    def _read_offers(
        self, response: httpx.Response, query: str, department: str | None
    ) -> list[Offer]:
        body = self._json(response, f"search {_describe(query, department)}")
        offers = body.get("resultats") if isinstance(body, dict) else None
        if not isinstance(offers, list):
            raise InvalidResponse(
                f"search {_describe(query, department)} returned a body without a 'resultats' "
                f"list: {_excerpt(response)!r}"
            )
        return offers

    def _search_with_retries(
        self, params: dict[str, str], query: str, department: str | None, deadline: float
    ) -> httpx.Response:
        """Send one search call, honouring 429 Retry-After and refreshing a rejected token once."""
        call = f"search {_describe(query, department)} range {params['range']}"
        rate_limited = 0
        refreshed = False
        while True:
            self._pace()
            headers = {"Authorization": f"Bearer {self._access_token(deadline)}"}
            response = self._send(
                "GET", self.api_url + SEARCH_PATH, deadline, call, params=params, headers=headers
            )
            if response.status_code == 401 and not refreshed:
                refreshed = True
                self._forget_token()
                continue
            if response.status_code == 429:
                rate_limited += 1
                self._wait_after_rate_limit(response, rate_limited, deadline, call)
                continue
            return self._check_status(response, call)

    def _check_status(self, response: httpx.Response, call: str) -> httpx.Response:
        status = response.status_code
        if status in (200, 204, 206):
            return response
        if status == 401:
            raise AuthenticationFailed(
                f"{call}: the API rejected a freshly issued token with HTTP 401; check that the "
                f"client is subscribed to scope {SCOPE!r}"
            )
        if status == 403:
            raise SourceBlocked(
                f"{call}: the API returned 403 Forbidden (page title "
                f"{block_page_title(response)!r}); expected offers"
            )
        if status == 400:
            raise RequestRejected(
                f"{call}: the API returned 400 Bad Request: {_excerpt(response)!r}"
            )
        raise InvalidResponse(
            f"{call}: unexpected HTTP {status}; expected 200, 204 or 206: {_excerpt(response)!r}"
        )

    def _wait_after_rate_limit(
        self, response: httpx.Response, attempt: int, deadline: float, call: str
    ) -> None:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = 1.0 if retry_after is None else retry_after
        if attempt > self.max_rate_limit_retries:
            raise RateLimited(
                f"{call}: still 429 Too Many Requests after {self.max_rate_limit_retries} "
                f"retries; retry no sooner than {wait:g} s",
                retry_after_s=wait,
            )
        if wait > self.max_retry_after_s or self._clock() + wait >= deadline:
            raise RateLimited(
                f"{call}: 429 Too Many Requests with Retry-After {wait:g} s, longer than this "
                f"search may wait ({self.max_retry_after_s:g} s and its deadline); retry no "
                f"sooner than {wait:g} s",
                retry_after_s=wait,
            )
        logger.warning("rate limited, waiting", extra={"call": call, "wait_s": wait})
        self._sleep(wait)

    def _pace(self) -> None:
        """Space search calls by `min_interval_s`, across threads."""
        with self._pace_lock:
            now = self._clock()
            if self._last_search_at is not None:
                wait = self._last_search_at + self.min_interval_s - now
                if wait > 0:
                    self._sleep(wait)
                    now = self._clock()
            self._last_search_at = now

    # -- token --------------------------------------------------------------

    def _access_token(self, deadline: float) -> str:
        with self._token_lock:
            if self._token is None or self._clock() >= self._token_expires_at:
                self._token, lifetime = self._request_token(deadline)
                self._token_expires_at = self._clock() + max(lifetime - TOKEN_EXPIRY_MARGIN_S, 0)
                logger.info("access token issued", extra={"expires_in_s": lifetime})
            return self._token

    def _forget_token(self) -> None:
        with self._token_lock:
            self._token = None

    def _request_token(self, deadline: float) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret.get_secret_value(),
            "scope": SCOPE,
        }
        call = f"token request to {self.token_url!r}"
        response = self._send("POST", self.token_url, deadline, call, data=form)
        if response.status_code in (400, 401, 403) and block_page_title(response) is None:
            raise AuthenticationFailed(
                f"{call} was rejected with HTTP {response.status_code}; expected valid client "
                f"credentials allowed scope {SCOPE!r}"
            )
        if response.status_code != 200:
            self._check_status(response, call)
            raise InvalidResponse(f"{call}: HTTP {response.status_code}; expected 200")
        body = self._json(response, call)
        token = body.get("access_token") if isinstance(body, dict) else None
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token or not isinstance(lifetime, (int, float)):
            raise InvalidResponse(f"{call} returned no 'access_token' or no numeric 'expires_in'")
        return token, float(lifetime)

    # -- transport ----------------------------------------------------------

    def _json(self, response: httpx.Response, call: str) -> Any:
        title = block_page_title(response)
        if title is not None:
            raise SourceBlocked(
                f"{call}: HTTP {response.status_code} with an HTML page titled {title!r}; "
                "expected JSON, so the source is blocking us (challenge or CAPTCHA page)"
            )
        try:
            return response.json()
        except ValueError as exc:
            raise InvalidResponse(f"{call}: body is not JSON: {_excerpt(response)!r}") from exc

    def _send(
        self, method: str, url: str, deadline: float, call: str, **kwargs: Any
    ) -> httpx.Response:
        """Send one HTTP call within the deadline, retrying connection errors and 5xx responses."""
        failures = 0
        timeouts = 0
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise SourceTimedOut(f"{call} timed out: the {self.deadline_s:g} s deadline passed")
            timeout = min(self.request_timeout_s, remaining)
            try:
                response = self._http.request(method, url, timeout=timeout, **kwargs)
            except httpx.TimeoutException as exc:
                # A source that does not respond is reported as timed out, not retried
                # through SQS: the run goes on with the other requests.
                timeouts += 1
                logger.warning("request timed out", extra={"call": call, "timeout_s": timeout})
                if self._clock() >= deadline or timeouts > self.max_transient_retries:
                    raise SourceTimedOut(
                        f"{call} timed out: no response in {timeouts} tries of at most "
                        f"{self.request_timeout_s:g} s within the {self.deadline_s:g} s deadline"
                    ) from exc
                continue
            except httpx.TransportError as exc:
                failures += 1
                if failures > self.max_transient_retries:
                    raise SourceUnavailable(
                        f"{call} failed after {failures} tries: {type(exc).__name__}: {exc}"
                    ) from exc
                self._back_off(failures, deadline, call, reason=type(exc).__name__)
                continue
            if response.status_code >= 500:
                failures += 1
                if failures > self.max_transient_retries:
                    raise SourceUnavailable(
                        f"{call}: HTTP {response.status_code} after {failures} tries: "
                        f"{_excerpt(response)!r}"
                    )
                self._back_off(failures, deadline, call, reason=f"HTTP {response.status_code}")
                continue
            return response

    def _back_off(self, failures: int, deadline: float, call: str, *, reason: str) -> None:
        wait = min(2.0 ** (failures - 1), max(deadline - self._clock(), 0.0))
        logger.warning("retrying", extra={"call": call, "reason": reason, "wait_s": wait})
        self._sleep(wait)


def resolve_credentials(settings: Settings, boto_session: Any) -> Credentials:
    """Return the API credentials: from settings here, from Secrets Manager in the cloud."""
    if settings.france_travail_client_id and settings.france_travail_client_secret:
        return Credentials(
            client_id=settings.france_travail_client_id,
            client_secret=settings.france_travail_client_secret,
        )
    name = settings.france_travail_secret_name
    if not name:
        raise ConfigurationError(
            "France Travail credentials are missing; set DATASTATS_FRANCE_TRAVAIL_CLIENT_ID and "
            "DATASTATS_FRANCE_TRAVAIL_CLIENT_SECRET, or DATASTATS_FRANCE_TRAVAIL_SECRET_NAME"
        )
    secret = read_secret(boto_session, settings, name)
    client_id, client_secret = secret.get("client_id"), secret.get("client_secret")
    if not isinstance(client_id, str) or not isinstance(client_secret, str):
        raise ConfigurationError(
            f"secret {name!r} lacks string keys 'client_id' and 'client_secret'"
        )
    return Credentials(client_id=client_id, client_secret=SecretStr(client_secret))


def build_client(settings: Settings, boto_session: Any, **options: Any) -> FranceTravailClient:
    """Build a client from settings; `options` override the client's keyword defaults."""
    return FranceTravailClient(
        api_url=settings.france_travail_api_url,
        token_url=settings.france_travail_token_url,
        credentials=resolve_credentials(settings, boto_session),
        **options,
    )
