"""A local HTTP server compatible with the France Travail token and offer-search endpoints.

It serves the offer records of a folder (`*.json` files, each a JSON array of
records shaped as the API's `resultats`) on 127.0.0.1, so the scrape service's
real client runs against it unchanged:

- `POST /connexion/oauth2/access_token?realm=/partenaire`: client-credentials
  grant; 401 for unknown credentials, an expiring bearer token otherwise.
- `GET /partenaire/offresdemploi/v2/offres/search`: bearer token required
  (401), with `motsCles`, `departement` and `range` parameters. It returns 206
  with `Content-Range: offres a-b/total` while more offers remain, 200 for
  the last page and 204 when nothing matches. An invalid range (more than 150
  offers, a start beyond 1000 or an end beyond 1149) gets 400.

Keyword matching imitates the API closely enough for the pipeline: each
comma-separated keyword must match, and a keyword matches when all its words
appear in the offer's title, description or competences, ignoring case,
accents, plural "s" and feminine "e".

NOTE: the API documentation we could reach did not settle whether
comma-separated keywords combine with AND or OR, so this server uses AND.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

TOKEN_PATH = "/connexion/oauth2/access_token"
API_PREFIX = "/partenaire/offresdemploi"
SEARCH_PATH = f"{API_PREFIX}/v2/offres/search"
REALM = "/partenaire"
REQUIRED_SCOPE = "api_offresdemploiv2"

PAGE_SIZE = 150
MAX_RANGE_START = 1000
MAX_RANGE_END = 1149
DEFAULT_TOKEN_LIFETIME_S = 1499

RANGE_PATTERN = re.compile(r"^(\d+)-(\d+)$")
LABEL_DEPARTMENT_PATTERN = re.compile(r"^\s*(\d{2}|2A|2B|97\d)\s*(?:-|$)")
WORD_PATTERN = re.compile(r"[a-z0-9]+")

Record = dict[str, Any]


class OffersFolderError(Exception):
    """The offers folder is missing or contains a file that is not a JSON array of records."""


def fold(text: str) -> str:
    """Return `text` in lowercase without diacritics."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """Reduce a folded word so that plural and feminine forms compare equal.

    "analystes" -> "analyst", "donnees" -> "donne", "decisionnelle" -> "decisionnel".
    """
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]
    return word


def word_stems(text: str) -> set[str]:
    return {stem(word) for word in WORD_PATTERN.findall(fold(text))}


def searchable_stems(record: Record) -> set[str]:
    """Return the word stems of the fields that keywords search: title, description, competences."""
    parts = [str(record.get("intitule") or ""), str(record.get("description") or "")]
    for competence in record.get("competences") or []:
        if isinstance(competence, dict):
            parts.append(str(competence.get("libelle") or ""))
    return word_stems(" ".join(parts))


def is_department_code(code: str) -> bool:
    """Tell whether `code` is a département: 01-95 without 20, 2A, 2B, 971-974 or 976."""
    if code in {"2A", "2B", "971", "972", "973", "974", "976"}:
        return True
    return len(code) == 2 and code.isdigit() and 1 <= int(code) <= 95 and code != "20"


def department_of(record: Record) -> str | None:
    """Return the département of the workplace: from the commune code, else from the label."""
    place = record.get("lieuTravail")
    if not isinstance(place, dict):
        return None
    commune = place.get("commune")
    if isinstance(commune, str) and len(commune) == 5:
        return commune[:3] if commune.startswith("97") else commune[:2]
    label = place.get("libelle")
    match = LABEL_DEPARTMENT_PATTERN.match(label) if isinstance(label, str) else None
    return match.group(1) if match else None


def parse_keywords(value: str) -> list[set[str]]:
    """Split `motsCles` on commas into keywords, each a set of word stems; raises ValueError."""
    keywords = [keyword.strip() for keyword in value.split(",")]
    for keyword in keywords:
        if len(keyword) < 2:
            raise ValueError(
                f"mot clé {keyword!r} invalide : chaque mot clé doit contenir au moins 2 caractères"
            )
    return [word_stems(keyword) for keyword in keywords]


def parse_range(value: str) -> tuple[int, int]:
    """Parse `range=a-b` with the API's limits; raises ValueError with a French message."""
    match = RANGE_PATTERN.match(value)
    if match is None:
        raise ValueError(f"range {value!r} invalide : format attendu 'début-fin'")
    start, end = int(match.group(1)), int(match.group(2))
    if start > end:
        raise ValueError(f"range {value!r} invalide : le début dépasse la fin")
    if end - start + 1 > PAGE_SIZE:
        raise ValueError(f"range {value!r} invalide : au plus {PAGE_SIZE} offres par appel")
    if start > MAX_RANGE_START:
        raise ValueError(f"range {value!r} invalide : le début doit être au plus {MAX_RANGE_START}")
    if end > MAX_RANGE_END:
        raise ValueError(f"range {value!r} invalide : la fin doit être au plus {MAX_RANGE_END}")
    return start, end


def load_offers(offers_dir: Path) -> list[Record]:
    """Read every `*.json` file of the folder, in name order; the first record of an id wins."""
    if not offers_dir.is_dir():
        raise OffersFolderError(f"offers folder {str(offers_dir)!r} does not exist")
    offers: dict[str, Record] = {}
    for path in sorted(offers_dir.glob("*.json")):
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OffersFolderError(
                f"offers file {str(path)!r} is not readable JSON: {exc}"
            ) from exc
        if not isinstance(records, list):
            raise OffersFolderError(
                f"offers file {str(path)!r} contains a {type(records).__name__}; "
                "expected a JSON array"
            )
        skipped = 0
        for record in records:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                offers.setdefault(record["id"], record)
            else:
                skipped += 1
        if skipped:
            # The API never returns such records, so the server cannot serve them.
            logger.warning(
                "offers file %s: skipped %d record(s) that are not objects with a string id",
                path,
                skipped,
            )
    return list(offers.values())


@dataclass(frozen=True)
class _IndexedOffer:
    record: Record
    stems: frozenset[str]
    department: str | None


class _OfferIndex:
    def __init__(self, records: Iterable[Record]) -> None:
        newest_first = sorted(
            records,
            key=lambda record: (str(record.get("dateCreation") or ""), record["id"]),
            reverse=True,
        )
        self.offers = [
            _IndexedOffer(record, frozenset(searchable_stems(record)), department_of(record))
            for record in newest_first
        ]

    def search(self, keywords: list[set[str]], departments: set[str]) -> list[Record]:
        return [
            offer.record
            for offer in self.offers
            if all(keyword <= offer.stems for keyword in keywords)
            and (not departments or offer.department in departments)
        ]


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def _json_answer(status: int, payload: Any, *extra_headers: tuple[str, str]) -> _Answer:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = (("Content-Type", "application/json;charset=UTF-8"), *extra_headers)
    return _Answer(status, body, headers)


def _error(status: int, message: str) -> _Answer:
    return _json_answer(status, {"codeHttp": status, "message": message})


class FranceTravailServer:
    """Serves a folder of offer records through France Travail compatible endpoints on 127.0.0.1.

    `rate_limited_calls` makes the first N search calls return 429 with
    `Retry-After: retry_after_s`, so tests can check how the client waits.
    """

    def __init__(
        self,
        offers_dir: Path,
        *,
        client_id: str,
        client_secret: str,
        host: str = "127.0.0.1",
        port: int = 0,
        token_lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S,
        rate_limited_calls: int = 0,
        retry_after_s: int = 1,
    ) -> None:
        self.offers_dir = Path(offers_dir)
        self.host = host
        self.port = port
        self.token_lifetime_s = token_lifetime_s
        self.retry_after_s = retry_after_s
        self._client_id = client_id
        self._client_secret = client_secret
        self._index = _OfferIndex(load_offers(self.offers_dir))
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()
        self._rate_limited_left = rate_limited_calls
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.token_calls = 0
        self.search_calls = 0
        self.search_ranges: list[str] = []

    @property
    def offer_count(self) -> int:
        return len(self._index.offers)

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the France Travail server is not started; call start() first")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The API root, as `settings.france_travail_api_url` expects it."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def token_url(self) -> str:
        """The token endpoint, as `settings.france_travail_token_url` expects it."""
        return f"{self.base_url}{TOKEN_PATH}?realm={REALM}"

    def start(self) -> None:
        if self._httpd is not None:
            return
        self._httpd = ThreadingHTTPServer((self.host, self.port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="france-travail-server",
            daemon=True,
        )
        self._thread.start()
        logger.info(
            "France Travail server started",
            extra={"url": self.base_url, "offers": self.offer_count},
        )

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None
        self._thread = None
        logger.info("France Travail server stopped")

    def __enter__(self) -> FranceTravailServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def search_all(self, query: str, department: str | None = None) -> list[Record]:
        """Return every record the search endpoint would page through for `query`, in order."""
        departments = {department} if department else set()
        return self._index.search(parse_keywords(query), departments)

    # -- endpoints, called from the handler threads ---------------------------

    def issue_token(self, query: dict[str, list[str]], form: dict[str, list[str]]) -> _Answer:
        with self._lock:
            self.token_calls += 1
        if query.get("realm", [""])[0] != REALM:
            return _json_answer(400, {"error": "invalid_request", "error_description": "realm"})
        if form.get("grant_type", [""])[0] != "client_credentials":
            return _json_answer(400, {"error": "unsupported_grant_type"})
        client_id = form.get("client_id", [""])[0]
        client_secret = form.get("client_secret", [""])[0]
        known = hmac.compare_digest(client_id.encode(), self._client_id.encode())
        known = hmac.compare_digest(client_secret.encode(), self._client_secret.encode()) and known
        if not known:
            return _json_answer(401, {"error": "invalid_client"})
        scopes = form.get("scope", [""])[0].split()
        if REQUIRED_SCOPE not in scopes:
            return _json_answer(400, {"error": "invalid_scope"})

        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.token_lifetime_s
        return _json_answer(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.token_lifetime_s,
                "scope": " ".join(scopes),
            },
        )

    def search(self, query: dict[str, list[str]], authorization: str | None) -> _Answer:
        with self._lock:
            self.search_calls += 1
            self.search_ranges.append(query.get("range", ["0-149"])[0])
        if not self._token_is_valid(authorization):
            return _error(401, "jeton d'accès absent, invalide ou expiré")
        rate_limit = self._take_rate_limit()
        if rate_limit is not None:
            return rate_limit
        try:
            keywords = parse_keywords(query["motsCles"][0]) if "motsCles" in query else []
            departments = self._parse_departments(query.get("departement", [""])[0])
            start, end = parse_range(query.get("range", ["0-149"])[0])
        except ValueError as exc:
            return _error(400, str(exc))
        return self._page(self._index.search(keywords, departments), start, end)

    def _page(self, matches: list[Record], start: int, end: int) -> _Answer:
        total = len(matches)
        if total == 0 or start >= total:
            return _Answer(204)
        last = min(end, total - 1)
        status = 200 if last == total - 1 else 206
        return _json_answer(
            status,
            {"resultats": matches[start : last + 1], "filtresPossibles": []},
            ("Content-Range", f"offres {start}-{last}/{total}"),
            ("Accept-Range", f"offres {PAGE_SIZE}"),
        )

    def _token_is_valid(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Bearer "):
            return False
        token = authorization.removeprefix("Bearer ").strip()
        with self._lock:
            expires_at = self._tokens.get(token)
        return expires_at is not None and time.monotonic() < expires_at

    def _take_rate_limit(self) -> _Answer | None:
        with self._lock:
            if self._rate_limited_left <= 0:
                return None
            self._rate_limited_left -= 1
        answer = _error(429, "trop de requêtes, réessayez plus tard")
        retry_after = ("Retry-After", str(self.retry_after_s))
        return _Answer(answer.status, answer.body, (*answer.headers, retry_after))

    @staticmethod
    def _parse_departments(value: str) -> set[str]:
        codes = {code.strip().upper() for code in value.split(",") if code.strip()}
        invalid = sorted(code for code in codes if not is_department_code(code))
        if invalid:
            raise ValueError(f"departement {invalid[0]!r} invalide : code de département attendu")
        return codes


class _Handler(BaseHTTPRequestHandler):
    server_version = "DatastatsFranceTravail/1"
    protocol_version = "HTTP/1.1"

    @property
    def app(self) -> FranceTravailServer:
        return self.server.app  # type: ignore[attr-defined,no-any-return]

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        if url.path != TOKEN_PATH:
            self._send(_error(404, f"chemin {url.path!r} inconnu"))
            return
        self._send(self.app.issue_token(parse_qs(url.query), parse_qs(body)))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path != SEARCH_PATH:
            self._send(_error(404, f"chemin {url.path!r} inconnu"))
            return
        query = parse_qs(url.query, keep_blank_values=True)
        self._send(self.app.search(query, self.headers.get("Authorization")))

    def _send(self, answer: _Answer) -> None:
        self.send_response(answer.status, HTTPStatus(answer.status).phrase)
        for name, value in answer.headers:
            self.send_header(name, value)
        if answer.status != HTTPStatus.NO_CONTENT:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.body:
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("request: " + format, *args)
