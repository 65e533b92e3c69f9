"""Tests of the report service: stored row, outbox file, SES with moto and the Lambda handler."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import uuid

import pytest
from report_factories import REPORT_DATE, add_place, add_scrape_result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.report.handler import lambda_handler
from services.report.mailer import ReportRejectedBySes
from services.report.service import (
    ReportDateInFuture,
    UnexpectedMessage,
    handle_message,
    run_report,
)
from shared.contracts.messages import ChartRequest, ReportRequest
from shared.db.models import DailyReport
from shared.runtime import Dependencies, set_dependencies
from shared.topology import REPORT_REQUESTS

SENDER = "rapport@datastats.fr"


def report_count(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(DailyReport))


def add_day_data(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_scrape_result(session, offers=12, pages=2)
        add_place(session, label="Saint-Denis", occurrences=3)


def use_ses(deps: Dependencies) -> Dependencies:
    deps.settings = deps.settings.model_copy(update={"use_ses": True, "mail_sender": SENDER})
    return deps


def sent_emails(deps: Dependencies) -> int:
    ses = deps.boto_session.client("ses")
    return int(ses.get_send_quota()["SentLast24Hours"])


def test_run_report_stores_one_row_on_redelivery(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_day_data(sessions)
    request = ReportRequest(run_id="run-1", date=REPORT_DATE)

    handle_message(request, queues)
    handle_message(request, queues)

    assert report_count(sessions) == 1


def test_run_report_stored_row_is_french(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_day_data(sessions)

    run_report(queues, report_date=REPORT_DATE)

    with sessions.begin() as session:
        row = session.scalars(select(DailyReport)).one()
    assert row.report_date == REPORT_DATE
    assert row.subject == "Rapport quotidien Datastats du 3 mars 2025"
    assert "Collecte par source et par requête" in row.text


def test_run_report_updates_row_when_data_changes(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_day_data(sessions)
    run_report(queues, report_date=REPORT_DATE)
    with sessions.begin() as session:
        add_place(session, label="Zone Nord", occurrences=1)

    outcome = run_report(queues, report_date=REPORT_DATE)

    with sessions.begin() as session:
        row = session.scalars(select(DailyReport)).one()
    assert outcome.changed is True
    assert "Zone Nord" in row.html


def test_run_report_writes_outbox_file_once(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_day_data(sessions)

    run_report(queues, report_date=REPORT_DATE)
    run_report(queues, report_date=REPORT_DATE)

    files = sorted(path.name for path in queues.settings.outbox_dir.iterdir())
    assert files == ["daily-report-2025-03-03.eml"]


def test_run_report_outbox_message_is_multipart_utf8(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    add_day_data(sessions)

    outcome = run_report(queues, report_date=REPORT_DATE)

    raw = (queues.settings.outbox_dir / "daily-report-2025-03-03.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert outcome.delivery.endswith("daily-report-2025-03-03.eml")
    assert message["Subject"] == "Rapport quotidien Datastats du 3 mars 2025"
    assert message["From"] == queues.settings.mail_sender
    assert message["To"] == ", ".join(queues.settings.mail_recipients)
    assert message.get_content_type() == "multipart/alternative"
    assert "Rapprochement des étapes" in message.get_body(("plain",)).get_content()
    assert "<h2>Rapprochement des étapes</h2>" in message.get_body(("html",)).get_content()
    assert message.get_body(("html",)).get_content_charset() == "utf-8"


def test_run_report_sends_with_ses(queues: Dependencies, sessions: sessionmaker[Session]) -> None:
    deps = use_ses(queues)
    deps.boto_session.client("ses").verify_email_identity(EmailAddress=SENDER)
    add_day_data(sessions)

    outcome = run_report(deps, report_date=REPORT_DATE)

    assert outcome.delivery == "ses"
    assert sent_emails(deps) == 1
    assert not deps.settings.outbox_dir.exists()


def test_run_report_ses_redelivery_sends_once(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    deps = use_ses(queues)
    deps.boto_session.client("ses").verify_email_identity(EmailAddress=SENDER)
    add_day_data(sessions)

    run_report(deps, report_date=REPORT_DATE)
    second = run_report(deps, report_date=REPORT_DATE)

    assert second.delivery == "ses-skipped"
    assert sent_emails(deps) == 1


def test_run_report_unverified_sender_is_permanent(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    deps = use_ses(queues)
    add_day_data(sessions)

    with pytest.raises(ReportRejectedBySes, match=re.escape(SENDER)):
        run_report(deps, report_date=REPORT_DATE)

    assert report_count(sessions) == 0


def test_run_report_shows_dlq_depth(queues: Dependencies, sessions: sessionmaker[Session]) -> None:
    queues.bus.sqs.send_message(QueueUrl=queues.bus.queue_url("ingest-dlq"), MessageBody="{}")

    outcome = run_report(queues, report_date=REPORT_DATE)

    assert "ingest-dlq: 1" in outcome.report.text


def test_run_report_without_queues_shows_unknown_depth(
    deps: Dependencies, sessions: sessionmaker[Session]
) -> None:
    outcome = run_report(deps, report_date=REPORT_DATE)

    assert "ingest-dlq: inconnu" in outcome.report.text


def test_handle_message_rejects_future_date(deps: Dependencies) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=2)

    with pytest.raises(ReportDateInFuture, match=tomorrow.isoformat()):
        handle_message(ReportRequest(run_id="run-1", date=tomorrow), deps)


def test_handle_message_rejects_other_message_type(deps: Dependencies) -> None:
    with pytest.raises(UnexpectedMessage, match="chart_request"):
        handle_message(ChartRequest(run_id="run-1", month="2025-03", role="all"), deps)


def test_lambda_handler_builds_requested_report(
    queues: Dependencies, sessions: sessionmaker[Session]
) -> None:
    queue_name = queues.bus.physical_name(REPORT_REQUESTS)
    event = {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "receipt-1",
                "body": ReportRequest(run_id="run-1", date=REPORT_DATE).model_dump_json(),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:eu-west-3:123456789012:{queue_name}",
                "awsRegion": "eu-west-3",
            }
        ]
    }
    set_dependencies(queues)
    try:
        response = lambda_handler(event, None)
    finally:
        set_dependencies(None)

    assert response == {"batchItemFailures": []}
    assert report_count(sessions) == 1
