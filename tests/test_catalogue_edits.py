"""Admin edits of the technology catalogue never leave two technologies sharing a spelling."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.catalogue import (
    CatalogueEditRejected,
    add_technology,
    load_catalogue_from_db,
    remove_technology,
    update_technology,
)
from shared.db.models import Technology
from shared.technologies.catalogue import TechnologyEntry
from shared.technologies.matcher import TechnologyMatcher


@pytest.fixture()
def catalogue(db_session: Session) -> Session:
    add_technology(db_session, TechnologyEntry(name="SQL", category="language"))
    add_technology(
        db_session,
        TechnologyEntry(name="Power BI", category="bi", aliases=("PowerBI", "Power-BI")),
    )
    add_technology(db_session, TechnologyEntry(name="Python", category="language"))
    return db_session


def test_alias_equal_to_other_name_rejected(catalogue: Session) -> None:
    with pytest.raises(CatalogueEditRejected) as error:
        add_technology(catalogue, TechnologyEntry(name="Baz", category="bi", aliases=("SQL",)))

    assert "'SQL'" in str(error.value)


def test_alias_spelled_differently_rejected(catalogue: Session) -> None:
    with pytest.raises(CatalogueEditRejected) as error:
        add_technology(
            catalogue, TechnologyEntry(name="Looker", category="bi", aliases=("power bi",))
        )

    assert "Power BI" in str(error.value)


def test_adding_existing_name_rejected(catalogue: Session) -> None:
    with pytest.raises(CatalogueEditRejected) as error:
        add_technology(catalogue, TechnologyEntry(name="python", category="bi"))

    assert "already exists" in str(error.value)


def test_unknown_category_rejected(catalogue: Session) -> None:
    with pytest.raises(CatalogueEditRejected) as error:
        add_technology(catalogue, TechnologyEntry(name="DuckDB", category="nonsense"))

    assert "'nonsense'" in str(error.value)


def test_update_renames_and_keeps_aliases_given(catalogue: Session) -> None:
    update_technology(
        catalogue,
        TechnologyEntry(name="Microsoft Power BI", category="bi", aliases=("Power BI", "PowerBI")),
        current_name="Power BI",
    )

    entries = {entry.name: entry for entry in load_catalogue_from_db(catalogue)}
    assert "Power BI" not in entries
    assert entries["Microsoft Power BI"].aliases == ("Power BI",)


def test_remove_ignores_case(catalogue: Session) -> None:
    removed = remove_technology(catalogue, "power bi")

    names = catalogue.scalars(select(Technology.name)).all()
    assert removed == "Power BI"
    assert "Power BI" not in names


def test_edited_catalogue_builds_matcher(catalogue: Session) -> None:
    add_technology(
        catalogue, TechnologyEntry(name="DuckDB", category="language", aliases=("duck db",))
    )

    matcher = TechnologyMatcher(load_catalogue_from_db(catalogue))
    found = matcher.find("Requêtes SQL sur DuckDB et tableaux PowerBI")

    assert sorted(found) == ["DuckDB", "Power BI", "SQL"]
