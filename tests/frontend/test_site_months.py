"""The month the home page and dashboard open on: the newest one that is over."""

from __future__ import annotations

import pytest

from frontend.queries import complete_month


@pytest.mark.parametrize(
    ("months", "current", "expected"),
    [
        pytest.param(["2026-12", "2026-11", "2026-10"], "2026-12", "2026-11", id="running-month"),
        pytest.param(["2026-11", "2026-10"], "2026-12", "2026-11", id="last-month"),
        pytest.param(["2024-12", "2024-11"], "2026-12", "2024-12", id="old-data"),
        pytest.param(["2026-12"], "2026-12", "2026-12", id="only-running-month"),
        pytest.param([], "2026-12", None, id="no-data"),
    ],
)
def test_complete_month(months: list[str], current: str, expected: str | None) -> None:
    assert complete_month(months, current) == expected
