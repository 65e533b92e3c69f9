"""Two ingest transactions at once on PostgreSQL still count every offer."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from services.ingest.service import ingest_batch
from shared.db.models import Base, MonthlyStat
from shared.db.session import make_engine, make_session_factory
from tests.ingest.factories import located_offer


def _someone_waits_for_a_lock(engine: Engine, stop: threading.Event) -> bool:
    """Return True once another transaction waits for a lock, False after 10 s."""
    with engine.connect() as connection:
        for _ in range(200):
            waiting = connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            if waiting.scalar():
                return True
            connection.rollback()
            if stop.wait(timeout=0.05):
                return False
    return False


def _national_offers(engine: Engine) -> int | None:
    with Session(engine) as session:
        return session.scalar(
            select(MonthlyStat.offers).where(
                MonthlyStat.role == "all", MonthlyStat.region_code == "FR"
            )
        )


def test_concurrent_batches_count_every_offer(empty_postgres_url: str) -> None:
    engine = make_engine(empty_postgres_url)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        ingest_batch(session, [located_offer(source_offer_id="P0", dedup_key="k0")], run_id="r0")

    first_ingested = threading.Event()
    second_waits = threading.Event()
    stop = threading.Event()
    errors: list[BaseException] = []

    def ingest(offer_id: str, *, hold: bool) -> None:
        try:
            with sessions.begin() as session:
                offer = located_offer(source_offer_id=offer_id, dedup_key=f"k-{offer_id}")
                ingest_batch(session, [offer], run_id=f"run-{offer_id}")
                if hold:
                    first_ingested.set()
                    # Commit only once the other transaction is blocked behind this one.
                    if _someone_waits_for_a_lock(engine, stop):
                        second_waits.set()
        except BaseException as exc:
            errors.append(exc)
            first_ingested.set()

    first = threading.Thread(target=ingest, args=("P1",), kwargs={"hold": True})
    first.start()
    first_ingested.wait(timeout=30)
    second = threading.Thread(target=ingest, args=("P2",), kwargs={"hold": False})
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    stop.set()

    total = _national_offers(engine)
    engine.dispose()
    assert errors == []
    assert second_waits.is_set()
    assert total == 3
