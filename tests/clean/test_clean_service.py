from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import Engine, func, select

from services.clean.service import UnexpectedMessage, handle_message, output_key
from shared.blobs import LocalBlobStore, decode_batch, encode_batch
from shared.contracts.messages import BatchReady, ReportRequest
from shared.contracts.records import CleanOffer
from shared.db.models import OfferRejection, StageBatch
from shared.db.session import make_session_factory
from shared.errors import BatchUnreadable
from shared.messaging import Bus
from shared.runtime import Dependencies
from shared.settings import Settings
from shared.topology import OFFERS_CLEANED
from tests.clean.factories import job_posting, raw_france_travail, raw_jsonld

REGION = "eu-west-3"
ACCOUNT_ID = "123456789012"


@pytest.fixture()
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture()
def cleaned_queue_url(aws: None, settings: Settings) -> str:
    """An SQS queue subscribed to the offers-cleaned topic, to read what the service publishes."""
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic_arn = sns.create_topic(Name=f"{settings.resource_prefix}{OFFERS_CLEANED}")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="clean-test-listener")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    return queue_url


@pytest.fixture()
def deps(aws: None, tmp_path: Path, engine: Engine) -> Dependencies:
    settings = Settings(home=tmp_path / "home", aws_region=REGION, aws_account_id=ACCOUNT_ID)
    return Dependencies(
        settings=settings,
        bus=Bus(
            settings=settings,
            sns=boto3.client("sns", region_name=REGION),
            sqs=boto3.client("sqs", region_name=REGION),
        ),
        blobs=LocalBlobStore(tmp_path / "blobs"),
        engine=engine,
        sessions=make_session_factory(engine),
        boto_session=None,
    )


def _raw_batch_message(deps: Dependencies, run_id: str) -> BatchReady:
    raws = [
        raw_france_travail("FT1"),
        raw_france_travail("FT2", intitule="Comptable (H/F)"),
        raw_jsonld(job_posting()),
    ]
    uri = deps.blobs.put(f"raw/{run_id}/batch.jsonl.gz", encode_batch(raws))
    return BatchReady(run_id=run_id, stage="offers_raw", source="mixed", blob=uri, count=3)


def _received(queue_url: str) -> list[BatchReady]:
    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [BatchReady.model_validate(json.loads(message["Body"])) for message in messages]


def _run_id() -> str:
    return f"run-{uuid.uuid4().hex[:12]}"


def test_handle_message_writes_clean_batch(deps: Dependencies, cleaned_queue_url: str) -> None:
    message = _raw_batch_message(deps, _run_id())
    handle_message(message, deps)

    published = _received(cleaned_queue_url)
    assert len(published) == 1
    assert published[0].stage == "offers_cleaned"
    assert published[0].count == 2
    offers = decode_batch(deps.blobs.get(published[0].blob), CleanOffer)
    assert [offer.source_offer_id for offer in offers] == ["FT1", "board-1"]


def test_handle_message_output_key_is_deterministic(
    deps: Dependencies, cleaned_queue_url: str
) -> None:
    message = _raw_batch_message(deps, _run_id())
    handle_message(message, deps)
    published = _received(cleaned_queue_url)[0]
    assert deps.blobs.key_of(published.blob) == output_key(message.run_id, message.blob)


def test_handle_message_records_ledger_and_rejections(
    deps: Dependencies, cleaned_queue_url: str
) -> None:
    message = _raw_batch_message(deps, _run_id())
    handle_message(message, deps)

    with deps.sessions() as session:
        batch = session.scalars(
            select(StageBatch).where(
                StageBatch.stage == "clean", StageBatch.input_blob == message.blob
            )
        ).one()
        rejections = session.scalars(
            select(OfferRejection).where(OfferRejection.run_id == message.run_id)
        ).all()
    assert (batch.offers_in, batch.offers_out) == (3, 2)
    assert batch.rejected == {"not_a_data_role": 1}
    assert [(row.source_offer_id, row.reason) for row in rejections] == [("FT2", "not_a_data_role")]


def test_handle_message_twice_is_idempotent(deps: Dependencies, cleaned_queue_url: str) -> None:
    message = _raw_batch_message(deps, _run_id())
    handle_message(message, deps)
    first_output = deps.blobs.get(_received(cleaned_queue_url)[0].blob)
    handle_message(message, deps)
    second_output = deps.blobs.get(_received(cleaned_queue_url)[0].blob)

    with deps.sessions() as session:
        batches = session.scalar(
            select(func.count())
            .select_from(StageBatch)
            .where(StageBatch.input_blob == message.blob)
        )
        rejections = session.scalar(
            select(func.count())
            .select_from(OfferRejection)
            .where(OfferRejection.run_id == message.run_id)
        )
    assert first_output == second_output
    assert batches == 1
    assert rejections == 1


def test_handle_message_rescans_stored_offers(deps: Dependencies, cleaned_queue_url: str) -> None:
    run_id = _run_id()
    handle_message(_raw_batch_message(deps, run_id), deps)
    cleaned = decode_batch(deps.blobs.get(_received(cleaned_queue_url)[0].blob), CleanOffer)
    stale = [offer.model_copy(update={"technologies": ["COBOL"]}) for offer in cleaned]
    uri = deps.blobs.put(f"stored/{run_id}/0.jsonl.gz", encode_batch(stale))

    stored = BatchReady(run_id=run_id, stage="offers_stored", source="stored", blob=uri, count=2)
    handle_message(stored, deps)

    rescanned = decode_batch(deps.blobs.get(_received(cleaned_queue_url)[0].blob), CleanOffer)
    assert rescanned[1].technologies == ["SQL", "Power BI"]


def test_handle_message_rejects_other_message_types(deps: Dependencies) -> None:
    with pytest.raises(UnexpectedMessage):
        handle_message(ReportRequest(run_id="r", date="2025-03-04"), deps)  # type: ignore[arg-type]


def test_handle_message_rejects_other_stage(deps: Dependencies) -> None:
    message = BatchReady(run_id="r", stage="offers_located", source="x", blob="file:///x", count=0)
    with pytest.raises(UnexpectedMessage):
        handle_message(message, deps)


def test_handle_message_unreadable_batch(deps: Dependencies) -> None:
    uri = deps.blobs.put("raw/broken.jsonl.gz", b"not gzip")
    message = BatchReady(run_id="r", stage="offers_raw", source="x", blob=uri, count=1)
    with pytest.raises(BatchUnreadable):
        handle_message(message, deps)


def test_handle_message_missing_batch(deps: Dependencies) -> None:
    message = BatchReady(
        run_id="r",
        stage="offers_raw",
        source="x",
        blob=f"file://{deps.blobs.root}/nope",
        count=1,  # type: ignore[attr-defined]
    )
    with pytest.raises(BatchUnreadable):
        handle_message(message, deps)
