"""Tests of the chart images: PNG format, size, determinism and French labels."""

from __future__ import annotations

import io

import matplotlib.image
import pytest

from services.chart import drawing

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SERIES = (("2025-01", 3), ("2025-02", 0), ("2025-03", 7))


def image_shape(png: bytes) -> tuple[int, ...]:
    return matplotlib.image.imread(io.BytesIO(png), format="png").shape


def test_draw_offers_per_month_returns_png() -> None:
    png = drawing.draw_offers_per_month(SERIES, subtitle="Data engineer · France entière")

    assert png.startswith(PNG_SIGNATURE)
    assert image_shape(png)[:2] == (450, 800)


def test_draw_offers_per_month_is_deterministic() -> None:
    first = drawing.draw_offers_per_month(SERIES, subtitle="Data engineer · Bretagne")
    second = drawing.draw_offers_per_month(SERIES, subtitle="Data engineer · Bretagne")

    assert first == second


def test_draw_png_has_no_software_metadata() -> None:
    png = drawing.draw_contract_types((("cdi", 2),), subtitle="Data engineer · Corse")

    assert b"matplotlib" not in png


@pytest.mark.parametrize(
    ("technologies", "month_offers"),
    [((("Python", 3), ("SQL", 2)), 4), ((), 0)],
    ids=["with-offers", "no-offers"],
)
def test_draw_top_technologies_returns_png(
    technologies: tuple[tuple[str, int], ...], month_offers: int
) -> None:
    png = drawing.draw_top_technologies(
        technologies, month_offers=month_offers, subtitle="Data analyst · Occitanie"
    )

    assert image_shape(png)[:2] == (450, 800)


def test_draw_contract_types_without_contracts_returns_png() -> None:
    png = drawing.draw_contract_types((), subtitle="Data analyst · Occitanie")

    assert png.startswith(PNG_SIGNATURE)


@pytest.mark.parametrize(
    ("contract_type", "label"),
    [
        ("cdi", "CDI"),
        ("internship", "Stage"),
        ("apprenticeship", "Alternance"),
        ("unknown", "Non précisé"),
        ("odd", "odd"),
    ],
)
def test_contract_label_in_french(contract_type: str, label: str) -> None:
    assert drawing.contract_label(contract_type) == label


def test_month_label_in_french() -> None:
    assert drawing.month_label("2025-02") == "février 2025"
