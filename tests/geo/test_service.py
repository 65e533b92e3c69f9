"""The geo_match service: one cleaned batch in, one located batch out, unmatched labels kept."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from infra.local.emulator import provision
from services.geo_match.admin import label_key, resolve_label
from services.geo_match.handler import lambda_handler
from services.geo_match.service import UnexpectedMessage, handle_message, located_batch_key
from shared.blobs import LocalBlobStore, decode_batch, encode_batch
from shared.contracts.messages import BatchReady, ChartRequest, parse_message
from shared.contracts.records import CleanOffer, LocatedOffer, PlaceEvidence
from shared.db.models import PlaceAlias, StageBatch, UnmatchedPlace, UnmatchedPlaceOffer
from shared.db.session import make_session_factory
from shared.errors import BatchUnreadable
from shared.messaging import Bus
from shared.runtime import Dependencies, set_dependencies
from shared.settings import Settings
from tests.events import load_sample, sample_names, sqs_event

PREFIX = "datastats-"
COLLECTED_AT = dt.datetime(2026, 11, 4, 6, 0, tzinfo=dt.UTC)


def clean_offer(offer_id: str, place: PlaceEvidence, **overrides: Any) -> CleanOffer:
    values: dict[str, Any] = {
        "source": "france_travail",
        "source_offer_id": offer_id,
        "url": f"https://offres.example/{offer_id}",
        "title": "Data Analyst H/F",
        "role": "data_analyst",
        "place": place,
        "collected_at": COLLECTED_AT,
        "dedup_key": f"dk-{offer_id}",
    }
    values.update(overrides)
    return CleanOffer(**values)


@pytest.fixture()
def token() -> str:
    """A unique word that keeps this test's rows apart in the shared test databases."""
    return uuid.uuid4().hex[:10]


@pytest.fixture()
def deps(
    settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Dependencies]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        session = boto3.session.Session(region_name=settings.aws_region)
        sns, sqs = session.client("sns"), session.client("sqs")
        provision(sns=sns, sqs=sqs, prefix=PREFIX)
        yield Dependencies(
            settings=settings,
            bus=Bus(settings=settings, sns=sns, sqs=sqs),
            blobs=LocalBlobStore(tmp_path / "blobs"),
            engine=engine,
            sessions=make_session_factory(engine),
            boto_session=session,
        )


@pytest.fixture(autouse=True)
def cleanup(engine: Engine, token: str) -> Iterator[None]:
    yield
    with Session(engine) as session, session.begin():
        place_ids = select(UnmatchedPlace.id).where(UnmatchedPlace.label_key.contains(token))
        session.execute(
            delete(UnmatchedPlaceOffer).where(UnmatchedPlaceOffer.place_id.in_(place_ids))
        )
        session.execute(delete(UnmatchedPlace).where(UnmatchedPlace.label_key.contains(token)))
        session.execute(delete(PlaceAlias).where(PlaceAlias.label_key.contains(token)))
        session.execute(delete(StageBatch).where(StageBatch.run_id.contains(token)))


def put_cleaned(deps: Dependencies, token: str, offers: list[CleanOffer]) -> BatchReady:
    uri = deps.blobs.put(f"cleaned/run-{token}/batch.jsonl.gz", encode_batch(offers))
    return BatchReady(
        run_id=f"run-{token}",
        stage="offers_cleaned",
        source="france_travail",
        blob=uri,
        count=len(offers),
    )


def sample_offers(token: str) -> list[CleanOffer]:
    return [
        clean_offer(f"{token}-1", PlaceEvidence(commune_code="69382", label="69 - LYON 02")),
        clean_offer(f"{token}-2", PlaceEvidence(postal_code="44000", label="44 - NANTES")),
        clean_offer(f"{token}-3", PlaceEvidence(label=f"Zone {token}")),
        clean_offer(f"{token}-4", PlaceEvidence(label=f"ZONE {token}")),
        clean_offer(f"{token}-5", PlaceEvidence(label=f"Saint-Denis / {token}")),
        clean_offer(f"{token}-6", PlaceEvidence(label="Télétravail")),
    ]


def located_output(deps: Dependencies, message: BatchReady) -> list[LocatedOffer]:
    key = located_batch_key(message.run_id, message.blob)
    path = deps.blobs.root / key  # type: ignore[attr-defined]
    return decode_batch(path.read_bytes(), LocatedOffer)


def received_located(deps: Dependencies) -> list[dict[str, Any]]:
    response = deps.bus.sqs.receive_message(
        QueueUrl=deps.bus.queue_url("ingest"), MaxNumberOfMessages=10
    )
    return [json.loads(message["Body"]) for message in response.get("Messages", [])]


def unmatched_row(deps: Dependencies, label: str) -> UnmatchedPlace | None:
    with deps.sessions() as session:
        return session.scalar(
            select(UnmatchedPlace).where(UnmatchedPlace.label_key == label_key(label))
        )


def test_handle_message_locates_every_offer(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token))

    handle_message(message, deps)

    methods = [offer.location.method for offer in located_output(deps, message)]
    assert methods == [
        "commune_code",
        "postal_code",
        "unmatched",
        "unmatched",
        "ambiguous",
        "remote",
    ]


def test_handle_message_arrondissement_gives_city(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token))

    handle_message(message, deps)

    lyon = located_output(deps, message)[0]
    assert lyon.location.commune_code == "69123"
    assert lyon.place.commune_code == "69382"


def test_handle_message_publishes_located_batch(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token))

    handle_message(message, deps)

    [published] = received_located(deps)
    assert published["stage"] == "offers_located"
    assert published["count"] == 6
    assert published["run_id"] == message.run_id
    assert published["blob"].endswith(located_batch_key(message.run_id, message.blob))


def test_handle_message_records_unmatched_label_once(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token))

    handle_message(message, deps)

    row = unmatched_row(deps, f"Zone {token}")
    assert row is not None
    assert row.occurrences == 2
    assert row.kind == "unmatched"
    assert row.status == "open"
    assert row.sample_offer_id == f"{token}-3"


def test_handle_message_records_ambiguous_candidates(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token))

    handle_message(message, deps)

    row = unmatched_row(deps, f"Saint-Denis / {token}")
    assert row is not None
    assert row.kind == "ambiguous"
    assert {"93066", "97411"} <= set(row.candidates.split(","))


def test_handle_message_twice_same_database_state(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token)[2:4])

    handle_message(message, deps)
    first = unmatched_row(deps, f"Zone {token}")
    handle_message(message, deps)
    second = unmatched_row(deps, f"Zone {token}")

    assert first is not None and second is not None
    assert second.occurrences == first.occurrences == 2
    assert second.last_seen_at == first.last_seen_at
    with deps.sessions() as session:
        batches = session.scalars(
            select(StageBatch).where(StageBatch.input_blob == message.blob)
        ).all()
    assert len(batches) == 1


def test_handle_message_records_stage_ledger(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, sample_offers(token))

    handle_message(message, deps)

    with deps.sessions() as session:
        batch = session.scalar(
            select(StageBatch).where(
                StageBatch.stage == "geo_match", StageBatch.input_blob == message.blob
            )
        )
    assert batch is not None
    assert (batch.offers_in, batch.offers_out) == (6, 6)
    assert batch.output_blob is not None
    assert batch.output_blob.endswith(".jsonl.gz")


def test_handle_message_applies_alias(deps: Dependencies, token: str) -> None:
    with deps.sessions.begin() as session:
        resolve_label(session, f"Zone {token}", commune="35238")
    message = put_cleaned(deps, token, sample_offers(token)[2:3])

    handle_message(message, deps)

    [offer] = located_output(deps, message)
    assert offer.location.method == "alias"
    assert offer.location.commune_name == "Rennes"
    assert unmatched_row(deps, f"Zone {token}") is None


def test_handle_message_rejects_other_stage(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, [])
    wrong = message.model_copy(update={"stage": "offers_raw"})
    with pytest.raises(UnexpectedMessage, match="'offers_raw'"):
        handle_message(wrong, deps)


def test_handle_message_rejects_other_type(deps: Dependencies, token: str) -> None:
    message = ChartRequest(run_id=f"run-{token}", month="2026-11", role="all")
    with pytest.raises(UnexpectedMessage, match="'chart_request'"):
        handle_message(message, deps)


def test_handle_message_missing_blob_is_permanent(deps: Dependencies, token: str) -> None:
    message = put_cleaned(deps, token, [])
    missing = message.model_copy(update={"blob": message.blob.replace("batch", "absent")})
    with pytest.raises(BatchUnreadable):
        handle_message(missing, deps)


@pytest.mark.parametrize("sample", sample_names())
def test_handle_message_every_producer_sample(deps: Dependencies, token: str, sample: str) -> None:
    message = parse_message(json.dumps(load_sample(sample)))
    if isinstance(message, BatchReady) and message.stage == "offers_cleaned":
        cleaned = put_cleaned(deps, token, sample_offers(token)[:1])
        handle_message(
            message.model_copy(update={"blob": cleaned.blob, "run_id": cleaned.run_id}), deps
        )
        assert received_located(deps)[0]["count"] == 1
    else:
        with pytest.raises(UnexpectedMessage):
            handle_message(message, deps)


def test_lambda_handler_sends_wrong_message_to_dlq(deps: Dependencies, token: str) -> None:
    set_dependencies(deps)
    try:
        body = ChartRequest(run_id=f"run-{token}", month="2026-11", role="all").model_dump_json()
        queue_arn = deps.bus.sqs.get_queue_attributes(
            QueueUrl=deps.bus.queue_url("geo-match"), AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]

        response = lambda_handler(sqs_event(body, queue_arn=queue_arn), None)
    finally:
        set_dependencies(None)

    assert response == {"batchItemFailures": []}
    dead = deps.bus.sqs.receive_message(
        QueueUrl=deps.bus.queue_url("geo-match-dlq"), MessageAttributeNames=["All"]
    )["Messages"]
    assert dead[0]["MessageAttributes"]["error_type"]["StringValue"] == "UnexpectedMessage"
