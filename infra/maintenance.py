"""Maintenance jobs: send stored offers through a pipeline stage again, in batches, via the queues.

A technology added, renamed or removed re-scans every stored offer through the
clean stage. A place alias re-places the offers carrying that label through the
geo_match stage. Both produce ordinary batch files and messages, so the same
consumers do the work and the statistics follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from infra.export import technologies_by_offer
from infra.local.pipeline import new_run_id
from shared.blobs import encode_batch
from shared.contracts.messages import BatchReady, BatchStage
from shared.contracts.records import CleanOffer, PlaceEvidence, Salary
from shared.db.models import Offer, as_utc
from shared.runtime import Dependencies, build_dependencies
from shared.settings import Settings
from shared.topology import CHART_REQUESTS, OFFERS_CLEANED, OFFERS_RAW

REPLAY_BATCH_SIZE = 200
REPLAY_SOURCE = "stored"

# The topic that feeds each stage, and the batch stage name that stage accepts.
STAGE_ENTRIES: dict[str, tuple[str, BatchStage]] = {
    "clean": (OFFERS_RAW, "offers_stored"),
    "geo_match": (OFFERS_CLEANED, "offers_cleaned"),
}


def stored_offer_record(offer: Offer, technologies: Sequence[str]) -> CleanOffer:
    """Rebuild the clean record of a stored offer, with the evidence its source gave."""
    salary = None
    if offer.salary_period:
        salary = Salary(
            period=offer.salary_period,  # type: ignore[arg-type]
            min=offer.salary_min,
            max=offer.salary_max,
            currency=offer.salary_currency or "EUR",
            months_paid=offer.salary_months_paid,
            yearly_min=offer.salary_yearly_min,
            yearly_max=offer.salary_yearly_max,
            origin=offer.salary_origin or "stored",
            flags=[flag for flag in (offer.salary_flags or "").split(";") if flag],
        )
    return CleanOffer(
        source=offer.source,
        source_offer_id=offer.source_offer_id,
        url=offer.url,
        title=offer.title,
        description=offer.description,
        role=offer.role,
        role_mixed=offer.role_mixed,
        seniority=offer.seniority,  # type: ignore[arg-type]
        company=offer.company,
        contract_type=offer.contract_type,  # type: ignore[arg-type]
        contract_duration_months=offer.contract_duration_months,
        remote=offer.remote,  # type: ignore[arg-type]
        experience_years_min=offer.experience_years_min,
        salary=salary,
        salary_unreadable=offer.salary_unreadable,
        technologies=sorted(technologies),
        place=PlaceEvidence(
            commune_code=offer.place_commune_code,
            postal_code=offer.postal_code,
            label=offer.place_label,
        ),
        published_at=as_utc(offer.published_at) if offer.published_at else None,
        collected_at=as_utc(offer.last_seen_at),
        dedup_key=offer.dedup_key,
    )


def _chunks(session: Session, query: Select[tuple[Offer]], size: int) -> Iterator[list[Offer]]:
    offers = list(session.scalars(query.order_by(Offer.id)))
    for start in range(0, len(offers), size):
        yield offers[start : start + size]


def replay_offers(
    deps: Dependencies,
    *,
    run_id: str,
    stage: str,
    query: Select[tuple[Offer]] | None = None,
    batch_size: int = REPLAY_BATCH_SIZE,
) -> int:
    """Publish the stored offers matching `query` as batches entering `stage`; return the count."""
    try:
        topic, batch_stage = STAGE_ENTRIES[stage]
    except KeyError as exc:
        raise ValueError(
            f"cannot replay into stage {stage!r}; expected one of {sorted(STAGE_ENTRIES)}"
        ) from exc

    sent = 0
    with deps.sessions() as session:
        for index, offers in enumerate(
            _chunks(session, query if query is not None else select(Offer), batch_size)
        ):
            technologies = technologies_by_offer(session, [offer.id for offer in offers])
            records = [
                stored_offer_record(offer, technologies.get(offer.id, [])) for offer in offers
            ]
            uri = deps.blobs.put(
                f"replay/{run_id}/{stage}/{index:05d}.jsonl.gz",
                encode_batch(records),
                content_type="application/gzip",
            )
            deps.bus.publish(
                topic,
                BatchReady(
                    run_id=run_id,
                    stage=batch_stage,
                    source=REPLAY_SOURCE,
                    blob=uri,
                    count=len(records),
                ),
            )
            sent += len(records)
    return sent


def offer_ids_with_label(session: Session, key: str, label_key: Callable[[str], str]) -> list[int]:
    """Return the ids of the stored offers whose place label normalises to `key`."""
    rows = session.execute(
        select(Offer.id, Offer.place_label).where(Offer.place_label.is_not(None))
    )
    return [offer_id for offer_id, label in rows if label_key(label) == key]


MaintenanceAction = Callable[[Dependencies, str], int]


@dataclass(frozen=True)
class MaintenanceOutcome:
    offers_sent: int
    dead_lettered: int


def run_maintenance(
    settings: Settings, action: MaintenanceAction, *, redraw_charts: bool
) -> MaintenanceOutcome:
    """Run `action` (which publishes replay batches) and let the pipeline process them.

    In the cloud the Lambda functions consume the batches; on one machine the
    embedded runtime starts, drains every queue, then redraws the charts.
    """
    run_id = new_run_id()
    if settings.blob_bucket:
        # NOTE: in the cloud the Lambda functions process the batches after this
        # returns, so dead-lettered messages show in the daily report, not here.
        return MaintenanceOutcome(action(build_dependencies(settings), run_id), 0)

    from infra.local.pipeline import LocalRuntime, chart_requests, dead_letter_depths

    with LocalRuntime(settings, serve_france_travail=False) as runtime:
        sent = action(runtime.dependencies, run_id)
        runtime.drain()
        if redraw_charts:
            deps = runtime.dependencies
            with deps.sessions() as session:
                charts = chart_requests(session, run_id)
            for chart in charts:
                deps.bus.send(CHART_REQUESTS, chart)
            runtime.drain()
        dead = sum(dead_letter_depths(runtime.dependencies, runtime.queues).values())
    return MaintenanceOutcome(sent, dead)
