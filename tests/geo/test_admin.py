"""Admin functions: listing unmatched labels and resolving them with aliases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.geo_match.admin import (
    InvalidResolution,
    UnknownPlaceCode,
    label_key,
    list_unmatched,
    load_aliases,
    resolve_label,
)
from shared.db.models import PlaceAlias, UnmatchedPlace

SEEN_AT = dt.datetime(2026, 11, 4, 6, 0, tzinfo=dt.UTC)


def add_unmatched(session: Session, label: str, occurrences: int, status: str = "open") -> None:
    session.add(
        UnmatchedPlace(
            label_key=label_key(label),
            label=label,
            kind="unmatched",
            occurrences=occurrences,
            status=status,
            first_seen_at=SEEN_AT,
            last_seen_at=SEEN_AT,
        )
    )
    session.flush()


def test_label_key_matches_variants() -> None:
    assert label_key("ST DENIS - 974") == label_key("Saint-Denis - 974")


def test_list_unmatched_sorted_by_occurrences(db_session: Session) -> None:
    add_unmatched(db_session, "Zone Rare", 1)
    add_unmatched(db_session, "Zone Frequente", 9)
    add_unmatched(db_session, "Zone Moyenne", 4)

    labels = [place.label for place in list_unmatched(db_session)]

    assert labels == ["Zone Frequente", "Zone Moyenne", "Zone Rare"]


def test_list_unmatched_filters_status(db_session: Session) -> None:
    add_unmatched(db_session, "Zone Ouverte", 1)
    add_unmatched(db_session, "Zone Ignoree", 5, status="ignored")

    assert [p.label for p in list_unmatched(db_session)] == ["Zone Ouverte"]
    assert [p.label for p in list_unmatched(db_session, "ignored")] == ["Zone Ignoree"]
    assert len(list_unmatched(db_session, None)) == 2


def test_list_unmatched_rejects_unknown_status(db_session: Session) -> None:
    with pytest.raises(ValueError, match="'closed'"):
        list_unmatched(db_session, "closed")


def test_resolve_label_commune_stores_alias(db_session: Session) -> None:
    add_unmatched(db_session, "Technopole Atalante", 3)

    alias = resolve_label(db_session, "Technopole Atalante", commune="35238")

    assert alias.label_key == label_key("Technopole Atalante")
    assert alias.commune_code == "35238"
    assert alias.department_code == "35"
    assert alias.region_code == "53"


def test_resolve_label_marks_place_resolved(db_session: Session) -> None:
    add_unmatched(db_session, "Technopole Atalante", 3)

    resolve_label(db_session, "Technopole Atalante", commune="35238")

    assert list_unmatched(db_session) == []
    assert [p.label for p in list_unmatched(db_session, "resolved")] == ["Technopole Atalante"]


def test_resolve_label_arrondissement_stores_city(db_session: Session) -> None:
    alias = resolve_label(db_session, "Quartier de la Bourse", commune="75102")
    assert alias.commune_code == "75056"


def test_resolve_label_department(db_session: Session) -> None:
    alias = resolve_label(db_session, "Cote Basque", department="64")
    assert (alias.commune_code, alias.department_code, alias.region_code) == (None, "64", "75")


def test_resolve_label_region(db_session: Session) -> None:
    alias = resolve_label(db_session, "Grand Ouest breton", region="53")
    assert (alias.department_code, alias.region_code) == (None, "53")


def test_resolve_label_ignore_marks_ignored(db_session: Session) -> None:
    add_unmatched(db_session, "Plusieurs sites", 2)

    alias = resolve_label(db_session, "Plusieurs sites", ignore=True)

    assert alias.ignored is True
    assert [p.label for p in list_unmatched(db_session, "ignored")] == ["Plusieurs sites"]


def test_resolve_label_twice_updates_one_alias(db_session: Session) -> None:
    resolve_label(db_session, "Cote Basque", department="64")
    resolve_label(db_session, "COTE BASQUE", department="40")

    aliases = db_session.scalars(
        select(PlaceAlias).where(PlaceAlias.label_key == label_key("Cote Basque"))
    ).all()
    assert [alias.department_code for alias in aliases] == ["40"]


@pytest.mark.parametrize(
    ("target", "bad_code"),
    [({"commune": "99999"}, "99999"), ({"department": "20"}, "20"), ({"region": "12"}, "12")],
)
def test_resolve_label_unknown_code_names_it(
    db_session: Session, target: dict[str, str], bad_code: str
) -> None:
    with pytest.raises(UnknownPlaceCode, match=repr(bad_code)):
        resolve_label(db_session, "Lieu mystere", **target)


@pytest.mark.parametrize(
    "targets",
    [{}, {"commune": "35238", "department": "35"}, {"region": "53", "ignore": True}],
)
def test_resolve_label_needs_exactly_one_target(
    db_session: Session, targets: dict[str, object]
) -> None:
    with pytest.raises(InvalidResolution, match="exactly one"):
        resolve_label(db_session, "Lieu mystere", **targets)  # type: ignore[arg-type]


def test_resolve_label_rejects_empty_label(db_session: Session) -> None:
    with pytest.raises(InvalidResolution, match="' - '"):
        resolve_label(db_session, " - ", region="53")


def test_load_aliases_by_label_key(db_session: Session) -> None:
    resolve_label(db_session, "Cote Basque", department="64")

    aliases = load_aliases(db_session)

    assert aliases[label_key("Cote Basque")].department_code == "64"
