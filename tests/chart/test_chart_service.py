"""Tests of the chart service: blobs, manifest rows, idempotency and the Lambda handler."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import matplotlib.image
import pytest
from chart_factories import add_stat, add_technology
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.chart.handler import lambda_handler
from services.chart.service import (
    CHART_KINDS,
    UnexpectedMessage,
    UnknownRole,
    build_chart_set,
    handle_message,
)
from shared.charts import localized_chart_key
from shared.contracts.messages import ChartRequest, ReportRequest
from shared.db.models import ChartManifest, MonthlyStat
from shared.runtime import Dependencies, set_dependencies
from shared.topology import CHART_REQUESTS, TOPOLOGY

MONTH = "2025-03"
ROLE = "data_engineer"


def add_two_regions(sessions: sessionmaker[Session]) -> None:
    """France with Île-de-France (offers this month) and Bretagne (none ever)."""
    with sessions.begin() as session:
        add_stat(session, month=MONTH, region_code="FR", offers=10, contracts={"cdi": 8, "cdd": 2})
        add_stat(session, month="2025-02", region_code="FR", offers=4, contracts={"cdi": 4})
        add_stat(session, month=MONTH, region_code="11", offers=10, contracts={"cdi": 8, "cdd": 2})
        add_stat(session, month=MONTH, region_code="53", offers=0)
        add_technology(session, month=MONTH, region_code="FR", technology="Python", offers=7)
        add_technology(session, month=MONTH, region_code="11", technology="Python", offers=7)


def manifest_count(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        return session.scalar(
            select(func.count()).select_from(ChartManifest).where(ChartManifest.role == ROLE)
        )


def read_blob(deps: Dependencies, key: str) -> bytes:
    return (deps.blobs.root / key).read_bytes()


def test_build_chart_set_lists_regions_with_offers(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    assert sorted(result.charts) == ["11", "FR"]
    assert sorted(result.charts["FR"]) == sorted(CHART_KINDS)
    assert sorted(result.charts["11"]) == sorted(CHART_KINDS)


def test_build_chart_set_skips_region_without_offers(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    assert "53" not in result.charts
    assert not list(deps.blobs.root.glob(f"charts/{ROLE}/{MONTH}/*/53"))


def test_build_chart_set_writes_decodable_pngs(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    for kinds in result.charts.values():
        for key in kinds.values():
            png = read_blob(deps, key)
            assert png.startswith(b"\x89PNG\r\n\x1a\n"), key
            assert matplotlib.image.imread(io.BytesIO(png)).shape[:2] == (450, 800), key


def test_build_chart_set_uses_versioned_keys(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    expected = f"charts/{ROLE}/{MONTH}/{result.version}/11/top_technologies.png"
    assert result.charts["11"]["top_technologies"] == expected


def test_build_chart_set_stores_manifest_row_and_blob(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    with sessions.begin() as session:
        row = session.scalars(select(ChartManifest).where(ChartManifest.role == ROLE)).one()
    assert row.month == MONTH
    assert row.version == result.version
    assert row.charts == result.charts
    assert row.manifest_blob == f"charts/{ROLE}/{MONTH}/{result.version}/manifest.json"
    document = json.loads(read_blob(deps, row.manifest_blob))
    assert document["charts"] == result.charts
    assert document["regions"] == {"FR": "France entière", "11": "Île-de-France"}


def test_build_chart_set_twice_same_version_one_row(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    first = build_chart_set(deps, role=ROLE, month=MONTH)
    second = build_chart_set(deps, role=ROLE, month=MONTH)

    assert second.version == first.version
    assert second.charts == first.charts
    assert second.drawn is False
    assert manifest_count(sessions) == 1


def test_build_chart_set_new_data_new_version(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)
    first = build_chart_set(deps, role=ROLE, month=MONTH)
    with sessions.begin() as session:
        add_technology(session, month=MONTH, region_code="FR", technology="dbt", offers=3)

    second = build_chart_set(deps, role=ROLE, month=MONTH)

    assert second.version != first.version
    assert manifest_count(sessions) == 2


def test_build_chart_set_reverted_data(deps: Dependencies, sessions: sessionmaker[Session]) -> None:
    add_two_regions(sessions)
    first = build_chart_set(deps, role=ROLE, month=MONTH)
    with sessions.begin() as session:
        row = session.scalars(
            select(MonthlyStat).where(MonthlyStat.region_code == "FR", MonthlyStat.month == MONTH)
        ).one()
        row.offers = 11
    build_chart_set(deps, role=ROLE, month=MONTH)
    with sessions.begin() as session:
        row = session.scalars(
            select(MonthlyStat).where(MonthlyStat.region_code == "FR", MonthlyStat.month == MONTH)
        ).one()
        row.offers = 10

    build_chart_set(deps, role=ROLE, month=MONTH)

    with sessions.begin() as session:
        newest = session.scalars(
            select(ChartManifest.version)
            .where(ChartManifest.role == ROLE, ChartManifest.month == MONTH)
            .order_by(ChartManifest.created_at.desc())
        ).first()
    assert newest == first.version
    assert manifest_count(sessions) == 2


def test_build_chart_set_without_statistics_draws_france_only(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    result = build_chart_set(deps, role="data_steward", month=MONTH)

    assert list(result.charts) == ["FR"]


def test_build_chart_set_measures_seconds_per_chart(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    assert result.chart_count == 12  # 2 regions x 3 kinds x 2 languages
    assert result.seconds_per_chart is not None
    assert result.seconds_per_chart > 0


def test_handle_message_rejects_unknown_role(deps: Dependencies) -> None:
    request = ChartRequest(run_id="run-1", month=MONTH, role="astronaut")

    with pytest.raises(UnknownRole, match="astronaut"):
        handle_message(request, deps)


def test_handle_message_rejects_other_message_type(deps: Dependencies) -> None:
    request = ReportRequest(run_id="run-1", date=dt.date(2025, 3, 3))

    with pytest.raises(UnexpectedMessage, match="report_request"):
        handle_message(request, deps)


def sqs_event(body: str, queue_arn: str) -> dict[str, object]:
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "receipt-1",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1740000000000",
                    "SenderId": "sender",
                    "ApproximateFirstReceiveTimestamp": "1740000000000",
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "eu-west-3",
            }
        ]
    }


def test_lambda_handler_draws_requested_chart_set(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)
    arn = f"arn:aws:sqs:eu-west-3:123456789012:{deps.settings.resource_prefix}{CHART_REQUESTS}"
    body = ChartRequest(run_id="run-1", month=MONTH, role=ROLE).model_dump_json()
    set_dependencies(deps)
    try:
        response = lambda_handler(sqs_event(body, arn), None)
    finally:
        set_dependencies(None)

    assert response == {"batchItemFailures": []}
    assert manifest_count(sessions) == 1


def test_lambda_handler_sends_unknown_role_to_dlq(deps: Dependencies) -> None:
    for name in (CHART_REQUESTS, TOPOLOGY.queue(CHART_REQUESTS).dlq_name):
        deps.bus.sqs.create_queue(QueueName=deps.bus.physical_name(name))
    arn = f"arn:aws:sqs:eu-west-3:123456789012:{deps.settings.resource_prefix}{CHART_REQUESTS}"
    body = ChartRequest(run_id="run-1", month=MONTH, role="astronaut").model_dump_json()
    set_dependencies(deps)
    try:
        response = lambda_handler(sqs_event(body, arn), None)
    finally:
        set_dependencies(None)

    dlq_url = deps.bus.queue_url(TOPOLOGY.queue(CHART_REQUESTS).dlq_name)
    messages = deps.bus.sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])
    assert response == {"batchItemFailures": []}
    assert (
        messages["Messages"][0]["MessageAttributes"]["error_type"]["StringValue"] == "UnknownRole"
    )


def test_english_images_sit_beside_french_ones(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_two_regions(sessions)

    result = build_chart_set(deps, role=ROLE, month=MONTH)

    french_key = result.charts["FR"]["offers_per_month"]
    english_key = localized_chart_key(french_key, "en")
    french = deps.blobs.get(f"file://{deps.blobs.root}/{french_key}")
    english = deps.blobs.get(f"file://{deps.blobs.root}/{english_key}")
    assert english_key.endswith("/offers_per_month.en.png")
    assert english.startswith(b"\x89PNG")
    assert english != french


def test_manifest_records_languages(deps: Dependencies, sessions: sessionmaker[Session]) -> None:
    add_two_regions(sessions)

    build_chart_set(deps, role=ROLE, month=MONTH)

    with sessions() as session:
        languages = session.scalar(select(ChartManifest.languages))
    assert languages == "fr,en"
