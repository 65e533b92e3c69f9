"""Tests of the daily report figures read from the database and from the dead-letter queues."""

from __future__ import annotations

import datetime as dt

from report_factories import (
    DAY_BEFORE,
    DAY_NOON,
    REPORT_DATE,
    add_offer,
    add_place,
    add_rejection,
    add_scrape_result,
    add_stage_batch,
)
from sqlalchemy.orm import Session

from services.report.figures import (
    collect_report_figures,
    day_bounds,
    read_dlq_depths,
)
from shared.runtime import Dependencies


def figures_of(session: Session, report_date: dt.date = REPORT_DATE):
    session.flush()
    return collect_report_figures(session, report_date=report_date, dlq_depths=())


def test_day_bounds_follow_paris_time() -> None:
    start, end = day_bounds(dt.date(2025, 7, 14))

    assert start == dt.datetime(2025, 7, 13, 22, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2025, 7, 14, 22, 0, tzinfo=dt.UTC)


def test_collection_sums_per_source_and_query(db_session: Session) -> None:
    add_scrape_result(db_session, query="data engineer", offers=10, pages=2, department="75")
    add_scrape_result(db_session, query="data engineer", offers=5, pages=1, department="69")
    add_scrape_result(db_session, query="data analyst", status="rate_limited", offers=0, pages=0)

    figures = figures_of(db_session)

    [source] = figures.sources
    engineer = next(query for query in source.queries if query.query == "data engineer")
    assert engineer.requests == 2
    assert engineer.offers == 15
    assert engineer.pages == 3
    assert engineer.statuses == (("ok", 2),)
    assert source.offers == 15
    assert source.statuses == (("ok", 2), ("rate_limited", 1))


def test_collection_ignores_other_days(db_session: Session) -> None:
    add_scrape_result(db_session, offers=10, finished_at=DAY_BEFORE)

    figures = figures_of(db_session)

    assert figures.sources == ()


def test_stages_add_up_when_balanced(db_session: Session) -> None:
    add_stage_batch(
        db_session, stage="scrape", offers_in=12, offers_out=10, rejected={"no_title": 2}
    )
    add_stage_batch(db_session, stage="clean", offers_in=10, offers_out=9, rejected={"no_role": 1})
    add_stage_batch(db_session, stage="geo_match", offers_in=9, offers_out=9)
    add_stage_batch(db_session, stage="ingest", offers_in=9, offers_out=9)

    figures = figures_of(db_session)

    assert [stage.stage for stage in figures.stages] == ["scrape", "clean", "geo_match", "ingest"]
    assert all(stage.balanced for stage in figures.stages)
    assert all(link.balanced for link in figures.links)


def test_stage_with_missing_offers_is_unbalanced(db_session: Session) -> None:
    add_stage_batch(db_session, stage="clean", offers_in=10, offers_out=7, rejected={"no_role": 1})

    figures = figures_of(db_session)

    clean = figures.stages[1]
    assert clean.rejected == 1
    assert clean.unaccounted == 2
    assert clean.balanced is False


def test_stage_link_shows_gap(db_session: Session) -> None:
    add_stage_batch(db_session, stage="clean", offers_in=10, offers_out=10)
    add_stage_batch(db_session, stage="geo_match", offers_in=6, offers_out=6)

    figures = figures_of(db_session)

    clean_to_geo = figures.links[1]
    assert (clean_to_geo.upstream, clean_to_geo.downstream) == ("clean", "geo_match")
    assert clean_to_geo.gap == 4


def test_scrape_stage_from_results_without_scrape_batches(db_session: Session) -> None:
    add_scrape_result(db_session, offers=10)
    add_scrape_result(db_session, query="data analyst", offers=4)
    add_stage_batch(db_session, stage="clean", offers_in=14, offers_out=14)

    figures = figures_of(db_session)

    assert figures.stages[0].offers_out == 14
    assert figures.stages[0].batches == 2
    assert figures.links[0].balanced is True


def test_rejections_by_reason_count_ledger_and_rows(db_session: Session) -> None:
    add_stage_batch(
        db_session,
        stage="clean",
        offers_in=10,
        offers_out=7,
        rejected={"no_title": 2, "no_role": 1},
    )
    add_rejection(db_session, offer_id="a", reason="no_title", detail="empty title")
    add_rejection(db_session, offer_id="b", reason="no_title")
    add_rejection(db_session, offer_id="c", reason="no_role")
    add_rejection(db_session, offer_id="d", reason="no_role", rejected_at=DAY_BEFORE)

    figures = figures_of(db_session)

    by_reason = {rejection.reason: rejection for rejection in figures.rejections}
    assert by_reason["no_title"].count == 2
    assert by_reason["no_title"].recorded == 2
    assert by_reason["no_title"].example == "empty title"
    assert by_reason["no_role"].recorded == 1
    assert [rejection.reason for rejection in figures.rejections] == ["no_title", "no_role"]


def test_rejection_rate_jump_is_flagged(db_session: Session) -> None:
    add_stage_batch(
        db_session,
        stage="clean",
        offers_in=100,
        offers_out=95,
        rejected={"no_title": 5},
        created_at=DAY_BEFORE,
    )
    add_stage_batch(
        db_session, stage="clean", offers_in=100, offers_out=60, rejected={"no_jobposting": 40}
    )

    figures = figures_of(db_session)

    [rate] = figures.rejection_rates
    assert rate.rate == 0.4
    assert rate.baseline_rate == 0.05
    assert rate.jumped is True


def test_rejection_rate_steady_is_not_flagged(db_session: Session) -> None:
    add_stage_batch(
        db_session,
        stage="clean",
        offers_in=100,
        offers_out=90,
        rejected={"no_title": 10},
        created_at=DAY_BEFORE,
    )
    add_stage_batch(
        db_session, stage="clean", offers_in=100, offers_out=88, rejected={"no_title": 12}
    )

    figures = figures_of(db_session)

    assert figures.rejection_rates[0].jumped is False


def test_unmatched_places_open_ones_by_occurrences(db_session: Session) -> None:
    add_place(db_session, label="Saint-Denis", occurrences=3)
    add_place(db_session, label="Zone Nord", occurrences=9, first_seen_at=DAY_NOON)
    add_place(db_session, label="Resolved", occurrences=50, status="resolved")
    add_place(
        db_session, label="Tomorrow", occurrences=50, first_seen_at=DAY_NOON + dt.timedelta(days=1)
    )

    figures = figures_of(db_session)

    assert [place.label for place in figures.unmatched_places] == ["Zone Nord", "Saint-Denis"]
    assert [place.is_new for place in figures.unmatched_places] == [True, False]
    assert figures.unmatched_open == 2
    assert figures.unmatched_new == 1


def test_offers_ingested_on_day_and_in_total(db_session: Session) -> None:
    add_offer(db_session, offer_id="old", first_seen_at=DAY_BEFORE)
    add_offer(db_session, offer_id="today", first_seen_at=DAY_NOON)
    add_offer(
        db_session,
        offer_id="late-paris",
        first_seen_at=dt.datetime(2025, 3, 3, 23, 30, tzinfo=dt.UTC),
    )

    figures = figures_of(db_session)

    assert figures.offers_ingested == 1
    assert figures.offers_total == 2


def test_read_dlq_depths_counts_messages(queues: Dependencies) -> None:
    bus = queues.bus
    dlq_url = bus.queue_url("clean-dlq")
    for body in ("first", "second"):
        bus.sqs.send_message(QueueUrl=dlq_url, MessageBody=body)

    depths = {depth.queue: depth.depth for depth in read_dlq_depths(bus)}

    assert depths["clean"] == 2
    assert depths["ingest"] == 0


def test_read_dlq_depths_missing_queue_is_unknown(queues: Dependencies) -> None:
    bus = queues.bus
    bus.sqs.delete_queue(QueueUrl=bus.queue_url("ingest-dlq"))
    bus._queue_urls.clear()

    depths = {depth.queue: depth.depth for depth in read_dlq_depths(bus)}

    assert depths["ingest"] is None
    assert depths["clean"] == 0
