"""Chart keys from manifests, their checks, their URLs, and the `/graphiques/` route."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from frontend.charts import chart_file, chart_url, check_chart_key, region_charts
from frontend.errors import InvalidChartKey
from shared.blobs import LocalBlobStore
from tests.frontend.site_factories import tiny_png

CHART_KEY = "charts/2024-05/all/v1/FR/offers_per_month.png"


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("../secret.png", id="parent-first"),
        pytest.param("charts/../../secret.png", id="parent-inside"),
        pytest.param("/charts/a.png", id="absolute"),
        pytest.param("charts/a\\..\\b.png", id="backslash"),
        pytest.param("charts//a.png", id="empty-segment"),
        pytest.param("charts/./a.png", id="dot-segment"),
        pytest.param("batches/raw/a.png", id="outside-charts"),
        pytest.param("charts/a.svg", id="not-png"),
        pytest.param("charts/a.png\x00.txt", id="nul-byte"),
    ],
)
def test_check_chart_key_rejects(key: str) -> None:
    with pytest.raises(InvalidChartKey):
        check_chart_key(key)


def test_check_chart_key_accepts_versioned_key() -> None:
    assert str(check_chart_key(CHART_KEY)) == CHART_KEY


def test_chart_file_rejects_escaping_symlink(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    (root / "charts").mkdir(parents=True)
    (tmp_path / "secret.png").write_bytes(b"secret")
    (root / "charts" / "link.png").symlink_to(tmp_path / "secret.png")

    with pytest.raises(InvalidChartKey):
        chart_file(root, "charts/link.png")


def test_chart_file_returns_path_under_root(tmp_path: Path) -> None:
    assert chart_file(tmp_path, CHART_KEY) == tmp_path.resolve() / CHART_KEY


def test_chart_url_on_site_by_default() -> None:
    assert chart_url(CHART_KEY, None) == f"/graphiques/{CHART_KEY}"


def test_chart_url_on_cdn_when_configured() -> None:
    url = chart_url(CHART_KEY, "https://cdn.datastats.example/")

    assert url == f"https://cdn.datastats.example/{CHART_KEY}"


def test_chart_url_quotes_unsafe_characters() -> None:
    assert chart_url('charts/a b".png', None) == "/graphiques/charts/a%20b%22.png"


def test_region_charts_keeps_known_kinds() -> None:
    charts = {"11": {"offers_per_month": "charts/a.png", "heatmap": "charts/b.png"}}

    assert region_charts(charts, "11") == {"offers_per_month": "charts/a.png"}


def test_region_charts_missing_region_is_empty() -> None:
    assert region_charts({"FR": {"offers_per_month": "charts/a.png"}}, "11") == {}


def test_region_charts_ignores_malformed_entry() -> None:
    assert region_charts({"FR": ["charts/a.png"]}, "FR") == {}


# Route


def test_chart_route_serves_png(client: TestClient, blob_store: LocalBlobStore) -> None:
    blob_store.put(CHART_KEY, tiny_png(), content_type="image/png")

    response = client.get(f"/graphiques/{CHART_KEY}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == tiny_png()


def test_chart_route_sets_long_cache(client: TestClient, blob_store: LocalBlobStore) -> None:
    blob_store.put(CHART_KEY, tiny_png(), content_type="image/png")

    response = client.get(f"/graphiques/{CHART_KEY}")

    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/graphiques/charts/%2E%2E/%2E%2E/secret.png", id="encoded-parent"),
        pytest.param("/graphiques/..%2F..%2Fsecret.png", id="encoded-slash"),
        pytest.param("/graphiques/batches/raw.png", id="outside-charts"),
        pytest.param("/graphiques/charts/a.txt", id="not-png"),
    ],
)
def test_chart_route_rejects_invalid_key(
    client: TestClient, blob_store: LocalBlobStore, path: str
) -> None:
    (blob_store.root / "secret.png").parent.mkdir(parents=True, exist_ok=True)
    (blob_store.root / "secret.png").write_bytes(tiny_png())

    response = client.get(path)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")


def test_chart_route_missing_image_returns_404(client: TestClient) -> None:
    response = client.get(f"/graphiques/{CHART_KEY}")

    assert response.status_code == 404
