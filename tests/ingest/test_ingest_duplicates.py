"""One offer seen under several ids (same URL, re-post) is stored once with every sighting."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.ingest.offers import word_overlap
from services.ingest.service import ingest_batch
from shared.db.models import Offer, Sighting
from tests.ingest.factories import located_offer


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_same_url_under_two_ids_is_one_offer(db_session: Session) -> None:
    first = located_offer(source_offer_id="A1", url="https://jobs.example/o/42", dedup_key="k1")
    second = located_offer(source_offer_id="A2", url="https://jobs.example/o/42", dedup_key="k1")

    ingest_batch(db_session, [first, second], run_id="run-1")

    assert _count(db_session, Offer) == 1
    assert _count(db_session, Sighting) == 2


def test_shared_careers_page_url_keeps_offers_apart(db_session: Session) -> None:
    engineer = located_offer(source_offer_id="G1", url="https://acme.example/jobs", dedup_key="e")
    analyst = located_offer(
        source_offer_id="G2",
        url="https://acme.example/jobs",
        dedup_key="a",
        title="Data Analyst",
        role="data_analyst",
    )

    ingest_batch(db_session, [engineer, analyst], run_id="run-1")

    assert _count(db_session, Offer) == 2


def test_repost_within_window_is_one_offer(db_session: Session) -> None:
    first = located_offer(source_offer_id="B1", url=None, dedup_key="same-company-title-city")
    repost = located_offer(
        source_offer_id="B2",
        url=None,
        dedup_key="same-company-title-city",
        collected_at=first.collected_at + dt.timedelta(days=20),
    )

    ingest_batch(db_session, [first], run_id="run-1")
    ingest_batch(db_session, [repost], run_id="run-2")

    offer = db_session.scalar(select(Offer))
    assert _count(db_session, Offer) == 1
    assert offer.source_offer_id == "B1"
    assert offer.first_seen_at.replace(tzinfo=dt.UTC) == first.collected_at
    assert offer.last_seen_at.replace(tzinfo=dt.UTC) == repost.collected_at


def test_repost_after_window_is_new_offer(db_session: Session) -> None:
    first = located_offer(source_offer_id="C1", url=None, dedup_key="k")
    later = located_offer(
        source_offer_id="C2",
        url=None,
        dedup_key="k",
        collected_at=first.collected_at + dt.timedelta(days=45),
    )

    ingest_batch(db_session, [first, later], run_id="run-1")

    assert _count(db_session, Offer) == 2


def test_repost_with_other_description_is_new_offer(db_session: Session) -> None:
    first = located_offer(source_offer_id="D1", url=None, dedup_key="k")
    other = located_offer(
        source_offer_id="D2",
        url=None,
        dedup_key="k",
        description="Poste de data engineer streaming : Kafka, Flink, Go et Kubernetes.",
    )

    ingest_batch(db_session, [first, other], run_id="run-1")

    assert _count(db_session, Offer) == 2


def test_same_title_in_two_cities_is_two_offers(db_session: Session) -> None:
    lille = located_offer(source_offer_id="E1", url=None, dedup_key="acme|data engineer|59350")
    lyon = located_offer(source_offer_id="E2", url=None, dedup_key="acme|data engineer|69123")

    ingest_batch(db_session, [lille, lyon], run_id="run-1")

    assert _count(db_session, Offer) == 2


def test_repost_delivered_twice_changes_nothing(db_session: Session) -> None:
    first = located_offer(source_offer_id="F1", url=None, dedup_key="k")
    repost = located_offer(source_offer_id="F2", url=None, dedup_key="k")
    ingest_batch(db_session, [first, repost], run_id="run-1")

    ingest_batch(db_session, [repost], run_id="run-1")

    assert _count(db_session, Offer) == 1
    assert _count(db_session, Sighting) == 2


def test_word_overlap_ignores_case_and_order() -> None:
    assert word_overlap("Spark SQL Airflow", "airflow sql spark") == 1.0
    assert word_overlap("a b", "c d") == 0.0
