"""Send the daily report: through Amazon SES, or as an `.eml` file in the local outbox."""

from __future__ import annotations

import datetime as dt
import email.utils
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from services.report.rendering import RenderedReport
from shared.errors import PermanentError, TransientError

# SES error codes that a retry cannot fix; a fixed setting and a redrive from the
# dead-letter queue can.
PERMANENT_SES_ERRORS = frozenset(
    {
        "MessageRejected",
        "MailFromDomainNotVerifiedException",
        "ConfigurationSetDoesNotExistException",
        "InvalidParameterValue",
    }
)


class ReportRejectedBySes(PermanentError):
    """SES rejected the report, for instance because the sender identity is not verified."""


class ReportDeliveryFailed(TransientError):
    """SES or the outbox folder could not be reached; a later try may succeed."""


def outbox_path(outbox_dir: Path, report_date: dt.date) -> Path:
    return outbox_dir / f"daily-report-{report_date.isoformat()}.eml"


def build_email(
    report: RenderedReport, *, sender: str, recipients: list[str], report_date: dt.date
) -> EmailMessage:
    """Build a multipart (plain text + HTML) UTF-8 message of the report."""
    message = EmailMessage()
    message["Subject"] = report.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = email.utils.format_datetime(dt.datetime.now(dt.UTC))
    domain = sender.rpartition("@")[2] or "datastats.local"
    message["Message-ID"] = f"<daily-report-{report_date.isoformat()}@{domain}>"
    message["Content-Language"] = report.language
    message.set_content(report.text, subtype="plain", charset="utf-8")
    message.add_alternative(report.html, subtype="html", charset="utf-8")
    return message


def write_outbox(message: EmailMessage, *, outbox_dir: Path, report_date: dt.date) -> Path:
    """Write `message` as the report's `.eml` file, replacing the file of an earlier delivery."""
    path = outbox_path(outbox_dir, report_date)
    temporary = path.with_name(path.name + ".part")
    try:
        outbox_dir.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(message.as_bytes())
        temporary.replace(path)
    except OSError as exc:
        raise ReportDeliveryFailed(f"failed to write the report to {str(path)!r}") from exc
    return path


def send_with_ses(ses: Any, report: RenderedReport, *, sender: str, recipients: list[str]) -> str:
    """Send the report with SES `send_email`; returns the SES message id."""
    try:
        response = ses.send_email(
            Source=sender,
            Destination={"ToAddresses": recipients},
            Message={
                "Subject": {"Data": report.subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": report.text, "Charset": "UTF-8"},
                    "Html": {"Data": report.html, "Charset": "UTF-8"},
                },
            },
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in PERMANENT_SES_ERRORS:
            raise ReportRejectedBySes(
                f"SES rejected the report from {sender!r} with error {code!r}; "
                "verify the sender identity and the recipients, then redrive the message"
            ) from exc
        raise ReportDeliveryFailed(f"SES send_email failed with error {code!r}") from exc
    except BotoCoreError as exc:
        raise ReportDeliveryFailed(f"SES send_email failed without a response: {exc}") from exc
    return response["MessageId"]
