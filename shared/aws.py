"""boto3 clients built from settings: the same code on AWS and against the local emulator."""

from __future__ import annotations

from typing import Any

import boto3

from shared.settings import Settings


def make_boto_session(settings: Settings) -> boto3.session.Session:
    return boto3.session.Session(region_name=settings.aws_region)


def client(
    settings: Settings, service_name: str, session: boto3.session.Session | None = None
) -> Any:
    """Return a boto3 client; only the endpoint differs between AWS and the emulator."""
    session = session or make_boto_session(settings)
    return session.client(service_name, endpoint_url=settings.aws_endpoint_url)
