"""Admin edits replayed through the queues: a technology removed, a place label resolved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from infra.local.emulator import EMULATOR_CREDENTIALS
from infra.local.pipeline import LocalRuntime
from infra.maintenance import offer_ids_with_label, replay_offers
from services.geo_match.admin import label_key, list_unmatched, resolve_label
from shared.db.catalogue import remove_technology
from shared.db.models import MonthlyTechnologyStat, Offer, OfferTechnology, Technology
from shared.settings import Settings

OFFERS_DIR = Path(__file__).resolve().parent / "maintenance_offers"
UNMATCHED_LABEL = "Campus des Tilleuls"


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    settings = Settings(home=tmp_path_factory.mktemp("maintenance-home"))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in EMULATOR_CREDENTIALS.items():
            patch.setenv(name, value)
        with LocalRuntime(settings, offers_dir=OFFERS_DIR, drain_deadline_s=120) as running:
            running.collect("run-20261204T060000Z-maint1")
            yield running


def _technologies_of(runtime: LocalRuntime, source_offer_id: str) -> set[str]:
    with runtime.dependencies.sessions() as session:
        return set(
            session.scalars(
                select(Technology.name)
                .join(OfferTechnology, OfferTechnology.technology_id == Technology.id)
                .join(Offer, Offer.id == OfferTechnology.offer_id)
                .where(Offer.source_offer_id == source_offer_id)
            )
        )


def test_removed_technology_leaves_offers_and_statistics(runtime: LocalRuntime) -> None:
    deps = runtime.dependencies
    assert "Tableau" in _technologies_of(runtime, "T002")
    with deps.sessions.begin() as session:
        remove_technology(session, "Tableau")

    sent = replay_offers(deps, run_id="run-20261204T070000Z-maint2", stage="clean")
    runtime.drain()

    with deps.sessions() as session:
        offers = session.scalar(select(func.count(Offer.id)))
        tableau_stats = session.scalar(
            select(func.count(MonthlyTechnologyStat.id)).where(
                MonthlyTechnologyStat.technology == "Tableau"
            )
        )
    assert sent == 3
    assert offers == 3
    assert "Tableau" not in _technologies_of(runtime, "T002")
    assert {"Power BI", "SQL", "Python"} <= _technologies_of(runtime, "T002")
    assert tableau_stats == 0


def test_resolved_label_places_stored_offers(runtime: LocalRuntime) -> None:
    deps = runtime.dependencies
    with deps.sessions() as session:
        open_labels = [place.label for place in list_unmatched(session)]
    assert UNMATCHED_LABEL in open_labels

    with deps.sessions.begin() as session:
        resolve_label(session, UNMATCHED_LABEL, commune="38185")
    with deps.sessions() as session:
        ids = offer_ids_with_label(session, label_key(UNMATCHED_LABEL), label_key)
    replay_offers(
        deps,
        run_id="run-20261204T080000Z-maint3",
        stage="geo_match",
        query=select(Offer).where(Offer.id.in_(ids)),
    )
    runtime.drain()

    with deps.sessions() as session:
        offer = session.scalar(select(Offer).where(Offer.source_offer_id == "M001"))
        still_open = [place.label for place in list_unmatched(session)]
    assert (offer.commune_code, offer.department_code, offer.region_code) == ("38185", "38", "84")
    assert offer.geo_method == "alias"
    assert UNMATCHED_LABEL not in still_open
