"""The datastats command line: export format and clear errors on bad admin input."""

from __future__ import annotations

import csv
import io
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra.cli import app
from infra.export import OFFER_COLUMNS, format_cell

runner = CliRunner()


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATASTATS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DATASTATS_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path / "home"


def test_export_offers_writes_header(home: Path) -> None:
    result = runner.invoke(app, ["export", "offers"])

    header = next(csv.reader(io.StringIO(result.stdout)))
    assert result.exit_code == 0
    assert tuple(header) == OFFER_COLUMNS


def test_export_columns_are_the_documented_ones() -> None:
    assert OFFER_COLUMNS == (
        "source", "source_offer_id", "url", "title", "role", "seniority", "company",
        "contract_type", "remote", "city", "commune_code", "department_code", "region_code",
        "region_name", "salary_period", "salary_min", "salary_max", "salary_yearly_min",
        "salary_yearly_max", "salary_flags", "technologies", "published_at", "first_seen_at",
        "last_seen_at",
    )  # fmt: skip


def test_removing_unknown_technology_names_it(home: Path) -> None:
    result = runner.invoke(app, ["technologies", "remove", "Cobol++"])

    assert result.exit_code == 2
    assert "'Cobol++'" in result.output


def test_technologies_list_shows_seeded_catalogue(home: Path) -> None:
    result = runner.invoke(app, ["technologies", "list"])

    names = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert result.exit_code == 0
    assert {"Python", "SQL", "dbt", "Snowflake"} <= names


def test_resolving_with_unknown_commune_names_code(home: Path) -> None:
    result = runner.invoke(app, ["cities", "resolve", "Campus Nord", "--commune", "99999"])

    assert result.exit_code == 2
    assert "99999" in result.output


def test_resolving_needs_exactly_one_target(home: Path) -> None:
    result = runner.invoke(
        app, ["cities", "resolve", "Campus Nord", "--commune", "38185", "--region", "84"]
    )

    assert result.exit_code == 2
    assert "exactly one" in result.output


def test_run_refuses_busy_port_before_running(home: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = runner.invoke(app, ["run", "--port", str(port)])

    assert result.exit_code == 2
    assert f"127.0.0.1:{port}" in result.output


def test_run_names_unreadable_offers_file(home: Path, tmp_path: Path) -> None:
    offers_dir = tmp_path / "offers"
    offers_dir.mkdir()
    (offers_dir / "broken.json").write_text('[{"id": "X1", ', encoding="utf-8")

    result = runner.invoke(app, ["run", "--offers-dir", str(offers_dir), "--no-serve"])

    assert result.exit_code == 2
    assert "broken.json" in result.output
    assert "not readable JSON" in result.output


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            '=HYPERLINK("http://127.0.0.1/x","clic")',
            '\'=HYPERLINK("http://127.0.0.1/x","clic")',
            id="formula",
        ),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at-sign"),
        pytest.param("Data Analyst", "Data Analyst", id="plain-text"),
        pytest.param(45000.0, "45000", id="whole-number"),
        pytest.param(12.31, "12.31", id="decimal"),
        pytest.param(None, "", id="unknown"),
    ],
)
def test_export_cell_format(value: object, expected: str) -> None:
    assert format_cell(value) == expected
