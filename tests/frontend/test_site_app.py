"""The application factory: lazy engine, blob store choice, security policy, health check."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from frontend.app import content_security_policy, create_app
from shared.blobs import LocalBlobStore
from shared.settings import Settings


def test_create_app_does_not_connect(tmp_path: Path) -> None:
    missing_folder = tmp_path / "missing" / "site.sqlite3"
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{missing_folder}")

    app = create_app(settings)

    assert app.title == "Datastats"


def test_healthz_database_unreachable_returns_503(tmp_path: Path) -> None:
    missing_folder = tmp_path / "missing" / "site.sqlite3"
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{missing_folder}")

    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_page_database_unreachable_returns_french_503(tmp_path: Path) -> None:
    missing_folder = tmp_path / "missing" / "site.sqlite3"
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{missing_folder}")

    with TestClient(create_app(settings)) as client:
        response = client.get("/")

    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.text


def test_create_app_defaults_to_local_blob_folder(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)

    app = create_app(settings)

    assert isinstance(app.state.blobs, LocalBlobStore)
    assert app.state.blobs.root == settings.blob_dir.resolve()


def test_create_app_with_bucket_has_no_local_charts(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, blob_bucket="datastats-blobs")

    with TestClient(create_app(settings)) as client:
        response = client.get("/graphiques/charts/2024-05/all/v1/FR/offers_per_month.png")

    assert response.status_code == 404


def test_content_security_policy_self_only() -> None:
    policy = content_security_policy(None)

    assert "default-src 'self'" in policy
    assert "img-src 'self';" in policy


def test_content_security_policy_allows_chart_cdn() -> None:
    policy = content_security_policy("https://cdn.datastats.example/charts-prefix")

    assert "img-src 'self' https://cdn.datastats.example;" in policy
