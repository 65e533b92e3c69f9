"""Local France Travail server over real HTTP on 127.0.0.1, called directly and by the client."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from infra.local.france_travail_server import FranceTravailServer, OffersFolderError
from services.scrape.france_travail import (
    AuthenticationFailed,
    Credentials,
    FranceTravailClient,
    RateLimited,
    SourceTimedOut,
)
from tests.scrape.factories import make_record, numbered_records, write_offers

CLIENT_ID = "local-client"
CLIENT_SECRET = "local-secret"


@pytest.fixture()
def offers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "offers"
    write_offers(
        folder,
        [
            make_record("A1", "Data Analyste (H/F)", description="Tableaux de bord Power BI."),
            make_record(
                "A2",
                "Ingénieure Données",
                description="Flux de données, équipe data.",
                commune="75109",
                label="75 - PARIS 09",
            ),
            make_record(
                "A3", "Comptable", description="Clôtures mensuelles.", commune=None, label="France"
            ),
            make_record(
                "A4",
                "Analyste",
                description="Études.",
                competences=["Data mining"],
                commune="2A004",
                label="2A - AJACCIO",
            ),
            make_record("A5", "Data Scientist", commune="97411", label="974 - ST DENIS"),
        ],
        name="a.json",
    )
    return folder


@pytest.fixture()
def server(offers_dir: Path) -> Iterator[FranceTravailServer]:
    with FranceTravailServer(
        offers_dir, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    ) as running:
        yield running


def local_client(server: FranceTravailServer, **options: object) -> FranceTravailClient:
    options.setdefault("min_interval_s", 0.0)
    return FranceTravailClient(
        api_url=server.api_url,
        token_url=server.token_url,
        credentials=Credentials(CLIENT_ID, SecretStr(CLIENT_SECRET)),
        **options,  # type: ignore[arg-type]
    )


def token(server: FranceTravailServer) -> str:
    response = httpx.post(
        server.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": "api_offresdemploiv2 o2dsoffre",
        },
    )
    return str(response.json()["access_token"])


def search(server: FranceTravailServer, **params: str) -> httpx.Response:
    return httpx.get(
        f"{server.api_url}/v2/offres/search",
        params=params,
        headers={"Authorization": f"Bearer {token(server)}"},
    )


def found_ids(server: FranceTravailServer, query: str, department: str | None = None) -> set[str]:
    return {
        offer["id"] for offer in local_client(server).search(query, department=department).offers
    }


def test_server_urls_are_on_loopback(server: FranceTravailServer) -> None:
    assert server.api_url.startswith("http://127.0.0.1:")
    assert server.token_url.endswith("/connexion/oauth2/access_token?realm=/partenaire")


def test_token_with_wrong_secret_is_401(server: FranceTravailServer) -> None:
    response = httpx.post(
        server.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": "wrong",
            "scope": "api_offresdemploiv2",
        },
    )

    assert response.status_code == 401


def test_search_without_token_is_401(server: FranceTravailServer) -> None:
    response = httpx.get(f"{server.api_url}/v2/offres/search", params={"motsCles": "data"})

    assert response.status_code == 401


def test_expired_token_is_401(offers_dir: Path) -> None:
    with FranceTravailServer(
        offers_dir, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_lifetime_s=0
    ) as expiring:
        response = search(expiring, motsCles="data")

    assert response.status_code == 401


def test_client_with_wrong_secret_raises_authentication_failed(server: FranceTravailServer) -> None:
    client = FranceTravailClient(
        api_url=server.api_url,
        token_url=server.token_url,
        credentials=Credentials(CLIENT_ID, SecretStr("wrong")),
    )

    with pytest.raises(AuthenticationFailed):
        client.search("data analyst")


@pytest.mark.parametrize(
    "requested",
    ["0-150", "1001-1100", "1000-1150", "20-10", "abc"],
    ids=["151-offers", "start-beyond-1000", "end-beyond-1149", "reversed", "not-a-range"],
)
def test_invalid_range_is_400(server: FranceTravailServer, requested: str) -> None:
    response = search(server, motsCles="data", range=requested)

    assert response.status_code == 400


def test_keyword_shorter_than_2_characters_is_400(server: FranceTravailServer) -> None:
    assert search(server, motsCles="data,a").status_code == 400


def test_search_with_no_match_is_204(server: FranceTravailServer) -> None:
    response = search(server, motsCles="boulanger")

    assert response.status_code == 204


def test_single_page_is_200_with_content_range(server: FranceTravailServer) -> None:
    response = search(server, motsCles="data")

    assert response.status_code == 200
    assert response.headers["Content-Range"] == "offres 0-3/4"
    assert response.json()["filtresPossibles"] == []


def test_keywords_ignore_case_accents_and_plural(server: FranceTravailServer) -> None:
    assert found_ids(server, "ingenieur donnee") == {"A2"}


def test_keyword_matches_description_and_competences(server: FranceTravailServer) -> None:
    assert found_ids(server, "power bi") == {"A1"}
    assert found_ids(server, "data mining") == {"A4"}


def test_comma_separated_keywords_must_all_match(server: FranceTravailServer) -> None:
    assert found_ids(server, "data analyst,power bi") == {"A1"}
    assert found_ids(server, "data analyst,comptable") == set()


def test_department_filter_uses_commune_code(server: FranceTravailServer) -> None:
    assert found_ids(server, "data", department="75") == {"A2"}
    assert found_ids(server, "data", department="2A") == {"A4"}
    assert found_ids(server, "data", department="974") == {"A5"}


def test_invalid_department_is_400(server: FranceTravailServer) -> None:
    assert search(server, motsCles="data", departement="20").status_code == 400


def test_pages_353_offers_like_the_api(tmp_path: Path) -> None:
    write_offers(tmp_path, numbered_records(353))
    with FranceTravailServer(tmp_path, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as big:
        first = search(big, motsCles="data engineer", range="0-149")
        last = search(big, motsCles="data engineer", range="300-449")
        result = local_client(big).search("data engineer")
        ranges = big.search_ranges[-3:]

    assert first.status_code == 206
    assert first.headers["Content-Range"] == "offres 0-149/353"
    assert last.status_code == 200
    assert last.headers["Content-Range"] == "offres 300-352/353"
    assert len({offer["id"] for offer in result.offers}) == 353
    assert ranges == ["0-149", "150-299", "300-449"]


def test_forced_429_is_waited_out_by_client(offers_dir: Path) -> None:
    waits: list[float] = []
    with FranceTravailServer(
        offers_dir,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        rate_limited_calls=1,
        retry_after_s=3,
    ) as limited:
        result = local_client(limited, sleep=waits.append).search("data")

    assert waits == [3.0]
    assert len(result.offers) == 4


def test_forced_429_beyond_cap_is_rate_limited(offers_dir: Path) -> None:
    with (
        FranceTravailServer(
            offers_dir,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            rate_limited_calls=5,
            retry_after_s=120,
        ) as limited,
        pytest.raises(RateLimited) as caught,
    ):
        local_client(limited, sleep=lambda seconds: None).search("data")

    assert caught.value.retry_after_s == 120


def test_missing_offers_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(OffersFolderError):
        FranceTravailServer(tmp_path / "absent", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def test_file_that_is_not_an_array_raises(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"resultats": []}', encoding="utf-8")

    with pytest.raises(OffersFolderError):
        FranceTravailServer(tmp_path, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


@pytest.fixture()
def silent_server() -> Iterator[str]:
    """Yield the URL of a TCP server on 127.0.0.1 that accepts connections and never responds."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def test_silent_api_ends_by_deadline(server: FranceTravailServer, silent_server: str) -> None:
    client = FranceTravailClient(
        api_url=f"{silent_server}/partenaire/offresdemploi",
        token_url=server.token_url,
        credentials=Credentials(CLIENT_ID, SecretStr(CLIENT_SECRET)),
        deadline_s=0.3,
        request_timeout_s=5,
    )

    with pytest.raises(SourceTimedOut):
        client.search("data analyst")


def test_silent_token_endpoint_ends_by_deadline(silent_server: str) -> None:
    client = FranceTravailClient(
        api_url=f"{silent_server}/partenaire/offresdemploi",
        token_url=f"{silent_server}/connexion/oauth2/access_token?realm=/partenaire",
        credentials=Credentials(CLIENT_ID, SecretStr(CLIENT_SECRET)),
        deadline_s=0.3,
    )

    with pytest.raises(SourceTimedOut):
        client.search("data analyst")
