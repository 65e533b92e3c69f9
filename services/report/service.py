"""Build the daily report of one day, store it and send it to the admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aws_lambda_powertools import Logger
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.report.figures import REPORT_TIMEZONE, collect_report_figures, read_dlq_depths
from services.report.mailer import build_email, send_with_ses, write_outbox
from services.report.rendering import DEFAULT_LANGUAGE, RenderedReport, render_report
from shared.aws import client
from shared.contracts.messages import Message, ReportRequest
from shared.db.models import DailyReport, utcnow
from shared.errors import PermanentError
from shared.runtime import Dependencies

logger = Logger(service="report")


class UnexpectedMessage(PermanentError):
    """The report queue received a message that is not a report request."""


class ReportDateInFuture(PermanentError):
    """A report was requested for a day that has not started yet in Paris."""


@dataclass(frozen=True, kw_only=True)
class ReportOutcome:
    """Result of one report request: whether the stored report changed and how it was sent."""

    report_date: dt.date
    changed: bool
    delivery: str
    report: RenderedReport


def store_report(session: Session, *, report_date: dt.date, report: RenderedReport) -> bool:
    """Insert or update the report of `report_date`.

    Returns False when the stored report is already identical. The caller owns the transaction.
    """
    row = session.scalar(select(DailyReport).where(DailyReport.report_date == report_date))
    if row is None:
        session.add(
            DailyReport(
                report_date=report_date,
                subject=report.subject,
                html=report.html,
                text=report.text,
                created_at=utcnow(),
            )
        )
        session.flush()
        return True
    if (row.subject, row.html, row.text) == (report.subject, report.html, report.text):
        return False
    row.subject = report.subject
    row.html = report.html
    row.text = report.text
    row.created_at = utcnow()
    session.flush()
    return True


def _check_request(message: Message, today: dt.date) -> ReportRequest:
    if not isinstance(message, ReportRequest):
        raise UnexpectedMessage(f"report expected a 'report_request' message, got {message.type!r}")
    if message.date > today:
        raise ReportDateInFuture(
            f"report date {message.date.isoformat()!r} is after today ({today.isoformat()}) "
            "in Paris; expected a day that has started"
        )
    return message


def _deliver(
    deps: Dependencies, report: RenderedReport, report_date: dt.date, *, changed: bool
) -> str:
    """Send the report; returns `ses`, `ses-skipped` (already sent unchanged) or the outbox path."""
    settings = deps.settings
    if settings.use_ses:
        if not changed:
            return "ses-skipped"
        ses = client(settings, "ses", deps.boto_session)
        send_with_ses(ses, report, sender=settings.mail_sender, recipients=settings.mail_recipients)
        return "ses"
    message = build_email(
        report,
        sender=settings.mail_sender,
        recipients=settings.mail_recipients,
        report_date=report_date,
    )
    return str(write_outbox(message, outbox_dir=settings.outbox_dir, report_date=report_date))


def run_report(
    deps: Dependencies, *, report_date: dt.date, language: str = DEFAULT_LANGUAGE
) -> ReportOutcome:
    """Build, store and send the report of `report_date`.

    The report is sent before the transaction commits, so a failed send leaves no
    stored row and the retry sends again. A report already stored unchanged is not
    sent through SES a second time, but its outbox file is rewritten.
    NOTE: if the commit fails after SES accepted the e-mail, the retry sends it again.
    """
    dlq_depths = read_dlq_depths(deps.bus)
    with deps.sessions.begin() as session:
        figures = collect_report_figures(session, report_date=report_date, dlq_depths=dlq_depths)
        report = render_report(figures, language=language)
        changed = store_report(session, report_date=report_date, report=report)
        delivery = _deliver(deps, report, report_date, changed=changed)
    logger.info(
        "daily report done", report_date=report_date.isoformat(), changed=changed, delivery=delivery
    )
    return ReportOutcome(report_date=report_date, changed=changed, delivery=delivery, report=report)


def paris_today() -> dt.date:
    return dt.datetime.now(REPORT_TIMEZONE).date()


def handle_message(
    message: Message, deps: Dependencies, *, language: str = DEFAULT_LANGUAGE
) -> None:
    """Handle one message of the report-requests queue."""
    request = _check_request(message, paris_today())
    run_report(deps, report_date=request.date, language=language)
