"""Per-process dependencies of the Lambda handlers, built on first use, never at import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.aws import client, make_boto_session
from shared.blobs import BlobStore, LocalBlobStore, S3BlobStore
from shared.db.session import make_engine, make_session_factory
from shared.messaging import Bus
from shared.secrets import resolve_database_url
from shared.settings import Settings


@dataclass(kw_only=True)
class Dependencies:
    settings: Settings
    bus: Bus
    blobs: BlobStore
    engine: Engine
    sessions: sessionmaker[Session]
    boto_session: Any


def build_dependencies(settings: Settings) -> Dependencies:
    boto_session = make_boto_session(settings)
    if settings.blob_bucket:
        blobs: BlobStore = S3BlobStore(client(settings, "s3", boto_session), settings.blob_bucket)
    else:
        blobs = LocalBlobStore(settings.blob_dir)
    engine = make_engine(resolve_database_url(settings, boto_session))
    return Dependencies(
        settings=settings,
        bus=Bus(
            settings=settings,
            sns=client(settings, "sns", boto_session),
            sqs=client(settings, "sqs", boto_session),
        ),
        blobs=blobs,
        engine=engine,
        sessions=make_session_factory(engine),
        boto_session=boto_session,
    )


_current: Dependencies | None = None


def get_dependencies() -> Dependencies:
    """Return this process's dependencies, building them from the environment the first time."""
    global _current
    if _current is None:
        _current = build_dependencies(Settings())
    return _current


def set_dependencies(dependencies: Dependencies | None) -> None:
    """Install the dependencies the handlers use (the local runtime and tests do this)."""
    global _current
    _current = dependencies
