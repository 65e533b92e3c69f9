"""Tests of reading chart statistics and of the chart set version."""

from __future__ import annotations

import pytest
from chart_factories import add_stat, add_technology
from sqlalchemy.orm import Session

from services.chart.queries import (
    TOP_TECHNOLOGIES,
    chart_version,
    load_chart_data,
    month_window,
    parse_month,
)


def test_month_window_crosses_year() -> None:
    window = month_window("2025-02", length=4)

    assert window == ("2024-11", "2024-12", "2025-01", "2025-02")


def test_month_window_default_is_twelve_months() -> None:
    window = month_window("2025-03")

    assert len(window) == 12
    assert window[0] == "2024-04"
    assert window[-1] == "2025-03"


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "25-03", "2025-3", "abcd-ef"])
def test_parse_month_rejects_invalid_month(month: str) -> None:
    with pytest.raises(ValueError, match="invalid month"):
        parse_month(month)


def test_load_chart_data_fills_missing_months_with_zero(db_session: Session) -> None:
    add_stat(db_session, month="2025-01", region_code="FR", offers=4)
    add_stat(db_session, month="2025-03", region_code="FR", offers=6)
    db_session.flush()

    data = load_chart_data(db_session, role="data_engineer", month="2025-03")

    series = dict(data.regions[0].offers_per_month)
    assert series["2025-01"] == 4
    assert series["2025-02"] == 0
    assert series["2025-03"] == 6
    assert len(series) == 12


def test_load_chart_data_region_order(db_session: Session) -> None:
    add_stat(db_session, month="2025-03", region_code="FR", offers=5)
    add_stat(db_session, month="2025-03", region_code="84", offers=2)
    add_stat(db_session, month="2024-06", region_code="11", offers=3)
    add_stat(db_session, month="2025-03", region_code="53", offers=0)
    add_stat(db_session, month="2025-04", region_code="76", offers=9)
    db_session.flush()

    data = load_chart_data(db_session, role="data_engineer", month="2025-03")

    assert [region.region_code for region in data.regions] == ["FR", "11", "84"]


def test_load_chart_data_ignores_other_roles(db_session: Session) -> None:
    add_stat(db_session, month="2025-03", region_code="FR", offers=5)
    add_stat(db_session, month="2025-03", region_code="28", offers=5, role="data_analyst")
    db_session.flush()

    data = load_chart_data(db_session, role="data_engineer", month="2025-03")

    assert [region.region_code for region in data.regions] == ["FR"]


def test_load_chart_data_keeps_top_technologies_in_order(db_session: Session) -> None:
    add_stat(db_session, month="2025-03", region_code="FR", offers=40)
    for index in range(TOP_TECHNOLOGIES + 3):
        add_technology(
            db_session,
            month="2025-03",
            region_code="FR",
            technology=f"T{index:02d}",
            offers=30 - index,
        )
    add_technology(db_session, month="2025-03", region_code="FR", technology="Airflow", offers=30)
    add_technology(db_session, month="2025-02", region_code="FR", technology="Old", offers=99)
    db_session.flush()

    data = load_chart_data(db_session, role="data_engineer", month="2025-03")

    names = [name for name, _ in data.regions[0].top_technologies]
    assert len(names) == TOP_TECHNOLOGIES
    assert names[:3] == ["Airflow", "T00", "T01"]
    assert "Old" not in names
    assert data.regions[0].month_offers == 40


def test_load_chart_data_sorts_contract_counts(db_session: Session) -> None:
    add_stat(
        db_session,
        month="2025-03",
        region_code="FR",
        offers=7,
        contracts={"cdd": 2, "cdi": 4, "freelance": 1},
    )
    db_session.flush()

    data = load_chart_data(db_session, role="data_engineer", month="2025-03")

    assert data.regions[0].contract_counts == (("cdi", 4), ("cdd", 2), ("freelance", 1))


def test_chart_version_same_data_same_version(db_session: Session) -> None:
    add_stat(db_session, month="2025-03", region_code="FR", offers=5)
    db_session.flush()

    first = chart_version(load_chart_data(db_session, role="data_engineer", month="2025-03"))
    second = chart_version(load_chart_data(db_session, role="data_engineer", month="2025-03"))

    assert first == second
    assert len(first) == 12


def test_chart_version_changes_with_data(db_session: Session) -> None:
    add_stat(db_session, month="2025-03", region_code="FR", offers=5)
    db_session.flush()
    before = chart_version(load_chart_data(db_session, role="data_engineer", month="2025-03"))

    add_technology(db_session, month="2025-03", region_code="FR", technology="dbt", offers=1)
    db_session.flush()
    after = chart_version(load_chart_data(db_session, role="data_engineer", month="2025-03"))

    assert before != after
