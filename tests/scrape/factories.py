"""Builders of France Travail offer records and of a scripted fake API for the scrape tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from services.scrape.france_travail import Credentials, FranceTravailClient

API_URL = "https://api.test/partenaire/offresdemploi"
TOKEN_URL = "https://auth.test/connexion/oauth2/access_token?realm=/partenaire"
CLIENT_ID = "client-test"
CLIENT_SECRET = "secret-test-value"

Record = dict[str, Any]


def make_record(
    offer_id: str,
    title: str = "Data Engineer (H/F)",
    *,
    description: str = "Pipelines Python et SQL.",
    commune: str | None = "69382",
    label: str = "69 - LYON 02",
    created: str = "2026-06-01T08:00:00.000Z",
    competences: list[str] | None = None,
) -> Record:
    place: Record = {"libelle": label}
    if commune is not None:
        place.update(commune=commune, codePostal="69002")
    record: Record = {
        "id": offer_id,
        "intitule": title,
        "description": description,
        "dateCreation": created,
        "lieuTravail": place,
        "origineOffre": {
            "origine": "1",
            "urlOrigine": f"https://candidat.francetravail.fr/offres/recherche/detail/{offer_id}",
        },
    }
    if competences:
        record["competences"] = [{"code": "1", "libelle": text} for text in competences]
    return record


def numbered_records(count: int, prefix: str = "N") -> list[Record]:
    return [make_record(f"{prefix}{index:05d}") for index in range(count)]


def write_offers(folder: Path, records: list[Record], name: str = "offres.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


@dataclass
class FakeClock:
    """Monotonic time that only moves when the client sleeps or a test advances it."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def page_response(
    records: list[Record], *, first: int = 0, total: int | None = None, status: int = 206
) -> httpx.Response:
    total = len(records) if total is None else total
    last = first + len(records) - 1
    return httpx.Response(
        status,
        json={"resultats": records, "filtresPossibles": []},
        headers={"Content-Range": f"offres {first}-{last}/{total}"},
    )


SearchHandler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeApi:
    """A scripted France Travail API behind `httpx.MockTransport`; records every request."""

    search: SearchHandler
    token_status: int = 200
    expires_in: int = 1499
    requests: list[httpx.Request] = field(default_factory=list)
    issued: int = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "POST":
            return self._token()
        return self.search(request)

    def _token(self) -> httpx.Response:
        if self.token_status != 200:
            return httpx.Response(self.token_status, json={"error": "invalid_client"})
        self.issued += 1
        return httpx.Response(
            200,
            json={
                "access_token": f"token-{self.issued}",
                "expires_in": self.expires_in,
                "token_type": "Bearer",
            },
        )

    @property
    def search_requests(self) -> list[httpx.Request]:
        return [request for request in self.requests if request.method == "GET"]

    @property
    def ranges(self) -> list[str]:
        return [request.url.params["range"] for request in self.search_requests]


def make_client(
    api: FakeApi, clock: FakeClock | None = None, **options: Any
) -> FranceTravailClient:
    clock = clock or FakeClock()
    options.setdefault("min_interval_s", 0.0)
    return FranceTravailClient(
        api_url=API_URL,
        token_url=TOKEN_URL,
        credentials=Credentials(CLIENT_ID, SecretStr(CLIENT_SECRET)),
        http=httpx.Client(transport=httpx.MockTransport(api.handle)),
        sleep=clock.sleep,
        clock=clock,
        **options,
    )
