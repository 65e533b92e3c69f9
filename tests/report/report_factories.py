"""Rows and figures for the report tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.report.figures import (
    DlqDepth,
    QueryFigures,
    RejectionFigures,
    ReportFigures,
    SourceFigures,
    StageFigures,
    StageLink,
    UnmatchedPlaceFigures,
)
from shared.db.models import (
    Offer,
    OfferRejection,
    ScrapeResult,
    StageBatch,
    UnmatchedPlace,
)

REPORT_DATE = dt.date(2025, 3, 3)
# Noon in Paris on the report day.
DAY_NOON = dt.datetime(2025, 3, 3, 11, 0, tzinfo=dt.UTC)
DAY_BEFORE = DAY_NOON - dt.timedelta(days=1)


def add_scrape_result(
    session: Session,
    *,
    query: str = "data engineer",
    status: str = "ok",
    offers: int = 10,
    pages: int = 1,
    source: str = "france_travail",
    department: str = "",
    run_id: str = "run-1",
    finished_at: dt.datetime = DAY_NOON,
) -> None:
    session.add(
        ScrapeResult(
            run_id=run_id,
            source=source,
            query=query,
            department=department,
            status=status,
            offers=offers,
            pages=pages,
            finished_at=finished_at,
        )
    )


def add_stage_batch(
    session: Session,
    *,
    stage: str,
    offers_in: int,
    offers_out: int,
    rejected: dict[str, int] | None = None,
    source: str = "france_travail",
    input_blob: str | None = None,
    created_at: dt.datetime = DAY_NOON,
) -> None:
    session.add(
        StageBatch(
            run_id="run-1",
            stage=stage,
            source=source,
            input_blob=input_blob
            or f"file:///blobs/{stage}/{source}/{created_at.isoformat()}.jsonl.gz",
            output_blob=None,
            offers_in=offers_in,
            offers_out=offers_out,
            rejected=rejected or {},
            created_at=created_at,
        )
    )


def add_rejection(
    session: Session,
    *,
    offer_id: str,
    reason: str,
    stage: str = "clean",
    detail: str | None = None,
    rejected_at: dt.datetime = DAY_NOON,
) -> None:
    session.add(
        OfferRejection(
            run_id="run-1",
            stage=stage,
            source="france_travail",
            source_offer_id=offer_id,
            reason=reason,
            detail=detail,
            rejected_at=rejected_at,
        )
    )


def add_place(
    session: Session,
    *,
    label: str,
    occurrences: int,
    first_seen_at: dt.datetime = DAY_BEFORE,
    status: str = "open",
    kind: str = "unmatched",
) -> None:
    session.add(
        UnmatchedPlace(
            label_key=label.lower(),
            label=label,
            kind=kind,
            occurrences=occurrences,
            sample_source="france_travail",
            status=status,
            first_seen_at=first_seen_at,
            last_seen_at=max(first_seen_at, DAY_NOON),
        )
    )


def add_offer(session: Session, *, offer_id: str, first_seen_at: dt.datetime) -> None:
    session.add(
        Offer(
            source="france_travail",
            source_offer_id=offer_id,
            dedup_key=f"key-{offer_id}",
            title="Data engineer H/F",
            role="data_engineer",
            geo_method="commune_code",
            month=first_seen_at.strftime("%Y-%m"),
            first_seen_at=first_seen_at,
            last_seen_at=first_seen_at,
        )
    )


def make_figures(
    *,
    query: str = "data engineer",
    place_label: str = "Saint-Denis",
    reason: str = "no_title",
    dlq_depth: int | None = 0,
) -> ReportFigures:
    """Report figures built by hand, for rendering tests that need no database."""
    query_figures = QueryFigures(
        source="france_travail", query=query, requests=2, offers=120, pages=3, statuses=(("ok", 2),)
    )
    stages = (
        StageFigures(stage="scrape", batches=2, offers_in=120, offers_out=120, rejected=0),
        StageFigures(stage="clean", batches=2, offers_in=120, offers_out=110, rejected=9),
    )
    return ReportFigures(
        report_date=REPORT_DATE,
        sources=(
            SourceFigures(
                source="france_travail",
                requests=2,
                offers=120,
                pages=3,
                statuses=(("ok", 2),),
                queries=(query_figures,),
            ),
        ),
        stages=stages,
        links=(StageLink(upstream="scrape", downstream="clean", sent=120, received=120),),
        rejections=(
            RejectionFigures(stage="clean", reason=reason, count=9, recorded=9, example=None),
        ),
        rejection_rates=(),
        unmatched_places=(
            UnmatchedPlaceFigures(
                label=place_label,
                kind="ambiguous",
                occurrences=4,
                first_seen_at=DAY_NOON,
                last_seen_at=DAY_NOON,
                sample_source="france_travail",
                is_new=True,
            ),
        ),
        unmatched_open=1,
        unmatched_new=1,
        dlq_depths=(DlqDepth(queue="clean", dlq="clean-dlq", depth=dlq_depth),),
        offers_ingested=110,
        offers_total=1234,
    )
